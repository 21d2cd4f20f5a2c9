import { msg, str } from '@lit/localize';
import type { Poll } from '@talk/call-core';
import { css, html, nothing, type TemplateResult } from 'lit';
import { formatNumber } from '../../i18n/format.js';
import { t } from '../../theme/tokens.js';

/** What a poll card needs from the chat: who is reading, the language, and what to do on vote and close. */
export interface PollViewContext {
  readonly userId: string | null;
  /** Whether the reader moderates the conversation: moderators close anyone's poll, as in Nextcloud Talk. */
  readonly moderator: boolean;
  readonly lang: string;
  vote(pollId: number, optionIds: number[]): void;
  close(pollId: number): void;
  /** Shows the choices again to change the user's vote. */
  change(pollId: number): void;
}

/**
 * A poll in the message list, after Nextcloud Talk's: while open and not yet answered, its options to choose from
 * (radio buttons, or checkboxes when several may be chosen) and a Vote button; once answered or closed (and to its
 * author at once), a bar per option with its count (hidden polls show only how many voted until closed), and who
 * chose it when public. The author or a moderator can close it.
 */
export function renderPoll(poll: Poll | undefined, context: PollViewContext, changing: boolean): TemplateResult {
  if (!poll) return html`<div part="poll" aria-busy="true">${msg('Loading poll…', { id: 'chat.poll.loading' })}</div>`;
  const open = poll.status === 'open';
  const voted = (poll.votedSelf?.length ?? 0) > 0;
  // The author watches the results come in (and may still vote); others see them once they voted.
  const author = poll.actorId === context.userId;
  const choosing = open && (changing || (!voted && !author));
  const voters = formatNumber(context.lang, poll.numVoters);
  const questionId = `poll-${poll.id}-question`;
  return html`<div part="poll" role="group" aria-labelledby=${questionId} data-poll=${poll.id} data-status=${poll.status}>
    <div class="poll-question" id=${questionId}>
      <span class="poll-kind">${msg('Poll', { id: 'chat.poll.kind' })}</span>
      <strong dir="auto">${poll.question}</strong>
    </div>
    ${choosing ? renderChoices(poll, context) : renderResults(poll, context)}
    <div class="poll-footer">
      <span part="poll-voters">${msg(str`Voters: ${voters}`, { id: 'chat.poll.voters' })}</span>
      ${open ? nothing : html`<span class="poll-closed">${msg('Closed', { id: 'chat.poll.closed' })}</span>`}
      ${
        open && !choosing
          ? html`<button type="button" data-poll-action="change" @click=${() => context.change(poll.id)}>
              ${voted ? msg('Change vote', { id: 'chat.poll.change' }) : msg('Vote', { id: 'chat.poll.open-vote' })}
            </button>`
          : nothing
      }
      ${
        open && (author || context.moderator)
          ? html`<button type="button" data-poll-action="close" @click=${() => context.close(poll.id)}>
              ${msg('Close poll', { id: 'chat.poll.close' })}
            </button>`
          : nothing
      }
    </div>
  </div>`;
}

function renderChoices(poll: Poll, context: PollViewContext): TemplateResult {
  const multiple = poll.maxVotes !== 1;
  const submit = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => Number(input.value));
    if (chosen.length > 0) context.vote(poll.id, chosen);
  };
  return html`<form class="poll-choices" @submit=${submit}>
    ${poll.options.map(
      (option, index) => html`<label class="poll-option">
        <input
          type=${multiple ? 'checkbox' : 'radio'}
          name=${`poll-${poll.id}`}
          value=${index}
          ?checked=${poll.votedSelf?.includes(index) ?? false}
        />
        <span dir="auto">${option}</span>
      </label>`,
    )}
    <button type="submit" data-poll-action="vote">${msg('Vote', { id: 'chat.poll.vote' })}</button>
  </form>`;
}

function renderResults(poll: Poll, context: PollViewContext): TemplateResult {
  const votes = poll.votes;
  if (!votes) {
    return html`<p class="poll-hidden">
      ${msg('The results show once the poll is closed.', { id: 'chat.poll.hidden' })}
    </p>`;
  }
  const total = votes.reduce((sum, count) => sum + count, 0);
  return html`<ul class="poll-results">
    ${poll.options.map((option, index) => {
      const count = votes[index] ?? 0;
      const share = total === 0 ? 0 : Math.round((count / total) * 100);
      const names = (poll.voters ?? [])
        .filter((voter) => voter.optionIds.includes(index))
        .map((voter) => voter.actorDisplayName || voter.actorId);
      const mine = poll.votedSelf?.includes(index) ?? false;
      const shown = formatNumber(context.lang, count);
      return html`<li part="poll-result" data-option=${index} data-count=${count} ?data-mine=${mine}>
        <div class="poll-result-label">
          <span dir="auto">${option}</span>
          <span class="poll-count">${msg(str`Votes: ${shown}`, { id: 'chat.poll.count' })}</span>
        </div>
        <div class="poll-bar" role="presentation"><span style=${`inline-size: ${share}%`}></span></div>
        ${names.length > 0 ? html`<div class="poll-names" dir="auto">${names.join(', ')}</div>` : nothing}
      </li>`;
    })}
  </ul>`;
}

/** The poll card's styles, added to the chat's. */
export const pollStyles = css`
  [part='poll'] {
    display: grid;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    max-inline-size: 28rem;
  }
  .poll-question {
    display: grid;
    gap: 0.125rem;
  }
  .poll-kind,
  .poll-count,
  .poll-names,
  .poll-hidden,
  [part='poll-voters'],
  .poll-closed {
    color: ${t.muted};
    font-size: 0.875em;
  }
  .poll-choices {
    display: grid;
    gap: 0.25rem;
    justify-items: start;
  }
  .poll-option {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .poll-results {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.375rem;
  }
  .poll-result-label {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
  }
  .poll-bar {
    block-size: 0.375rem;
    border-radius: 0.25rem;
    background: ${t.control};
    overflow: hidden;
  }
  .poll-bar > span {
    display: block;
    block-size: 100%;
    background: ${t.accent};
  }
  .poll-footer {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
  }
  .poll-hidden {
    margin: 0;
  }
`;
