import { Type } from '@sinclair/typebox';
import { Attachment, ErrorCode, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Attachments, maxAttachmentBytesOf } from '../chat/attachments.js';
import { TalkServerError } from '../errors.js';
import { unstorable } from '../store/storable.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { AttachmentParams, answers, FileBytes, TokenParams, typed } from './schemas.js';

/** Headers of an upload: the file's name, percent-encoded where it is not Latin-1. */
const UploadHeaders = Type.Object({ 'x-file-name': Type.Optional(Type.String()) });

/** Upload (raw bytes, name in `x-file-name`) and download of files in a conversation. */
export async function attachmentRoutes(app: FastifyInstance, { store, config }: RouteContext): Promise<void> {
  const limit = maxAttachmentBytesOf(config);
  const api = typed(app);
  const attachments = new Attachments(store, config);
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
      // Before a byte of the body is read: a stranger, a member who may not share files, a declared length over
      // the limit or beyond the quotas' room is refused here, so a refused upload costs no memory and no reading.
      onRequest: async (request) => {
        // This runs before the hook that refuses unstorable input, so it asks the same question itself.
        const problem = unstorable(request.params);
        if (problem) throw new TalkServerError(ErrorCode.InvalidRequest, problem);
        const { token } = request.params;
        const me = identityOf(request);
        requireAllowed(await membershipOf(store, token, me), 'share-files');
        const declared = Number(request.headers['content-length']);
        if (declared > limit) throw new TalkServerError(ErrorCode.TooLarge, `Files may be at most ${limit} bytes`);
        if (declared > 0) await attachments.requireRoom(me, token, declared);
      },
      // An answer that comes before the whole body did (a refusal, or a body that ran over the limit) closes the
      // connection, so the server stops reading the rest instead of draining it, however long it is.
      onSend: async (request, reply) => {
        if (!request.raw.complete) reply.header('connection', 'close');
      },
    },
    async (request, reply) => {
      const me = identityOf(request);
      const { token } = request.params;
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
          .header('content-length', String(attachment.size))
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`)
          .header('x-content-type-options', 'nosniff')
          // Opened in a tab anyway, an uploaded page runs nothing and reaches nothing on this origin.
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('cache-control', 'private, max-age=3600')
          .send(content)
      );
    },
  );
}
