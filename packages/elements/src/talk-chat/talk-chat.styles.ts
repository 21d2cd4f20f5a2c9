import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';

export const styles = css`
  ${themeStyles}
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
    background: ${t.surface};
    border-radius: ${t.radius};
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
  [part='message'][data-state='pending'] {
    opacity: 0.6;
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
    border-top: 1px solid ${t.border};
  }
  [part='input'] {
    flex: 1;
    resize: none;
    font: inherit;
    padding: 6px 8px;
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
    padding: 6px 12px;
    cursor: pointer;
  }
  [part='send'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  [part='retry'] {
    padding: 0 6px;
    background: none;
    color: ${t.accent};
    text-decoration: underline;
  }
  [part='error'] {
    padding: 4px 12px;
    color: ${t.danger};
  }
`;
