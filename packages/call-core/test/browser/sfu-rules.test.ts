import { conversationPath, Permission, Routes } from '@talk/protocol';
import { type ParticipantInfo, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant } from './harness.js';

// Signaling's rules hold on the SFU too: LiveKit's own view of the room (its server API) follows a removal, a
// revoked permission and a closed lobby within seconds, not only the signaling session.
describe('an SFU call whose participants are removed or restricted', { timeout: 120_000 }, () => {
  let stack: BrowserStack;
  let rooms: RoomServiceClient;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true });
    const livekit = stack.livekit!;
    rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
  });

  /** A REST call to the stack's server as `userId`. */
  async function rest(userId: string, method: string, path: string, body?: unknown): Promise<number> {
    const minted = await fetch(`${stack.url}api/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, displayName: userId.toUpperCase() }),
    });
    const { token } = (await minted.json()) as { token: string };
    const response = await fetch(new URL(path, stack.url), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return response.status;
  }

  /** Polls LiveKit's participants of a room until `check` holds. */
  async function untilRoom(room: string, check: (participants: ParticipantInfo[]) => boolean, what: string) {
    const deadline = Date.now() + 15_000;
    let last: ParticipantInfo[] = [];
    while (Date.now() < deadline) {
      last = await rooms.listParticipants(room).catch(() => []);
      if (check(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting for ${what}; LiveKit lists ${last.map((p) => p.identity).join(', ')}`);
  }
  const sourcesOf = (participants: ParticipantInfo[], identity: string) =>
    participants.find((p) => p.identity === identity)?.tracks.map((track) => track.source) ?? [];

  it('unpublishes a revoked source, and disconnects a removed participant and one the lobby holds', async () => {
    const alice = await join(stack, { user: 'alice', room: 'sfu-rules', topology: 'sfu' });
    const { conversation } = alice;
    const bob = await join(stack, { user: 'bob', room: 'sfu-rules', topology: 'sfu' });
    const carol = await join(stack, { user: 'carol', room: 'sfu-rules', topology: 'sfu' });
    open.push(alice, bob, carol);
    await untilRoom(
      conversation,
      (ps) => [bob, carol].every((p) => sourcesOf(ps, p.sessionId).includes(TrackSource.CAMERA)),
      'bob and carol publishing their cameras',
    );

    const started = Date.now();
    const path = (userId: string) => conversationPath(Routes.participant, conversation, { userId });
    expect(
      await rest('alice', 'PATCH', path('bob'), { permissions: Permission.JoinCall | Permission.PublishAudio }),
    ).toBe(200);
    const narrowed = await untilRoom(
      conversation,
      (ps) => !sourcesOf(ps, bob.sessionId).includes(TrackSource.CAMERA),
      "bob's camera unpublished",
    );
    expect(narrowed.find((p) => p.identity === bob.sessionId)?.permission?.canPublishSources).toEqual([
      TrackSource.MICROPHONE,
    ]);

    expect(await rest('alice', 'DELETE', path('carol'))).toBe(204);
    await untilRoom(conversation, (ps) => !ps.some((p) => p.identity === carol.sessionId), 'carol out of the room');

    expect(await rest('alice', 'PATCH', conversationPath(Routes.conversation, conversation), { lobby: true })).toBe(
      200,
    );
    const left = await untilRoom(conversation, (ps) => !ps.some((p) => p.identity === bob.sessionId), 'bob held out');
    expect(left.map((p) => p.identity)).toEqual([alice.sessionId]);
    // Each step took effect within seconds, not at the token's expiry minutes later.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
