import { css } from 'lit';

export const styles = css`
  :host {
    --talk-accent: #00679e;
    --talk-surface: #fff;
    --talk-text: #222;
    --talk-muted: #6b6b6b;
    --talk-danger: #c42e2e;
    --talk-radius: 8px;
    display: flex;
    flex-direction: column;
    min-height: 0;
    color: var(--talk-text);
    font: 14px/1.4 system-ui, sans-serif;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
    background: var(--talk-surface);
    border-radius: var(--talk-radius);
  }
  [part='messages'] {
    flex: 1;
    overflow-y: auto;
    margin: 0;
    padding: 8px 12px;
    list-style: none;
  }
  [part='message'] {
    padding: 4px 0;
  }
  /* Muted rather than faded: a faded text would fall below WCAG AA contrast. */
  [part='message'][data-state='pending'] [part='text'] {
    color: var(--talk-muted);
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
    border-top: 1px solid #ddd;
  }
  [part='input'] {
    flex: 1;
    resize: none;
    font: inherit;
    padding: 6px 8px;
    border-radius: var(--talk-radius);
    border: 1px solid #ccc;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: var(--talk-radius);
    padding: 6px 12px;
    cursor: pointer;
  }
  [part='send'] {
    background: var(--talk-accent);
    color: #fff;
  }
  [part='retry'] {
    padding: 0 6px;
    background: none;
    color: var(--talk-accent);
    text-decoration: underline;
  }
  [part='error'] {
    padding: 4px 12px;
    color: var(--talk-danger);
  }
`;
