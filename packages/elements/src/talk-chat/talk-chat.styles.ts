import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';
import { attachmentStyles } from './attachments.js';
import { composerStyles } from './composer/composer.styles.js';

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
  .list {
    position: relative;
    flex: 1;
    min-block-size: 0;
    display: flex;
    flex-direction: column;
  }
  [part='messages'] {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    overflow-anchor: none;
    padding-block: 8px;
  }
  .row {
    box-sizing: border-box;
    inline-size: 100%;
  }
  [part='message'] {
    position: relative;
    display: grid;
    grid-template-columns: 32px minmax(0, 1fr) auto;
    column-gap: 8px;
    padding-block: 6px 2px;
    padding-inline: 12px;
  }
  [part='message'][data-grouped] {
    padding-block-start: 0;
  }
  /* Rows are positioned one above the other; the one with its toolbar or menu open must paint over its neighbours. */
  [part='message']:hover,
  [part='message']:focus-within {
    z-index: 2;
  }
  [part='message'].menu-open {
    z-index: 3;
  }
  [part='message']:hover,
  [part='message']:focus-within,
  [part='message']:focus {
    background: color-mix(in srgb, ${t.control} 45%, transparent);
  }
  [part='message'][data-mentioned] {
    border-inline-start: 3px solid ${t.accent};
    padding-inline-start: 9px;
  }
  [part='avatar'],
  .avatar-space {
    inline-size: 32px;
    block-size: 32px;
  }
  [part='avatar'] {
    display: grid;
    place-items: center;
    border-radius: 50%;
    overflow: hidden;
    background: ${t.control};
    color: ${t.text};
    font-size: 0.8em;
    font-weight: 600;
    user-select: none;
  }
  [part='avatar'] img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .body {
    min-inline-size: 0;
  }
  [part='system'] {
    padding-block: 4px;
    padding-inline: 12px;
    font-size: 0.85em;
    font-style: italic;
    color: ${t.muted};
    text-align: center;
  }
  [part='day'],
  [part='unread-divider'] {
    display: flex;
    align-items: center;
    gap: 8px;
    padding-block: 8px;
    padding-inline: 12px;
    font-size: 0.8em;
    font-weight: 600;
    color: ${t.muted};
  }
  [part='day']::before,
  [part='day']::after,
  [part='unread-divider']::before,
  [part='unread-divider']::after {
    content: '';
    flex: 1;
    border-block-start: 1px solid ${t.border};
  }
  [part='unread-divider'] {
    color: ${t.danger};
  }
  [part='unread-divider']::before,
  [part='unread-divider']::after {
    border-color: ${t.danger};
  }
  [part='time'] {
    align-self: start;
    margin-inline-start: 0.5em;
    font-size: 0.75em;
    color: ${t.muted};
    white-space: nowrap;
  }
  [part='message'][data-grouped] [part='time'] {
    visibility: hidden;
  }
  [part='message'][data-grouped]:hover [part='time'],
  [part='message'][data-grouped]:focus-within [part='time'],
  [part='message'][data-grouped]:focus [part='time'] {
    visibility: visible;
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
    display: block;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  /* Rendered markdown breaks its own lines (<br>, blocks); the newlines between blocks are not text. */
  [part='text'].rich {
    white-space: normal;
  }
  [part='text'].rich pre {
    white-space: pre;
  }
  [part='text'] p,
  [part='text'] ul,
  [part='text'] ol,
  [part='text'] pre,
  [part='text'] blockquote {
    margin-block: 0 0.25em;
    white-space: normal;
  }
  [part='text'] > :last-child {
    margin-block-end: 0;
  }
  [part='text'] ul,
  [part='text'] ol {
    padding-inline-start: 1.4em;
  }
  [part='text'] code {
    font-family: ui-monospace, monospace;
    font-size: 0.9em;
    padding-inline: 0.25em;
    border-radius: 4px;
    background: ${t.control};
  }
  [part='text'] pre {
    padding-block: 6px;
    padding-inline: 8px;
    border-radius: 4px;
    background: ${t.control};
    overflow-x: auto;
    white-space: pre;
  }
  [part='text'] pre code {
    padding: 0;
    background: none;
  }
  [part='text'] blockquote {
    padding-inline-start: 8px;
    border-inline-start: 3px solid ${t.border};
    color: ${t.muted};
  }
  /* The text colour, underlined: the accent is made for buttons and reads too dark on a dark surface. */
  [part='text'] a {
    color: inherit;
    text-decoration: underline;
  }
  .mention {
    display: inline-block;
    padding-inline: 6px;
    border-radius: 999px;
    background: ${t.control};
    font-weight: 600;
    white-space: nowrap;
  }
  .mention[data-self] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  .deleted {
    font-style: italic;
    color: ${t.muted};
  }
  [part='edited'] {
    font-size: 0.75em;
    color: ${t.muted};
  }
  [part='quote'] {
    display: block;
    inline-size: 100%;
    margin-block: 2px 4px;
    padding-block: 2px;
    padding-inline: 8px;
    border-inline-start: 3px solid ${t.accent};
    border-radius: 0;
    background: ${t.control};
    color: ${t.text};
    text-align: start;
    font-size: 0.85em;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .quote-author {
    font-weight: 600;
    margin-inline-end: 0.5em;
  }
  [part='reactions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-block-start: 4px;
  }
  [part='reaction'] {
    padding-block: 1px;
    padding-inline: 8px;
    border: 1px solid ${t.border};
    border-radius: 999px;
    background: ${t.surface};
    color: ${t.text};
    font-size: 0.85em;
  }
  [part='reaction'][aria-pressed='true'] {
    border-color: ${t.accent};
    background: color-mix(in srgb, ${t.accent} 12%, ${t.surface});
  }
  [part='actions'] {
    position: absolute;
    inset-block-start: -12px;
    inset-inline-end: 12px;
    display: none;
    gap: 2px;
    padding: 2px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    background: ${t.surface};
    z-index: 1;
  }
  [part='message']:hover [part='actions'],
  [part='message']:focus-within [part='actions'],
  [part='message']:focus [part='actions'],
  [part='actions'].open {
    display: flex;
  }
  [part='menu'] {
    position: absolute;
    inset-block-start: 20px;
    inset-inline-end: 12px;
    z-index: 2;
    display: flex;
    flex-direction: column;
    min-inline-size: 10em;
    padding-block: 4px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    background: ${t.surface};
    box-shadow: 0 2px 8px color-mix(in srgb, ${t.text} 25%, transparent);
  }
  [part='menu'].react {
    flex-direction: row;
    min-inline-size: 0;
    padding-inline: 4px;
  }
  [part='menu'] button {
    padding-block: 6px;
    padding-inline: 12px;
    border-radius: 0;
    background: none;
    color: ${t.text};
    text-align: start;
  }
  [part='menu'].react button {
    padding-inline: 6px;
    border-radius: ${t.radius};
    font-size: 1.1em;
  }
  [part='menu'] button:hover,
  [part='menu'] button:focus,
  [part='menu'] button[aria-checked='true'] {
    background: ${t.control};
  }
  button.icon {
    padding-block: 2px;
    padding-inline: 6px;
    background: none;
    color: ${t.text};
    line-height: 1;
  }
  button.icon:hover {
    background: ${t.control};
  }
  [part='new-messages'] {
    position: absolute;
    inset-block-end: 8px;
    inset-inline: 0;
    margin-inline: auto;
    inline-size: fit-content;
    background: ${t.accent};
    color: ${t.onAccent};
    box-shadow: 0 2px 6px color-mix(in srgb, ${t.text} 30%, transparent);
  }
  [part='typing'] {
    min-block-size: 1.4em;
    padding-inline: 12px;
    font-size: 0.8em;
    font-style: italic;
    color: ${t.muted};
  }
  [part='status'] {
    font-size: 0.8em;
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
  [part='messages']:focus-visible,
  .row:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: 2px;
  }
  .row:focus-visible {
    outline-offset: -2px;
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
  ${composerStyles}
  ${attachmentStyles}
`;
