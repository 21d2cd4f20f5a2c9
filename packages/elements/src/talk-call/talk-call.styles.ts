import { css } from 'lit';

export const styles = css`
  :host {
    --talk-accent: #0082c9;
    --talk-danger: #c42e2e;
    --talk-tile-background: #1d1d1d;
    --talk-tile-min-width: 240px;
    --talk-radius: 8px;
    --talk-speaking: #49b382;
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    font: 14px/1.4 system-ui, sans-serif;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 8px;
    flex: 1;
    min-block-size: 0;
  }
  [part='grid'] {
    flex: 1;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(var(--talk-tile-min-width), 1fr));
    gap: 8px;
    align-content: start;
  }
  [part='tile'] {
    position: relative;
    aspect-ratio: 16 / 9;
    overflow: hidden;
    border-radius: var(--talk-radius);
    background: var(--talk-tile-background);
  }
  [part='video'] {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  [part='tile'][data-local] [part='video'] {
    /* A mirror is what people expect to see of themselves. */
    transform: scaleX(-1);
  }
  [part='tile'][data-video-off] [part='video'] {
    visibility: hidden;
  }
  [part='name'] {
    position: absolute;
    inset-inline-start: 8px;
    inset-block-end: 8px;
    padding-block: 2px;
    padding-inline: 6px;
    border-radius: 4px;
    color: #fff;
    background: rgb(0 0 0 / 50%);
  }
  [part='tile'][data-speaking] {
    outline: 3px solid var(--talk-speaking);
    outline-offset: -3px;
  }
  [part='quality'] {
    position: absolute;
    inset-inline-end: 8px;
    inset-block-start: 8px;
    padding-block: 1px;
    padding-inline: 6px;
    border-radius: 4px;
    font-size: 12px;
    color: #fff;
    background: rgb(0 0 0 / 50%);
  }
  [part='quality'][data-quality='excellent'],
  [part='quality'][data-quality='good'] {
    background: rgb(40 130 70 / 80%);
  }
  [part='quality'][data-quality='poor'] {
    background: rgb(190 120 0 / 85%);
  }
  [part='quality'][data-quality='lost'] {
    background: rgb(196 46 46 / 85%);
  }
  [part='reaction'] {
    /* Centred by the grid rather than by offsets, which would need flipping in right-to-left. */
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    font-size: 48px;
    pointer-events: none;
  }
  [part='reactions'] button {
    padding-block: 6px;
    padding-inline: 8px;
  }
  [part='device-picker'] {
    font: inherit;
    max-inline-size: 12em;
    border-radius: var(--talk-radius);
  }
  [part='controls'] {
    display: flex;
    gap: 8px;
    justify-content: center;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: var(--talk-radius);
    padding-block: 6px;
    padding-inline: 14px;
    cursor: pointer;
    background: #e6e6e6;
  }
  button:focus-visible,
  [part='device-picker']:focus-visible {
    outline: 2px solid var(--talk-accent);
    outline-offset: 2px;
  }
  button[aria-pressed='false'] {
    text-decoration: line-through;
  }
  [part='join'] {
    background: var(--talk-accent);
    color: #fff;
  }
  [part='leave'] {
    background: var(--talk-danger);
    color: #fff;
  }
  [part='error'] {
    color: var(--talk-danger);
    text-align: center;
  }
`;
