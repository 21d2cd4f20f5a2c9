import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';

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
    gap: 8px;
    flex: 1;
    min-block-size: 0;
  }
  [part='grid'] {
    flex: 1;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(${t.tileMinWidth}, 1fr));
    gap: 8px;
    align-content: start;
  }
  [part='tile'] {
    position: relative;
    aspect-ratio: 16 / 9;
    overflow: hidden;
    border-radius: ${t.radius};
    background: ${t.tileBackground};
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
    color: ${t.overlayText};
    background: ${t.overlayBackground};
  }
  [part='tile'][data-speaking] {
    outline: 3px solid ${t.speaking};
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
    color: ${t.overlayText};
    background: ${t.overlayBackground};
  }
  [part='quality'][data-quality='excellent'],
  [part='quality'][data-quality='good'] {
    background: ${t.qualityGood};
  }
  [part='quality'][data-quality='poor'] {
    background: ${t.qualityPoor};
  }
  [part='quality'][data-quality='lost'] {
    background: ${t.qualityLost};
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
    border-radius: ${t.radius};
    border: 1px solid ${t.inputBorder};
    color: inherit;
    background: ${t.surface};
  }
  [part='controls'] {
    display: flex;
    gap: 8px;
    justify-content: center;
  }
  button {
    font: inherit;
    border: 0;
    border-radius: ${t.radius};
    padding-block: 6px;
    padding-inline: 14px;
    cursor: pointer;
    color: inherit;
    background: ${t.control};
  }
  button:focus-visible,
  [part='device-picker']:focus-visible {
    outline: 2px solid ${t.accent};
    outline-offset: 2px;
  }
  button[aria-pressed='false'] {
    text-decoration: line-through;
  }
  [part='join'] {
    background: ${t.accent};
    color: ${t.onAccent};
  }
  [part='leave'] {
    background: ${t.danger};
    color: ${t.onDanger};
  }
  [part='error'] {
    color: ${t.danger};
    text-align: center;
  }
`;
