import {
  asTalkError,
  type Poll,
  PollEvent,
  type PollOptions,
  PollStore,
  type TalkClientLike,
  TalkErrorCode,
} from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TalkErrorEvent } from '../../events/talk-error.js';

/** Where the controller finds the client and the conversation: the chat's own store. */
export interface PollsSource {
  readonly client: TalkClientLike;
  readonly conversation: string;
}

/**
 * Keeps a PollStore for the chat's conversation, loads each poll the list shows once, and re-renders the host
 * when any of them changes (a vote by anyone, a close). Failures reach the page as `talk-error`.
 */
export class PollsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #source: () => PollsSource | null;
  #store: PollStore | null = null;
  #of: PollsSource | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, source: () => PollsSource | null) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostUpdate(): void {
    const source = this.#source();
    if (source?.client === this.#of?.client && source?.conversation === this.#of?.conversation) return;
    this.#store?.close();
    this.#of = source;
    this.#store = source ? new PollStore(source.client, source.conversation) : null;
    this.#store?.start();
    this.#store?.on(PollEvent.Changed, () => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#store?.close();
    this.#store = null;
    this.#of = null;
  }

  /** The poll as known now; starts loading it the first time it is asked for. */
  poll(pollId: number): Poll | undefined {
    const store = this.#store;
    if (!store) return undefined;
    const poll = store.get(pollId);
    if (!poll) void this.#report(store.load(pollId));
    return poll;
  }

  /** Posts a poll. */
  create(question: string, options: readonly string[], settings: PollOptions): Promise<boolean> {
    return this.#report(this.#store?.create(question, options, settings));
  }

  /** Replaces the user's choice. */
  vote(pollId: number, optionIds: readonly number[]): Promise<boolean> {
    return this.#report(this.#store?.vote(pollId, optionIds));
  }

  /** Closes a poll. */
  close(pollId: number): Promise<boolean> {
    return this.#report(this.#store?.closePoll(pollId));
  }

  async #report(action: Promise<unknown> | undefined): Promise<boolean> {
    if (!action) return false;
    try {
      await action;
      return true;
    } catch (error) {
      this.#host.dispatchEvent(new TalkErrorEvent(asTalkError(error, TalkErrorCode.Network)));
      return false;
    }
  }
}
