import { type Conversation, Permission } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import type { TalkClientLike } from '../../client/TalkClientLike.js';
import { type AllowedMedia, judge, MembershipWatcher } from './MembershipWatcher.js';

const base: Conversation = {
  token: 't',
  type: 'public',
  name: 'Open',
  object: null,
  createdAt: new Date(0).toISOString(),
  lastActivity: new Date(0).toISOString(),
  role: 'user',
  permissions: 63,
  lobby: false,
};

describe('judge', () => {
  it('ends the call of a non-moderator the lobby holds out, never a moderator’s', () => {
    expect(judge({ ...base, lobby: true }).end).toBe('lobby');
    expect(judge({ ...base, lobby: true, role: 'moderator' }).end).toBeUndefined();
  });

  it('ends the call once neither joining nor starting calls is allowed', () => {
    const chatOnly = Permission.Chat | Permission.PublishAudio;
    expect(judge({ ...base, permissions: chatOnly }).end).toBe('forbidden');
    expect(judge({ ...base, permissions: chatOnly | Permission.JoinCall }).end).toBeUndefined();
  });

  it('allows exactly the media whose bits are set; everything to moderators', () => {
    const permissions = Permission.JoinCall | Permission.PublishVideo;
    expect(judge({ ...base, permissions }).allowed).toEqual({ audio: false, video: true, screen: false });
    expect(judge({ ...base, permissions, role: 'owner' }).allowed).toEqual({ audio: true, video: true, screen: true });
  });
});

describe('MembershipWatcher', () => {
  it('reads the conversation again on every update and acts on what it says now, folding overlapping updates', async () => {
    const answers = [
      { ...base, permissions: Permission.JoinCall | Permission.PublishVideo },
      { ...base, lobby: true },
    ];
    let reads = 0;
    const client = {
      getConversation: async () => answers[Math.min(reads++, answers.length - 1)]!,
    } as unknown as TalkClientLike; // only getConversation is used
    const restricted: AllowedMedia[] = [];
    const ended: string[] = [];
    const watcher = new MembershipWatcher(client, 't', {
      end: (reason) => ended.push(reason),
      restrict: (allowed) => restricted.push(allowed),
      error: (cause) => {
        throw cause;
      },
    });
    watcher.updated();
    watcher.updated();
    watcher.updated();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Three updates while the first read ran: one read, then one more for all that came meanwhile.
    expect(reads).toBe(2);
    expect(restricted).toEqual([{ audio: false, video: true, screen: false }]);
    expect(ended).toEqual(['lobby']);
    watcher.left('banned');
    expect(ended).toEqual(['lobby', 'banned']);
  });
});
