import { msg, str } from '@lit/localize';
import {
  asTalkError,
  type Call,
  CallEvent,
  CallPresence,
  CallPresenceEvent,
  type CallPreview,
  CallState,
  type TalkError,
  TalkErrorCode,
} from '@talk/call-core';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { describeError } from '../i18n/errors.js';
import { formatNumber } from '../i18n/format.js';
import type { LocaleController } from '../i18n/locale.js';

/** How often the microphone meter reads the level: often enough to follow speech, rarely enough to cost nothing. */
const LEVEL_INTERVAL_MS = 100;

/**
 * Before joining: a preview of the camera and microphone that `join` would use (restarted when a switch or a picker
 * changes them) with the microphone's level, and whether a call already runs and with how many, from the server.
 * The presence keeps running in the call, for the participants panel.
 */
export class PreJoinController implements ReactiveController {
  /** What the camera and microphone capture now, before joining; null in the call or while capturing. */
  preview: CallPreview | null = null;
  /** Why the preview could not capture, if it could not. */
  previewError: TalkError | null = null;
  /** The microphone's level, 0 to 1. */
  level = 0;
  /** Whether a call runs in the conversation and with how many, and who is present. */
  presence: CallPresence | null = null;
  readonly #host: ReactiveControllerHost;
  readonly #source: { readonly call: Call | null };
  #call: Call | null = null;
  #connected = false;
  #unsubscribe: (() => void)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Counts captures, so that one overtaken by another (or by a join) stops what it got. */
  #generation = 0;

  /** `source` is the element's CallController, added before this one so that its call is current here. */
  constructor(host: ReactiveControllerHost, source: { readonly call: Call | null }) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  /** The element's call may have been replaced (another conversation, client or topology). */
  hostUpdate(): void {
    this.#setCall(this.#source.call);
  }

  /** Stops the preview now, so that the join can capture the same devices. */
  stopPreview(): void {
    this.#generation++;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.preview?.stop();
    this.preview = null;
    this.level = 0;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#setCall(this.#source.call);
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#release();
    this.#call = null;
  }

  #setCall(call: Call | null): void {
    if (call === this.#call || !this.#connected) return;
    this.#release();
    this.#call = call;
    this.#follow();
  }

  #follow(): void {
    const call = this.#call;
    if (!call) return;
    const presence = new CallPresence(call.client, call.conversation);
    this.presence = presence;
    const update = () => this.#host.requestUpdate();
    const restart = () => call.state === CallState.Idle && void this.#capture();
    this.#unsubscribe = [
      presence.on(CallPresenceEvent.Changed, update),
      call.on(CallEvent.LocalMediaChanged, restart),
      call.on(CallEvent.DeviceChanged, restart),
      call.on(CallEvent.StateChanged, (state) => {
        if (state === CallState.Idle) void this.#capture();
        else this.stopPreview();
      }),
    ];
    presence.start().catch(() => {
      // Without signaling there is nothing to tell; the join reports the failure where the user sees it.
    });
    if (call.state === CallState.Idle) void this.#capture();
  }

  async #capture(): Promise<void> {
    const call = this.#call;
    this.stopPreview();
    const generation = this.#generation;
    if (!call) return;
    this.previewError = null;
    try {
      const preview = await call.preview();
      if (generation !== this.#generation || call.state !== CallState.Idle) {
        preview.stop();
        return;
      }
      this.preview = preview;
      if (preview.audioTrack) {
        this.#timer = setInterval(() => {
          const level = preview.level();
          // A re-render for every flicker of the last digit would be wasted.
          if (Math.abs(level - this.level) < 0.01) return;
          this.level = level;
          this.#host.requestUpdate();
        }, LEVEL_INTERVAL_MS);
      }
    } catch (error) {
      if (generation !== this.#generation) return;
      this.previewError = asTalkError(error, TalkErrorCode.MediaDenied);
    }
    this.#host.requestUpdate();
  }

  #release(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.stopPreview();
    this.presence?.stop();
    this.presence = null;
  }
}

/** "A call is running with N": the plural form the language needs. */
function callRunning(locale: LocaleController, count: number): string {
  const n = formatNumber(locale.lang, count);
  const forms = {
    zero: () => msg(str`A call is running with ${n} people`, { id: 'call.prejoin.running.zero' }),
    one: () => msg(str`A call is running with ${n} person`, { id: 'call.prejoin.running.one' }),
    two: () => msg(str`A call is running with ${n} people`, { id: 'call.prejoin.running.two' }),
    few: () => msg(str`A call is running with ${n} people`, { id: 'call.prejoin.running.few' }),
    many: () => msg(str`A call is running with ${n} people`, { id: 'call.prejoin.running.many' }),
    other: () => msg(str`A call is running with ${n} people`, { id: 'call.prejoin.running.other' }),
  };
  return forms[locale.plural(count)]();
}

/** The pre-join screen above the controls: the call's status, the camera preview and the microphone meter. */
export function renderPreJoin(prejoin: PreJoinController, locale: LocaleController) {
  const status = prejoin.presence?.status;
  const running = status?.active === true;
  return html`<section part="prejoin" aria-label=${msg('Before joining', { id: 'call.prejoin.label' })}>
    <p part="call-status" role="status" data-active=${running}>
      ${
        running
          ? callRunning(locale, status?.inCall ?? 0)
          : msg('No call is running: joining starts one', { id: 'call.prejoin.idle' })
      }
    </p>
    <div part="preview-frame" ?data-video-off=${!prejoin.preview?.videoTrack}>
      <video
        part="preview"
        autoplay
        playsinline
        muted
        aria-label=${msg('Preview of your camera', { id: 'call.prejoin.preview' })}
      ></video>
      ${
        prejoin.preview && !prejoin.preview.videoTrack
          ? html`<span part="preview-off">${msg('Camera off', { id: 'call.tile.camera-off' })}</span>`
          : nothing
      }
    </div>
    ${
      prejoin.preview?.audioTrack
        ? html`<label part="level-label"
            >${msg('Microphone level', { id: 'call.prejoin.level' })}
            <meter part="level" min="0" max="1" low="0.02" .value=${prejoin.level}></meter
          ></label>`
        : nothing
    }
    ${
      prejoin.previewError
        ? html`<p part="preview-error" role="alert">${describeError(prejoin.previewError)}</p>`
        : nothing
    }
  </section>`;
}
