import { ErrorCode, type ServerMessage } from '@talk/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialQueue } from '../async/serial-queue.js';
import { CallCoordinator } from '../calls/call-coordinator.js';
import { DEFAULT_TOPOLOGY_POLICY } from '../calls/topology-policy.js';
import { InProcessPubSub, type PubSub } from '../pubsub/bus.js';
import { Store } from '../store/store.js';
import { freshStorage } from '../testing/storage.js';
import { conversationTopic, type Delivery } from './delivery.js';
import { LocalRooms } from './local-rooms.js';
import { Presence } from './presence.js';
import type { Session } from './session.js';

const alice = { userId: 'alice', displayName: 'Alice' };
const bob = { userId: 'bob', displayName: 'Bob' };

/** Just enough of a session for presence: who it is, its memberships, its queue, and what it was sent. */
function fakeSession(id: string, userId: string): Session & { got: ServerMessage[] } {
  const got: ServerMessage[] = [];
  const memberships = new Map();
  const session = {
    id,
    got,
    identity: { userId, displayName: userId },
    memberships,
    queue: new SerialQueue(),
    closed: false,
    buffer: undefined,
    send(message: ServerMessage, conversation?: string) {
      if (conversation === undefined || memberships.has(conversation)) got.push(message);
    },
  };
  return session as unknown as Session & { got: ServerMessage[] };
}

describe('a join racing an eviction', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(await freshStorage());
  });
  afterEach(() => store.close());

  it('re-checks membership once subscribed, so an eviction published before the subscription is not missed', async () => {
    const bus = new InProcessPubSub<Delivery>();
    // The injected delay: the subscription is confirmed only after the removal has been made and published.
    let subscribing!: () => void;
    const reachedSubscribe = new Promise<void>((resolve) => {
      subscribing = resolve;
    });
    let confirm!: () => void;
    const confirmed = new Promise<void>((resolve) => {
      confirm = resolve;
    });
    const slowBus: PubSub<Delivery> = {
      publish: (topic, event) => bus.publish(topic, event),
      async subscribe(topic, listener) {
        subscribing();
        await confirmed;
        return bus.subscribe(topic, listener);
      },
      onResync: (listener) => bus.onResync(listener),
      close: () => bus.close(),
    };
    const broadcast = (conversation: string, message: ServerMessage, except?: string) =>
      bus.publish(conversationTopic(conversation), { kind: 'message', message, except });
    const calls = new CallCoordinator({
      store,
      broadcast,
      policy: { ...DEFAULT_TOPOLOGY_POLICY, sfuAvailable: false },
      onError: (error) => {
        throw error;
      },
    });
    const rooms: LocalRooms = new LocalRooms(
      slowBus,
      (conversation, sessions, control) => presence.apply(conversation, sessions, control),
      (error) => {
        throw error;
      },
    );
    const presence = new Presence({ store, rooms, calls, instance: 'test', broadcast });

    const { conversation } = await store.conversations.create({ type: 'group', name: 'race' }, alice, [bob]);
    const token = conversation.token;
    const session = fakeSession('s-bob', 'bob');
    const join = session.queue.run(() => presence.join(session, { type: 'join', id: 'j1', conversation: token }));
    await reachedSubscribe; // bob was a participant when the join read it…
    await store.participants.remove(token, 'bob');
    await bus.publish(conversationTopic(token), {
      kind: 'control',
      control: { kind: 'evict', userId: 'bob', reason: 'removed' },
    });
    confirm(); // …and the removal went out while nobody here listened

    await expect(join).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await session.queue.run(() => {}); // whatever the join queued has run
    await broadcast(token, {
      type: 'typing',
      conversation: token,
      sessionId: 'x',
      userId: 'alice',
      displayName: 'Alice',
      typing: true,
    });
    expect(session.got.filter((m) => m.type !== 'error')).toEqual([]);
    expect(session.memberships.has(token)).toBe(false);
    expect(rooms.has(token, session.id)).toBe(false);
    expect(await store.presence.list(token)).toEqual([]);
  });
});
