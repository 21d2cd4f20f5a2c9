import { msg, str } from '@lit/localize';
import { ConnectionQuality, type Participant, RemoteParticipant } from '@talk/call-core';
import { html, nothing, svg } from 'lit';

/** What a tile shows beside its participant. */
export interface TileState {
  /** The participant call-core shows as speaking. */
  speaking: boolean;
  /** The emoji the participant reacted with last, while it is on screen. */
  reaction: string | undefined;
  /** Where the tile sits: in the grid, promoted in speaker view, in the strip, or floating (one's own). */
  place: 'grid' | 'promoted' | 'strip' | 'self';
}

/** What the quality badge says, in the current language; the colors come from the stylesheet. */
export function qualityLabel(quality: ConnectionQuality): string {
  switch (quality) {
    case ConnectionQuality.Excellent:
      return msg('Excellent', { id: 'call.quality.excellent' });
    case ConnectionQuality.Good:
      return msg('Good', { id: 'call.quality.good' });
    case ConnectionQuality.Poor:
      return msg('Poor', { id: 'call.quality.poor' });
    case ConnectionQuality.Lost:
      return msg('Lost', { id: 'call.quality.lost' });
    default:
      return msg('Measuring…', { id: 'call.quality.unknown' });
  }
}

/** A microphone, crossed out when `off`; drawn inline so that no icon font or request is needed. */
export const microphoneIcon = (off: boolean) =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="16" height="16"><path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9h-2Z"/>${
    off ? svg`<path stroke="currentColor" stroke-width="2" d="M4 3l16 18"/>` : nothing
  }</svg>`;

/** A camera, crossed out when `off`. */
export const cameraIcon = (off: boolean) =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="16" height="16"><path fill="currentColor" d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4Z"/>${
    off ? svg`<path stroke="currentColor" stroke-width="2" d="M3 3l18 18"/>` : nothing
  }</svg>`;

/** The accessible names of a tile's video: whose camera or screen it shows. */
function videoLabel(participant: Participant, name: string): string {
  if (participant.screenTrack) {
    return participant.isLocal
      ? msg('Your shared screen', { id: 'call.tile.video.own-screen' })
      : msg(str`Screen of ${name}`, { id: 'call.tile.video.screen' });
  }
  return participant.isLocal
    ? msg('Your camera', { id: 'call.tile.video.own-camera' })
    : msg(str`Camera of ${name}`, { id: 'call.tile.video.camera' });
}

/**
 * One participant's tile: the video (a shared screen wins over the camera), the name, marks for a muted microphone,
 * a camera that is off and a raised hand, the speaking outline, and for others the connection's quality and, past
 * Nextcloud Talk's thresholds, a "connection problem" warning. The element attaches the tracks after rendering.
 */
export function renderTile(participant: Participant, state: TileState) {
  const videoOff = !participant.screenTrack && (!participant.media.video || !participant.videoTrack);
  const name = participant.displayName || participant.userId;
  const shown = participant.isLocal ? msg('You', { id: 'call.tile.you' }) : name;
  const remote = participant instanceof RemoteParticipant ? participant : null;
  return html`<div
    part="tile"
    role="group"
    aria-label=${shown}
    data-session-id=${participant.sessionId}
    data-place=${state.place}
    ?data-local=${participant.isLocal}
    ?data-video-off=${videoOff}
    ?data-speaking=${state.speaking}
    ?data-hand=${participant.handRaised}
    ?data-problem=${remote?.connectionProblem === true}
  >
    <video part="video" autoplay playsinline muted aria-label=${videoLabel(participant, name)}></video>
    ${participant.isLocal ? nothing : html`<audio autoplay></audio>`}
    <span part="name">
      ${
        participant.media.audio
          ? nothing
          : html`<span part="mark muted" role="img" aria-label=${msg('Microphone off', { id: 'call.tile.muted' })}
              >${microphoneIcon(true)}</span
            >`
      }
      ${
        participant.media.video
          ? nothing
          : html`<span part="mark camera-off" role="img" aria-label=${msg('Camera off', { id: 'call.tile.camera-off' })}
              >${cameraIcon(true)}</span
            >`
      }
      ${shown}
    </span>
    ${
      participant.handRaised
        ? html`<span part="mark raised-hand" role="img" aria-label=${msg('Hand raised', { id: 'call.tile.hand' })}>✋</span>`
        : nothing
    }
    ${remote ? renderQuality(remote.connectionQuality) : nothing}
    ${
      remote?.connectionProblem
        ? html`<span part="problem" role="status">${msg('Connection problem', { id: 'call.tile.problem' })}</span>`
        : nothing
    }
    ${state.reaction ? html`<span part="reaction" aria-live="polite">${state.reaction}</span>` : nothing}
  </div>`;
}

function renderQuality(quality: ConnectionQuality) {
  const label = qualityLabel(quality);
  return html`<span
    part="quality"
    data-quality=${quality}
    title=${msg(str`Connection quality: ${label}`, { id: 'call.quality.title' })}
  >
    ${label}
  </span>`;
}
