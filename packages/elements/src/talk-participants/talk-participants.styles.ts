import { css } from 'lit';
import { formStyles } from '../talk-join/talk-join.styles.js';
import { t, themeStyles } from '../theme/tokens.js';

export const styles = css`
  ${themeStyles}
  ${formStyles}
  :host {
    display: block;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  h2,
  h3 {
    margin: 0;
    font-size: 1.05em;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  [part='participant'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    padding-block: 6px;
    padding-inline: 8px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
    background: ${t.surface};
  }
  [part='name'] {
    flex: 1;
    min-inline-size: 8rem;
    font-weight: 600;
  }
  [part='role'],
  [part='call-state'] {
    color: ${t.muted};
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  [part='actions'] button {
    padding-block: 3px;
    padding-inline: 10px;
  }
  fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    margin: 0;
    padding-block: 6px;
    padding-inline: 8px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
  }
  fieldset label {
    flex-direction: row;
    align-items: center;
  }
  [part='permissions'] {
    flex-basis: 100%;
  }
  [part='settings'] {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 12px;
    border: 1px solid ${t.border};
    border-radius: ${t.radius};
  }
  [part='settings'] form {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 6px;
  }
  [part='settings'] form label {
    flex: 1;
    min-inline-size: 12rem;
  }
`;
