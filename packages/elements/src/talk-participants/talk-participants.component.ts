import { msg, str } from '@lit/localize';
import type { TalkClientLike } from '@talk/call-core';
import { type Participant, Permission } from '@talk/protocol';
import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { describeError } from '../i18n/errors.js';
import { formatNumber } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { VERSION } from '../version.js';
import { ParticipantsController } from './participants-controller.js';
import { styles } from './talk-participants.styles.js';

/** The permission bits in the order they are offered, with their names. */
const PERMISSIONS = [
  { bit: Permission.StartCall, name: () => msg('Start a call', { id: 'participants.permission.start-call' }) },
  { bit: Permission.JoinCall, name: () => msg('Join the call', { id: 'participants.permission.join-call' }) },
  { bit: Permission.PublishAudio, name: () => msg('Microphone', { id: 'participants.permission.audio' }) },
  { bit: Permission.PublishVideo, name: () => msg('Camera', { id: 'participants.permission.video' }) },
  { bit: Permission.PublishScreen, name: () => msg('Share the screen', { id: 'participants.permission.screen' }) },
  { bit: Permission.Chat, name: () => msg('Chat', { id: 'participants.permission.chat' }) },
] as const;

/**
 * Who is in a conversation and who is in its call, and for moderators the conversation's moderation: open and
 * close the lobby, promote and demote, remove and ban, each participant's permissions and the defaults, and a
 * settings panel (name, description, password, the public link). Nobody acts on the owner: those actions are not
 * offered, and the server refuses them. Every change shows on every page at once, as the server announces it.
 *
 * @summary Participants and moderation of a conversation.
 *
 * @fires talk-moderation - The server accepted a moderator's change; `event.action` says which, `event.userId` on whom.
 * @fires talk-error - A change failed, e.g. refused by the server; `event.error` says why.
 *
 * @csspart base - The wrapper of everything.
 * @csspart lobby - The open/close lobby button (moderators); `aria-pressed` tells whether the lobby is closed.
 * @csspart list - The list of participants.
 * @csspart participant - One participant; `data-user-id`, `data-role`, and `data-in-call` while in the call.
 * @csspart name - A participant's name.
 * @csspart role - Their role, when not a plain user.
 * @csspart call-state - Whether they are in the call, muted, with a raised hand.
 * @csspart actions - A moderator's buttons for one participant.
 * @csspart promote - Make a moderator, or a user again.
 * @csspart remove - Remove the participant.
 * @csspart ban - Ban the participant (public conversations).
 * @csspart permissions - One participant's permissions (a disclosure with a checkbox per permission).
 * @csspart settings - The settings panel (moderators).
 * @csspart default-permissions - The conversation's default permissions.
 * @csspart link - The public link and its copy button.
 * @csspart error - Why the last change failed; `data-code` is the error's code.
 * @csspart out - Why this user is no longer in the conversation; `data-reason` is the server's word.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-surface=var(--color-main-background, #fff)] - Background of the rows and fields. Built in: #fff light, #171717 dark.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-muted=var(--color-text-maxcontrast, #6b6b6b)] - Roles and call states. Built in: #6b6b6b light, #a6a6a6 dark.
 * @cssproperty [--talk-border=var(--color-border, #ddd)] - Borders of rows and panels. Built in: #ddd light, #3b3b3b dark.
 * @cssproperty [--talk-input-border=var(--color-border-maxcontrast, #949494)] - Border of text fields. Built in: #949494 light, #8c8c8c dark.
 * @cssproperty [--talk-control-background=var(--color-background-dark, #e6e6e6)] - Secondary buttons. Built in: #e6e6e6 light, #333 dark.
 * @cssproperty [--talk-danger=var(--color-error, #c42e2e)] - Remove and ban, failures. Built in: #c42e2e light, #ff6b6b dark.
 * @cssproperty [--talk-on-danger=#fff] - Text on the danger colour. Built in: #fff light, #1a1a1a dark.
 * @cssproperty [--talk-radius=var(--border-radius-large, 8px)] - Corner radius of boxes and buttons.
 * @cssproperty [--talk-font-family=var(--font-face, system-ui, sans-serif)] - Font family.
 * @cssproperty [--talk-color-scheme=light dark] - Which schemes the elements may use; the `theme` attribute wins.
 *
 * @tag talk-participants
 */
