import { type CallSettings, ErrorCode, Routes, SfuTokenRequest, type SfuTokenResponse } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_MAX_VIDEO_BITRATE } from '../config.js';
import { TalkServerError } from '../errors.js';
import { mintSfuToken } from '../livekit/sfu-tokens.js';
import { iceServersFor } from '../turn/ice-servers.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath, TokenParams } from './context.js';

/** What a participant needs to join a call: ICE servers (with TURN credentials), the SFU, and LiveKit tokens. */
export async function callRoutes(app: FastifyInstance, { config, store, hub }: RouteContext): Promise<void> {
  app.get<{ Params: TokenParams }>(
    routePath(Routes.call),
    { schema: { params: TokenParams } },
    async (request): Promise<CallSettings> => {
      const me = identityOf(request);
      const membership = await membershipOf(store, request.params.token, me);
      requireAllowed(membership, 'read');
      const call = await store.calls.get(request.params.token);
      return {
        iceServers: iceServersFor(config.stunUrls, config.turn, me.userId),
        sfuUrl: config.livekit?.url ?? null,
        maxVideoBitrate: config.maxVideoBitrate ?? DEFAULT_MAX_VIDEO_BITRATE,
        topology: call?.startedAt ? call.topology : 'mesh',
        joinTopology: await hub.calls.topologyOnJoin(request.params.token),
      };
    },
  );

  app.post<{ Params: TokenParams; Body: SfuTokenRequest }>(
    routePath(Routes.sfuToken),
    { schema: { params: TokenParams, body: SfuTokenRequest } },
    async (request): Promise<SfuTokenResponse> => {
      const me = identityOf(request);
      const { token } = request.params;
      const membership = await membershipOf(store, token, me);
      if (!config.livekit) throw new TalkServerError(ErrorCode.Disabled, 'No SFU is configured; calls stay mesh');
      requireAllowed(membership, 'call');
      // The identity must be a live session of the caller in this conversation, so nobody can take over
      // another participant's place in the room.
      if (!(await hub.isSessionOf(token, request.body.sessionId, me.userId))) {
        throw new TalkServerError(ErrorCode.Forbidden, 'The session is not yours or has not joined this conversation');
      }
      return mintSfuToken(config.livekit, {
        room: token,
        identity: request.body.sessionId,
        name: me.displayName,
        userId: me.userId,
        permissions: membership.participant.permissions ?? 0,
      });
    },
  );
}
