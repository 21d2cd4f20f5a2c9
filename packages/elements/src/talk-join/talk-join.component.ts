import { ContextProvider } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { TalkClientLike } from '@talk/call-core';
import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { JoinOutReason } from '../events/talk-join-change.js';
import { describeError } from '../i18n/errors.js';
import { formatDuration } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { talkClientContext } from '../talk-provider/client-context.js';
import { VERSION } from '../version.js';
import { JoinFlow, type JoinProblem } from './join-flow.js';
import { styles } from './talk-join.styles.js';

/**
 * The way into a public conversation through its link: a guest is asked for a name, anyone for the password when
 * the conversation has one, and a closed lobby shows a waiting screen until a moderator opens it. Then the slotted
 * elements are shown, sharing the joined user's client (a guest's own) as `<talk-provider>` shares one. When the
 * server takes the user out (removed, banned, the conversation deleted) it says why, and the calls inside release
 * camera and microphone.
 *
 * @summary Guest name, password and lobby before a public conversation.
 *
 * @fires talk-error - An attempt to get in failed for another reason than the password, the lobby or a gone
 *   conversation (the prompt shows it too); `event.error` says why.
 * @fires talk-join-change - A stage was reached (`name`, `password`, `joining`, `lobby`, `joined`, `out`); `event.client` is the joined user's client, `event.reason` why they are out.
 *
 * @slot - What to show once in, e.g. `<talk-chat>` and `<talk-call>` (they get the joined user's client).
 *
 * @csspart base - The wrapper of everything.
 * @csspart name-form - The guest's name prompt.
 * @csspart name - The name field.
 * @csspart password-form - The password prompt.
 * @csspart password - The password field.
 * @csspart submit - The button of either prompt.
 * @csspart problem - Why the last attempt failed (`data-kind`: `wrong-password`, `throttled`, `error`).
 * @csspart lobby - The waiting screen while the lobby is closed.
 * @csspart out - Why the user is out; `data-reason` is the server's word (`removed`, `banned`, `deleted`, `gone`, …).
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons (send, join, share) and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-surface=var(--color-main-background, #fff)] - Background of the prompts. Built in: #fff light, #171717 dark.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-muted=var(--color-text-maxcontrast, #6b6b6b)] - Secondary text. Built in: #6b6b6b light, #a6a6a6 dark.
 * @cssproperty [--talk-border=var(--color-border, #ddd)] - Borders of the prompts. Built in: #ddd light, #3b3b3b dark.
 * @cssproperty [--talk-input-border=var(--color-border-maxcontrast, #949494)] - Border of text fields. Built in: #949494 light, #8c8c8c dark.
 * @cssproperty [--talk-danger=var(--color-error, #c42e2e)] - Failures. Built in: #c42e2e light, #ff6b6b dark.
 * @cssproperty [--talk-radius=var(--border-radius-large, 8px)] - Corner radius of boxes and buttons.
 * @cssproperty [--talk-font-family=var(--font-face, system-ui, sans-serif)] - Font family.
 * @cssproperty [--talk-color-scheme=light dark] - Which schemes the elements may use; the `theme` attribute wins.
 *
 * @tag talk-join
 */
