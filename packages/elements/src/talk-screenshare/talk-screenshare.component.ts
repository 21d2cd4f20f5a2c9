import { msg, str } from '@lit/localize';
import { type Call, CallState, type CallTrack } from '@talk/call-core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ScreenShareController } from '../controllers/screen-share-controller.js';
import { describeError } from '../i18n/errors.js';
import { LocaleController } from '../i18n/locale.js';
import { VERSION } from '../version.js';
import { styles } from './talk-screenshare.styles.js';

/**
 * The stage of a call's screen sharing: the share started last (someone else's, or one's own) shown large with
 * who shares it, and a button to start or stop sharing this browser's screen while in the call. It follows the call
 * of a `<talk-call>` named by `for`, or a call-core `Call` set as `call`.
 *
 * @summary A call's shared screen, large, with a share button.
 *
 * @fires talk-screenshare-change - Another participant's share (or none) is shown; `event.participant` says whose.
 * @fires talk-error - Starting or stopping the share failed, e.g. the prompt was refused; `event.error` says why.
 *
 * @slot empty - What to show while nobody shares; "Nobody is sharing their screen" by default.
 *
 * @csspart base - The wrapper of everything.
 * @csspart stage - The area the share fills; carries `data-local` while one's own share is shown.
 * @csspart video - The shared screen, named after whose it is.
 * @csspart presenter - Who shares the screen shown.
 * @csspart empty - The placeholder while nobody shares.
 * @csspart toggle - The start/stop sharing button, while in the call; `aria-pressed` tells whether sharing.
 * @csspart error - Why the last start or stop failed; `data-code` is the error's code.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons (send, join, share) and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-danger=var(--color-error, #c42e2e)] - Failures, the leave and stop-sharing buttons. Built in: #c42e2e light, #ff6b6b dark.
 * @cssproperty [--talk-on-danger=#fff] - Text on the danger colour. Built in: #fff light, #1a1a1a dark.
 * @cssproperty [--talk-stage-background=#111] - Background behind a shared screen.
 * @cssproperty [--talk-stage-text=#bbb] - Text on the stage while nobody shares.
 * @cssproperty [--talk-overlay-background=rgb(0 0 0 / 50%)] - Badges over video: names, presenter, quality.
 * @cssproperty [--talk-overlay-text=#fff] - Text of the badges over video.
 * @cssproperty [--talk-radius=var(--border-radius-large, 8px)] - Corner radius of boxes and buttons.
 * @cssproperty [--talk-font-family=var(--font-face, system-ui, sans-serif)] - Font family.
 * @cssproperty [--talk-color-scheme=light dark] - Which schemes the elements may use (`light`, `dark` or `light dark`, which follows prefers-color-scheme); the `theme` attribute wins.
 *
 * @tag talk-screenshare
 */
export class TalkScreenShare extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  static override styles = styles;

  /** The call whose shares to show; wins over `for`. */
  @property({ attribute: false }) call?: Call | null;

  /** The id of a `<talk-call>` in the same document (or shadow root) whose call to show. */
  @property() for?: string;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  readonly #controller = new ScreenShareController(this);
  #attached: CallTrack | undefined;

  constructor() {
    super();
    // Renders the strings in the nearest `lang`; it needs no handle, as this element formats no numbers or dates.
    new LocaleController(this);
  }

  /** Starts or stops sharing this browser's screen, as the button does. */
  toggle(): Promise<void> {
    return this.#controller.toggle();
  }

  override render() {
    const { call, active, sharing, pending, error } = this.#controller;
    const joined = call?.state === CallState.Joined;
    const who = active?.participant;
    const name = who ? who.displayName || who.userId : '';
    return html`<div part="base">
      <div part="stage" ?data-local=${who?.isLocal ?? false}>
        ${
          active
            ? html`<video
                part="video"
                autoplay
                playsinline
                muted
                aria-label=${
                  who!.isLocal
                    ? msg('Your shared screen', { id: 'share.video.own' })
                    : msg(str`Screen shared by ${name}`, { id: 'share.video.other' })
                }
              ></video>
              <span part="presenter">${
                who!.isLocal
                  ? msg('You are sharing', { id: 'share.presenter.own' })
                  : msg(str`${name} is sharing`, { id: 'share.presenter.other' })
              }</span>`
            : html`<div part="empty">
                <slot name="empty">${msg('Nobody is sharing their screen', { id: 'share.empty' })}</slot>
              </div>`
        }
      </div>
      ${error ? html`<div part="error" role="alert" data-code=${error.code}>${describeError(error)}</div>` : nothing}
      ${
        joined
          ? html`<button
            part="toggle"
            type="button"
            aria-pressed=${sharing}
            ?disabled=${pending}
            @click=${() => this.toggle()}
          >
            ${sharing ? msg('Stop sharing', { id: 'share.toggle.stop' }) : msg('Share screen', { id: 'share.toggle.start' })}
          </button>`
          : nothing
      }
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const video = this.renderRoot.querySelector<HTMLVideoElement>('[part="video"]');
    const track = this.#controller.active?.track;
    if (!video) {
      this.#attached = undefined;
      return;
    }
    if (this.#attached === track) return;
    if (this.#attached) this.#attached.detach(video);
    track?.attach(video);
    this.#attached = track;
  }
}
