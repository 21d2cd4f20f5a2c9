import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStorage } from '../testing/storage.js';
import { Store } from './store.js';

const alice = { userId: 'alice', displayName: 'Alice' };
const bob = { userId: 'bob', displayName: 'Bob' };

describe('Store repositories', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(await freshStorage());
  });
  afterEach(async () => {
    await store.close();
  });

  it('commits the writes of several repositories in one transaction together', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'tx' }, alice);
    const posted = await store.transaction(async (tx) => {
      await tx.participants.add(conversation.token, bob, 'user');
      return (await tx.messages.post(conversation.token, bob, 'hello', 'r1')).message;
    });
    expect((await store.participants.list(conversation.token)).map((p) => p.userId)).toEqual(['alice', 'bob']);
    expect(await store.messages.list(conversation.token, { limit: 10 })).toEqual([posted]);
  });

  it('rolls back every repository’s writes, its own multi-statement ones included, when the transaction fails', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'tx' }, alice);
    const failure = new Error('changed my mind');
    await expect(
      store.transaction(async (tx) => {
        await tx.participants.add(conversation.token, bob, 'user');
        // messages.post opens a transaction of its own outside one; here it must join this one.
        await tx.messages.post(conversation.token, bob, 'never sent', 'r1');
        await tx.conversations.update(conversation.token, { name: 'renamed' });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await store.participants.list(conversation.token)).map((p) => p.userId)).toEqual(['alice']);
    expect(await store.messages.list(conversation.token, { limit: 10 })).toEqual([]);
    const after = await store.conversations.get(conversation.token);
    expect(after?.name).toBe('tx');
    expect(after?.lastActivity).toBe(conversation.lastActivity);
  });

  it('returns the existing conversation of an object instead of making a second one', async () => {
    const object = { type: 'file', id: '42' };
    const first = await store.conversations.create({ type: 'group', name: 'first', object }, alice);
    const again = await store.conversations.create({ type: 'group', name: 'second', object }, bob, [alice]);
    expect(first.created).toBe(true);
    expect(again).toEqual({ conversation: first.conversation, created: false });
    expect(await store.conversations.findByObject(object)).toEqual(first.conversation);
    // Bob made nothing, so he joined nothing.
    expect(await store.participants.get(first.conversation.token, 'bob')).toBeUndefined();
  });

  it('moves a read marker forward only', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'read' }, alice, [bob]);
    const one = (await store.messages.post(conversation.token, alice, 'one', 'r1')).message;
    const two = (await store.messages.post(conversation.token, alice, 'two', 'r2')).message;
    const unread = async () =>
      (await store.conversations.listOf('bob')).find((c) => c.token === conversation.token)?.unreadMessages;
    expect(await unread()).toBe(2);
    await store.participants.markRead(conversation.token, 'bob', two.id);
    expect(await unread()).toBe(0);
    await store.participants.markRead(conversation.token, 'bob', one.id);
    expect(await unread()).toBe(0);
  });

  it('counts reactions per message and forgets them when the message is deleted', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'react' }, alice, [bob]);
    const { message } = await store.messages.post(conversation.token, alice, 'react to me', 'r1');
    expect(await store.reactions.set(message.id, alice, '👍', true)).toBe(true);
    expect(await store.reactions.set(message.id, bob, '👍', true)).toBe(true);
    expect(await store.reactions.set(message.id, bob, '👍', true)).toBe(false);
    expect(await store.reactions.set(message.id, bob, '🎉', true)).toBe(true);
    expect((await store.messages.get(conversation.token, message.id))?.reactions).toEqual({ '👍': 2, '🎉': 1 });
    expect(await store.reactions.list(message.id)).toEqual({
      '👍': [
        { actorId: 'alice', actorDisplayName: 'Alice' },
        { actorId: 'bob', actorDisplayName: 'Bob' },
      ],
      '🎉': [{ actorId: 'bob', actorDisplayName: 'Bob' }],
    });
    const deleted = await store.messages.delete(conversation.token, message.id);
    expect(deleted).toMatchObject({ message: '', reactions: {} });
    expect(deleted?.deletedAt).not.toBeNull();
    expect(await store.reactions.list(message.id)).toEqual({});
  });

  it('reaps only the instances not seen since the cut-off, with their presence', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'reap' }, alice, [bob]);
    const [owner, member] = await store.participants.list(conversation.token);
    await store.instances.heartbeat('dead', new Date(Date.now() - 60_000));
    await store.instances.heartbeat('alive');
    await store.presence.add('s-dead', conversation.token, owner!, 'dead');
    const live = await store.presence.add('s-alive', conversation.token, member!, 'alive');
    const reaped = await store.instances.reap(new Date(Date.now() - 30_000));
    expect(reaped.map((r) => [r.conversation, r.session.sessionId])).toEqual([[conversation.token, 's-dead']]);
    expect(await store.presence.list(conversation.token)).toEqual([live]);
    expect(await store.instances.reap(new Date(Date.now() - 30_000))).toEqual([]);
  });

  it('writes a session’s presence and lists the others in join order, in one statement, as add and list would', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'join' }, alice, [bob]);
    const [owner, member] = await store.participants.list(conversation.token);
    const first = await store.presence.add('s1', conversation.token, owner!, 'i');
    const second = await store.presence.add('s2', conversation.token, member!, 'i');
    const { added, others } = await store.presence.addAndList('s3', conversation.token, member!, 'i');
    expect(added).toEqual({ ...second, sessionId: 's3' });
    expect(others).toEqual([first, second]);
    expect(await store.presence.list(conversation.token)).toEqual([first, second, added]);
    // The same session again (a join on another instance): its row moves, and it is not among the others.
    const again = await store.presence.addAndList('s1', conversation.token, owner!, 'j');
    expect(again.added).toEqual(first);
    expect(again.others).toEqual([second, added]);
    expect((await store.presence.get('s1', conversation.token))?.instance).toBe('j');
  });

  it('moves a resumed session’s presence to another instance, and says when it had to be written again', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'move' }, alice, [bob]);
    const [owner] = await store.participants.list(conversation.token);
    await store.presence.add('s1', conversation.token, owner!, 'old');
    await store.presence.update('s1', conversation.token, { inCall: true, handRaised: true });
    const moved = await store.presence.move('s1', conversation.token, owner!, 'new');
    expect(moved.inserted).toBe(false);
    expect(moved.session).toMatchObject({ sessionId: 's1', inCall: true, handRaised: true });
    expect((await store.presence.get('s1', conversation.token))?.instance).toBe('new');
    // Reaped before the resume reached it: the row is written afresh, out of the call.
    await store.presence.remove('s1');
    const rewritten = await store.presence.move('s1', conversation.token, owner!, 'new');
    expect(rewritten.inserted).toBe(true);
    expect(rewritten.session).toMatchObject({ sessionId: 's1', inCall: false });
    expect(await store.presence.list(conversation.token)).toEqual([rewritten.session]);
  });

  it('takes every session out of a finished call and keeps the call state on the conversation', async () => {
    const { conversation } = await store.conversations.create({ type: 'group', name: 'call' }, alice, [bob]);
    const [owner, member] = await store.participants.list(conversation.token);
    await store.presence.add('s1', conversation.token, owner!, 'i');
    await store.presence.add('s2', conversation.token, member!, 'i');
    await store.presence.update('s1', conversation.token, {
      inCall: true,
      media: { audio: true, video: true, screen: true },
      handRaised: true,
    });
    expect(await store.presence.countInCall(conversation.token)).toBe(1);
    const startedAt = new Date();
    await store.calls.set(conversation.token, { startedAt, topology: 'sfu', reason: 'grew', smallSince: null });
    expect(await store.calls.get(conversation.token)).toEqual({
      startedAt,
      topology: 'sfu',
      reason: 'grew',
      smallSince: null,
      sfuFrom: null,
      meshAtMost: null,
      sfuEpoch: 0,
      sfuSince: null,
    });
    expect((await store.conversations.get(conversation.token))?.callActive).toBe(true);
    const ended = await store.presence.endCall(conversation.token);
    expect(ended).toEqual([
      {
        sessionId: 's1',
        participant: { ...alice, role: 'owner' },
        inCall: false,
        media: { audio: false, video: false },
      },
    ]);
    expect(await store.presence.countInCall(conversation.token)).toBe(0);
  });
});
