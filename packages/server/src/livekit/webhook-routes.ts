import { ErrorCode, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { type WebhookEvent, WebhookReceiver } from 'livekit-server-sdk';
import { TalkServerError } from '../errors.js';
import type { RouteContext } from '../http/context.js';
import { answers, NoContent, typed } from '../http/schemas.js';
import { epochOf } from './sfu-tokens.js';

/**
 * How long before its epoch began a room may have been created and still be the epoch's: the session whose
 * call-join moves the call onto the SFU connects to LiveKit (creating the room) just before saying it.
 */
const ROOM_BEFORE_EPOCH_MS = 30_000;

/** Whether a finished room is the current epoch's rather than an earlier one's whose webhook came late. */
function roomOfEpoch(room: WebhookEvent['room'], sfuSince: Date | null): boolean {
  if (!room || !sfuSince) return false;
  const createdMs = Number(room.creationTimeMs ?? 0n) || Number(room.creationTime ?? 0n) * 1000;
  // A room without a creation time (an older LiveKit) cannot be placed; it is taken as the current one.
  return createdMs === 0 || createdMs >= sfuSince.getTime() - ROOM_BEFORE_EPOCH_MS;
}

import { unstorable } from '../store/storable.js';

/** The actor of call changes that LiveKit reports rather than a participant. */
const SFU_ACTOR = { userId: 'sfu', displayName: 'SFU' };

/**
 * POST Routes.livekitWebhook: LiveKit's participant_joined, participant_left and room_finished events,
 * verified with the API secret, keep the call state true when a client vanishes without saying call-leave.
 * The LiveKit identity is the signaling session id and the room is the conversation token.
 */
export async function livekitWebhookRoutes(
  app: FastifyInstance,
  { config, store, hub, webhookLedger: ledger }: RouteContext,
): Promise<void> {
  const receiver = config.livekit && new WebhookReceiver(config.livekit.apiKey, config.livekit.apiSecret);
  // The signature covers the exact bytes, so the body is kept as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const schema = { security: [], response: answers({ 204: NoContent }) }; // signed by LiveKit, not a bearer
  typed(app).post(Routes.livekitWebhook, { schema }, async (request, reply) => {
    if (!receiver) throw new TalkServerError(ErrorCode.Disabled, 'No SFU is configured');
    let event: WebhookEvent;
    try {
      event = await receiver.receive(String(request.body ?? ''), request.headers.authorization);
    } catch (error) {
      throw new TalkServerError(ErrorCode.Unauthenticated, 'The webhook signature does not verify', { cause: error });
    }
    if (!(await ledger.admit(event))) return reply.code(204).send(); // a retry, or about a connection since replaced
    const conversation = event.room?.name;
    const sessionId = event.participant?.identity;
    // The signature proves who sent it, not that its names fit a query: one with a NUL is about nothing of ours.
    if (!conversation || unstorable([conversation, sessionId])) return reply.code(204).send();
    if (!(await store.conversations.get(conversation))) return reply.code(204).send();
    // A token outlives a removal, the lobby or a revoked permission: whoever comes back with one is checked again.
    if (event.event === 'participant_joined' && event.participant && hub.sfu) {
      if (!(await hub.sfu.admit(conversation, event.participant))) return reply.code(204).send();
    }
    // Only the call's current stretch on the SFU counts: once it moved back to the mesh, participants leaving the
    // SFU (and its room finishing) say nothing about who is still in the call.
    const call = await store.calls.get(conversation);
    const onSfu = call?.startedAt != null && call.topology === 'sfu';
    if ((event.event === 'participant_joined' || event.event === 'participant_left') && sessionId) {
      if (!onSfu || epochOf(event.participant?.metadata) !== call.sfuEpoch) return reply.code(204).send();
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
      if (!onSfu || !roomOfEpoch(event.room, call.sfuSince)) return reply.code(204).send();
      for (const info of await store.presence.endCall(conversation)) {
        await hub.broadcast(conversation, { type: 'session-updated', conversation, session: info });
      }
      await hub.calls.update(conversation, SFU_ACTOR);
    }
    return reply.code(204).send();
  });
}
