import type { TalkClientLike } from '@talk/call-core';

/** Where `<talk-join>` is on the way into a conversation. */
export type JoinStage =
  /** A guest is asked for the name to appear under. */
  | 'name'
  /** The conversation has a password, which is asked for. */
  | 'password'
  /** Joining: the server is being asked. */
  | 'joining'
  /** In, but the lobby is closed: waiting for a moderator to open it. */
  | 'lobby'
  /** In the conversation: the slotted elements are shown. */
  | 'joined'
  /** Out: removed, banned, the conversation deleted or never there; `reason` says which. */
  | 'out';

/** Why `<talk-join>` is out: what the server said, or `gone` when there is no such conversation. */
export type JoinOutReason = 'removed' | 'banned' | 'deleted' | 'left' | 'gone' | (string & {});

/** Fired by `<talk-join>` at every stage it reaches; `client` is set from `lobby` on, for the host's elements. */
export class TalkJoinChangeEvent extends Event {
  /** The stage reached. */
  readonly stage: JoinStage;
  /** The client of the joined user (a guest's own), once there is one. */
  readonly client: TalkClientLike | null;
  /** At `out`: why. */
  readonly reason: JoinOutReason | null;

  constructor(stage: JoinStage, client: TalkClientLike | null, reason: JoinOutReason | null = null) {
    super('talk-join-change', { bubbles: true, composed: true });
    this.stage = stage;
    this.client = client;
    this.reason = reason;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-join-change': TalkJoinChangeEvent;
  }
}
