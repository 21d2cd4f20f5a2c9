import { expect } from '@open-wc/testing';
import { type ChatItem, ChatItemState, chatItemOf } from '@talk/call-core';
import { systemMessageText } from './system-messages.js';

const item = (systemType: string, systemParameters: ChatItem['systemParameters']): ChatItem => ({
  ...chatItemOf(
    { id: 1, conversation: 'c', actorId: '', actorDisplayName: '', message: '', referenceId: null, createdAt: '' },
    'k',
  ),
  key: 'k',
  id: 1,
  referenceId: null,
  actorId: 'alice',
  actorDisplayName: 'Alice',
  message: 'the server’s words',
  kind: 'system',
  systemType,
  systemParameters,
  createdAt: new Date(0).toISOString(),
  state: ChatItemState.Sent,
});

describe('i18n/system-messages', () => {
  it('words a type from its parameters, and keeps the server’s text for an unknown type or missing parameters', () => {
    const bob = { id: 'bob', displayName: 'Bob' };
    expect(systemMessageText(item('permissions-changed', { user: bob, permissions: 33 }))).to.equal(
      'Alice changed the permissions of Bob',
    );
    expect(systemMessageText(item('moderator-demoted', { user: { id: 'bob', displayName: '' } }))).to.equal(
      'Alice demoted bob from moderator',
    );
    expect(systemMessageText(item('conversation-renamed', { oldName: 'A', newName: 'B' }))).to.equal(
      'Alice renamed the conversation from “A” to “B”',
    );
    // Stored before the server sent parameters.
    expect(systemMessageText(item('user-added', null))).to.equal('the server’s words');
    // Parameters of another type's shape are not taken for this one's.
    expect(systemMessageText(item('conversation-renamed', { user: bob }))).to.equal('the server’s words');
    // A poll's close stored without its parameters; a type this version does not know.
    expect(systemMessageText(item('poll-closed', null))).to.equal('the server’s words');
    expect(systemMessageText(item('poll-reopened', null))).to.equal('the server’s words');
    expect(systemMessageText(item('poll-closed', { poll: { id: 3, question: 'Lunch?' } }))).to.equal(
      'Alice closed the poll “Lunch?”',
    );
  });
});
