import { type ChatMessage, conversationPath, type GuestJoinResponse, Routes } from '@talk/protocol';
import fc from 'fast-check';
import type { TalkServer, TalkServerOptions } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';
import type { Hints } from './arbitraries.js';

/** The LiveKit settings of the fuzzed server: nothing listens at the URL, but tokens and webhooks are real. */
export const FUZZ_LIVEKIT = {
  url: 'ws://127.0.0.1:9',
  apiKey: 'fuzz-key',
  apiSecret: 'fuzz-secret-of-32-characters-xx',
};

/** A fuzzed server: SFU configured (so its routes do work), signaling rate limits out of the fuzzer's way. */
export function startFuzzServer(overrides: Partial<TalkServerOptions> = {}): Promise<TalkServer> {
  return startTestServer({
    livekit: FUZZ_LIVEKIT,
    turn: { urls: ['turn:127.0.0.1:3478'], secret: 'fuzz-turn-secret', ttlSeconds: 3600 },
    signalingRate: { perSecond: 100_000, burst: 100_000 },
    ...overrides,
  });
}

/**
 * Real things in a server for the fuzzer to aim at: users with tokens (a moderator, a member, an outsider, a
 * guest), conversations of each kind, messages, an attachment and live signaling sessions. Rebuilt from time to
 * time, since fuzzed requests delete and change what they reach.
 */
export class World {
  /** Bearer tokens by who holds them. */
  tokens: Record<'alice' | 'bob' | 'carol' | 'guest', string> = { alice: '', bob: '', carol: '', guest: '' };
  /** Conversation tokens: group, public, public with a password, note-to-self, one-to-one, in the lobby. */
  conversations: string[] = [];
  /** Ids of messages posted in them. */
  messageIds: number[] = [];
  /** Ids of uploaded attachments. */
  attachmentIds: string[] = [];
  /** Signaling session ids of alice and bob. */
  sessionIds: string[] = [];
  /** Open sockets, closed on the next rebuild. */
  sockets: TestSocket[] = [];

  constructor(readonly server: TalkServer) {}

  /** Makes a fresh set of conversations, messages and sessions (users and tokens stay). */
  async build(): Promise<void> {
    const { server } = this;
    await Promise.all(this.sockets.map((socket) => socket.close()));
    if (!this.tokens.alice) {
      this.tokens.alice = await login(server, 'alice', 'Alice');
      this.tokens.bob = await login(server, 'bob', 'Bob');
      this.tokens.carol = await login(server, 'carol', 'Carol');
    }
    const { alice, bob } = this.tokens;
    const bobMember = [{ userId: 'bob', displayName: 'Bob' }];
    this.conversations = [
      await conversationOf(server, alice, bobMember),
      await conversationOf(server, alice, bobMember, { type: 'public' }),
      await conversationOf(server, alice, [], { type: 'public', password: 'secret' }),
      await getOrCreate(server, alice, { type: 'note-to-self', name: 'Notes' }),
      await getOrCreate(server, alice, { type: 'one-to-one', name: 'Bob', participants: bobMember }),
    ];
    const lobby = await conversationOf(server, alice, bobMember, { type: 'public' });
    await call(server, 'PATCH', conversationPath(Routes.conversation, lobby), { token: alice, body: { lobby: true } });
    this.conversations.push(lobby);
    const guest = await call<GuestJoinResponse>(
      server,
      'POST',
      conversationPath(Routes.guests, this.conversations[1]!),
      {
        body: { displayName: 'Guest' },
      },
    );
    this.tokens.guest = guest.body.token;
    this.messageIds = [];
    for (const token of this.conversations.slice(0, 2)) {
      for (const text of ['hello @bob', 'second']) {
        const posted = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
          token: alice,
          body: { message: text, referenceId: `${text}-${Math.random()}` },
        });
        this.messageIds.push(posted.body.id);
      }
    }
    const uploaded = await fetch(server.url + conversationPath(Routes.attachments, this.conversations[0]!), {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'text/plain', 'x-file-name': 'notes.txt' },
      body: 'some notes',
    });
    this.attachmentIds = [((await uploaded.json()) as { id: string }).id];
    this.sockets = [await TestSocket.connect(server, alice), await TestSocket.connect(server, bob)];
    this.sessionIds = [];
    for (const socket of this.sockets as Array<TestSocket & { sessionId: string }>) {
      this.sessionIds.push(socket.sessionId);
      await socket.join(this.conversations[0]!);
    }
  }

  /** Closes the world's sockets. */
  async close(): Promise<void> {
    await Promise.all(this.sockets.map((socket) => socket.close()));
  }

  /** An arbitrary that picks one of `list()` when it generates, so it follows rebuilds. */
  pick<T>(list: () => readonly T[]): fc.Arbitrary<T> {
    return fc.nat().map((index) => {
      const items = list();
      return items[index % items.length] as T;
    });
  }

  /** Real values by the name of the property or parameter that carries them. */
  hints(): Hints {
    const conversation = this.pick(() => this.conversations);
    const session = this.pick(() => this.sessionIds);
    const userId = fc.constantFrom('alice', 'bob', 'carol', 'nobody');
    return {
      token: conversation,
      conversation,
      userId,
      messageId: this.pick(() => this.messageIds),
      replyTo: this.pick(() => this.messageIds),
      lastReadMessageId: this.pick(() => this.messageIds),
      after: this.pick(() => this.messageIds),
      before: this.pick(() => this.messageIds),
      attachmentId: this.pick(() => this.attachmentIds),
      sessionId: session,
      to: session,
      resume: session,
      password: fc.constantFrom('secret', 'wrong'),
    };
  }
}

/** A one-to-one or note-to-self: created on the first call, the same one after (200 rather than 201). */
async function getOrCreate(server: TalkServer, owner: string, body: object): Promise<string> {
  const answer = await call<{ token: string }>(server, 'POST', Routes.conversations, { token: owner, body });
  if (answer.status >= 300) throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.token;
}
