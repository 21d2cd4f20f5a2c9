import type { ChatMessage, ClientMessage, ServerMessage, SessionInfo } from '@talk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientEvent } from './events.js';
import type { WebSocketLike } from './SignalingConnection.js';
import { TalkClient } from './TalkClient.js';

/** A socket the test plays the server for. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly sent: ClientMessage[] = [];

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: ServerMessage): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const session: SessionInfo = {
  sessionId: 's-bob',
  participant: { userId: 'bob', displayName: 'Bob', role: 'user' },
  inCall: true,
  media: { audio: true, video: true },
};
const chat: ChatMessage = {
  id: 1,
  conversation: 'c',
  actorId: 'bob',
  actorDisplayName: 'Bob',
  message: 'hi',
  referenceId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** A client in conversation `c` (with Bob's session in it) over a fake socket, recording every event. */
async function joined() {
  let socket: FakeSocket | undefined;
  const client = new TalkClient({
    serverUrl: 'http://talk.test',
    token: 't',
    createSocket: () => {
      socket = new FakeSocket();
      return socket;
    },
  });
  const events: string[] = [];
  for (const event of Object.values(ClientEvent)) {
    client.on(event, (...args: unknown[]) => {
      const first = args[0];
      const tag = typeof first === 'string' ? first : ((first as { type?: string })?.type ?? '');
      events.push(`${event}:${tag}`);
    });
  }
  const joining = client.join('c');
  socket!.open();
  socket!.receive({ type: 'welcome', sessionId: 's-me', userId: 'me' });
  await tick();
  const request = socket!.sent.find((message) => message.type === 'join');
  socket!.receive({ type: 'joined', id: request?.id, conversation: 'c', sessions: [session], topology: 'mesh' });
  await joining;
  events.length = 0;
  return { client, socket: socket!, events };
}

describe('TalkClient dispatch', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('passes each chat, call and conversation message on as its own event', async () => {
    const { client, socket, events } = await joined();
    close = () => client.close();
    const messages: ServerMessage[] = [
      { type: 'chat-message', conversation: 'c', message: chat },
      { type: 'chat-message-updated', conversation: 'c', message: { ...chat, message: 'edited' } },
      { type: 'system-message', conversation: 'c', message: { ...chat, kind: 'system' } },
      {
        type: 'reaction',
        conversation: 'c',
        messageId: 1,
        actorId: 'bob',
        actorDisplayName: 'Bob',
        reaction: '👍',
        added: true,
        reactions: { '👍': 1 },
      },
      { type: 'typing', conversation: 'c', sessionId: 's-bob', userId: 'bob', displayName: 'Bob', typing: true },
      { type: 'call-started', conversation: 'c', sessionId: 's-bob' },
      { type: 'call-ended', conversation: 'c' },
      { type: 'conversation-updated', conversation: 'c' },
    ];
    for (const message of messages) socket.receive(message);
    expect(events).toEqual([
      'chatMessage:chat-message',
      'chatMessageUpdated:chat-message-updated',
      'systemMessage:system-message',
      'reaction:reaction',
      'typing:typing',
      'callStarted:call-started',
      'callEnded:call-ended',
      'conversationUpdated:c',
    ]);
    expect(client.callTopology('c')).toBeUndefined();
  });

  it('forgets what it knew of a conversation whose membership the server ended', async () => {
    const { client, socket, events } = await joined();
    close = () => client.close();
    expect(client.sessions('c')).toHaveLength(1);
    // The answer to this client's own leave carries no reason and changes nothing.
    socket.receive({ type: 'left', conversation: 'c' });
    expect(events).toEqual([]);
    expect(client.sessions('c')).toHaveLength(1);
    socket.receive({ type: 'left', conversation: 'c', reason: 'removed' });
    expect(events).toEqual(['conversationLeft:c']);
    expect(client.sessions('c')).toEqual([]);
    expect(client.callTopology('c')).toBeUndefined();
  });

  it('says nothing about a pong, a late joined answer or a type it does not know', async () => {
    const { client, socket, events } = await joined();
    close = () => client.close();
    socket.receive({ type: 'pong' });
    socket.receive({ type: 'joined', id: 'c99', conversation: 'c', sessions: [] });
    socket.receive({ type: 'from-a-newer-server' } as unknown as ServerMessage);
    expect(events).toEqual([]);
    expect(client.sessions('c')).toHaveLength(1);
  });
});
