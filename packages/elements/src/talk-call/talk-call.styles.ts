import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';

export const styles = css`
  ${themeStyles}
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
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
    color: ${t.overlayText};
    background: ${t.overlayBackground};
  }
  [part='tile'][data-speaking] {
    outline: 3px solid ${t.speaking};
    outline-offset: -3px;
  }
  [part='quality'] {
    position: absolute;
    right: 8px;
    top: 8px;
    padding: 1px 6px;
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
    padding: 6px 14px;
    cursor: pointer;
    color: inherit;
    background: ${t.control};
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
