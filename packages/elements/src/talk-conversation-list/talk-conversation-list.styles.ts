import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';

export const styles = css`
  ${themeStyles}
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-block-size: 0;
    background: ${t.surface};
    border-radius: ${t.radius};
  }
  .header {
    display: flex;
    gap: 8px;
    padding: 8px;
    border-block-end: 1px solid ${t.border};
  }
  input,
  button {
    font: inherit;
    color: inherit;
  }
  input:not([type='radio']) {
    box-sizing: border-box;
    min-inline-size: 0;
    padding-block: 6px;
    padding-inline: 8px;
    border: 1px solid ${t.inputBorder};
    border-radius: ${t.radius};
    background: ${t.surface};
  }
  [part='filter'] {
    flex: 1;
  }
  button {
    border: 0;
    border-radius: ${t.radius};
    padding-block: 6px;
    padding-inline: 12px;
    cursor: pointer;
    background: ${t.control};
  }
  button.primary,
  [part='create-button'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  button:focus-visible,
  input:focus-visible,
  [part='conversation']:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: 2px;
  }
  [part='conversation']:focus-visible {
    outline-offset: -2px;
  }
  [part='create'] {
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 8px;
    border-block-end: 1px solid ${t.border};
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
  }
  legend {
    padding: 0;
    margin-block-end: 4px;
    font-weight: 600;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .choice {
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .people {
    flex-direction: column;
    max-block-size: 10em;
    overflow-y: auto;
  }
  .hint {
    margin: 0;
    color: ${t.muted};
  }
  .actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  [part='list'] {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    padding-block: 4px;
  }
  [part='conversation'] {
    display: flex;
    align-items: center;
    gap: 10px;
    padding-block: 8px;
    padding-inline: 12px;
    cursor: pointer;
    border-inline-start: 3px solid transparent;
  }
  [part='conversation']:hover {
    background: color-mix(in srgb, ${t.control} 50%, transparent);
  }
  /* A tint of the accent, light enough for the muted previews to keep their contrast. */
  [part='conversation'][aria-selected='true'] {
    background: color-mix(in srgb, ${t.accent} 10%, ${t.surface});
    border-inline-start-color: ${t.accent};
  }
  [part='avatar'] {
    flex: none;
    inline-size: 40px;
    block-size: 40px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    background: ${t.control};
    font-weight: 600;
    object-fit: cover;
  }
  .main {
    flex: 1;
    min-inline-size: 0;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .line {
    display: flex;
    align-items: center;
    gap: 6px;
    min-inline-size: 0;
  }
  [part='name'],
  [part='preview'] {
    flex: 1;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='conversation'][data-unread] [part='name'] {
    font-weight: 600;
  }
  [part='preview'],
  [part='time'] {
    color: ${t.muted};
    font-size: 0.9em;
  }
  [part='time'] {
    flex: none;
  }
  [part='unread'],
  [part='mention'] {
    flex: none;
    min-inline-size: 1.5em;
    box-sizing: border-box;
    padding-inline: 6px;
    border-radius: 999px;
    text-align: center;
    font-size: 0.85em;
    font-weight: 600;
    line-height: 1.5em;
  }
  [part='unread'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  [part='mention'] {
    background: ${t.danger};
    color: ${t.onDanger};
  }
  [part='call'] {
    flex: none;
    display: inline-flex;
    color: ${t.speaking};
  }
  [part='call'] svg {
    inline-size: 16px;
    block-size: 16px;
    fill: currentColor;
  }
  [part='message-search'] {
    flex: none;
    max-block-size: 50%;
    overflow-y: auto;
    border-block-start: 1px solid ${t.border};
    padding-block: 4px 8px;
  }
  [part='message-search'] h2 {
    margin-block: 4px;
    margin-inline: 12px;
    font-size: 0.85em;
    color: ${t.muted};
  }
  .search-status {
    padding-inline: 12px;
    color: ${t.muted};
    font-size: 0.9em;
  }
  .search-status:empty {
    display: none;
  }
  [part='message-result'] {
    display: flex;
    flex-direction: column;
    gap: 2px;
    padding-block: 6px;
    padding-inline: 12px;
    cursor: pointer;
  }
  [part='message-result']:hover {
    background: color-mix(in srgb, ${t.control} 50%, transparent);
  }
  [part='message-result']:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: -2px;
  }
  [part='message-result'] .snippet {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 0.9em;
  }
  [part='message-result'] .author {
    font-weight: 600;
  }
  [part='message-result'] mark {
    background: none;
    color: inherit;
    font-weight: 700;
    text-decoration: underline;
  }
  [part='message-results-more'] {
    margin-block-start: 4px;
    margin-inline: 12px;
  }
  [part='empty'] {
    margin: 0;
    padding: 16px;
    color: ${t.muted};
    text-align: center;
  }
  [part='error'] {
    padding-block: 4px;
    padding-inline: 12px;
    color: ${t.danger};
  }
  /* Read by screen readers, not shown: how many conversations the filter leaves. */
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
