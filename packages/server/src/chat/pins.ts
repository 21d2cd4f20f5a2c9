import { ErrorCode, type PinnedMessage } from '@talk/protocol';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';
import { type Broadcaster, SystemMessages } from './system-messages.js';

/**
 * Pinned messages: moderators pin and unpin (the route checks), everyone who may read sees the list. Each change
 * writes a system message (`message-pinned`, `message-unpinned` with `{messageId}`), which is also the push that
 * tells clients to refresh their pins.
 */
export class Pins {
  readonly #system: SystemMessages;

  constructor(
    private readonly store: Store,
    hub: Broadcaster,
  ) {
    this.#system = new SystemMessages(store, hub);
  }

  /** The pinned messages, latest pin first. */
  list(token: string): Promise<PinnedMessage[]> {
    return this.store.pins.list(token);
  }

  /** Pins a message people wrote (not a system or deleted one); `created` is false when it was pinned already. */
  async pin(me: Identity, token: string, messageId: number): Promise<{ pin: PinnedMessage; created: boolean }> {
    const message = await this.store.messages.get(token, messageId);
    if (!message) throw new TalkServerError(ErrorCode.NotFound, 'No such message');
    if (message.kind === 'system' || message.deletedAt) {
      throw new TalkServerError(ErrorCode.Forbidden, 'System and deleted messages cannot be pinned');
    }
    const created = await this.store.pins.pin(token, messageId, me);
    if (created) {
      await this.#system.post(token, me, 'message-pinned', `${me.displayName} pinned a message`, { messageId });
    }
    const pin = (await this.store.pins.list(token)).find((p) => p.message.id === messageId);
    // Unpinned again between the two statements by another moderator: say so rather than invent a pin.
    if (!pin) throw new TalkServerError(ErrorCode.NotFound, 'The message was unpinned meanwhile');
    return { pin, created };
  }

  /** Unpins a message; nothing is written when it was not pinned. */
  async unpin(me: Identity, token: string, messageId: number): Promise<void> {
    if (!(await this.store.pins.unpin(token, messageId))) return;
    await this.#system.post(token, me, 'message-unpinned', `${me.displayName} unpinned a message`, { messageId });
  }
}
