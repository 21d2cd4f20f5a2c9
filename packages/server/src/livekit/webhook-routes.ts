import { ErrorCode, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { WebhookReceiver } from 'livekit-server-sdk';
import { TalkServerError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { answers, NoContent, typed } from '../http/schemas.js';
import { unstorable } from '../store/storable.js';

/** The actor of call changes that LiveKit reports rather than a participant. */
const SFU_ACTOR = { userId: 'sfu', displayName: 'SFU' };

/**
 * POST Routes.livekitWebhook: LiveKit's participant_joined, participant_left and room_finished events,
 * verified with the API secret, keep the call state true when a client vanishes without saying call-leave.
 * The LiveKit identity is the signaling session id and the room is the conversation token.
 */
export async function livekitWebhookRoutes(app: FastifyInstance, { config, store, hub }: RouteContext): Promise<void> {
  const receiver = config.livekit && new WebhookReceiver(config.livekit.apiKey, config.livekit.apiSecret);
  // The signature covers the exact bytes, so the body is kept as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const schema = { security: [], response: answers({ 204: NoContent }) }; // signed by LiveKit, not a bearer
  typed(app).post(Routes.livekitWebhook, { schema }, async (request, reply) => {
    if (!receiver) throw new TalkServerError(ErrorCode.Disabled, 'No SFU is configured');
    let event: Awaited<ReturnType<WebhookReceiver['receive']>>;
    try {
      event = await receiver.receive(String(request.body ?? ''), request.headers.authorization);
    } catch (error) {
      throw new TalkServerError(ErrorCode.Unauthenticated, 'The webhook signature does not verify', { cause: error });
    }
    const conversation = event.room?.name;
    const sessionId = event.participant?.identity;
    // The signature proves who sent it, not that its names fit a query: one with a NUL is about nothing of ours.
    if (!conversation || unstorable([conversation, sessionId])) return reply.code(204).send();
    if (!(await store.conversations.get(conversation))) return reply.code(204).send();
    if ((event.event === 'participant_joined' || event.event === 'participant_left') && sessionId) {
      const before = await store.presence.get(sessionId, conversation);
      if (before) {
        const inCall = event.event === 'participant_joined';
        const changes = inCall ? { inCall } : { inCall, media: { audio: false, video: false }, handRaised: false };
        const info =
          before.inCall === inCall ? undefined : await store.presence.update(sessionId, conversation, changes);
        if (info) {
          await hub.broadcast(conversation, { type: 'session-updated', conversation, session: info });
          await hub.calls.update(conversation, before.participant, sessionId);
        }
      }
    } else if (event.event === 'room_finished') {
      for (const info of await store.presence.endCall(conversation)) {
        await hub.broadcast(conversation, { type: 'session-updated', conversation, session: info });
      }
      await hub.calls.update(conversation, SFU_ACTOR);
    }
    return reply.code(204).send();
  });
}
