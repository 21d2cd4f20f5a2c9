import { DevTokenRequest, ErrorCode, Routes, type TokenResponse } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { TalkServerError } from '../errors.js';
import type { RouteContext } from './context.js';

/** POST Routes.devTokens: a token for any demo user, only when development mode is switched on. */
export async function devRoutes(app: FastifyInstance, { config, tokens }: RouteContext): Promise<void> {
  if (!config.devMode) {
    app.post(Routes.devTokens, async () => {
      throw new TalkServerError(ErrorCode.Disabled, 'Token minting needs TALK_DEV_MODE=1', { status: 403 });
    });
    return;
  }
  app.post<{ Body: DevTokenRequest }>(
    Routes.devTokens,
    { schema: { body: DevTokenRequest } },
    async (request, reply): Promise<TokenResponse> => {
      reply.code(201);
      return tokens.issue({ userId: request.body.userId, displayName: request.body.displayName });
    },
  );
}
