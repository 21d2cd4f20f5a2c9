import { css } from 'lit';

export const styles = css`
  :host {
    --talk-accent: #0082c9;
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
    color: #fff;
    background: rgb(0 0 0 / 50%);
  }
  [part='empty'] {
    display: grid;
    place-items: center;
    block-size: 100%;
    color: #bbb;
  }
  [part='toggle'] {
    align-self: center;
    font: inherit;
    border: 0;
    border-radius: var(--talk-radius);
    padding-block: 6px;
    padding-inline: 14px;
    cursor: pointer;
    color: #fff;
    background: var(--talk-accent);
  }
  [part='toggle']:focus-visible {
    outline: 2px solid var(--talk-accent);
    outline-offset: 2px;
  }
  [part='toggle'][aria-pressed='true'] {
    background: var(--talk-danger);
  }
  [part='error'] {
    color: var(--talk-danger);
    text-align: center;
  }
`;
