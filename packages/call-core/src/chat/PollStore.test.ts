import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import { ChatStore } from './ChatStore.js';
import { PollEvent, PollStore } from './PollStore.js';

describe('PollStore against a real server', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it("shows others' votes live and keeps the user's own choice, which pushes do not carry", async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'poll-live');
    await demoConversation(bob, 'poll-live');
    // The chat stores join the conversation, which is what brings the pushes.
    const aliceChat = new ChatStore(alice, token);
    const bobChat = new ChatStore(bob, token);
    await Promise.all([aliceChat.start(), bobChat.start()]);
    const alicePolls = new PollStore(alice, token);
    const bobPolls = new PollStore(bob, token);
    alicePolls.start();
    bobPolls.start();

    const poll = await alicePolls.create('Lunch?', ['Pizza', 'Soup', 'Salad']);
    expect(poll).toMatchObject({ question: 'Lunch?', maxVotes: 1, resultMode: 'public', status: 'open' });
    await until(() => bobChat.items.some((item) => item.id === poll.id && item.kind === 'poll'), 'the poll message');
    await bobPolls.load(poll.id);
    await alicePolls.vote(poll.id, [0]);
    expect(alicePolls.get(poll.id)?.votedSelf).toEqual([0]);

    const changes: number[] = [];
    alicePolls.on(PollEvent.Changed, (changed) => changes.push(changed.numVoters));
    await bobPolls.vote(poll.id, [1]);
    await until(() => alicePolls.get(poll.id)?.numVoters === 2, "bob's vote at alice's");
    expect(changes.at(-1)).toBe(2);
    expect(alicePolls.get(poll.id)?.votes).toEqual([1, 1, 0]);
    expect(
      alicePolls
        .get(poll.id)
        ?.voters?.map((voter) => voter.actorId)
        .sort(),
    ).toEqual(['alice', 'bob']);
    // The push has no votedSelf: alice's own choice stays as her vote's answer gave it.
    expect(alicePolls.get(poll.id)?.votedSelf).toEqual([0]);

    await alicePolls.closePoll(poll.id);
    await until(() => bobPolls.get(poll.id)?.status === 'closed', 'the close at bob');
    await expect(bobPolls.vote(poll.id, [2])).rejects.toThrow();
    expect(bobPolls.get(poll.id)?.votedSelf).toEqual([1]);

    for (const store of [alicePolls, bobPolls, aliceChat, bobChat]) store.close();
    alice.close();
    bob.close();
  });

  it('hides the counts of a hidden poll until it is closed', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'poll-hidden');
    await demoConversation(bob, 'poll-hidden');
    const bobChat = new ChatStore(bob, token);
    await bobChat.start();
    const alicePolls = new PollStore(alice, token);
    const bobPolls = new PollStore(bob, token);
    bobPolls.start();
    const poll = await alicePolls.create('Secret?', ['Yes', 'No'], { resultMode: 'hidden', maxVotes: 0 });
    await bobPolls.load(poll.id);
    await alicePolls.vote(poll.id, [0, 1]);
    await until(() => bobPolls.get(poll.id)?.numVoters === 1, 'the vote count at bob');
    expect(bobPolls.get(poll.id)?.votes).toBeNull();
    expect(bobPolls.get(poll.id)?.voters ?? []).toEqual([]);
    await alicePolls.closePoll(poll.id);
    await until(() => bobPolls.get(poll.id)?.status === 'closed', 'the close at bob');
    expect(bobPolls.get(poll.id)?.votes).toEqual([1, 1]);
    bobPolls.close();
    bobChat.close();
    alice.close();
    bob.close();
  });
});
