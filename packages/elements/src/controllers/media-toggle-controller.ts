import { type Call, type MediaToggle, setupMediaToggle } from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A camera or microphone switch bound to a host: the host re-renders when the device goes on, off or busy. */
export class MediaToggleController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #device: 'camera' | 'microphone';
  #toggle: MediaToggle | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, device: 'camera' | 'microphone') {
    this.#host = host;
    this.#device = device;
    host.addController(this);
  }

  /** Whether the device is (or will be, on join) on. */
  get enabled(): boolean {
    return this.#toggle?.enabled ?? false;
  }

  /** True while switching, e.g. during a permission prompt. */
  get pending(): boolean {
    return this.#toggle?.pending ?? false;
  }

  /** Switches the device. */
  toggle(): Promise<void> {
    return this.#toggle?.toggle() ?? Promise.resolve();
  }

  /** Binds the switch to another call (or none); called by the owner while the host is connected. */
  setCall(call: Call | null): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#toggle = call ? setupMediaToggle(call, this.#device) : null;
    this.hostConnected();
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = this.#toggle?.subscribe(() => this.#host.requestUpdate()) ?? null;
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}
