import { msg, str } from '@lit/localize';
import type { PollOptions } from '@talk/call-core';
import { css, html, type TemplateResult } from 'lit';
import { formatNumber } from '../../i18n/format.js';
import { t } from '../../theme/tokens.js';

/** What the form hands back: a question, at least two options, and how people may answer. */
export interface PollDraft {
  readonly question: string;
  readonly options: string[];
  readonly settings: PollOptions;
}

/**
 * The dialog that creates a poll: a question, options (two to start with, more with "Add option"), whether several
 * answers may be chosen, and whether the results stay hidden until it is closed. A native modal `<dialog>`, so
 * Escape closes it and focus goes back to the button that opened it.
 */
export function renderPollForm(
  lang: string,
  optionCount: number,
  onAddOption: () => void,
  onCreate: (draft: PollDraft) => void,
) {
  const submit = (event: SubmitEvent) => {
    const form = event.currentTarget as HTMLFormElement;
    // The Cancel button closes the dialog through method="dialog"; only Create posts.
    if ((event.submitter as HTMLButtonElement | null)?.value !== 'create') return;
    event.preventDefault();
    const data = new FormData(form);
    const question = String(data.get('question') ?? '').trim();
    const options = data
      .getAll('option')
      .map((option) => String(option).trim())
      .filter(Boolean);
    if (!question || options.length < 2) {
      form.querySelector<HTMLElement>(question ? '[name="option"]' : '[name="question"]')?.focus();
      return;
    }
    onCreate({
      question,
      options,
      settings: { maxVotes: data.get('multiple') ? 0 : 1, resultMode: data.get('hidden') ? 'hidden' : 'public' },
    });
    form.reset();
    form.closest('dialog')?.close();
  };
  const options: TemplateResult[] = [];
  for (let index = 0; index < optionCount; index++) {
    const number = formatNumber(lang, index + 1);
    const label = msg(str`Option ${number}`, { id: 'chat.poll-form.option' });
    options.push(html`<input name="option" maxlength="200" aria-label=${label} placeholder=${label} />`);
  }
  return html`<dialog part="poll-form" aria-labelledby="poll-form-title">
    <form method="dialog" @submit=${submit}>
      <h2 id="poll-form-title">${msg('Create a poll', { id: 'chat.poll-form.title' })}</h2>
      <label>
        <span>${msg('Question', { id: 'chat.poll-form.question' })}</span>
        <input name="question" maxlength="1000" required />
      </label>
      <fieldset>
        <legend>${msg('Answers', { id: 'chat.poll-form.answers' })}</legend>
        ${options}
        <button type="button" data-poll-form="add" ?disabled=${optionCount >= 20} @click=${onAddOption}>
          ${msg('Add option', { id: 'chat.poll-form.add' })}
        </button>
      </fieldset>
      <label class="check">
        <input type="checkbox" name="multiple" />
        <span>${msg('Allow several answers', { id: 'chat.poll-form.multiple' })}</span>
      </label>
      <label class="check">
        <input type="checkbox" name="hidden" />
        <span>${msg('Hide results until the poll is closed', { id: 'chat.poll-form.hidden' })}</span>
      </label>
      <div class="poll-form-buttons">
        <button type="submit" value="cancel" formnovalidate>${msg('Cancel', { id: 'chat.poll-form.cancel' })}</button>
        <button type="submit" value="create" class="primary">${msg('Create poll', { id: 'chat.poll-form.create' })}</button>
      </div>
    </form>
  </dialog>`;
}

/** The dialog's styles, added to the chat's. */
export const pollFormStyles = css`
  [part='poll-form'] {
    color: inherit;
    background: ${t.surface};
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    inline-size: min(28rem, 90vw);
  }
  [part='poll-form'] form,
  [part='poll-form'] fieldset,
  [part='poll-form'] label {
    display: grid;
    gap: 0.5rem;
  }
  [part='poll-form'] h2 {
    margin: 0;
    font-size: 1.125rem;
  }
  [part='poll-form'] label.check {
    display: flex;
    align-items: center;
  }
  [part='poll-form'] input:not([type='checkbox']) {
    font: inherit;
    color: inherit;
    background: transparent;
    border: 1px solid ${t.inputBorder};
    border-radius: 4px;
    padding: 0.375rem 0.5rem;
  }
  .poll-form-buttons {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
  }
  [part='poll-form'] button.primary {
    background: ${t.accent};
    color: ${t.onAccent};
  }
`;
