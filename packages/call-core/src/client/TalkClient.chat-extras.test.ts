import type { Attachment, ServerMessageOf } from '@talk/protocol';
import { conversationPath, Routes } from '@talk/protocol';
import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startServer } from '../../test/server.js';
import { ClientEvent } from './events.js';
import type { TalkClient } from './TalkClient.js';

describe('TalkClient chat extras against a real server', () => {
  let server: TalkServer;
  let alice: TalkClient;
  let bob: TalkClient;
  let token: string;
  beforeAll(async () => {
    server = await startServer();
    alice = await clientFor(server, 'alice');
    bob = await clientFor(server, 'bob');
    const created = await alice.createConversation({
      type: 'group',
      name: 'Extras',
      participants: [{ userId: 'bob', displayName: 'Bob' }],
    });
    token = created.token;
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await server?.close();
  });

  it('completes mentions, searches one conversation and all, and pins and unpins', async () => {
    // Bob's name is the one his own token carries (test/server.ts mints it upper-cased), not the one Alice gave.
    expect(await alice.mentionSuggestions(token, 'b')).toEqual([{ type: 'user', id: 'bob', name: 'BOB' }]);
    expect((await alice.mentionSuggestions(token, '', 1)).map((m) => m.id)).toEqual(['all']);
    const first = await bob.postMessage(token, { message: 'Quarterly report draft', referenceId: 'r1' });
    const second = await bob.postMessage(token, { message: 'quarterly numbers', referenceId: 'r2' });
    const page = await alice.searchMessages(token, { q: 'quarter', limit: 1 });
    expect(page.messages.map((m) => m.id)).toEqual([second.id]);
    const rest = await alice.searchMessages(token, { q: 'quarter', before: page.nextBefore! });
    expect(rest).toEqual({ messages: [expect.objectContaining({ id: first.id })], nextBefore: null });
    expect((await bob.searchAllMessages({ q: 'report' })).messages.map((m) => m.id)).toEqual([first.id]);

    const pinned = await alice.pinMessage(token, first.id);
    expect(pinned.pinnedBy.id).toBe('alice');
    expect((await bob.listPinnedMessages(token)).map((p) => p.message.id)).toEqual([first.id]);
    await expect(bob.pinMessage(token, second.id)).rejects.toMatchObject({ status: 403 });
    await alice.unpinMessage(token, first.id);
    expect(await bob.listPinnedMessages(token)).toEqual([]);
  });

  it('runs a poll with live results, and lists it among the shared items', async () => {
    await bob.join(token);
    const updates: Array<ServerMessageOf<'poll-updated'>> = [];
    bob.on(ClientEvent.PollUpdated, (message) => updates.push(message));
    const poll = await alice.createPoll(token, {
      question: 'Tea or coffee?',
      options: ['tea', 'coffee'],
      referenceId: 'p',
    });
    expect(await bob.getPoll(token, poll.id)).toMatchObject({ question: 'Tea or coffee?', votedSelf: [] });
    expect((await bob.votePoll(token, poll.id, [1])).votes).toEqual([0, 1]);
    expect((await alice.closePoll(token, poll.id)).status).toBe('closed');
    await expect.poll(() => updates.map((u) => u.poll.status)).toEqual(['open', 'closed']);
    expect(updates[0]!.poll.votes).toEqual([0, 1]);
    expect((await bob.listSharedItems(token, { type: 'poll' })).messages.map((m) => m.id)).toEqual([poll.id]);
    expect((await bob.getSharedOverview(token, 3)).poll.map((m) => m.id)).toEqual([poll.id]);
    bob.leave(token);
  });

  it('hands out attachment URLs that load without a bearer header, the same one while it lasts', async () => {
    const response = await fetch(server.url + conversationPath(Routes.attachments, token), {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'x-file-name': 'hello.txt' },
      body: 'hello file',
    });
    const attachment = (await response.json()) as Attachment;
    const signed = await bob.attachmentUrl(token, attachment.id);
    expect(signed.url.startsWith(`${server.url}/`)).toBe(true);
    const download = await fetch(signed.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello file');
    expect(await bob.attachmentUrl(token, attachment.id)).toEqual(signed);
    await expect(bob.attachmentUrl(token, 'no-such-file')).rejects.toMatchObject({ status: 404 });
  });
});
