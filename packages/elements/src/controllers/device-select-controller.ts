import { type Call, type DeviceKind, type DeviceSelect, setupDeviceSelect } from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A camera or microphone picker bound to a host: the host re-renders when the list or the choice changes. */
export class DeviceSelectController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #kind: DeviceKind;
  #select: DeviceSelect | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, kind: DeviceKind) {
    this.#host = host;
    this.#kind = kind;
    host.addController(this);
  }

  /** The devices to offer. */
  get devices(): readonly MediaDeviceInfo[] {
    return this.#select?.devices ?? [];
  }

  /** The device in use (or to use on join); empty for the browser's default. */
  get activeDeviceId(): string {
    return this.#select?.activeDeviceId ?? '';
  }

  /** True while changing devices. */
  get pending(): boolean {
    return this.#select?.pending ?? false;
  }

  /** Captures from another device. */
  select(deviceId: string): Promise<void> {
    return this.#select?.select(deviceId) ?? Promise.resolve();
  }

  /** Binds the picker to another call (or none); called by the owner while the host is connected. */
  setCall(call: Call | null): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#select = call ? setupDeviceSelect(call, this.#kind) : null;
    this.hostConnected();
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#unsubscribe?.();
    const select = this.#select;
    if (!select) return;
    this.#unsubscribe = select.subscribe(() => this.#host.requestUpdate());
    void select.refresh().catch(() => {
      // No device list (an insecure page, or no media devices at all): the picker stays empty.
    });
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}
