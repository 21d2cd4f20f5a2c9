import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

describe('an SFU call whose participants signaling announces late', { timeout: 120_000 }, () => {
  let stack: BrowserStack;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true });
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
  });

  // A session connects to LiveKit and publishes before it says call-join, so the others can meet its media, drop
  // it on a view of signaling from before its join, and meet it again once the join is announced.
  it('receives a participant again after signaling took it out of the call and put it back', async () => {
    const alice = await join(stack, { user: 'alice', room: 'sfu-late', topology: 'sfu' });
    const bob = await join(stack, { user: 'bob', room: 'sfu-late', topology: 'sfu' });
    open.push(alice, bob);
    // Bob's tab is the one in front, where adaptive stream lets video through.
    await untilFlowing(bob, [alice]);
    await alice.call('announceAgain');
    // A participant met again is a new object: only then has bob dropped alice and met her once more.
    await bob.until(
      (snapshot) => snapshot.remotes.some((remote) => remote.sessionId === alice.sessionId && !remote.sameObject),
      'alice dropped and met again',
      10_000,
    );
    const snapshot = await untilFlowing(bob, [alice], 'cameraFrames', 20_000);
    expect(snapshot.remotes.map((remote) => remote.sessionId)).toEqual([alice.sessionId]);
  });
});
