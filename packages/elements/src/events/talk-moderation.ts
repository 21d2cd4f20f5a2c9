/** What a moderator did in `<talk-participants>`. */
export type ModerationAction =
  | 'lobby'
  | 'promote'
  | 'demote'
  | 'remove'
  | 'ban'
  | 'permissions'
  | 'default-permissions'
  | 'rename'
  | 'description'
  | 'password'
  | 'copy-link';

/** Fired by `<talk-participants>` once the server accepted a moderator's change (or the link was copied). */
export class TalkModerationEvent extends Event {
  /** What changed. */
  readonly action: ModerationAction;
  /** The participant acted on, for the actions on one. */
  readonly userId: string | null;

  constructor(action: ModerationAction, userId: string | null = null) {
    super('talk-moderation', { bubbles: true, composed: true });
    this.action = action;
    this.userId = userId;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-moderation': TalkModerationEvent;
  }
}
