import { css } from 'lit';
import { t } from '../../theme/tokens.js';

/** The composer's styles, part of `<talk-chat>`'s shadow root. */
export const composerStyles = css`
  [part='composer'] {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 8px;
    border-block-start: 1px solid ${t.border};
  }
  .composer-row {
    display: flex;
    gap: 8px;
  }
  [part='composer-context'] {
    display: flex;
    align-items: center;
    gap: 8px;
    padding-block: 4px;
    padding-inline: 8px;
    border-inline-start: 3px solid ${t.accent};
    background: ${t.control};
    font-size: 0.85em;
  }
  .context-text {
    flex: 1;
    min-inline-size: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .context-quote {
    margin-inline-start: 0.5em;
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
  [part='send'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  .composer-row .icon {
    padding-inline: 8px;
    background: none;
    color: inherit;
  }
  [part='mentions'] {
    position: absolute;
    inset-block-end: 100%;
    inset-inline-start: 8px;
    z-index: 2;
    margin: 0;
    padding: 4px;
    list-style: none;
    min-inline-size: 220px;
    max-block-size: 240px;
    overflow-y: auto;
    background: ${t.surface};
    border: 1px solid ${t.inputBorder};
    border-radius: ${t.radius};
  }
  [part='mentions'] [role='option'] {
    display: flex;
    gap: 8px;
    align-items: baseline;
    padding-block: 4px;
    padding-inline: 8px;
    border-radius: ${t.radius};
    cursor: pointer;
  }
  [part='mentions'] [aria-selected='true'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  .mention-id {
    font-size: 0.85em;
    opacity: 0.8;
  }
  [part='emoji-picker'] {
    position: absolute;
    inset-block-end: 100%;
    inset-inline-end: 8px;
    z-index: 2;
  }
  [part='emoji-picker'][hidden] {
    display: none;
  }
  [part='emoji-picker'] emoji-picker {
    --background: ${t.surface};
    --border-color: ${t.inputBorder};
    --input-font-color: ${t.text};
    --indicator-color: ${t.accent};
    --outline-color: ${t.accent};
    --category-font-color: ${t.text};
    --button-active-background: ${t.control};
    --button-hover-background: ${t.control};
  }
  .emoji-loading {
    display: block;
    padding: 8px;
    background: ${t.surface};
    color: ${t.muted};
  }
  [part='uploads'] {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='upload'] {
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 0.85em;
  }
  [part='upload'] .icon {
    padding-inline: 6px;
    background: none;
    color: inherit;
  }
  .upload-name {
    flex: 1;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .upload-error {
    flex: 1;
    color: ${t.danger};
  }
`;
