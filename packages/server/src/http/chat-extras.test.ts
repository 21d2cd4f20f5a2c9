import {
  type Attachment,
  type AttachmentUrl,
  type ChatMessage,
  conversationPath,
  type Mention,
  type MessagePage,
  type PinnedMessage,
  type Poll,
  Routes,
  type SharedOverview,
  systemParametersOf,
} from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { UrlSigner } from '../auth/signed-urls.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

const SECRET = 's'.repeat(40);
let server: TalkServer;
let alice: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  server = await startTestServer({ jwtSecret: SECRET });
  alice = await login(server, 'alice', 'Alice Liddell');
  bob = await login(server, 'bob', 'Bob Builder');
  carol = await login(server, 'carol', 'Carol Danvers');
});
afterAll(() => server.close());

const BOB = { userId: 'bob', displayName: 'Bob Builder' };
const CAROL = { userId: 'carol', displayName: 'Carol Danvers' };
let references = 0;

/** Posts `text` as the holder of `token`, and returns the message. */
async function post(token: string, conversation: string, text: string, extra: object = {}): Promise<ChatMessage> {
  const answer = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, conversation), {
    token,
    body: { message: text, referenceId: `ref-${++references}`, ...extra },
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

/** Uploads `bytes` and returns the attachment. */
async function upload(
  token: string,
  conversation: string,
  bytes: Uint8Array | string,
  name: string,
): Promise<Attachment> {
  const response = await fetch(server.url + conversationPath(Routes.attachments, conversation), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': name },
    body: bytes,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Attachment;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

describe('mention autocomplete', () => {
  it('offers @all and the other participants whose id or any word of whose name starts with the text', async () => {
    const token = await conversationOf(server, alice, [BOB, CAROL]);
    const path = conversationPath(Routes.mentionSuggestions, token);
    const everyone = await call<Mention[]>(server, 'GET', `${path}?search=`, { token: alice });
    expect(everyone).toEqual({
      status: 200,
      body: [
        { type: 'all', id: 'all', name: 'all' },
        { type: 'user', id: 'bob', name: 'Bob Builder' },
        { type: 'user', id: 'carol', name: 'Carol Danvers' },
      ],
    });
    const bySurname = await call<Mention[]>(server, 'GET', `${path}?search=dan`, { token: alice });
    expect(bySurname.body).toEqual([{ type: 'user', id: 'carol', name: 'Carol Danvers' }]);
    const byId = await call<Mention[]>(server, 'GET', `${path}?search=AL`, { token: bob });
    expect(byId.body).toEqual([
      { type: 'all', id: 'all', name: 'all' },
      { type: 'user', id: 'alice', name: 'Alice Liddell' },
    ]);
    const limited = await call<Mention[]>(server, 'GET', `${path}?search=&limit=2`, { token: alice });
    expect(limited.body.map((m) => m.id)).toEqual(['all', 'bob']);
  });

  it('offers no @all between two people, and names guests as guests', async () => {
    const created = await call<{ token: string }>(server, 'POST', Routes.conversations, {
      token: alice,
      body: { type: 'one-to-one', name: 'x', participants: [BOB] },
    });
    const oneToOne = conversationPath(Routes.mentionSuggestions, created.body.token);
    expect((await call<Mention[]>(server, 'GET', `${oneToOne}?search=`, { token: alice })).body).toEqual([
      { type: 'user', id: 'bob', name: 'Bob Builder' },
    ]);
    const open = await conversationOf(server, alice, [], { type: 'public' });
    await call(server, 'POST', conversationPath(Routes.guests, open), { body: { displayName: 'Gwen Stacy' } });
    const guests = await call<Mention[]>(
      server,
      'GET',
      `${conversationPath(Routes.mentionSuggestions, open)}?search=st`,
      {
        token: alice,
      },
    );
    expect(guests.body).toEqual([expect.objectContaining({ type: 'guest', name: 'Gwen Stacy' })]);
  });
});

describe('message search', () => {
  it('finds messages with every word, as words or their starts, in any case, newest first, paged without gaps', async () => {
    const token = await conversationOf(server, alice, [BOB]);
    const hits: number[] = [];
    for (let i = 0; i < 5; i++) hits.push((await post(bob, token, `Deployment number ${i} of the Release`)).id);
    await post(alice, token, 'deployment without the other word');
    await post(alice, token, 'nothing to see');
    const deleted = await post(alice, token, 'deploy release to be deleted');
    await call(server, 'DELETE', conversationPath(Routes.message, token, { messageId: deleted.id }), { token: alice });
    const path = conversationPath(Routes.conversationSearch, token);
    const seen: number[] = [];
    let before: number | null | undefined;
    do {
      const query = new URLSearchParams({
        q: 'DEPLOY rele',
        limit: '2',
        ...(before ? { before: String(before) } : {}),
      });
      const page = await call<MessagePage>(server, 'GET', `${path}?${query}`, { token: alice });
      expect(page.status).toBe(200);
      expect(page.body.messages.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.messages.map((m) => m.id));
      before = page.body.nextBefore;
    } while (before);
    expect(seen).toEqual([...hits].reverse());
  });

  it('takes any text as words, never as query syntax', async () => {
    const token = await conversationOf(server, alice, []);
    const target = await post(alice, token, "it's (really) a & b | !c :* 'quoted'");
    const path = conversationPath(Routes.conversationSearch, token);
    for (const q of ["it's", "'quoted'", '(really', '& | ! :*', 'a & b', "'); drop table messages; --"]) {
      const answer = await call<MessagePage>(server, 'GET', `${path}?q=${encodeURIComponent(q)}`, { token: alice });
      expect(answer.status, q).toBe(200);
    }
    const found = await call<MessagePage>(server, 'GET', `${path}?q=${encodeURIComponent("it's really")}`, {
      token: alice,
    });
    expect(found.body.messages.map((m) => m.id)).toEqual([target.id]);
    const none = await call<MessagePage>(server, 'GET', `${path}?q=${encodeURIComponent('& | !')}`, { token: alice });
    expect(none.body).toEqual({ messages: [], nextBefore: null });
  });

  it('searches across the caller’s conversations, but not those they are not in or a lobby holds them out of', async () => {
    const word = `zebra${Date.now()}`;
    const mine = await conversationOf(server, alice, [BOB]);
    const lobbied = await conversationOf(server, alice, [BOB]);
    const foreign = await conversationOf(server, carol, []);
    const inMine = await post(alice, mine, `a ${word} here`);
    const inLobbied = await post(alice, lobbied, `another ${word} there`);
    await post(carol, foreign, `carol's ${word}`);
    await call(server, 'PATCH', conversationPath(Routes.conversation, lobbied), {
      token: alice,
      body: { lobby: true },
    });
    const search = `${Routes.search}?q=${word}`;
    const forBob = await call<MessagePage>(server, 'GET', search, { token: bob });
    expect(forBob.body.messages.map((m) => m.id)).toEqual([inMine.id]);
    // The owner is a moderator there: the lobby does not hold her out.
    const forAlice = await call<MessagePage>(server, 'GET', search, { token: alice });
    expect(forAlice.body.messages.map((m) => [m.id, m.conversation])).toEqual([
      [inLobbied.id, lobbied],
      [inMine.id, mine],
    ]);
    // In one conversation, the lobby answers as it does for reading the history.
    const inLobby = await call(server, 'GET', `${conversationPath(Routes.conversationSearch, lobbied)}?q=${word}`, {
      token: bob,
    });
    expect(inLobby.status).toBe(403);
  });
});

describe('pinned messages', () => {
  it('lets moderators pin and unpin, shows the list to everyone, and writes a system message each time', async () => {
    const token = await conversationOf(server, alice, [BOB]);
    const message = await post(bob, token, 'pin me');
    const socket = await TestSocket.connect(server, bob);
    await socket.join(token);
    const pinPath = conversationPath(Routes.pin, token, { messageId: message.id });
    expect((await call(server, 'POST', pinPath, { token: bob })).status).toBe(403);
    const pinned = await call<PinnedMessage>(server, 'POST', pinPath, { token: alice });
    expect(pinned.status).toBe(201);
    expect(pinned.body).toMatchObject({ message: { id: message.id, message: 'pin me' }, pinnedBy: { id: 'alice' } });
    expect((await call(server, 'POST', pinPath, { token: alice })).status).toBe(200);
    const pushed = await socket.next('system-message');
    expect(pushed.message.systemType).toBe('message-pinned');
    expect(systemParametersOf(pushed.message, 'message-pinned')).toEqual({ messageId: message.id });
    const list = await call<PinnedMessage[]>(server, 'GET', conversationPath(Routes.pins, token), { token: bob });
    expect(list.body.map((p) => p.message.id)).toEqual([message.id]);

    expect((await call(server, 'DELETE', pinPath, { token: bob })).status).toBe(403);
    expect((await call(server, 'DELETE', pinPath, { token: alice })).status).toBe(204);
    const unpinned = await socket.next('system-message');
    expect(systemParametersOf(unpinned.message, 'message-unpinned')).toEqual({ messageId: message.id });
    expect((await call(server, 'GET', conversationPath(Routes.pins, token), { token: bob })).body).toEqual([]);
    // Only one system message per change: pinning twice and unpinning wrote two.
    await socket.roundTrip();
    expect(socket.pending('system-message')).toEqual([]);
    await socket.close();
  });

  it('refuses system messages, and drops a pinned message that is deleted from the list', async () => {
    const token = await conversationOf(server, alice, [BOB]);
    const history = await call<ChatMessage[]>(
      server,
      'GET',
      `${conversationPath(Routes.messages, token)}?system=true`,
      {
        token: alice,
      },
    );
    const system = history.body.find((m) => m.kind === 'system')!;
    const refused = await call(server, 'POST', conversationPath(Routes.pin, token, { messageId: system.id }), {
      token: alice,
    });
    expect(refused.status).toBe(403);
    const message = await post(bob, token, 'soon gone');
    await call(server, 'POST', conversationPath(Routes.pin, token, { messageId: message.id }), { token: alice });
    await call(server, 'DELETE', conversationPath(Routes.message, token, { messageId: message.id }), { token: bob });
    expect((await call(server, 'GET', conversationPath(Routes.pins, token), { token: alice })).body).toEqual([]);
  });
});

describe('shared items', () => {
  it('lists images, other files, links and polls apart, newest first and paged, and the newest of each together', async () => {
    const token = await conversationOf(server, alice, [BOB]);
    const images: number[] = [];
    for (let i = 0; i < 3; i++) {
      const picture = await upload(alice, token, PNG, `p${i}.png`);
      images.push((await post(alice, token, `picture ${i}`, { attachmentId: picture.id })).id);
    }
    const text = await upload(bob, token, 'plain words', 'notes.txt');
    const file = await post(bob, token, 'notes', { attachmentId: text.id });
    const link = await post(bob, token, 'see https://example.test/page');
    await post(bob, token, 'no link here, only http:// alone and example.test');
    const poll = await call<Poll>(server, 'POST', conversationPath(Routes.polls, token), {
      token: alice,
      body: { question: 'Lunch?', options: ['yes', 'no'], referenceId: 'poll-shared' },
    });
    const path = conversationPath(Routes.sharedItems, token);
    const first = await call<MessagePage>(server, 'GET', `${path}?type=image&limit=2`, { token: bob });
    expect(first.body.messages.map((m) => m.id)).toEqual([images[2], images[1]]);
    const second = await call<MessagePage>(
      server,
      'GET',
      `${path}?type=image&limit=2&before=${first.body.nextBefore}`,
      {
        token: bob,
      },
    );
    expect(second.body).toEqual({ messages: [expect.objectContaining({ id: images[0] })], nextBefore: null });
    const ids = async (type: string) =>
      (await call<MessagePage>(server, 'GET', `${path}?type=${type}`, { token: bob })).body.messages.map((m) => m.id);
    expect(await ids('file')).toEqual([file.id]);
    expect(await ids('link')).toEqual([link.id]);
    expect(await ids('poll')).toEqual([poll.body.id]);
    const overview = await call<SharedOverview>(
      server,
      'GET',
      `${conversationPath(Routes.sharedOverview, token)}?limit=1`,
      {
        token: bob,
      },
    );
    expect(
      Object.fromEntries(Object.entries(overview.body).map(([type, list]) => [type, list.map((m) => m.id)])),
    ).toEqual({ image: [images[2]], file: [file.id], link: [link.id], poll: [poll.body.id] });
  });
});

describe('polls', () => {
  it('posts a poll as a message of its own kind, counts votes live, and replaces a voter’s earlier choice', async () => {
    const token = await conversationOf(server, alice, [BOB, CAROL]);
    const socket = await TestSocket.connect(server, carol);
    await socket.join(token);
    const created = await call<Poll>(server, 'POST', conversationPath(Routes.polls, token), {
      token: alice,
      body: { question: 'Where to?', options: ['Beach', 'Hills', 'Town'], referenceId: 'trip' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      question: 'Where to?',
      maxVotes: 1,
      resultMode: 'public',
      status: 'open',
      votes: [0, 0, 0],
      numVoters: 0,
      votedSelf: [],
      actorId: 'alice',
    });
    const pushed = await socket.next('chat-message');
    expect(pushed.message).toMatchObject({ id: created.body.id, kind: 'poll', message: 'Where to?' });
    // A retry returns the same poll.
    const again = await call<Poll>(server, 'POST', conversationPath(Routes.polls, token), {
      token: alice,
      body: { question: 'Where to?', options: ['Beach', 'Hills', 'Town'], referenceId: 'trip' },
    });
    expect(again).toMatchObject({ status: 200, body: { id: created.body.id } });

    const votes = conversationPath(Routes.pollVotes, token, { pollId: created.body.id });
    const bobs = await call<Poll>(server, 'POST', votes, { token: bob, body: { optionIds: [1] } });
    expect(bobs.body).toMatchObject({ votes: [0, 1, 0], numVoters: 1, votedSelf: [1] });
    const live = await socket.next('poll-updated');
    expect(live.poll).toMatchObject({ id: created.body.id, votes: [0, 1, 0], numVoters: 1 });
    expect(live.poll.votedSelf).toBeUndefined();
    expect(live.poll.voters).toEqual([{ actorId: 'bob', actorDisplayName: 'Bob Builder', optionIds: [1] }]);
    const changed = await call<Poll>(server, 'POST', votes, { token: bob, body: { optionIds: [2] } });
    expect(changed.body).toMatchObject({ votes: [0, 0, 1], numVoters: 1, votedSelf: [2] });
    expect((await call(server, 'POST', votes, { token: bob, body: { optionIds: [0, 1] } })).status).toBe(400);
    expect((await call(server, 'POST', votes, { token: bob, body: { optionIds: [3] } })).status).toBe(400);
    const withdrawn = await call<Poll>(server, 'POST', votes, { token: bob, body: { optionIds: [] } });
    expect(withdrawn.body).toMatchObject({ votes: [0, 0, 0], numVoters: 0, votedSelf: [] });
    // The question is what people voted on: it cannot be edited.
    const edit = await call(server, 'PATCH', conversationPath(Routes.message, token, { messageId: created.body.id }), {
      token: alice,
      body: { message: 'Something else?' },
    });
    expect(edit.status).toBe(403);
    await socket.close();
  });

  it('hides a hidden poll’s counts until it is closed by its author or a moderator, and takes no votes then', async () => {
    const token = await conversationOf(server, alice, [BOB, CAROL]);
    const created = await call<Poll>(server, 'POST', conversationPath(Routes.polls, token), {
      token: bob,
      body: { question: 'Secret?', options: ['a', 'b', 'c'], maxVotes: 0, resultMode: 'hidden', referenceId: 'h' },
    });
    const pollId = created.body.id;
    const votes = conversationPath(Routes.pollVotes, token, { pollId });
    const voted = await call<Poll>(server, 'POST', votes, { token: carol, body: { optionIds: [0, 2] } });
    expect(voted.body).toMatchObject({ votes: null, numVoters: 1, votedSelf: [0, 2] });
    expect(voted.body.voters).toBeUndefined();
    const forAlice = await call<Poll>(server, 'GET', conversationPath(Routes.poll, token, { pollId }), {
      token: alice,
    });
    expect(forAlice.body).toMatchObject({ votes: null, numVoters: 1, votedSelf: [] });

    const socket = await TestSocket.connect(server, alice);
    await socket.join(token);
    const close = conversationPath(Routes.pollClose, token, { pollId });
    expect((await call(server, 'POST', close, { token: carol })).status).toBe(403);
    // Alice owns the conversation: a moderator may close anyone's poll.
    const closed = await call<Poll>(server, 'POST', close, { token: alice });
    expect(closed.body).toMatchObject({ status: 'closed', votes: [1, 0, 1], numVoters: 1 });
    expect(closed.body.voters).toBeUndefined();
    const system = await socket.next('system-message');
    expect(systemParametersOf(system.message, 'poll-closed')).toEqual({ poll: { id: pollId, question: 'Secret?' } });
    expect((await socket.next('poll-updated')).poll).toMatchObject({ status: 'closed', votes: [1, 0, 1] });
    expect((await call(server, 'POST', votes, { token: bob, body: { optionIds: [1] } })).status).toBe(403);
    expect((await call<Poll>(server, 'POST', close, { token: bob })).body.status).toBe('closed');
    await socket.close();
  });

  it('refuses more allowed choices than options, and a poll id that is another message', async () => {
    const token = await conversationOf(server, alice, []);
    const tooMany = await call(server, 'POST', conversationPath(Routes.polls, token), {
      token: alice,
      body: { question: 'q', options: ['a', 'b'], maxVotes: 3, referenceId: 'x' },
    });
    expect(tooMany.status).toBe(400);
    const message = await post(alice, token, 'not a poll');
    const answer = await call(server, 'GET', conversationPath(Routes.poll, token, { pollId: message.id }), {
      token: alice,
    });
    expect(answer.status).toBe(404);
  });
});

describe('signed attachment URLs', () => {
  async function issued(token: string, conversation: string, attachment: string): Promise<AttachmentUrl> {
    const path = conversationPath(Routes.attachmentUrl, conversation, { attachmentId: attachment });
    const answer = await call<AttachmentUrl>(server, 'POST', path, { token });
    expect(answer.status).toBe(200);
    return answer.body;
  }

  it('serve the file without a bearer header, for minutes, and nothing once the URL is changed', async () => {
    const conversation = await conversationOf(server, alice, [BOB]);
    const file = await upload(alice, conversation, PNG, 'shot.png');
    const { url, expiresAt } = await issued(bob, conversation, file.id);
    const lifetime = Date.parse(expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(60_000);
    expect(lifetime).toBeLessThanOrEqual(10 * 60_000);
    const response = await fetch(server.url + url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);

    const signed = new URL(server.url + url);
    const tampered = (name: string, value: string) => {
      const copy = new URL(signed);
      copy.searchParams.set(name, value);
      return copy.toString();
    };
    expect((await fetch(tampered('user', 'alice'))).status).toBe(403);
    expect((await fetch(tampered('expires', String(Number(signed.searchParams.get('expires')) + 3600)))).status).toBe(
      403,
    );
    expect((await fetch(tampered('signature', 'A'.repeat(43)))).status).toBe(403);
    const other = await upload(alice, conversation, 'other', 'other.txt');
    expect((await fetch(signed.toString().replace(file.id, other.id))).status).toBe(403);
  });

  it('stop working for a participant whom the lobby holds out, and work again once it opens', async () => {
    const conversation = await conversationOf(server, alice, [BOB]);
    const file = await upload(alice, conversation, 'lobby bytes', 'l.txt');
    const { url } = await issued(bob, conversation, file.id);
    const lobby = (lobby: boolean) =>
      call(server, 'PATCH', conversationPath(Routes.conversation, conversation), { token: alice, body: { lobby } });
    await lobby(true);
    expect((await fetch(server.url + url)).status).toBe(403);
    await lobby(false);
    expect((await fetch(server.url + url)).status).toBe(200);
  });

  it('refuse an expired URL and a user removed since, and are not issued to outsiders', async () => {
    const conversation = await conversationOf(server, alice, [BOB]);
    const file = await upload(alice, conversation, 'bytes', 'a.txt');
    const expires = Math.floor(Date.now() / 1000) - 1;
    const signature = new UrlSigner(SECRET).sign({ conversation, attachmentId: file.id, userId: 'bob', expires });
    const path = conversationPath(Routes.signedFile, conversation, { attachmentId: file.id });
    const expired = await fetch(
      `${server.url}${path}?${new URLSearchParams({ user: 'bob', expires: String(expires), signature })}`,
    );
    expect(expired.status).toBe(403);

    const { url } = await issued(bob, conversation, file.id);
    expect((await fetch(server.url + url)).status).toBe(200);
    await call(server, 'DELETE', conversationPath(Routes.participant, conversation, { userId: 'bob' }), {
      token: alice,
    });
    expect((await fetch(server.url + url)).status).toBe(403);

    const refused = await call(
      server,
      'POST',
      conversationPath(Routes.attachmentUrl, conversation, { attachmentId: file.id }),
      {
        token: carol,
      },
    );
    expect(refused.status).toBe(404);
    const missing = await call(
      server,
      'POST',
      conversationPath(Routes.attachmentUrl, conversation, { attachmentId: 'nope' }),
      {
        token: alice,
      },
    );
    expect(missing.status).toBe(404);
  });
});
