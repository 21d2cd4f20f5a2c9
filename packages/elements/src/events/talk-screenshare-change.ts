import type { Participant } from '@talk/call-core';

/** Fired by `<talk-screenshare>` when it starts showing another participant's shared screen, or none. */
export class TalkScreenShareChangeEvent extends Event {
  /** Whose share is shown now (the local participant for one's own), or null when nobody shares. */
  readonly participant: Participant | null;

  constructor(participant: Participant | null) {
    super('talk-screenshare-change', { bubbles: true, composed: true });
    this.participant = participant;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-screenshare-change': TalkScreenShareChangeEvent;
  }
}
