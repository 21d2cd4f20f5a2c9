import { msg, str } from '@lit/localize';
import {
  type Call,
  CallState,
  type CallTrack,
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
import { formatDuration, formatNumber } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { VERSION } from '../version.js';
import { type CallLayout, type CallView, layoutCall } from './call-layout.js';
import { participantEntries, renderParticipantList } from './call-participants.js';
import { CallShortcutsController } from './call-shortcuts.js';
import { renderStatsPanel, renderTopologyBadge } from './call-stats.js';
import { renderTile, type TileState } from './call-tile.js';
import { pictureInPictureSupported, SpeakerPictureInPicture } from './picture-in-picture.js';
import { PreJoinController, renderPreJoin } from './pre-join.js';
import { styles } from './talk-call.styles.js';

/** The emoji offered as reactions. */
const REACTIONS = ['👍', '❤️', '😂', '👏', '🎉'];

/** The corners the self view can float in, in the order "Move self view" goes through them. */
const CORNERS = ['end-end', 'end-start', 'start-start', 'start-end'] as const;
type Corner = (typeof CORNERS)[number];

/**
 * The call of one conversation. Before joining: a preview of the camera with the microphone's level, device pickers,
 * whether a call already runs and with how many, and "Join call" or "Join audio only". In the call: a grid of tiles
 * (capped at `max-tiles`, "+N" beyond) or a speaker view (the speaker or a shared screen large, the others in a
 * strip), with the self view hideable and movable; controls for camera, microphone, hand, screen, reactions,
 * picture-in-picture, the participants and the statistics; a topology badge and the call's duration. Keys: M
 * microphone, V camera, R hand, Escape closes, and Space held while muted talks.
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
 * @csspart prejoin - Before joining: the call's status, the preview and the microphone meter.
 * @csspart call-status - Whether a call runs in the conversation and with how many; `data-active` says which.
 * @csspart preview-frame - The box of the camera preview; `data-video-off` while the camera is off.
 * @csspart preview - The camera preview before joining.
 * @csspart preview-off - "Camera off" in the preview's box.
 * @csspart level-label - The microphone meter's label.
 * @csspart preview-error - Why the preview could not capture.
 * @csspart level - The microphone's level before joining, a `<meter>` from 0 to 1.
 * @csspart join-audio - "Join audio only", before joining.
 * @csspart grid - The tiles; its accessible name says how many take part; `data-view` is `grid` or `speaker`.
 * @csspart stage - Speaker view: the promoted tile, and the self view floating over it (`data-corner`).
 * @csspart strip - Speaker view: the other tiles.
 * @csspart overflow - "+N": how many participants did not fit.
 * @csspart mark - A mark on a tile; each also has its own part: `muted`, `camera-off` or `raised-hand`.
 * @csspart muted - The muted-microphone mark.
 * @csspart camera-off - The camera-off mark.
 * @csspart raised-hand - The raised-hand mark.
 * @csspart problem - A remote tile's "connection problem" warning (≥ 30 % loss over 5 s, < 10 packets/s, RTT > 1.5 s).
 * @csspart tile - One participant; carries `data-session-id`, `data-local` for this browser's own tile,
 *   `data-speaking` for the remote participant speaking now (or last), `data-hand`, `data-problem`, and `data-place`
 *   (`grid`, `promoted`, `strip` or `self`).
 * @csspart video - A tile's video, named after whose camera or screen it shows.
 * @csspart name - A tile's participant name.
 * @csspart quality - A remote tile's connection quality badge; `data-quality` is `excellent`, `good`, `poor`,
 *   `lost` or `unknown` (before the first second of statistics).
 * @csspart controls - The buttons.
 * @csspart join - The "Join call" button, while not in the call: joins with the camera and microphone as switched.
 * @csspart leave - The "Leave call" button, while in the call.
 * @csspart camera - The camera switch; `aria-pressed` tells whether it is on.
 * @csspart microphone - The microphone switch; `aria-pressed` tells whether it is on.
 * @csspart reaction - The emoji a participant reacted with last, on its tile for a few seconds.
 * @csspart react - The button that opens the emoji, while in the call; `aria-expanded` tells whether they show.
 * @csspart reactions - The emoji buttons, once opened; each carries `data-emoji`. Escape or a pick closes them and
 *   puts the focus back on the react button.
 * @csspart hand - Raise or lower the hand (R); `aria-pressed`.
 * @csspart screen - Share a screen, with its sound where the browser offers it; `aria-pressed`.
 * @csspart view - Switches between grid and speaker view; `aria-pressed` when the speaker view shows.
 * @csspart self-view - Shows or hides this browser's own tile; `aria-pressed`.
 * @csspart self-move - Speaker view: moves the floating self view to the next corner.
 * @csspart pip - The speaker in a picture-in-picture window.
 * @csspart participants-toggle - Opens the participants panel; `aria-expanded`.
 * @csspart participants - Who is in the call (media, hands) and who only in the conversation.
 * @csspart participant - One row of it, with `data-session-id`, `data-in-call` and `data-hand`.
 * @csspart stats-toggle - Opens the statistics panel; `aria-expanded`.
 * @csspart stats - Per remote participant bitrate, resolution, frame rate, round trip and loss; the call's totals.
 * @csspart stats-total - What the call sends and receives in all.
 * @csspart stats-row - A remote participant's row of statistics, with `data-session-id`.
 * @csspart bar - Above the tiles: the topology badge and the duration.
 * @csspart topology - How media flows: `data-topology` is `mesh`, `sfu` or `switching`.
 * @csspart duration - How long this browser has been in the call.
 * @csspart enable-audio - "Click to enable audio", when the browser blocked playing it.
 * @csspart device-picker - A `<select>` of cameras or microphones; `data-kind` says which.
 * @csspart error - Why the last join or switch failed; `data-code` is the error's code.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons (send, join, share) and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-muted=var(--color-text-maxcontrast, #6b6b6b)] - Secondary text: the participants panel's headings. Built in: #6b6b6b light, #a6a6a6 dark.
 * @cssproperty [--talk-border=var(--color-border, #ddd)] - The border of the participants and statistics panels. Built in: #ddd light, #3b3b3b dark.
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

  /** `grid` (every tile alike) or `speaker` (the speaker or a shared screen large, the others in a strip). */
  @property({ reflect: true }) view: CallView = 'grid';

  /** At most this many tiles in the grid or the strip; the rest are counted in a "+N" tile. */
  @property({ attribute: 'max-tiles', type: Number }) maxTiles = 9;

  readonly #locale = new LocaleController(this);
  readonly #controller = new CallController(this);
  readonly #prejoin = new PreJoinController(this, this.#controller);
  readonly #shortcuts = new CallShortcutsController(this, this.#controller, {
    toggleMicrophone: () => void this.#controller.toggle('microphone'),
    toggleCamera: () => void this.#controller.toggle('camera'),
    toggleHand: () => this.#toggleHand(),
    closeOpen: () => this.#closeOpen(),
  });
  readonly #pip = new SpeakerPictureInPicture(() => this.requestUpdate());
  /** Whether this browser's own tile shows, and where it floats in speaker view. */
  @state() private selfView = true;
  @state() private selfCorner: Corner = 'end-end';
  @state() private statsOpen = false;
  @state() private participantsOpen = false;
  /** The browser refused to play the call's sound without a click (autoplay policy). */
  @state() private audioBlocked = false;
  /** When this browser joined, for the duration; null out of the call. */
  #joinedAt: number | null = null;
  #clock: ReturnType<typeof setInterval> | undefined;
  /** The layout of the last render, for picture-in-picture. */
  #layout: CallLayout | null = null;
  /** Which track each media element plays, so a re-render only re-attaches what changed. */
  readonly #attached = new WeakMap<HTMLMediaElement, CallTrack>();
  /** Whether the emoji are open; where the focus goes next once they open or close. */
  @state() private reactionsOpen = false;
  #focusAfterUpdate: 'first-emoji' | 'react' | null = null;

  /** The call-core Call behind this element, for tests and hosts that need more than the UI offers. */
  get call(): Call | null {
    return this.#controller.call;
  }

  /** Joins the call, as the join button does; `audioOnly` as "Join audio only" does. */
  join(audioOnly = false): Promise<void> {
    // The preview holds the devices the join is about to capture.
    this.#prejoin.stopPreview();
    return this.#controller.join(audioOnly ? { video: false } : {});
  }

  /** Leaves the call, as the leave button does. */
  leave(): Promise<void> {
    return this.#controller.leave();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => this.#joinedAt !== null && this.requestUpdate(), 1_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    void this.#pip.close();
  }

  override render() {
    const { call, camera, microphone, cameras, microphones, error } = this.#controller;
    const state = call?.state ?? CallState.Idle;
    const joined = state === CallState.Joined;
    return html`<div part="base">
      ${call && state !== CallState.Idle ? this.#renderBar(call) : nothing}
      ${
        state === CallState.Idle
          ? renderPreJoin(this.#prejoin, this.#locale)
          : html`<div class="body">
              ${this.#renderCall(call)}
              ${
                joined && (this.participantsOpen || this.statsOpen)
                  ? html`<div class="side">
                      ${this.participantsOpen ? this.#renderParticipants() : nothing}
                      ${
                        this.statsOpen
                          ? renderStatsPanel(this.#locale.lang, call?.lastStats ?? null, call?.participants ?? [])
                          : nothing
                      }
                    </div>`
                  : nothing
              }
            </div>`
      }
      ${error ? html`<div part="error" role="alert" data-code=${error.code}>${describeError(error)}</div>` : nothing}
      ${
        this.audioBlocked && joined
          ? html`<button part="enable-audio" type="button" @click=${() => this.#enableAudio()}>
              ${msg('Click to enable audio', { id: 'call.audio.enable' })}
            </button>`
          : nothing
      }
      <div part="controls">
        ${
          state === CallState.Idle
            ? html`<button part="join" type="button" ?disabled=${!call} @click=${() => this.join()}>
                  ${msg('Join call', { id: 'call.controls.join' })}
                </button>
                <button part="join-audio" type="button" ?disabled=${!call} @click=${() => this.join(true)}>
                  ${msg('Join audio only', { id: 'call.controls.join-audio' })}
                </button>`
            : html`<button part="leave" type="button" ?disabled=${!joined} @click=${() => this.leave()}>
                ${msg('Leave call', { id: 'call.controls.leave' })}
              </button>`
        }
        <button
          part="camera"
          type="button"
          aria-pressed=${camera.enabled}
          aria-keyshortcuts="V"
          ?disabled=${!call || camera.pending}
          @click=${() => this.#controller.toggle('camera')}
        >
          ${msg('Camera', { id: 'call.controls.camera' })}
        </button>
        <button
          part="microphone"
          type="button"
          aria-pressed=${microphone.enabled}
          aria-keyshortcuts="M"
          ?disabled=${!call || microphone.pending}
          ?data-talking=${this.#shortcuts.talking}
          @click=${() => this.#controller.toggle('microphone')}
        >
          ${msg('Microphone', { id: 'call.controls.microphone' })}
        </button>
        ${joined ? this.#renderReactions() : nothing}
        ${joined && call ? this.#renderCallControls(call) : nothing}
        ${this.#renderPicker('camera', cameras)}
        ${this.#renderPicker('microphone', microphones)}
      </div>
    </div>`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const joined = this.call?.state === CallState.Joined;
    // The emoji and panels close with the call, so the next call starts with them closed.
    if (!joined) {
      this.reactionsOpen = false;
      this.statsOpen = false;
      this.participantsOpen = false;
      this.audioBlocked = false;
    }
    if (joined && this.#joinedAt === null) this.#joinedAt = Date.now();
    if (!joined) this.#joinedAt = null;
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
    this.#attach(this.renderRoot.querySelector('[part="preview"]'), this.#prejoin.preview?.videoTrack);
    const speaker = this.#pipTarget();
    this.#pip.follow(speaker?.screenTrack ?? speaker?.videoTrack, speaker?.displayName ?? '');
  }

  /** Above the tiles: the topology badge and how long this browser has been in the call. */
  #renderBar(call: Call) {
    const elapsed = this.#joinedAt === null ? 0 : Date.now() - this.#joinedAt;
    const lang = this.#locale.lang;
    const spoken = formatDuration(lang, elapsed, 'long');
    return html`<div part="bar">
      ${renderTopologyBadge(call)}
      ${
        this.#joinedAt === null
          ? nothing
          : html`<span
              part="duration"
              role="timer"
              aria-label=${msg(str`In the call for ${spoken}`, { id: 'call.duration' })}
              >${formatDuration(lang, elapsed)}</span
            >`
      }
    </div>`;
  }

  #renderCall(call: Call | null) {
    const participants = call?.participants ?? [];
    const layout = layoutCall({
      participants,
      activeSpeaker: call?.activeSpeaker ?? null,
      view: this.view,
      maxTiles: this.maxTiles,
      selfView: this.selfView,
    });
    this.#layout = layout;
    const tile = (participant: Participant, place: TileState['place']) =>
      renderTile(participant, {
        place,
        speaking: this.#controller.isSpeaking(participant),
        reaction: this.#controller.reactions.get(participant.sessionId),
      });
    const tiles = (place: TileState['place']) =>
      html`${repeat(
        layout.tiles,
        (participant) => participant.sessionId,
        (participant) => tile(participant, place),
      )}${layout.hidden ? this.#renderOverflow(layout.hidden) : nothing}`;
    const label = this.#participantCount(participants.length);
    if (this.view === 'grid') {
      // Focusable: the grid scrolls when the tiles do not fit, and a keyboard must be able to scroll it too.
      return html`<div part="grid" role="group" tabindex="0" aria-label=${label} data-view="grid">${tiles('grid')}</div>`;
    }
    return html`<div part="grid" role="group" tabindex="0" aria-label=${label} data-view="speaker">
      <div part="stage">
        ${layout.promoted ? tile(layout.promoted, 'promoted') : nothing}
        ${layout.self ? html`<div class="self" data-corner=${this.selfCorner}>${tile(layout.self, 'self')}</div>` : nothing}
      </div>
      ${layout.tiles.length || layout.hidden ? html`<div part="strip">${tiles('strip')}</div>` : nothing}
    </div>`;
  }

  /** "+N": how many did not fit, named in the plural the language needs. */
  #renderOverflow(hidden: number) {
    const n = formatNumber(this.#locale.lang, hidden);
    const forms = {
      zero: () => msg(str`${n} more participants`, { id: 'call.grid.more.zero' }),
      one: () => msg(str`${n} more participant`, { id: 'call.grid.more.one' }),
      two: () => msg(str`${n} more participants`, { id: 'call.grid.more.two' }),
      few: () => msg(str`${n} more participants`, { id: 'call.grid.more.few' }),
      many: () => msg(str`${n} more participants`, { id: 'call.grid.more.many' }),
      other: () => msg(str`${n} more participants`, { id: 'call.grid.more.other' }),
    };
    return html`<div part="overflow" role="img" aria-label=${forms[this.#locale.plural(hidden)]()} data-hidden=${hidden}>
      +${n}
    </div>`;
  }

  /** The buttons only the joined call has: hand, screen, views, self view, picture-in-picture and the panels. */
  #renderCallControls(call: Call) {
    const hand = call.localParticipant?.handRaised === true;
    const speakerView = this.view === 'speaker';
    return html`<button
        part="hand"
        type="button"
        aria-pressed=${hand}
        aria-keyshortcuts="R"
        @click=${() => this.#toggleHand()}
      >
        ${msg('Raise hand', { id: 'call.controls.hand' })}
      </button>
      <button
        part="screen"
        type="button"
        aria-pressed=${call.media.screen === true}
        @click=${() => this.#controller.toggleScreenShare()}
      >
        ${msg('Share screen', { id: 'call.controls.screen' })}
      </button>
      <button
        part="view"
        type="button"
        aria-pressed=${speakerView}
        @click=${() => {
          this.view = speakerView ? 'grid' : 'speaker';
        }}
      >
        ${msg('Speaker view', { id: 'call.controls.speaker-view' })}
      </button>
      <button
        part="self-view"
        type="button"
        aria-pressed=${this.selfView}
        @click=${() => {
          this.selfView = !this.selfView;
        }}
      >
        ${msg('Self view', { id: 'call.controls.self-view' })}
      </button>
      ${
        speakerView && this.selfView
          ? html`<button part="self-move" type="button" @click=${() => this.#moveSelfView()}>
              ${msg('Move self view', { id: 'call.controls.self-move' })}
            </button>`
          : nothing
      }
      ${
        pictureInPictureSupported()
          ? html`<button part="pip" type="button" aria-pressed=${this.#pip.open} @click=${() => this.#togglePip()}>
              ${msg('Picture in picture', { id: 'call.controls.pip' })}
            </button>`
          : nothing
      }
      <button
        part="participants-toggle"
        type="button"
        aria-expanded=${this.participantsOpen}
        aria-controls="participants"
        @click=${() => {
          this.participantsOpen = !this.participantsOpen;
        }}
      >
        ${msg('Participants', { id: 'call.participants.label' })}
      </button>
      <button
        part="stats-toggle"
        type="button"
        aria-expanded=${this.statsOpen}
        @click=${() => {
          this.statsOpen = !this.statsOpen;
        }}
      >
        ${msg('Statistics', { id: 'call.controls.stats' })}
      </button>`;
  }

  #renderParticipants() {
    const sessions = this.#prejoin.presence?.sessions ?? [];
    return html`<div id="participants">
      ${renderParticipantList(participantEntries(sessions, this.call?.client.sessionId ?? null))}
    </div>`;
  }

  #toggleHand(): void {
    const local = this.call?.localParticipant;
    if (local) this.#controller.raiseHand(!local.handRaised);
  }

  #moveSelfView(): void {
    this.selfCorner = CORNERS[(CORNERS.indexOf(this.selfCorner) + 1) % CORNERS.length] ?? 'end-end';
  }

  /** Escape: closes the emoji, then the panels; false when nothing was open. */
  #closeOpen(): boolean {
    if (this.reactionsOpen) {
      this.#setReactionsOpen(false, 'react');
      return true;
    }
    if (this.statsOpen || this.participantsOpen) {
      this.statsOpen = false;
      this.participantsOpen = false;
      return true;
    }
    return false;
  }

  /** Who the picture-in-picture window shows: the promoted tile, else the speaker, else the first other. */
  #pipTarget(): Participant | null {
    const call = this.call;
    if (!call) return null;
    return (
      this.#layout?.promoted ??
      call.activeSpeaker ??
      [...call.remoteParticipants.values()].find((p) => p.screenTrack) ??
      call.remoteParticipants.values().next().value ??
      null
    );
  }

  async #togglePip(): Promise<void> {
    if (this.#pip.open) {
      await this.#pip.close();
      return;
    }
    const speaker = this.#pipTarget();
    const fallback = this.renderRoot.querySelector<HTMLVideoElement>(
      `[part="tile"][data-session-id="${speaker?.sessionId ?? ''}"] video`,
    );
    try {
      await this.#pip.show(speaker?.screenTrack ?? speaker?.videoTrack, speaker?.displayName ?? '', fallback);
    } catch {
      // The browser refused (no user gesture, or no video yet): the button stays as it was.
    }
    this.requestUpdate();
  }

  /** The click the browser wanted before playing sound: play every participant's audio now. */
  #enableAudio(): void {
    this.audioBlocked = false;
    for (const audio of this.renderRoot.querySelectorAll('audio')) this.#play(audio);
  }

  #play(element: HTMLMediaElement): void {
    element.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') this.audioBlocked = true;
    });
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

  #attach(element: HTMLMediaElement | null, track: CallTrack | undefined): void {
    if (!element || this.#attached.get(element) === track) return;
    this.#attached.get(element)?.detach(element);
    if (track) {
      track.attach(element);
      this.#attached.set(element, track);
      // Sound may be refused until the page is clicked; video is muted, so it always plays.
      if (element instanceof HTMLAudioElement) this.#play(element);
    } else {
      this.#attached.delete(element);
    }
  }
}
