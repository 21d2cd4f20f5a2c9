import type { CallOptions } from '../call/CallOptions.js';
import type { TalkClient } from './TalkClient.js';

/**
 * What chat stores, calls and elements use of a client: a TalkClient, or a stand-in with the same members such as
 * the in-memory `FixtureClient` of `@talk/call-core/testing`.
 */
export interface TalkClientLike
  extends Pick<
    TalkClient,
    | 'serverUrl'
    | 'token'
    | 'sessionId'
    | 'userId'
    | 'connectionState'
    | 'on'
    | 'once'
    | 'off'
    | 'connect'
    | 'close'
    | 'send'
    | 'join'
    | 'leave'
    | 'sessions'
    | 'callTopology'
    | 'callActive'
    | 'listMessages'
    | 'postMessage'
    | 'listConversations'
    | 'getConversation'
    | 'createConversation'
    | 'editMessage'
    | 'deleteMessage'
    | 'listReactions'
    | 'setReaction'
    | 'markRead'
    | 'getCallSettings'
    | 'getSfuToken'
    | 'createPoll'
    | 'getPoll'
    | 'votePoll'
    | 'closePoll'
    | 'mentionSuggestions'
    | 'uploadAttachment'
    | 'attachmentUrl'
  > {
  /**
   * Options every Call made through this client starts from (its own options win); a stand-in client hands in its
   * media and transport here, so that calls an element makes run without a camera or a server.
   */
  readonly callDefaults?: CallOptions;
  // Pins and search are optional: a stand-in without them (the fixture) leaves the chat without a pinned bar and a
  // search box rather than failing.
  /** A conversation's pinned messages, the latest pin first. */
  listPinnedMessages?: TalkClient['listPinnedMessages'];
  /** Pins a message (moderators). */
  pinMessage?: TalkClient['pinMessage'];
  /** Unpins a message (moderators). */
  unpinMessage?: TalkClient['unpinMessage'];
  /** The messages of a conversation that hold every word, newest first, paged. */
  searchMessages?: TalkClient['searchMessages'];
  /** The same search across every conversation the user may read, newest first, paged. */
  searchAllMessages?: TalkClient['searchAllMessages'];
  /** One page of a conversation's images, files, links or polls, newest first. */
  listSharedItems?: TalkClient['listSharedItems'];
  /** The newest few shared items of every type. */
  getSharedOverview?: TalkClient['getSharedOverview'];
}
