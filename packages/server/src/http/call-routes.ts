import { CallSettings, Routes, SfuTokenRequest, SfuTokenResponse } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { CallSetup } from '../calls/call-setup.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, TokenParams, typed } from './schemas.js';

/** What a participant needs to join a call: ICE servers (with TURN credentials), the SFU, and LiveKit tokens. */
export async function callRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store } = context;
  const api = typed(app);
  const calls = new CallSetup(context);

  api.get(
    routePath(Routes.call),
    { schema: { params: TokenParams, response: answers({ 200: CallSettings }) } },
    async (request) => {
      const me = identityOf(request);
      requireAllowed(await membershipOf(store, request.params.token, me), 'read');
      return calls.settings(me, request.params.token);
    },
  );

  api.post(
    routePath(Routes.sfuToken),
    { schema: { params: TokenParams, body: SfuTokenRequest, response: answers({ 200: SfuTokenResponse }) } },
    async (request) => {
      const me = identityOf(request);
      const { token } = request.params;
      const membership = await membershipOf(store, token, me);
      // Without an SFU the answer is 503 for every member, before the lobby or permissions are asked.
      calls.sfu();
      requireAllowed(membership, 'call');
      return calls.sfuToken(me, token, request.body.sessionId, membership.participant.permissions ?? 0);
    },
  );
}
