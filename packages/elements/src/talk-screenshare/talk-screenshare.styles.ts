import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';

export const styles = css`
  ${themeStyles}
  :host {
    display: block;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  [part='stage'] {
    position: relative;
    aspect-ratio: 16 / 9;
    overflow: hidden;
    border-radius: ${t.radius};
    background: ${t.stageBackground};
  }
  [part='stage']:has([part='empty']) {
    /* While nobody shares, the stage is a slim bar rather than an empty screen. */
    aspect-ratio: auto;
    min-block-size: 48px;
  }
  [part='video'] {
    inline-size: 100%;
    block-size: 100%;
    /* A screen must be read whole, so it is letterboxed rather than cropped. */
    object-fit: contain;
  }
  [part='presenter'] {
    position: absolute;
    inset-inline-start: 8px;
    inset-block-end: 8px;
    padding-block: 2px;
    padding-inline: 6px;
    border-radius: 4px;
    color: ${t.overlayText};
    background: ${t.overlayBackground};
  }
  [part='empty'] {
    display: grid;
    place-items: center;
    block-size: 100%;
    color: ${t.stageText};
  }
  [part='toggle'] {
    align-self: center;
    font: inherit;
    border: 0;
    border-radius: ${t.radius};
    padding-block: 6px;
    padding-inline: 14px;
    cursor: pointer;
    color: ${t.onAccent};
    background: ${t.accent};
  }
  [part='toggle']:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: 2px;
  }
  [part='toggle'][aria-pressed='true'] {
    color: ${t.onDanger};
    background: ${t.danger};
  }
  [part='error'] {
    color: ${t.danger};
    text-align: center;
  }
`;
