import { msg } from '@lit/localize';
import type { SessionInfo } from '@talk/call-core';
import { css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { t } from '../theme/tokens.js';
import { cameraIcon, microphoneIcon } from './call-tile.js';

/** One row of the participants panel: a session present in the conversation. */
export interface ParticipantEntry {
  /** The signaling session. */
  sessionId: string;
  /** The user behind it. */
  userId: string;
  /** The name to show. */
  name: string;
  /** This browser's own session. */
  self: boolean;
  /** In the call, or only in the conversation. */
  inCall: boolean;
  /** Microphone on (in the call). */
  audio: boolean;
  /** Camera on (in the call). */
  video: boolean;
  /** Sharing a screen. */
  screen: boolean;
  /** Hand raised. */
  handRaised: boolean;
}

/**
 * The rows of the panel from the sessions signaling reports: the call first, raised hands at its top (in the
 * order the sessions came), then who is only in the conversation; one row per session.
 */
export function participantEntries(sessions: readonly SessionInfo[], selfSessionId: string | null): ParticipantEntry[] {
  const entries = sessions.map((session) => ({
    sessionId: session.sessionId,
    userId: session.participant.userId,
    name: session.participant.displayName || session.participant.userId,
    self: session.sessionId === selfSessionId,
    inCall: session.inCall,
    audio: session.inCall && session.media.audio,
    video: session.inCall && session.media.video,
    screen: session.inCall && session.media.screen === true,
    handRaised: session.handRaised === true,
  }));
  const rank = (entry: ParticipantEntry) => (entry.inCall ? (entry.handRaised ? 0 : 1) : 2);
  return entries.sort((a, b) => rank(a) - rank(b));
}

/**
 * The in-call participants panel: who is in the call, with microphone, camera, screen and hand, and who is in the
 * conversation but not the call. It has no moderator actions; `<talk-participants>` adds those, and may reuse these
 * rows (`participantEntries`, `renderParticipantRow`) and `participantListStyles`.
 */
export function renderParticipantList(entries: readonly ParticipantEntry[]) {
  const inCall = entries.filter((entry) => entry.inCall);
  const outside = entries.filter((entry) => !entry.inCall);
  return html`<section part="participants" tabindex="0" aria-label=${msg('Participants', { id: 'call.participants.label' })}>
    <h2 id="participants-in-call">${msg('In the call', { id: 'call.participants.in-call' })}</h2>
    <ul aria-labelledby="participants-in-call">
      ${repeat(inCall, (entry) => entry.sessionId, renderParticipantRow)}
    </ul>
    ${
      outside.length
        ? html`<h2 id="participants-outside">
              ${msg('In the conversation', { id: 'call.participants.outside' })}
            </h2>
            <ul aria-labelledby="participants-outside">
              ${repeat(outside, (entry) => entry.sessionId, renderParticipantRow)}
            </ul>`
        : nothing
    }
  </section>`;
}

/** One participant's row: the name, then (in the call) its hand and media state as marks with names. */
export function renderParticipantRow(entry: ParticipantEntry) {
  const name = entry.self ? msg('You', { id: 'call.tile.you' }) : entry.name;
  return html`<li
    part="participant"
    data-session-id=${entry.sessionId}
    ?data-in-call=${entry.inCall}
    ?data-hand=${entry.handRaised}
  >
    <span class="name">${name}</span>
    ${
      entry.handRaised
        ? html`<span role="img" data-mark="hand" aria-label=${msg('Hand raised', { id: 'call.tile.hand' })}>✋</span>`
        : nothing
    }
    ${
      entry.inCall
        ? html`${
            entry.screen
              ? html`<span role="img" data-mark="screen" aria-label=${msg('Sharing a screen', { id: 'call.participants.screen' })}>🖥</span>`
              : nothing
          }
          <span
            role="img"
            data-mark="microphone"
            data-on=${entry.audio}
            aria-label=${entry.audio ? msg('Microphone on', { id: 'call.participants.microphone-on' }) : msg('Microphone off', { id: 'call.tile.muted' })}
            >${microphoneIcon(!entry.audio)}</span
          >
          <span
            role="img"
            data-mark="camera"
            data-on=${entry.video}
            aria-label=${entry.video ? msg('Camera on', { id: 'call.participants.camera-on' }) : msg('Camera off', { id: 'call.tile.camera-off' })}
            >${cameraIcon(!entry.video)}</span
          >`
        : nothing
    }
  </li>`;
}

/** The panel's own styles, for the elements that show it. */
export const participantListStyles = css`
  [part='participants'] h2 {
    font-size: 0.9em;
    margin-block: 8px 4px;
    color: ${t.muted};
  }
  [part='participants'] ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='participant'] {
    display: flex;
    align-items: center;
    gap: 6px;
    padding-block: 4px;
  }
  [part='participant'] .name {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='participant'] [data-on='false'] {
    color: ${t.danger};
  }
`;