export class TalkParticipants extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  static override styles = styles;

  /** The conversation's token. */
  @property() conversation?: string;

  /** A client to use as is; wins over `server-url` and `token` and over a `<talk-provider>`'s. */
  @property({ attribute: false }) client?: TalkClientLike;

  /** Base URL of the Talk server; empty means this page's origin. */
  @property({ attribute: 'server-url' }) serverUrl?: string;

  /** Bearer token for the server. */
  @property() token?: string;

  /** The public link's form, `{token}` standing for the conversation's token; this page's address with `?join=` unless set. */
  @property({ attribute: 'link-template' }) linkTemplate?: string;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  readonly #controller = new ParticipantsController(this);
  readonly #locale = new LocaleController(this);

  /** The public link of the conversation, as copied. */
  get publicLink(): string {
    const token = encodeURIComponent(this.conversation ?? '');
    const template = this.linkTemplate ?? `${location.origin}${location.pathname}?join={token}`;
    return template.replaceAll('{token}', token);
  }

  override render() {
    const c = this.#controller;
    if (c.out) {
      return html`<div part="base">
        <p part="out" role="alert" data-reason=${c.out}>
          ${msg('You are no longer in this conversation.', { id: 'participants.out' })}
        </p>
      </div>`;
    }
    const conversation = c.conversation;
    return html`<div part="base">
      <h2>${msg(str`People (${formatNumber(this.#locale.lang, c.participants.length)})`, { id: 'participants.title' })}</h2>
      ${c.moderator && conversation ? this.#lobbyButton(conversation.lobby === true) : nothing}
      ${c.error ? html`<p part="error" role="alert" data-code=${c.error.code}>${describeError(c.error)}</p>` : nothing}
      <ul part="list">
        ${c.participants.map((participant) => this.#row(participant))}
      </ul>
      ${c.moderator && conversation ? this.#settings() : nothing}
    </div>`;
  }

  #lobbyButton(closed: boolean) {
    return html`<button
      part="lobby"
      type="button"
      aria-pressed=${closed}
      ?disabled=${this.#controller.busy}
      @click=${() => this.#controller.setLobby(!closed)}
    >
      ${closed ? msg('Open the lobby', { id: 'participants.lobby.open' }) : msg('Close the lobby', { id: 'participants.lobby.close' })}
    </button>`;
  }

  #row(participant: Participant) {
    const c = this.#controller;
    const self = participant.userId === c.selfId;
    const sessions = c.callSessionsOf(participant.userId);
    const inCall = sessions.length > 0;
    const name = participant.displayName || participant.userId;
    // Nobody acts on the owner, nor on themselves here (leaving is not moderation).
    const actable = c.moderator && !self && participant.role !== 'owner';
    return html`<li
      part="participant"
      data-user-id=${participant.userId}
      data-role=${participant.role}
      ?data-in-call=${inCall}
    >
      <span part="name">${self ? msg(str`${name} (you)`, { id: 'participants.self' }) : name}</span>
      ${roleName(participant.role) ? html`<span part="role">${roleName(participant.role)}</span>` : nothing}
      ${inCall ? html`<span part="call-state">${callState(sessions)}</span>` : nothing}
      ${actable ? this.#actions(participant, name) : nothing}
    </li>`;
  }

  #actions(participant: Participant, name: string) {
    const c = this.#controller;
    const moderator = participant.role === 'moderator';
    const publicConversation = c.conversation?.type === 'public';
    const promote = moderator
      ? msg('Demote', { id: 'participants.demote' })
      : msg('Promote', { id: 'participants.promote' });
    const remove = msg('Remove', { id: 'participants.remove' });
    const ban = msg('Ban', { id: 'participants.ban' });
    return html`<span part="actions">
        ${
          participant.role === 'guest'
            ? nothing
            : html`<button
              part="promote"
              type="button"
              ?disabled=${c.busy}
              aria-label=${named(promote, name)}
              @click=${() => c.setRole(participant.userId, moderator ? 'user' : 'moderator')}
            >
              ${promote}
            </button>`
        }
        <button
          part="remove"
          type="button"
          data-danger
          ?disabled=${c.busy}
          aria-label=${named(remove, name)}
          @click=${() => c.remove(participant.userId)}
        >
          ${remove}
        </button>
        ${
          publicConversation
            ? html`<button
              part="ban"
              type="button"
              data-danger
              ?disabled=${c.busy}
              aria-label=${named(ban, name)}
              @click=${() => c.ban(participant.userId)}
            >
              ${ban}
            </button>`
            : nothing
        }
      </span>
      ${moderator ? nothing : this.#permissions(participant, name)}`;
  }

  #permissions(participant: Participant, name: string) {
    const c = this.#controller;
    const bits = participant.permissions ?? 0;
    const own = participant.permissionOverride !== null && participant.permissionOverride !== undefined;
    return html`<details part="permissions">
      <summary>${msg(str`Permissions of ${name}`, { id: 'participants.permissions.summary' })}</summary>
      ${this.#permissionBoxes(
        bits,
        msg(str`Permissions of ${name}`, { id: 'participants.permissions.summary' }),
        (next) => c.setPermissions(participant.userId, next),
      )}
      ${
        own
          ? html`<button type="button" ?disabled=${c.busy} @click=${() => c.setPermissions(participant.userId, null)}>
            ${msg('Use the defaults', { id: 'participants.permissions.reset' })}
          </button>`
          : nothing
      }
    </details>`;
  }

  #permissionBoxes(bits: number, legend: string, change: (next: number) => void) {
    return html`<fieldset>
      <legend>${legend}</legend>
      ${PERMISSIONS.map(
        ({ bit, name }) => html`<label>
          <input
            type="checkbox"
            data-bit=${bit}
            .checked=${(bits & bit) !== 0}
            ?disabled=${this.#controller.busy}
            @change=${(event: Event) => change((event.target as HTMLInputElement).checked ? bits | bit : bits & ~bit)}
          />
          ${name()}
        </label>`,
      )}
    </fieldset>`;
  }

  #settings() {
    const c = this.#controller;
    const conversation = c.conversation!;
    return html`<section part="settings" aria-labelledby="settings-title">
      <h3 id="settings-title">${msg('Settings', { id: 'participants.settings.title' })}</h3>
      <form data-setting="name" @submit=${this.#submit((value) => c.rename(value))}>
        <label>
          ${msg('Name', { id: 'participants.settings.name' })}
          <input name="value" required maxlength="255" .value=${conversation.name} />
        </label>
        <button type="submit" ?disabled=${c.busy}>${msg('Rename', { id: 'participants.settings.rename' })}</button>
      </form>
      <form data-setting="description" @submit=${this.#submit((value) => c.describe(value), true)}>
        <label>
          ${msg('Description', { id: 'participants.settings.description' })}
          <textarea name="value" maxlength="2000" rows="2" .value=${conversation.description ?? ''}></textarea>
        </label>
        <button type="submit" ?disabled=${c.busy}>${msg('Save', { id: 'participants.settings.save' })}</button>
      </form>
      ${conversation.type === 'public' ? this.#passwordSettings(conversation.hasPassword === true) : nothing}
      <div part="default-permissions">
        ${this.#permissionBoxes(
          conversation.defaultPermissions ?? 0,
          msg('What participants may do by default', { id: 'participants.settings.defaults' }),
          (next) => c.setDefaultPermissions(next),
        )}
      </div>
      ${conversation.type === 'public' ? this.#link() : nothing}
    </section>`;
  }

  #passwordSettings(hasPassword: boolean) {
    const c = this.#controller;
    return html`<form data-setting="password" @submit=${this.#submit((value) => c.setPassword(value))}>
      <label>
        ${
          hasPassword
            ? msg('New password (the conversation has one)', { id: 'participants.settings.password.change' })
            : msg('Password (none yet)', { id: 'participants.settings.password.set' })
        }
        <input name="value" type="password" required maxlength="200" autocomplete="new-password" />
      </label>
      <button type="submit" ?disabled=${c.busy}>${msg('Set password', { id: 'participants.settings.password.submit' })}</button>
      ${
        hasPassword
          ? html`<button type="button" data-action="clear-password" ?disabled=${c.busy} @click=${() => c.setPassword(null)}>
            ${msg('Remove password', { id: 'participants.settings.password.clear' })}
          </button>`
          : nothing
      }
    </form>`;
  }

  #link() {
    return html`<div part="link">
      <label>
        ${msg('Public link', { id: 'participants.settings.link' })}
        <input readonly .value=${this.publicLink} />
      </label>
      <button type="button" data-action="copy-link" @click=${this.#copyLink}>
        ${msg('Copy link', { id: 'participants.settings.copy' })}
      </button>
    </div>`;
  }

  #submit(apply: (value: string) => Promise<void>, allowEmpty = false) {
    return (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      const value = new FormData(form).get('value');
      if (typeof value !== 'string' || (!allowEmpty && !value)) return;
      void apply(value).then(() => {
        if (form.querySelector('input[type="password"]')) form.reset();
      });
    };
  }

  #copyLink = async () => {
    try {
      await navigator.clipboard.writeText(this.publicLink);
      this.#controller.done('copy-link');
    } catch {
      // Without clipboard access the link stays selectable in its field.
      this.renderRoot.querySelector<HTMLInputElement>('[part="link"] input')?.select();
    }
  };
}

/**
 * A button's accessible name: its visible word, then whom it acts on, so that each row's buttons differ for a
 * screen reader and speech input still finds the word it sees.
 */
function named(action: string, name: string): string {
  return `${action} ${name}`;
}

/** A role's name, or none for a plain user. */
function roleName(role: Participant['role']): string {
  switch (role) {
    case 'owner':
      return msg('Owner', { id: 'participants.role.owner' });
    case 'moderator':
      return msg('Moderator', { id: 'participants.role.moderator' });
    case 'guest':
      return msg('Guest', { id: 'participants.role.guest' });
    default:
      return '';
  }
}

/** How someone is in the call: their media and hand, from their sessions there. */
function callState(sessions: { media: { audio: boolean; video: boolean }; handRaised?: boolean }[]): string {
  const parts = [msg('In the call', { id: 'participants.call.in' })];
  if (!sessions.some((session) => session.media.audio)) parts.push(msg('muted', { id: 'participants.call.muted' }));
  if (!sessions.some((session) => session.media.video))
    parts.push(msg('camera off', { id: 'participants.call.camera-off' }));
  if (sessions.some((session) => session.handRaised)) parts.push(msg('hand raised', { id: 'participants.call.hand' }));
  return parts.join(' · ');
}
