import type { CallState } from '@talk/call-core';

/** Fired by `<talk-call>` when the user's call joins, finishes joining or ends. */
export class TalkCallStateChangeEvent extends Event {
  /** The call's new state: idle, joining or joined. */
  readonly state: CallState;

  constructor(state: CallState) {
    super('talk-call-state-change', { bubbles: true, composed: true });
    this.state = state;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-call-state-change': TalkCallStateChangeEvent;
  }
}
