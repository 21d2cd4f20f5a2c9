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
    min-height: 48px;
  }
  [part='video'] {
    width: 100%;
    height: 100%;
    /* A screen must be read whole, so it is letterboxed rather than cropped. */
    object-fit: contain;
  }
  [part='presenter'] {
    position: absolute;
    left: 8px;
    bottom: 8px;
    padding: 2px 6px;
    border-radius: 4px;
    color: ${t.overlayText};
    background: ${t.overlayBackground};
  }
  [part='empty'] {
    display: grid;
    place-items: center;
    height: 100%;
    color: ${t.stageText};
  }
  [part='toggle'] {
    align-self: center;
    font: inherit;
    border: 0;
    border-radius: ${t.radius};
    padding: 6px 14px;
    cursor: pointer;
    color: ${t.onAccent};
    background: ${t.accent};
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
