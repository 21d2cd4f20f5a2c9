import { msg, str } from '@lit/localize';
import {
  type Call,
  CallState,
  type CallTrack,
  ConnectionQuality,
  type DeviceKind,
  type Participant,
  type TalkClientLike,
  type TopologyMode,
} from '@talk/call-core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { CallController } from '../controllers/call-controller.js';
import type { DeviceSelectController } from '../controllers/device-select-controller.js';
import { describeError } from '../i18n/errors.js';
import { formatNumber } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { VERSION } from '../version.js';
import { styles } from './talk-call.styles.js';

/** The emoji offered as reactions. */
const REACTIONS = ['👍', '❤️', '😂', '👏', '🎉'];

/** What the quality badge says, in the current language; the colors come from the stylesheet. */
function qualityLabel(quality: ConnectionQuality): string {
  switch (quality) {
    case ConnectionQuality.Excellent:
      return msg('Excellent', { id: 'call.quality.excellent' });
    case ConnectionQuality.Good:
      return msg('Good', { id: 'call.quality.good' });
    case ConnectionQuality.Poor:
      return msg('Poor', { id: 'call.quality.poor' });
    case ConnectionQuality.Lost:
      return msg('Lost', { id: 'call.quality.lost' });
    default:
      return msg('Measuring…', { id: 'call.quality.unknown' });
  }
}

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
 * @csspart grid - The tiles; its accessible name says how many take part.
 * @csspart tile - One participant; carries `data-session-id`, `data-local` for this browser's own tile, and
 *   `data-speaking` for the remote participant speaking now (or last).
 * @csspart video - A tile's video, named after whose camera or screen it shows.
 * @csspart name - A tile's participant name.
 * @csspart quality - A remote tile's connection quality badge; `data-quality` is `excellent`, `good`, `poor`,
 *   `lost` or `unknown` (before the first second of statistics).
 * @csspart controls - The buttons.
 * @csspart join - The "Join call" button, while not in the call.
 * @csspart leave - The "Leave call" button, while in the call.
 * @csspart camera - The camera switch; `aria-pressed` tells whether it is on.
 * @csspart microphone - The microphone switch; `aria-pressed` tells whether it is on.
 * @csspart reaction - The emoji a participant reacted with last, on its tile for a few seconds.
 * @csspart react - The button that opens the emoji, while in the call; `aria-expanded` tells whether they show.
 * @csspart reactions - The emoji buttons, once opened; each carries `data-emoji`. Escape or a pick closes them and
 *   puts the focus back on the react button.
 * @csspart device-picker - A `<select>` of cameras or microphones; `data-kind` says which.
 * @csspart error - Why the last join or switch failed; `data-code` is the error's code.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons (send, join, share) and links.
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
  @property({ attribute: false }) client?: TalkClientLike;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  /** How media flows: `auto` (as the server decides), `mesh` or `sfu`. Changing it ends a running call. */
  @property() topology: TopologyMode = 'auto';

  readonly #locale = new LocaleController(this);
  readonly #controller = new CallController(this);
  /** Which track each media element plays, so a re-render only re-attaches what changed. */
  readonly #attached = new WeakMap<HTMLMediaElement, CallTrack>();
  /** Whether the emoji are open; where the focus goes next once they open or close. */
  @state() private reactionsOpen = false;
  #focusAfterUpdate: 'first-emoji' | 'react' | null = null;

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
    const participants = call?.participants ?? [];
    return html`<div part="base">
      <div part="grid" role="group" aria-label=${this.#participantCount(participants.length)}>
        ${repeat(
          participants,
          (participant) => participant.sessionId,
          (participant) => this.#renderTile(participant),
        )}
      </div>
      ${error ? html`<div part="error" role="alert" data-code=${error.code}>${describeError(error)}</div>` : nothing}
      <div part="controls">
        ${
          state === CallState.Idle
            ? html`<button part="join" type="button" ?disabled=${!call} @click=${() => this.join()}>
                ${msg('Join call', { id: 'call.controls.join' })}
              </button>`
            : html`<button part="leave" type="button" ?disabled=${state !== CallState.Joined} @click=${() => this.leave()}>
                ${msg('Leave call', { id: 'call.controls.leave' })}
              </button>`
        }
        <button
          part="camera"
          type="button"
          aria-pressed=${camera.enabled}
          ?disabled=${!call || camera.pending}
          @click=${() => this.#controller.toggle('camera')}
        >
          ${msg('Camera', { id: 'call.controls.camera' })}
        </button>
        <button
          part="microphone"
          type="button"
          aria-pressed=${microphone.enabled}
          ?disabled=${!call || microphone.pending}
          @click=${() => this.#controller.toggle('microphone')}
        >
          ${msg('Microphone', { id: 'call.controls.microphone' })}
        </button>
        ${state === CallState.Joined ? this.#renderReactions() : nothing}
        ${this.#renderPicker('camera', cameras)}
        ${this.#renderPicker('microphone', microphones)}
      </div>
    </div>`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // The emoji close with the call, so the next call starts with them closed.
    if (this.call?.state !== CallState.Joined) this.reactionsOpen = false;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#focusAfterUpdate) {
      const target = this.#focusAfterUpdate === 'react' ? '[part="react"]' : '[part="reactions"] button:first-of-type';
      this.renderRoot.querySelector<HTMLElement>(target)?.focus();
      this.#focusAfterUpdate = null;
    }
    // Tracks come and go without the tiles changing, so media elements are (re)attached after every render.
    const participants = new Map(this.call?.participants.map((p) => [p.sessionId, p]));
    for (const tile of this.renderRoot.querySelectorAll<HTMLElement>('[part="tile"]')) {
      const participant = participants.get(tile.dataset.sessionId ?? '');
      // A shared screen takes the tile's video; the camera comes back when the share ends.
      this.#attach(tile.querySelector('video'), participant?.screenTrack ?? participant?.videoTrack);
      this.#attach(tile.querySelector('audio'), participant?.audioTrack);
    }
  }

  #renderReactions() {
    const open = this.reactionsOpen;
    return html`<button
        part="react"
        type="button"
        aria-expanded=${open}
        aria-controls="reactions"
        @click=${() => this.#setReactionsOpen(!open, open ? 'react' : 'first-emoji')}
      >
        ${msg('React', { id: 'call.reactions.open' })}
      </button>
      ${
        open
          ? html`<span
            part="reactions"
            id="reactions"
            role="group"
            aria-label=${msg('Reactions', { id: 'call.reactions.label' })}
            @keydown=${(event: KeyboardEvent) => {
              if (event.key !== 'Escape') return;
              event.stopPropagation();
              this.#setReactionsOpen(false, 'react');
            }}
          >
            ${REACTIONS.map(
              (emoji) =>
                html`<button
                  type="button"
                  data-emoji=${emoji}
                  aria-label=${msg(str`React with ${emoji}`, { id: 'call.reactions.react' })}
                  @click=${() => {
                    this.#controller.react(emoji);
                    this.#setReactionsOpen(false, 'react');
                  }}
                >
                  ${emoji}
                </button>`,
            )}
          </span>`
          : nothing
      }`;
  }

  #setReactionsOpen(open: boolean, focus: 'first-emoji' | 'react'): void {
    this.reactionsOpen = open;
    this.#focusAfterUpdate = focus;
  }

  #renderPicker(kind: DeviceKind, picker: DeviceSelectController) {
    if (!this.call || picker.devices.length === 0) return nothing;
    const active = picker.activeDeviceId;
    const label =
      kind === 'camera'
        ? msg('Choose a camera', { id: 'call.devices.camera' })
        : msg('Choose a microphone', { id: 'call.devices.microphone' });
    return html`<select
      part="device-picker"
      data-kind=${kind}
      aria-label=${label}
      ?disabled=${picker.pending}
      @change=${(event: Event) => this.#controller.selectDevice(kind, (event.target as HTMLSelectElement).value)}
    >
      ${picker.devices.map((device, index) => {
        // A browser that has not been granted media yet hides device names; number them instead.
        const number = formatNumber(this.#locale.lang, index + 1);
        const unnamed =
          kind === 'camera'
            ? msg(str`Camera ${number}`, { id: 'call.devices.camera-unnamed' })
            : msg(str`Microphone ${number}`, { id: 'call.devices.microphone-unnamed' });
        return html`<option value=${device.deviceId} ?selected=${device.deviceId === active}>
          ${device.label || unnamed}
        </option>`;
      })}
    </select>`;
  }

  /** The grid's name: how many take part, with the plural form the language needs. */
  #participantCount(count: number): string {
    const n = formatNumber(this.#locale.lang, count);
    const forms = {
      zero: () => msg(str`Call, ${n} participants`, { id: 'call.grid.participants.zero' }),
      one: () => msg(str`Call, ${n} participant`, { id: 'call.grid.participants.one' }),
      two: () => msg(str`Call, ${n} participants`, { id: 'call.grid.participants.two' }),
      few: () => msg(str`Call, ${n} participants`, { id: 'call.grid.participants.few' }),
      many: () => msg(str`Call, ${n} participants`, { id: 'call.grid.participants.many' }),
      other: () => msg(str`Call, ${n} participants`, { id: 'call.grid.participants.other' }),
    };
    return forms[this.#locale.plural(count)]();
  }

  #renderTile(participant: Participant) {
    const videoOff = !participant.screenTrack && (!participant.media.video || !participant.videoTrack);
    const name = participant.displayName || participant.userId;
    const shown = participant.isLocal ? msg('You', { id: 'call.tile.you' }) : name;
    let videoLabel: string;
    if (participant.screenTrack) {
      videoLabel = participant.isLocal
        ? msg('Your shared screen', { id: 'call.tile.video.own-screen' })
        : msg(str`Screen of ${name}`, { id: 'call.tile.video.screen' });
    } else {
      videoLabel = participant.isLocal
        ? msg('Your camera', { id: 'call.tile.video.own-camera' })
        : msg(str`Camera of ${name}`, { id: 'call.tile.video.camera' });
    }
    return html`<div
      part="tile"
      role="group"
      aria-label=${shown}
      data-session-id=${participant.sessionId}
      ?data-local=${participant.isLocal}
      ?data-video-off=${videoOff}
      ?data-speaking=${this.#controller.isSpeaking(participant)}
    >
      <video part="video" autoplay playsinline muted aria-label=${videoLabel}></video>
      ${participant.isLocal ? nothing : html`<audio autoplay></audio>`}
      <span part="name">${shown}</span>
      ${participant.isLocal ? nothing : this.#renderQuality(this.#controller.quality(participant))}
      ${this.#renderReaction(this.#controller.reactions.get(participant.sessionId))}
    </div>`;
  }

  #renderReaction(emoji: string | undefined) {
    return emoji ? html`<span part="reaction" aria-live="polite">${emoji}</span>` : nothing;
  }

  #renderQuality(quality: ConnectionQuality) {
    const label = qualityLabel(quality);
    return html`<span
      part="quality"
      data-quality=${quality}
      title=${msg(str`Connection quality: ${label}`, { id: 'call.quality.title' })}
    >
      ${label}
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
