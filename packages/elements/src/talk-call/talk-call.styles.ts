import { css } from 'lit';
import { t, themeStyles } from '../theme/tokens.js';
import { participantListStyles } from './call-participants.js';

export const styles = css`
  ${themeStyles}
  ${participantListStyles}
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
  .body {
    flex: 1;
    display: flex;
    gap: 8px;
    min-block-size: 0;
  }
  .side {
    flex: 0 0 300px;
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-block-size: 0;
    overflow: auto;
  }
  [part='grid'] {
    flex: 1;
    min-inline-size: 0;
    min-block-size: 0;
    overflow: auto;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(${t.tileMinWidth}, 1fr));
    gap: 8px;
    align-content: start;
    /* Rows as tall as their 16:9 tiles: a tile that clips its video has no automatic minimum, and would shrink. */
    grid-auto-rows: max-content;
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
  [part='device-picker']:focus-visible,
  [part='participants']:focus-visible,
  [part='stats']:focus-visible {
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
  [part='bar'] {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: space-between;
  }
  [part='topology'],
  [part='duration'] {
    padding-block: 2px;
    padding-inline: 8px;
    border-radius: 4px;
    font-size: 13px;
    background: ${t.control};
  }
  [part='duration'] {
    font-variant-numeric: tabular-nums;
  }
  [part='prejoin'] {
    flex: 1;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 8px;
    min-block-size: 0;
  }
  [part='call-status'] {
    margin: 0;
  }
  [part='call-status'][data-active='true'] {
    font-weight: 600;
  }
  [part='preview-frame'] {
    position: relative;
    inline-size: min(100%, 480px);
    aspect-ratio: 16 / 9;
    overflow: hidden;
    border-radius: ${t.radius};
    background: ${t.tileBackground};
  }
  [part='preview'] {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
    /* A mirror, as the self view. */
    transform: scaleX(-1);
  }
  [part='preview-frame'][data-video-off] [part='preview'] {
    visibility: hidden;
  }
  [part='preview-off'] {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    color: ${t.overlayText};
  }
  [part='level-label'] {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  [part='level'] {
    inline-size: 160px;
  }
  [part='preview-error'] {
    color: ${t.danger};
  }
  [part='grid'][data-view='speaker'] {
    display: flex;
    flex-direction: column;
  }
  [part='stage'] {
    position: relative;
    flex: 1;
    display: grid;
    min-block-size: 120px;
    overflow: hidden;
  }
  [part='stage'] > [part='tile'] {
    aspect-ratio: auto;
    block-size: 100%;
  }
  [part='stage'] > [part='tile'] [part='video'] {
    /* The promoted video shows whole: a shared screen cut at the edges loses what matters. */
    object-fit: contain;
  }
  [part='stage'] .self {
    position: absolute;
    inline-size: min(25%, 200px);
    z-index: 1;
  }
  [part='stage'] .self[data-corner^='start'] {
    inset-block-start: 8px;
  }
  [part='stage'] .self[data-corner^='end'] {
    inset-block-end: 8px;
  }
  [part='stage'] .self[data-corner$='-start'] {
    inset-inline-start: 8px;
  }
  [part='stage'] .self[data-corner$='-end'] {
    inset-inline-end: 8px;
  }
  [part='strip'] {
    display: flex;
    gap: 8px;
    overflow-inline: auto;
  }
  [part='strip'] > [part='tile'],
  [part='strip'] > [part='overflow'] {
    flex: 0 0 160px;
  }
  [part='overflow'] {
    display: grid;
    place-items: center;
    aspect-ratio: 16 / 9;
    border-radius: ${t.radius};
    font-size: 28px;
    color: ${t.overlayText};
    background: ${t.tileBackground};
  }
  [part~='mark'] {
    display: inline-flex;
    vertical-align: middle;
  }
  [part~='raised-hand'] {
    position: absolute;
    inset-inline-start: 8px;
    inset-block-start: 8px;
    font-size: 20px;
  }
  [part='problem'] {
    position: absolute;
    inset-inline-end: 8px;
    inset-block-start: 32px;
    padding-block: 1px;
    padding-inline: 6px;
    border-radius: 4px;
    font-size: 12px;
    color: ${t.overlayText};
    background: ${t.qualityLost};
  }
  [part='participants'],
  [part='stats'] {
    padding-block: 4px;
    padding-inline: 12px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    overflow: auto;
  }
  [part='participants'] h2:first-child {
    margin-block-start: 4px;
  }
  [part='stats'] table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 13px;
  }
  [part='stats'] caption {
    text-align: start;
    font-weight: 600;
  }
  [part='stats'] th,
  [part='stats'] td {
    padding-block: 2px;
    padding-inline: 6px;
    text-align: start;
    font-variant-numeric: tabular-nums;
  }
  [part='stats-total'] {
    display: flex;
    gap: 16px;
    margin-block: 4px;
  }
  [part='controls'] {
    flex-wrap: wrap;
  }
  [part='microphone'][data-talking] {
    outline: 2px solid ${t.speaking};
  }
  [part='enable-audio'] {
    align-self: center;
    background: ${t.accent};
    color: ${t.onAccent};
  }
`;
