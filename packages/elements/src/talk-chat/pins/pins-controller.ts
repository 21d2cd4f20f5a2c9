import { asTalkError, type ChatItem, type TalkClient, type TalkClientLike, TalkErrorCode } from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TalkErrorEvent } from '../../events/talk-error.js';

/** The client methods pins need; a stand-in client without them (the fixture) shows no pinned bar. */
export type PinsClient = Required<Pick<TalkClientLike, 'listPinnedMessages' | 'pinMessage' | 'unpinMessage'>>;

/** A pinned message with who pinned it and when, as the server lists it. */
export type PinnedMessage = Awaited<ReturnType<TalkClient['listPinnedMessages']>>[number];

/** Where the controller finds the client, the conversation and the messages the list holds. */
export interface PinsSource {
  readonly client: TalkClientLike;
  readonly conversation: string;
  readonly items: readonly ChatItem[];
}

/** The system messages the server writes on pin and unpin; either one means the list changed. */
const PIN_NOTES = new Set(['message-pinned', 'message-unpinned']);

/** The client as a pins client, when it has the methods. */
export function pinsClientOf(client: TalkClientLike): PinsClient | null {
  const { listPinnedMessages, pinMessage, unpinMessage } = client;
  if (!listPinnedMessages || !pinMessage || !unpinMessage) return null;
  return {
    listPinnedMessages: listPinnedMessages.bind(client),
    pinMessage: pinMessage.bind(client),
    unpinMessage: unpinMessage.bind(client),
  };
}

/**
 * Keeps the conversation's pinned messages (the latest pin first) and which one the bar shows. Loads them when the
 * conversation opens, and again whenever a pin or unpin note arrives in the list (live or after a catch-up), the
 * latest answer winning. Pinning and unpinning reach the page as `talk-error` when they fail.
 */
export class PinsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #source: () => PinsSource | null;
  #of: { client: TalkClientLike; conversation: string } | null = null;
  /** The newest pin or unpin note seen, so that a new one triggers a reload. */
  #lastNote = 0;
  #request = 0;

  /** The pinned messages, the most recently pinned first. */
  pins: readonly PinnedMessage[] = [];
  /** Which of `pins` the bar shows. */
  index = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, source: () => PinsSource | null) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostUpdate(): void {
    const source = this.#source();
    const note = newestNote(source?.items ?? []);
    if (source?.client !== this.#of?.client || source?.conversation !== this.#of?.conversation) {
      this.#of = source ? { client: source.client, conversation: source.conversation } : null;
      this.pins = [];
      this.index = 0;
      this.#lastNote = note;
      void this.refresh();
      return;
    }
    if (note > this.#lastNote) {
      this.#lastNote = note;
      void this.refresh();
    }
  }

  hostDisconnected(): void {
    this.#of = null;
    this.#request++;
  }

  /** Whether the message is pinned now. */
  isPinned(messageId: number): boolean {
    return this.pins.some((pin) => pin.message.id === messageId);
  }

  /** Whether pins work with this client at all. */
  get available(): boolean {
    return this.#of !== null && pinsClientOf(this.#of.client) !== null;
  }

  /** Shows the next (`step` 1) or previous (`step` -1) pin, round the list. */
  cycle(step: 1 | -1): void {
    if (this.pins.length === 0) return;
    this.index = (this.index + step + this.pins.length) % this.pins.length;
    this.#host.requestUpdate();
  }

  /** Loads the pins again; an answer older than the latest request is dropped. */
  async refresh(): Promise<void> {
    const of = this.#of;
    const client = of && pinsClientOf(of.client);
    if (!of || !client) return;
    const request = ++this.#request;
    try {
      const pins = await client.listPinnedMessages(of.conversation);
      if (request !== this.#request) return;
      // An unchanged answer renders nothing: a needless update while the list's virtualizer was between layouts
      // made it render past its rows (seen in talk-chat.features.test as errors outside the tests).
      const index = Math.min(this.index, Math.max(0, pins.length - 1));
      if (index === this.index && samePins(this.pins, pins)) return;
      this.pins = pins;
      this.index = index;
      this.#host.requestUpdate();
    } catch {
      // The bar keeps what it showed; the next note or reopening tries again.
    }
  }

  /** Pins (`pinned` true) or unpins a message; the server's note then refreshes the list. */
  async setPinned(messageId: number, pinned: boolean): Promise<void> {
    const of = this.#of;
    const client = of && pinsClientOf(of.client);
    if (!of || !client) return;
    try {
      if (pinned) await client.pinMessage(of.conversation, messageId);
      else await client.unpinMessage(of.conversation, messageId);
      if (pinned) this.index = 0; // the new pin is the latest, shown first
      await this.refresh();
    } catch (error) {
      this.#host.dispatchEvent(new TalkErrorEvent(asTalkError(error, TalkErrorCode.Network)));
    }
  }
}

function samePins(a: readonly PinnedMessage[], b: readonly PinnedMessage[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (pin, at) =>
        pin.message.id === b[at]!.message.id &&
        pin.pinnedAt === b[at]!.pinnedAt &&
        pin.message.message === b[at]!.message.message,
    )
  );
}

function newestNote(items: readonly ChatItem[]): number {
  for (let at = items.length - 1; at >= 0; at--) {
    const item = items[at]!;
    if (item.kind === 'system' && item.id !== null && PIN_NOTES.has(item.systemType ?? '')) return item.id;
  }
  return 0;
}
