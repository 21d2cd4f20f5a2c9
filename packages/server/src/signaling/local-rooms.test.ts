import type { ServerMessage } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { InProcessPubSub } from '../pubsub/bus.js';
import { type Control, conversationTopic, type Delivery } from './delivery.js';
import { LocalRooms } from './local-rooms.js';
import type { Session } from './session.js';

/** Just enough of a session for a room: an id and what it was sent. */
function fakeSession(id: string): Session & { got: ServerMessage[] } {
  const got: ServerMessage[] = [];
  return { id, got, send: (message: ServerMessage) => got.push(message) } as unknown as Session & {
    got: ServerMessage[];
  };
}

const pong = (id: string): ServerMessage => ({ type: 'pong', id });

describe('LocalRooms', () => {
  it('subscribes a conversation on its first local session and unsubscribes after its last', async () => {
    const bus = new InProcessPubSub<Delivery>();
    const rooms = new LocalRooms(
      bus,
      async () => {},
      (error) => {
        throw error;
      },
    );
    const [a, b] = [fakeSession('a'), fakeSession('b')];
    await rooms.add('c', a);
    await rooms.add('c', b);
    expect(bus.topicCount).toBe(1);
    rooms.remove('c', 'a');
    await Promise.resolve();
    expect(bus.topicCount).toBe(1);
    expect(rooms.has('c', 'b')).toBe(true);
    rooms.remove('c', 'b');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(bus.topicCount).toBe(0);
    expect(rooms.has('c', 'b')).toBe(false);
  });

  it('delivers a message to every local session but the one left out, and a control change to the handler', async () => {
    const bus = new InProcessPubSub<Delivery>();
    const controls: Array<[string, string[], Control]> = [];
    const rooms = new LocalRooms(
      bus,
      async (conversation, sessions, control) => void controls.push([conversation, sessions.map((s) => s.id), control]),
      (error) => {
        throw error;
      },
    );
    const [a, b] = [fakeSession('a'), fakeSession('b')];
    await rooms.add('c', a);
    await rooms.add('c', b);
    await bus.publish(conversationTopic('c'), { kind: 'message', message: pong('1'), except: 'a' });
    await bus.publish(conversationTopic('other'), { kind: 'message', message: pong('2') });
    await bus.publish(conversationTopic('c'), { kind: 'control', control: { kind: 'lobby', enabled: true } });
    expect(a.got).toEqual([]);
    expect(b.got).toEqual([pong('1')]);
    expect(controls).toEqual([['c', ['a', 'b'], { kind: 'lobby', enabled: true }]]);
  });
});
