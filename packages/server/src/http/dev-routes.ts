import { DevTokenRequest, ErrorCode, Routes, TokenResponse } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { parseObjectGrants } from '../auth/object-grants.js';
import { TalkServerError } from '../errors.js';
import type { RouteContext } from './context.js';
import { answers, typed } from './schemas.js';

/**
 * POST Routes.devTokens: a token for any demo user, with the object grants asked for (as a host app would
 * vouch), only when development mode is switched on.
 */
export async function devRoutes(app: FastifyInstance, { config, tokens, names }: RouteContext): Promise<void> {
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
      const { userId, displayName, objects } = request.body;
      // The body's schema has checked each grant already; this only normalises them as the token's obj claim.
      const grants = parseObjectGrants(objects) ?? [];
      // Minting stands in for the host app, which names its users: the name is recorded as if presented.
      await names.presented({ userId, displayName });
      return reply.code(201).send(await tokens.issue({ userId, displayName, objects: grants }));
    },
  );
}
