import type { Server } from 'node:http';
import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import { ErrorBody, MessageId } from '@talk/protocol';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
} from 'fastify';

/** A Fastify instance whose routes take their request and answer types from their TypeBox schemas. */
export type TypedApp = FastifyInstance<
  Server,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** `app` with the TypeBox type provider: request parts and answers are typed by each route's schemas. */
export function typed(app: FastifyInstance): TypedApp {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

/** A conversation's token as a path parameter: the one schema every route under a conversation uses. */
export const ConversationToken = Type.String({ minLength: 1, maxLength: 64 });

/** Path parameters of the routes under a conversation. */
export const TokenParams = Type.Object({ token: ConversationToken });

/** Path parameters of the routes under a message. */
export const MessageParams = Type.Object({ token: ConversationToken, messageId: MessageId });

/** Path parameters of the routes under a participant. */
export const ParticipantParams = Type.Object({
  token: ConversationToken,
  userId: Type.String({ minLength: 1, maxLength: 80 }),
});

/** Path parameters of the routes under an attachment. */
export const AttachmentParams = Type.Object({
  token: ConversationToken,
  attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
});

/** The answer of a route that says nothing: `reply.code(204).send()`, so its type is `undefined`. */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'No content' });

/** An answer of raw bytes in whatever type the file has; Fastify sends a Buffer or a stream as it is, past any serialiser. */
export const FileBytes = {
  content: { '*/*': { schema: Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary' }) } },
};

/** What every route may answer besides its own answers: the one error body. */
const failures = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/**
 * A route's response schemas: its answers by status, plus the error body for 4xx and 5xx. Fastify serialises
 * with them, so an answer must carry no field its schema lacks (it would be dropped).
 */
export function answers<Success extends Record<number, TSchema | typeof FileBytes>>(
  success: Success,
): Success & typeof failures {
  return { ...success, ...failures };
}
