import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';

/** Fields and buttons as the moderation and join screens draw them. */
export const formStyles = css`
  label {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
    background: ${t.surface};
    border: 1px solid ${t.inputBorder};
    border-radius: ${t.radius};
    padding-block: 6px;
    padding-inline: 8px;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: ${t.radius};
    padding-block: 6px;
    padding-inline: 14px;
    cursor: pointer;
    color: ${t.text};
    background: ${t.control};
  }
  button[data-primary] {
    color: ${t.onAccent};
    background: ${t.accent};
  }
  button[data-danger] {
    color: ${t.onDanger};
    background: ${t.danger};
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: 2px;
  }
  [part~='problem'],
  [part~='out'] {
    color: ${t.danger};
  }
`;

export const styles = css`
  ${themeStyles}
  ${formStyles}
  :host {
    display: block;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  form,
  [part='lobby'],
  [part='out'] {
    display: flex;
    flex-direction: column;
    gap: 8px;
    max-inline-size: 28rem;
    margin-inline: auto;
    padding: 16px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    background: ${t.surface};
  }
  h2 {
    margin: 0;
    font-size: 1.15em;
  }
  p {
    margin: 0;
  }
  [part='lobby'] p:last-child {
    color: ${t.muted};
  }
`;
