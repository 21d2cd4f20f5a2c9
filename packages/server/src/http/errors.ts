import { STATUS_CODES } from 'node:http';
import { type ErrorBody, ErrorCode } from '@talk/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import { TalkServerError } from '../errors.js';
import { unstorable } from '../store/storable.js';

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
    if (error instanceof TalkServerError) {
      if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
      return sendError(reply, error.status, error.code, error.message);
    }
    if (error.validation) return sendError(reply, 400, ErrorCode.InvalidRequest, error.message);
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, ErrorCode.TooLarge, error.message);
    if (status >= 400 && status < 500) return sendError(reply, status, ErrorCode.InvalidRequest, error.message);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, ErrorCode.Internal, 'The server failed to handle this request');
  });
  // Twice: as the request arrives, for the path and query that routes' own onRequest checks (an upload's
  // membership, before its body is read) already query with; and after validation, which coerces path and
  // query strings to numbers, for those numbers and the parsed body.
  app.addHook('onRequest', async (request) => {
    const problem = unstorable(request.params) ?? unstorable(request.query);
    if (problem) throw new TalkServerError(ErrorCode.InvalidRequest, problem);
  });
  app.addHook('preHandler', async (request) => {
    const problem = unstorable(request.params) ?? unstorable(request.query) ?? unstorable(request.body);
    if (problem) throw new TalkServerError(ErrorCode.InvalidRequest, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, ErrorCode.NotFound, `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}

/**
 * Fastify's router answers a URL it cannot decode (`%zz`) or a path parameter past `maxParamLength` itself, in a
 * body of its own, before any error handler runs; this hands those to the one error body too.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, _request, reply) => {
  const status = error.statusCode ?? 400;
  sendError(reply, status, status === 414 ? ErrorCode.TooLarge : ErrorCode.InvalidRequest, error.message);
};

/** Statuses of the client errors Node's HTTP parser reports, by its error code; anything else is a 400. */
const clientErrorStatus: Record<string, number> = { ERR_HTTP_REQUEST_TIMEOUT: 408, HPE_HEADER_OVERFLOW: 431 };

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers too large, a malformed request
 * line); they get the one error body too. Otherwise as Fastify's own handler: nothing for a reset, then close.
 */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (error, socket) => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNRESET' || socket.destroyed) return;
  const status = clientErrorStatus[code] ?? 400;
  if (socket.writable) {
    const body: ErrorBody = { status, code: ErrorCode.InvalidRequest, message: STATUS_CODES[status] ?? 'Bad Request' };
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Content-Type: application/json\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
};
