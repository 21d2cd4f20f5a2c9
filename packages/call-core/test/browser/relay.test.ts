import { coturnAvailable, type LocalCoturn, startCoturn } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

describe('a relay-only call through a real coturn', { timeout: 90_000 }, () => {
  let coturn: LocalCoturn;
  let stack: BrowserStack;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    if (!coturnAvailable()) throw new Error('coturn is missing: run "npm test" once (its set-up installs it)');
    coturn = await startCoturn();
    stack = await startStack({ sfu: false, turn: { urls: [coturn.url], secret: coturn.secret, ttlSeconds: 600 } });
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
    await coturn?.stop();
  });

  it('connects two participants over TURN relay candidates only, each decoding the other', async () => {
    const alice = await join(stack, { user: 'alice', room: 'relay', topology: 'mesh', relayOnly: true });
    const bob = await join(stack, { user: 'bob', room: 'relay', topology: 'mesh', relayOnly: true });
    open.push(alice, bob);
    try {
      await untilFlowing(alice, [bob]);
      await untilFlowing(bob, [alice]);
    } catch (error) {
      throw new Error(`${String(error)}\ncoturn said: ${coturn.log().slice(-2000)}`);
    }
    for (const participant of [alice, bob]) {
      const pairs = await participant.call('selectedCandidates');
      // One peer connection to the other participant, its selected pair relayed at both ends.
      expect(pairs.length).toBeGreaterThanOrEqual(1);
      for (const pair of pairs) expect(pair).toEqual({ local: 'relay', remote: 'relay', policy: 'relay' });
    }
  });
});
