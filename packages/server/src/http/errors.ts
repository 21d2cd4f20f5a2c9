import { type ErrorBody, ErrorCode } from '@talk/protocol';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { TalkServerError } from '../errors.js';

/** Answers with the one error body every endpoint uses. */
export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  const body: ErrorBody = { status, code, message };
  return reply.code(status).type('application/json').send(body);
}

/**
 * Routes every failure, including Fastify's own (schema validation, unparsable JSON, oversized bodies, unknown
 * routes), into an ErrorBody, so clients handle one shape.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | TalkServerError, request, reply) => {
    if (error instanceof TalkServerError) return sendError(reply, error.status, error.code, error.message);
    if (error.validation) return sendError(reply, 400, ErrorCode.InvalidRequest, error.message);
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, ErrorCode.TooLarge, error.message);
    if (status >= 400 && status < 500) return sendError(reply, status, ErrorCode.InvalidRequest, error.message);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, ErrorCode.Internal, 'The server failed to handle this request');
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, ErrorCode.NotFound, `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}
