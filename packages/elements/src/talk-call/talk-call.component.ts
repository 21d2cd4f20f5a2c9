import {
  type Call,
  CallState,
  type CallTrack,
  ConnectionQuality,
  type DeviceKind,
  type Participant,
  type TalkClient,
  type TopologyMode,
} from '@talk/call-core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { CallController } from '../controllers/call-controller.js';
import type { DeviceSelectController } from '../controllers/device-select-controller.js';
import { VERSION } from '../version.js';
import { styles } from './talk-call.styles.js';

/** The emoji offered as reactions. */
const REACTIONS = ['👍', '❤️', '😂', '👏', '🎉'];

/** What the quality badge says; the colors come from the stylesheet. */
const qualityLabels: Record<ConnectionQuality, string> = {
  [ConnectionQuality.Excellent]: 'Excellent',
  [ConnectionQuality.Good]: 'Good',
  [ConnectionQuality.Poor]: 'Poor',
  [ConnectionQuality.Lost]: 'Lost',
  [ConnectionQuality.Unknown]: '…',
};

/**
 * The call of one conversation: a join button, then a tile per participant with camera and microphone switches.
 * Media flows as the server decides (`topology="auto"`, the default: peer to peer while small, through the SFU
 * from five, switching without a gap), or fixed peer to peer (`mesh`) or through the SFU (`sfu`).
 *
 * @summary A conversation's video call.
 *
 * @fires talk-call-state-change - The call became `joining`, `joined` or `idle`; `event.state` says which.
 * @fires talk-error - Joining or switching a device failed; `event.error` says why.
 * @fires talk-token-expiring - The `token` it made its own client from expires soon; answer with `event.setToken()`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart grid - The tiles.
 * @csspart tile - One participant; carries `data-session-id`, `data-local` for this browser's own tile, and
 *   `data-speaking` for the remote participant speaking now (or last).
 * @csspart video - A tile's video.
 * @csspart name - A tile's participant name.
 * @csspart quality - A remote tile's connection quality badge; `data-quality` is `excellent`, `good`, `poor`,
 *   `lost` or `unknown` (before the first second of statistics).
 * @csspart controls - The buttons.
 * @csspart join - The "Join call" button, while not in the call.
 * @csspart leave - The "Leave call" button, while in the call.
 * @csspart camera - The camera switch; `aria-pressed` tells whether it is on.
 * @csspart microphone - The microphone switch; `aria-pressed` tells whether it is on.
 * @csspart reaction - The emoji a participant reacted with last, on its tile for a few seconds.
 * @csspart reactions - The emoji buttons, while in the call; each carries `data-emoji`.
 * @csspart device-picker - A `<select>` of cameras or microphones; `data-kind` says which.
 * @csspart error - Why the last join or switch failed.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #0082c9)] - Primary buttons (send, join, share) and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-surface=var(--color-main-background, #fff)] - Background of the chat and its composer. Built in: #fff light, #171717 dark.
 * @cssproperty [--talk-input-border=var(--color-border-maxcontrast, #949494)] - Border of text fields and pickers. Built in: #949494 light, #8c8c8c dark.
 * @cssproperty [--talk-control-background=var(--color-background-dark, #e6e6e6)] - Background of secondary buttons (camera, microphone, reactions). Built in: #e6e6e6 light, #333 dark.
 * @cssproperty [--talk-danger=var(--color-error, #c42e2e)] - Failures, the leave and stop-sharing buttons. Built in: #c42e2e light, #ff6b6b dark.
 * @cssproperty [--talk-on-danger=#fff] - Text on the danger colour. Built in: #fff light, #1a1a1a dark.
 * @cssproperty [--talk-speaking=var(--color-success, #49b382)] - Outline of the tile of the participant speaking.
 * @cssproperty [--talk-tile-background=#1d1d1d] - Background of a call tile without video.
 * @cssproperty [--talk-overlay-background=rgb(0 0 0 / 50%)] - Badges over video: names, presenter, quality.
 * @cssproperty [--talk-overlay-text=#fff] - Text of the badges over video.
 * @cssproperty [--talk-quality-good=rgb(40 130 70 / 80%)] - Quality badge, excellent or good.
 * @cssproperty [--talk-quality-poor=rgb(190 120 0 / 85%)] - Quality badge, poor.
 * @cssproperty [--talk-quality-lost=rgb(196 46 46 / 85%)] - Quality badge, lost.
 * @cssproperty [--talk-radius=var(--border-radius-large, 8px)] - Corner radius of boxes and buttons.
 * @cssproperty [--talk-tile-min-width=240px] - Narrowest a call tile gets before the grid wraps.
 * @cssproperty [--talk-font-family=var(--font-face, system-ui, sans-serif)] - Font family.
 * @cssproperty [--talk-color-scheme=light dark] - Which schemes the elements may use (`light`, `dark` or `light dark`, which follows prefers-color-scheme); the `theme` attribute wins.
 *
 * @tag talk-call
 */
