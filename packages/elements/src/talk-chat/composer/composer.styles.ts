import { css } from 'lit';
import { t } from '../../theme/tokens.js';

/** The composer's styles, part of `<talk-chat>`'s shadow root. */
export const composerStyles = css`
  [part='composer'] {
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
`;
