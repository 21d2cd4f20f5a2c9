import {
  asTalkError,
  type Call,
  type ScreenShare,
  setupScreenShare,
  type TalkError,
  TalkErrorCode,
} from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TalkErrorEvent } from '../events/talk-error.js';
import { TalkScreenShareChangeEvent } from '../events/talk-screenshare-change.js';

/** What the screen share controller needs from its element. */
export interface ScreenShareHost extends ReactiveControllerHost, HTMLElement {
  /** The call whose shares to show; wins over `for`. */
  call?: Call | null;
  /** The id of a `<talk-call>` (in the same document or shadow root) whose call to show. */
  for?: string;
}

/**
 * Follows the shares of the host's call (set directly, or taken from the `<talk-call>` that `for` names), re-renders
 * the host when the share to show changes and reports that change, and failures, as DOM events.
 */
export class ScreenShareController implements ReactiveController {
  /** The call followed now, or null. */
  call: Call | null = null;
  /** The last failure to start or stop sharing, cleared on the next attempt. */
  error: TalkError | null = null;
  readonly #host: ScreenShareHost;
  #share: ScreenShare | null = null;
  #unsubscribe: (() => void) | null = null;
  /** The `<talk-call>` that `for` names, whose call may be replaced when it joins again. */
  #target: EventTarget | null = null;
  #shown: unknown = null;

  constructor(host: ScreenShareHost) {
    this.#host = host;
    host.addController(this);
  }

  /** The share to show large, or null. */
  get active(): ScreenShare['active'] {
    return this.#share?.active ?? null;
  }

  /** Whether this browser shares its screen. */
  get sharing(): boolean {
    return this.#share?.sharing ?? false;
  }

  /** True while starting or stopping. */
  get pending(): boolean {
    return this.#share?.pending ?? false;
  }

  /** Starts or stops sharing this browser's screen, reporting a failure such as a refused prompt. */
  async toggle(): Promise<void> {
    this.error = null;
    try {
      await this.#share?.toggle();
    } catch (error) {
      this.error = asTalkError(error, TalkErrorCode.MediaDenied);
      this.#host.dispatchEvent(new TalkErrorEvent(this.error));
      this.#host.requestUpdate();
    }
  }

  hostConnected(): void {
    this.#sync();
  }

  /** `call` or `for` may have changed since the last render. */
  hostUpdate(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#bind(null);
    this.#watch(null);
  }

  #sync(): void {
    const host = this.#host;
    let call = host.call ?? null;
    if (!call && host.for) {
      const target = (host.getRootNode() as Document | ShadowRoot).getElementById?.(host.for) ?? null;
      this.#watch(target);
      call = (target as { call?: Call | null } | null)?.call ?? null;
    } else {
      this.#watch(null);
    }
    if (call !== this.call) this.#bind(call);
  }

  #bind(call: Call | null): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.call = call;
    this.#share = call ? setupScreenShare(call) : null;
    this.#unsubscribe = this.#share?.subscribe(() => this.#changed()) ?? null;
    this.#changed();
  }

  /** A `<talk-call>` creates its call when it gets a client and conversation: look again when its state moves. */
  #watch(target: EventTarget | null): void {
    if (target === this.#target) return;
    this.#target?.removeEventListener('talk-call-state-change', this.#retarget);
    this.#target = target;
    target?.addEventListener('talk-call-state-change', this.#retarget);
  }

  readonly #retarget = () => this.#host.requestUpdate();

  #changed(): void {
    const participant = this.active?.participant ?? null;
    if (participant !== this.#shown) {
      this.#shown = participant;
      this.#host.dispatchEvent(new TalkScreenShareChangeEvent(participant));
    }
    this.#host.requestUpdate();
  }
}
