import { css } from 'lit';

export const styles = css`
  :host {
    --talk-accent: #0082c9;
    --talk-surface: #fff;
    --talk-text: #222;
    --talk-muted: #6b6b6b;
    --talk-danger: #c42e2e;
    --talk-radius: 8px;
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    color: var(--talk-text);
    font: 14px/1.4 system-ui, sans-serif;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-block-size: 0;
    background: var(--talk-surface);
    border-radius: var(--talk-radius);
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
    color: var(--talk-muted);
    text-align: center;
  }
  [part='time'] {
    margin-inline-start: 0.5em;
    font-size: 0.8em;
    color: var(--talk-muted);
  }
  /* Only the text fades while sending, and only so far that it keeps a 4.5:1 contrast; the status says the rest. */
  [part='message'][data-state='pending'] [part='text'] {
    opacity: 0.75;
  }
  [part='message'][data-state='failed'] [part='text'] {
    color: var(--talk-danger);
  }
  [part='author'] {
    display: block;
    font-weight: 600;
    font-size: 0.85em;
    color: var(--talk-muted);
  }
  [part='text'] {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  [part='status'] {
    font-size: 0.8em;
    color: var(--talk-muted);
  }
  [part='composer'] {
    display: flex;
    gap: 8px;
    padding: 8px;
    border-block-start: 1px solid #ddd;
  }
  [part='input'] {
    flex: 1;
    resize: none;
    font: inherit;
    padding-block: 6px;
    padding-inline: 8px;
    border-radius: var(--talk-radius);
    border: 1px solid #ccc;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: var(--talk-radius);
    padding-block: 6px;
    padding-inline: 12px;
    cursor: pointer;
  }
  button:focus-visible,
  [part='input']:focus-visible,
  [part='messages']:focus-visible {
    outline: 2px solid var(--talk-accent);
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
    background: var(--talk-accent);
    color: #fff;
  }
  [part='retry'] {
    padding-block: 0;
    padding-inline: 6px;
    background: none;
    color: var(--talk-accent);
    text-decoration: underline;
  }
  [part='error'] {
    padding-block: 4px;
    padding-inline: 12px;
    color: var(--talk-danger);
  }
`;