export class TalkJoin extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  static override styles = styles;

  /** The public conversation's token, as its link carries it. */
  @property() conversation?: string;

  /** A signed-in user's client: then no name is asked. Wins over `server-url` and `token`. */
  @property({ attribute: false }) client?: TalkClientLike;

  /** Base URL of the Talk server; empty means this page's origin. */
  @property({ attribute: 'server-url' }) serverUrl?: string;

  /** A signed-in user's token: then no name is asked. Without it (and without `client`), the user joins as a guest. */
  @property() token?: string;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  readonly #flow = new JoinFlow(this);
  readonly #locale = new LocaleController(this);
  readonly #provider = new ContextProvider(this, { context: talkClientContext });

  /** Where the way in is: `name`, `password`, `joining`, `lobby`, `joined` or `out`. */
  get stage() {
    return this.#flow.stage;
  }

  /** The joined user's client (a guest's own), from the lobby on; the slotted elements use it. */
  get joinedClient(): TalkClientLike | null {
    return this.#flow.client;
  }

  protected override willUpdate(): void {
    // Only once in: the slotted elements must not load what the lobby holds back.
    this.#provider.setValue(this.#flow.stage === 'joined' ? (this.#flow.client ?? undefined) : undefined);
  }

  override render() {
    const flow = this.#flow;
    return html`<div part="base">${this.#stage(flow.stage)}</div>`;
  }

  #stage(stage: JoinFlow['stage']) {
    switch (stage) {
      case 'name':
        return this.#nameForm();
      case 'password':
        return this.#passwordForm();
      case 'joining':
        return html`<p role="status">${msg('Joining…', { id: 'join.joining' })}</p>`;
      case 'lobby':
        return html`<section part="lobby" role="status">
          <h2>${this.#flow.conversation?.name ?? ''}</h2>
          <p>${msg('You are in the lobby. A moderator has not opened the conversation yet.', { id: 'join.lobby.title' })}</p>
          <p>${msg('You will be let in as soon as they do.', { id: 'join.lobby.wait' })}</p>
        </section>`;
      case 'joined':
        return html`<slot></slot>`;
      case 'out':
        return html`<section part="out" role="alert" data-reason=${this.#flow.reason ?? ''}>
          <p>${outReason(this.#flow.reason)}</p>
        </section>`;
    }
  }

  #nameForm() {
    return html`<form part="name-form" @submit=${this.#onName}>
      <h2>${msg('Join the conversation', { id: 'join.name.title' })}</h2>
      <label>
        ${msg('Your name', { id: 'join.name.label' })}
        <input part="name" name="name" required maxlength="100" autocomplete="name" />
      </label>
      ${this.#problem(this.#flow.problem)}
      <button part="submit" type="submit" data-primary>${msg('Join', { id: 'join.name.submit' })}</button>
    </form>`;
  }

  #passwordForm() {
    return html`<form part="password-form" @submit=${this.#onPassword}>
      <h2>${msg('This conversation is protected by a password', { id: 'join.password.title' })}</h2>
      <label>
        ${msg('Password', { id: 'join.password.label' })}
        <input part="password" name="password" type="password" required maxlength="200" autocomplete="off" />
      </label>
      ${this.#problem(this.#flow.problem)}
      <button part="submit" type="submit" data-primary>${msg('Join', { id: 'join.password.submit' })}</button>
    </form>`;
  }

  #problem(problem: JoinProblem | null) {
    if (!problem) return nothing;
    let text: string;
    if (problem.kind === 'wrong-password') {
      text = msg('That password is not right. Please try again.', { id: 'join.problem.wrong-password' });
    } else if (problem.kind === 'throttled') {
      const wait = problem.retryAfter;
      text =
        wait === null
          ? msg('Too many wrong passwords. Please wait a while before trying again.', { id: 'join.problem.throttled' })
          : msg(
              str`Too many wrong passwords. Try again in ${formatDuration(this.#locale.lang, wait * 1000, 'long')}.`,
              {
                id: 'join.problem.throttled-wait',
              },
            );
    } else {
      text = describeError(problem.error);
    }
    return html`<p part="problem" role="alert" data-kind=${problem.kind}>${text}</p>`;
  }

  #onName = (event: SubmitEvent) => {
    event.preventDefault();
    const name = new FormData(event.target as HTMLFormElement).get('name');
    if (typeof name === 'string' && name.trim()) void this.#flow.submitName(name);
  };

  #onPassword = (event: SubmitEvent) => {
    event.preventDefault();
    const password = new FormData(event.target as HTMLFormElement).get('password');
    if (typeof password === 'string' && password) void this.#flow.submitPassword(password);
  };
}

/** Why the user is out, in their language. */
function outReason(reason: JoinOutReason | null): string {
  switch (reason) {
    case 'removed':
      return msg('A moderator removed you from this conversation.', { id: 'join.out.removed' });
    case 'banned':
      return msg('A moderator removed you from this conversation and you cannot join it again.', {
        id: 'join.out.banned',
      });
    case 'deleted':
      return msg('This conversation was deleted.', { id: 'join.out.deleted' });
    case 'left':
      return msg('You left this conversation on another device.', { id: 'join.out.left' });
    case 'gone':
      return msg('This conversation does not exist, or it was deleted.', { id: 'join.out.gone' });
    default:
      return msg('You are no longer in this conversation.', { id: 'join.out.other' });
  }
}
