import { AttachmentUrl, Routes, SignedFileQuery } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { AttachmentUrls } from '../chat/attachment-urls.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { AttachmentParams, answers, FileBytes, typed } from './schemas.js';

/** Issues signed attachment URLs to participants who may read (behind the bearer token). */
export async function attachmentUrlRoutes(
  app: FastifyInstance,
  { store }: RouteContext,
  urls: AttachmentUrls,
): Promise<void> {
  typed(app).post(
    routePath(Routes.attachmentUrl),
    { schema: { params: AttachmentParams, response: answers({ 200: AttachmentUrl }) } },
    async (request) => {
      const { token, attachmentId } = request.params;
      const membership = await membershipOf(store, token, identityOf(request));
      requireAllowed(membership, 'read');
      return urls.issue(membership, attachmentId);
    },
  );
}

/**
 * The route that serves files by signed URL, with no bearer token (the signature is the credential), and the
 * signer it shares with the issuing route, so that a random development key is the same for both.
 */
export function signedFileRoutes({ store, config }: RouteContext): {
  urls: AttachmentUrls;
  register(app: FastifyInstance): void;
} {
  const urls = new AttachmentUrls(store, config.jwtSecret);
  return {
    urls,
    register(app) {
      typed(app).get(
        routePath(Routes.signedFile),
        {
          schema: {
            security: [],
            params: AttachmentParams,
            querystring: SignedFileQuery,
            response: answers({ 200: FileBytes }),
          },
        },
        async (request, reply) => {
          const { token, attachmentId } = request.params;
          const { user, expires, signature } = request.query;
          const { attachment, content, secondsLeft } = await urls.open(
            { conversation: token, attachmentId, userId: user, expires },
            signature,
          );
          return (
            reply
              .header('content-type', attachment.contentType)
              .header('content-length', String(attachment.size))
              .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`)
              .header('x-content-type-options', 'nosniff')
              // As the authenticated download: an uploaded page opened in a tab runs nothing on this origin.
              .header('content-security-policy', "sandbox; default-src 'none'")
              // Cached no longer than the URL works, and never by a shared cache: the URL names one user.
              .header('cache-control', `private, max-age=${secondsLeft}`)
              .send(content)
          );
        },
      );
    },
  };
}
