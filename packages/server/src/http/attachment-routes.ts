import { type Static, Type } from '@sinclair/typebox';
import { type Attachment, ErrorCode, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { sniffContentType } from '../chat/sniff.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../config.js';
import { TalkServerError } from '../errors.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath, TokenParams } from './context.js';

const AttachmentParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 64 }),
  attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
});

/** Upload (raw bytes, name in `x-file-name`) and download of files in a conversation. */
export async function attachmentRoutes(app: FastifyInstance, { store, config }: RouteContext): Promise<void> {
  const limit = config.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  // Whatever the client calls its bytes, they arrive as a Buffer; the type is sniffed, not believed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));

  app.post<{ Params: TokenParams }>(
    routePath(Routes.attachments),
    { schema: { params: TokenParams }, bodyLimit: limit },
    async (request, reply): Promise<Attachment> => {
      const me = identityOf(request);
      const { token } = request.params;
      const membership = await membershipOf(store, token, me);
      requireAllowed(membership, 'share-files');
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'Send the file as the request body');
      }
      const rawName = request.headers['x-file-name'];
      let name = typeof rawName === 'string' ? rawName : 'file';
      try {
        name = decodeURIComponent(name);
      } catch {
        // not percent-encoded: take it as it is
      }
      name = name.replace(/[\\/\0\r\n]/g, '_').slice(0, 255) || 'file';
      const attachment = await store.attachments.save(token, me.userId, {
        name,
        contentType: sniffContentType(body),
        content: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      });
      return reply.code(201).send(attachment);
    },
  );

  app.get<{ Params: Static<typeof AttachmentParams> }>(
    routePath(Routes.attachment),
    { schema: { params: AttachmentParams } },
    async (request, reply) => {
      const { token, attachmentId } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      const [attachment, content] = await Promise.all([
        store.attachments.get(token, attachmentId),
        store.attachments.content(token, attachmentId),
      ]);
      if (!attachment || !content) throw new TalkServerError(ErrorCode.NotFound, 'No such attachment');
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
