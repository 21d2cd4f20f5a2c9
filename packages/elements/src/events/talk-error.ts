import type { TalkError } from '@talk/call-core';

/** Fired by any Talk element when something the user started failed, e.g. a denied camera. */
export class TalkErrorEvent extends Event {
  /** What failed; `error.code` says why. */
  readonly error: TalkError;

  constructor(error: TalkError) {
    super('talk-error', { bubbles: true, composed: true });
    this.error = error;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-error': TalkErrorEvent;
  }
}
