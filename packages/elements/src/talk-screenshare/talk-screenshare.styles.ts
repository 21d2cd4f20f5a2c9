import { css } from 'lit';

export const styles = css`
  :host {
    --talk-accent: #00679e;
    --talk-danger: #c42e2e;
    --talk-stage-background: #111;
    --talk-radius: 8px;
    display: block;
    font: 14px/1.4 system-ui, sans-serif;
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
    border-radius: var(--talk-radius);
    background: var(--talk-stage-background);
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
    color: #fff;
    background: rgb(0 0 0 / 50%);
  }
  [part='empty'] {
    display: grid;
    place-items: center;
    height: 100%;
    color: #bbb;
  }
  [part='toggle'] {
    align-self: center;
    font: inherit;
    border: 0;
    border-radius: var(--talk-radius);
    padding: 6px 14px;
    cursor: pointer;
    color: #fff;
    background: var(--talk-accent);
  }
  [part='toggle'][aria-pressed='true'] {
    background: var(--talk-danger);
  }
  [part='error'] {
    color: var(--talk-danger);
    text-align: center;
  }
`;
