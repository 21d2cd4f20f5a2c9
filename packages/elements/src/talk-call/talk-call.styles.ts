import { css } from 'lit';

export const styles = css`
  :host {
    --talk-accent: #00679e;
    --talk-danger: #c42e2e;
    --talk-tile-background: #1d1d1d;
    --talk-tile-min-width: 240px;
    --talk-radius: 8px;
    --talk-speaking: #49b382;
    display: flex;
    flex-direction: column;
    min-height: 0;
    font: 14px/1.4 system-ui, sans-serif;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 8px;
    flex: 1;
    min-height: 0;
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
    width: 100%;
    height: 100%;
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
    left: 8px;
    bottom: 8px;
    padding: 2px 6px;
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
    right: 8px;
    top: 8px;
    padding: 1px 6px;
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
    position: absolute;
    left: 50%;
    top: 50%;
    font-size: 48px;
    transform: translate(-50%, -50%);
    pointer-events: none;
  }
  [part='reactions'] button {
    padding: 6px 8px;
  }
  [part='device-picker'] {
    font: inherit;
    max-width: 12em;
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
    padding: 6px 14px;
    cursor: pointer;
    background: #e6e6e6;
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
