import { DevTokenRequest, ErrorCode, Routes, TokenResponse } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { TalkServerError } from '../errors.js';
import type { RouteContext } from './context.js';
import { answers, typed } from './schemas.js';

/** POST Routes.devTokens: a token for any demo user, only when development mode is switched on. */
export async function devRoutes(app: FastifyInstance, { config, tokens }: RouteContext): Promise<void> {
  const api = typed(app);
  if (!config.devMode) {
    // No body schema here: whatever is sent, the answer is that minting is off.
    api.post(Routes.devTokens, { schema: { security: [], response: answers({}) } }, async () => {
      throw new TalkServerError(ErrorCode.Disabled, 'Token minting needs TALK_DEV_MODE=1', { status: 403 });
    });
    return;
  }
  api.post(
    Routes.devTokens,
    { schema: { body: DevTokenRequest, security: [], response: answers({ 201: TokenResponse }) } },
    async (request, reply) => {
      const { userId, displayName } = request.body;
      return reply.code(201).send(await tokens.issue({ userId, displayName }));
    },
  );
}
