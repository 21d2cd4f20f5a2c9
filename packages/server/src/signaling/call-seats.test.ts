import type { Participant, ServerMessage } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import type { CallSeat } from '../access/rules.js';
import { CallSeats } from './call-seats.js';
import type { Delivery } from './delivery.js';

/** A seat of `userId`'s session, in the call or not. */
function seat(userId: string, inCall: boolean): CallSeat {
  const participant = { userId, displayName: userId, role: 'user', permissions: 0xff } as Participant;
  return {
    inCall,
    membership: { participant, conversation: { token: 'c' } as CallSeat['membership']['conversation'] },
  };
}

/** A loader over a table the test edits, counting its reads, whose reads can be held back. */
function table(rows: Record<string, CallSeat>) {
  const state = { rows, reads: 0, hold: undefined as Promise<void> | undefined };
  const load = async () => {
    state.reads += 1;
    const snapshot = new Map(Object.entries(structuredClone(state.rows)));
    await state.hold;
    return snapshot;
  };
  return { state, load };
}

const message = (sent: ServerMessage): Delivery => ({ kind: 'message', message: sent });
const session = (sessionId: string, userId: string, inCall: boolean) => ({
  sessionId,
  inCall,
  participant: { userId, displayName: userId, role: 'user' as const },
  media: { audio: true, video: true },
});

describe('CallSeats', () => {
  it('reads a conversation once, then answers every signal from memory', async () => {
    const { state, load } = table({ a: seat('alice', true), b: seat('bob', true) });
    const seats = new CallSeats(load, () => true);
    for (let i = 0; i < 50; i++) expect((await seats.get('c')).get('b')?.inCall).toBe(true);
    expect(state.reads).toBe(1);
  });

  it('applies a session leaving the call, or the conversation, or an eviction at once without reading', async () => {
    const { state, load } = table({ a: seat('alice', true), b: seat('bob', true), c: seat('carol', true) });
    const seats = new CallSeats(load, () => true);
    await seats.get('c');
    seats.observe('c', message({ type: 'session-updated', conversation: 'c', session: session('a', 'alice', false) }));
    seats.observe('c', message({ type: 'session-left', conversation: 'c', sessionId: 'b' }));
    const now = await seats.get('c');
    expect(now.get('a')?.inCall).toBe(false);
    expect(now.has('b')).toBe(false);
    expect(state.reads).toBe(1);
    seats.observe('c', { kind: 'control', control: { kind: 'evict', userId: 'carol', reason: 'removed' } });
    // The eviction is applied to what was known before the next read.
    expect(now.has('c')).toBe(false);
  });

  it('reads again after a join, a permission change, a role change or the lobby', async () => {
    const { state, load } = table({ a: seat('alice', true) });
    const seats = new CallSeats(load, () => true);
    await seats.get('c');
    const changes: Delivery[] = [
      message({ type: 'session-joined', conversation: 'c', session: session('d', 'dave', false) }),
      message({ type: 'conversation-updated', conversation: 'c' }),
      { kind: 'control', control: { kind: 'role', userId: 'alice', role: 'moderator' } },
      { kind: 'control', control: { kind: 'lobby', enabled: true } },
      message({ type: 'session-updated', conversation: 'c', session: session('x', 'xavier', true) }),
    ];
    for (const [i, change] of changes.entries()) {
      state.rows = { ...state.rows, [`s${i}`]: seat(`u${i}`, true) };
      seats.observe('c', change);
      expect((await seats.get('c')).has(`s${i}`)).toBe(true);
      expect(state.reads).toBe(i + 2);
    }
  });

  it('keeps nothing of a read that an event overtook', async () => {
    const { state, load } = table({ a: seat('alice', true), b: seat('bob', true) });
    const seats = new CallSeats(load, () => true);
    let release!: () => void;
    state.hold = new Promise((resolve) => {
      release = resolve;
    });
    const reading = seats.get('c');
    // Bob's permission is revoked after the read saw him, before it answered.
    state.rows = { a: seat('alice', true) };
    seats.observe('c', message({ type: 'conversation-updated', conversation: 'c' }));
    release();
    expect((await reading).has('b')).toBe(true); // the signal that waited gets what was read…
    state.hold = undefined;
    expect((await seats.get('c')).has('b')).toBe(false); // …but the next one reads again
    expect(state.reads).toBe(2);
  });

  it('reads every time for a conversation whose topic this instance does not hear', async () => {
    const { state, load } = table({ a: seat('alice', true) });
    let serving = false;
    const seats = new CallSeats(load, () => serving);
    await seats.get('c');
    await seats.get('c');
    expect(state.reads).toBe(2);
    serving = true;
    await seats.get('c');
    await seats.get('c');
    expect(state.reads).toBe(3);
    seats.forget('c');
    await seats.get('c');
    expect(state.reads).toBe(4);
  });
});
