import { Type } from '@sinclair/typebox';
import { Attachment, ErrorCode, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Attachments } from '../chat/attachments.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../config.js';
import { TalkServerError } from '../errors.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { AttachmentParams, answers, FileBytes, TokenParams, typed } from './schemas.js';

/** Headers of an upload: the file's name, percent-encoded where it is not Latin-1. */
const UploadHeaders = Type.Object({ 'x-file-name': Type.Optional(Type.String()) });

/** Upload (raw bytes, name in `x-file-name`) and download of files in a conversation. */
export async function attachmentRoutes(app: FastifyInstance, { store, config }: RouteContext): Promise<void> {
  const limit = config.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const api = typed(app);
  const attachments = new Attachments(store);
  // Whatever the client calls its bytes, they arrive as a Buffer; the type is sniffed, not believed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));

  api.post(
    routePath(Routes.attachments),
    {
      schema: {
        description: "The body is the file's bytes, of any content type; the server sniffs the real one.",
        params: TokenParams,
        headers: UploadHeaders,
        response: answers({ 201: Attachment }),
      },
      bodyLimit: limit,
    },
    async (request, reply) => {
      const me = identityOf(request);
      const { token } = request.params;
      const membership = await membershipOf(store, token, me);
      requireAllowed(membership, 'share-files');
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'Send the file as the request body');
      }
      const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      const attachment = await attachments.save(me, token, bytes, request.headers['x-file-name']);
      return reply.code(201).send(attachment);
    },
  );

  api.get(
    routePath(Routes.attachment),
    { schema: { params: AttachmentParams, response: answers({ 200: FileBytes }) } },
    async (request, reply) => {
      const { token, attachmentId } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      const { attachment, content } = await attachments.open(token, attachmentId);
      return (
        reply
          .header('content-type', attachment.contentType)
          .header('content-length', String(content.byteLength))
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`)
          .header('x-content-type-options', 'nosniff')
          // Opened in a tab anyway, an uploaded page runs nothing and reaches nothing on this origin.
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('cache-control', 'private, max-age=3600')
          .send(Buffer.from(content))
      );
    },
  );
}