export class TalkCall extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  static override styles = styles;

  /** Base URL of the Talk server; empty means this page's origin. Ignored when `client` is set. */
  @property({ attribute: 'server-url' }) serverUrl?: string;

  /** Bearer token for the server. Ignored when `client` is set. */
  @property() token?: string;

  /** The conversation's token. */
  @property() conversation?: string;

  /** A client shared with other elements on the page; wins over `server-url` and `token`. */
  @property({ attribute: false }) client?: TalkClient;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  /** How media flows: `auto` (as the server decides), `mesh` or `sfu`. Changing it ends a running call. */
  @property() topology: TopologyMode = 'auto';

  readonly #controller = new CallController(this);
  /** Which track each media element plays, so a re-render only re-attaches what changed. */
  readonly #attached = new WeakMap<HTMLMediaElement, CallTrack>();

  /** The call-core Call behind this element, for tests and hosts that need more than the UI offers. */
  get call(): Call | null {
    return this.#controller.call;
  }

  /** Joins the call, as the join button does. */
  join(): Promise<void> {
    return this.#controller.join();
  }

  /** Leaves the call, as the leave button does. */
  leave(): Promise<void> {
    return this.#controller.leave();
  }

  override render() {
    const { call, camera, microphone, cameras, microphones, error } = this.#controller;
    const state = call?.state ?? CallState.Idle;
    return html`<div part="base">
      <div part="grid">
        ${repeat(
          call?.participants ?? [],
          (participant) => participant.sessionId,
          (participant) => this.#renderTile(participant),
        )}
      </div>
      ${error ? html`<div part="error" role="alert">${error.message}</div>` : nothing}
      <div part="controls">
        ${
          state === CallState.Idle
            ? html`<button part="join" type="button" ?disabled=${!call} @click=${() => this.join()}>Join call</button>`
            : html`<button part="leave" type="button" ?disabled=${state !== CallState.Joined} @click=${() => this.leave()}>
                Leave call
              </button>`
        }
        <button
          part="camera"
          type="button"
          aria-pressed=${camera.enabled}
          ?disabled=${!call || camera.pending}
          @click=${() => this.#controller.toggle('camera')}
        >
          Camera
        </button>
        <button
          part="microphone"
          type="button"
          aria-pressed=${microphone.enabled}
          ?disabled=${!call || microphone.pending}
          @click=${() => this.#controller.toggle('microphone')}
        >
          Microphone
        </button>
        ${
          state === CallState.Joined
            ? html`<span part="reactions" role="group" aria-label="React">
              ${REACTIONS.map(
                (emoji) =>
                  html`<button type="button" data-emoji=${emoji} @click=${() => this.#controller.react(emoji)}>
                    ${emoji}
                  </button>`,
              )}
            </span>`
            : nothing
        }
        ${this.#renderPicker('camera', 'Camera', cameras)}
        ${this.#renderPicker('microphone', 'Microphone', microphones)}
      </div>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Tracks come and go without the tiles changing, so media elements are (re)attached after every render.
    const participants = new Map(this.call?.participants.map((p) => [p.sessionId, p]));
    for (const tile of this.renderRoot.querySelectorAll<HTMLElement>('[part="tile"]')) {
      const participant = participants.get(tile.dataset.sessionId ?? '');
      // A shared screen takes the tile's video; the camera comes back when the share ends.
      this.#attach(tile.querySelector('video'), participant?.screenTrack ?? participant?.videoTrack);
      this.#attach(tile.querySelector('audio'), participant?.audioTrack);
    }
  }

  #renderPicker(kind: DeviceKind, label: string, picker: DeviceSelectController) {
    if (!this.call || picker.devices.length === 0) return nothing;
    const active = picker.activeDeviceId;
    return html`<select
      part="device-picker"
      data-kind=${kind}
      aria-label=${label}
      ?disabled=${picker.pending}
      @change=${(event: Event) => this.#controller.selectDevice(kind, (event.target as HTMLSelectElement).value)}
    >
      ${picker.devices.map(
        (device, index) =>
          html`<option value=${device.deviceId} ?selected=${device.deviceId === active}>
            ${device.label || `${label} ${index + 1}`}
          </option>`,
      )}
    </select>`;
  }

  #renderTile(participant: Participant) {
    const videoOff = !participant.screenTrack && (!participant.media.video || !participant.videoTrack);
    return html`<div
      part="tile"
      data-session-id=${participant.sessionId}
      ?data-local=${participant.isLocal}
      ?data-video-off=${videoOff}
      ?data-speaking=${this.#controller.isSpeaking(participant)}
    >
      <video part="video" autoplay playsinline muted></video>
      ${participant.isLocal ? nothing : html`<audio autoplay></audio>`}
      <span part="name">${participant.isLocal ? 'You' : participant.displayName || participant.userId}</span>
      ${participant.isLocal ? nothing : this.#renderQuality(this.#controller.quality(participant))}
      ${this.#renderReaction(this.#controller.reactions.get(participant.sessionId))}
    </div>`;
  }

  #renderReaction(emoji: string | undefined) {
    return emoji ? html`<span part="reaction" aria-live="polite">${emoji}</span>` : nothing;
  }

  #renderQuality(quality: ConnectionQuality) {
    return html`<span part="quality" data-quality=${quality} title="Connection: ${quality}">
      ${qualityLabels[quality]}
    </span>`;
  }

  #attach(element: HTMLMediaElement | null, track: CallTrack | undefined): void {
    if (!element || this.#attached.get(element) === track) return;
    this.#attached.get(element)?.detach(element);
    if (track) {
      track.attach(element);
      this.#attached.set(element, track);
    } else {
      this.#attached.delete(element);
    }
  }
}
