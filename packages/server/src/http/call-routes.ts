import { type CallSettings, ErrorCode, Routes, SfuTokenRequest, type SfuTokenResponse } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_MAX_VIDEO_BITRATE } from '../config.js';
import { TalkServerError } from '../errors.js';
import { mintSfuToken } from '../livekit/sfu-tokens.js';
import { iceServersFor } from '../turn/ice-servers.js';
import { identityOf, participantOf, type RouteContext, routePath, TokenParams } from './context.js';

/** What a participant needs to join a call: ICE servers, the SFU, and LiveKit tokens. */
export async function callRoutes(app: FastifyInstance, { config, store, hub }: RouteContext): Promise<void> {
  app.get<{ Params: TokenParams }>(
    routePath(Routes.call),
    { schema: { params: TokenParams } },
    async (request): Promise<CallSettings> => {
      await participantOf(store, request.params.token, identityOf(request));
      return {
        iceServers: iceServersFor(config.stunUrls),
        sfuUrl: config.livekit?.url ?? null,
        maxVideoBitrate: config.maxVideoBitrate ?? DEFAULT_MAX_VIDEO_BITRATE,
      };
    },
  );

  app.post<{ Params: TokenParams; Body: SfuTokenRequest }>(
    routePath(Routes.sfuToken),
    { schema: { params: TokenParams, body: SfuTokenRequest } },
    async (request): Promise<SfuTokenResponse> => {
      const me = identityOf(request);
      const { token } = request.params;
      await participantOf(store, token, me);
      if (!config.livekit) throw new TalkServerError(ErrorCode.Disabled, 'No SFU is configured; calls stay mesh');
      // The identity must be a live session of the caller in this conversation, so nobody can take over
      // another participant's place in the room.
      const session = hub.joinedSession(token, request.body.sessionId);
      if (session?.identity?.userId !== me.userId) {
        throw new TalkServerError(ErrorCode.Forbidden, 'The session is not yours or has not joined this conversation');
      }
      return mintSfuToken(config.livekit, {
        room: token,
        identity: session.id,
        name: me.displayName,
        userId: me.userId,
      });
    },
  );
}
