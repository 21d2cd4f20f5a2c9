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
  [part='messages'] {
    flex: 1;
    overflow-y: auto;
    margin: 0;
    padding-block: 8px;
    padding-inline: 12px;
    list-style: none;
  }
  [part='message'],
  [part='system'] {
    padding-block: 4px;
  }
  [part='system'] {
    font-size: 0.85em;
    font-style: italic;
    color: ${t.muted};
    text-align: center;
  }
  [part='time'] {
    margin-inline-start: 0.5em;
    font-size: 0.8em;
    color: ${t.muted};
  }
  /* Only the text fades while sending, and only so far that it keeps a 4.5:1 contrast; the status says the rest. */
  [part='message'][data-state='pending'] [part='text'] {
    opacity: 0.75;
  }
  [part='message'][data-state='failed'] [part='text'] {
    color: ${t.danger};
  }
  [part='author'] {
    display: block;
    font-weight: 600;
    font-size: 0.85em;
    color: ${t.muted};
  }
  [part='text'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part='status'] {
    font-size: 0.8em;
    color: ${t.muted};
  }
  [part='composer'] {
    display: flex;
    gap: 8px;
    padding: 8px;
    border-block-start: 1px solid ${t.border};
  }
  [part='input'] {
    flex: 1;
    resize: none;
    font: inherit;
    padding-block: 6px;
    padding-inline: 8px;
    border-radius: ${t.radius};
    border: 1px solid ${t.inputBorder};
    color: inherit;
    background: ${t.surface};
  }
  [part='input']::placeholder {
    color: ${t.muted};
  }
  button {
    font: inherit;
    border: 0;
    border-radius: ${t.radius};
    padding-block: 6px;
    padding-inline: 12px;
    cursor: pointer;
  }
  button:focus-visible,
  [part='input']:focus-visible,
  [part='messages']:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: 2px;
  }
  /* Read by screen readers, not shown: what arrived since the history loaded. */
  .announcer {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [part='send'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  [part='retry'] {
    padding-block: 0;
    padding-inline: 6px;
    background: none;
    color: ${t.accent};
    text-decoration: underline;
  }
  [part='error'] {
    padding-block: 4px;
    padding-inline: 12px;
    color: ${t.danger};
  }
`;
