import { msg } from '@lit/localize';
import type { Call, Participant, StatsSample } from '@talk/call-core';
import { html, nothing } from 'lit';
import { formatNumber } from '../i18n/format.js';

const formats = new Map<string, Intl.NumberFormat>();
/** A number with a unit as the locale writes it ("1.234 kbit/s", "45 ms", "3 %"). */
function unit(lang: string, value: number, options: Intl.NumberFormatOptions): string {
  const key = `${lang}\n${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, { maximumFractionDigits: 0, ...options });
    formats.set(key, format);
  }
  return format.format(value);
}

const kbps = (lang: string, bitsPerSecond: number) =>
  unit(lang, bitsPerSecond / 1000, { style: 'unit', unit: 'kilobit-per-second', unitDisplay: 'short' });

/** What the topology badge says: how media flows now, or that it is moving. */
export function topologyLabel(call: Call): { key: 'mesh' | 'sfu' | 'switching'; label: string } {
  if (call.switchingTo) return { key: 'switching', label: msg('Switching…', { id: 'call.topology.switching' }) };
  return call.topology === 'sfu'
    ? { key: 'sfu', label: msg('Via server (SFU)', { id: 'call.topology.sfu' }) }
    : { key: 'mesh', label: msg('Peer to peer', { id: 'call.topology.mesh' }) };
}

/** The badge: mesh, SFU or switching, with why when the call would be on the SFU but the server has none. */
export function renderTopologyBadge(call: Call) {
  const { key, label } = topologyLabel(call);
  const noSfu = call.topologyReason === 'no-sfu' && key === 'mesh';
  return html`<span part="topology" data-topology=${key} role="status"
    >${label}${noSfu ? html` · ${msg('no SFU available', { id: 'call.topology.no-sfu' })}` : nothing}</span
  >`;
}

/**
 * The statistics panel, from the last `StatsUpdated`: per remote participant bitrate, resolution, frame rate,
 * round-trip time and loss; and what the call sends and receives in all.
 */
export function renderStatsPanel(lang: string, sample: StatsSample | null, participants: readonly Participant[]) {
  const title = msg('Call statistics', { id: 'call.stats.label' });
  if (!sample) {
    return html`<section part="stats" tabindex="0" aria-label=${title}>
      <p>${msg('Measuring…', { id: 'call.quality.unknown' })}</p>
    </section>`;
  }
  const names = new Map(participants.map((p) => [p.sessionId, p.displayName || p.userId]));
  const up = sample.local.reduce((total, rates) => total + rates.bitrateUp, 0);
  const down = sample.remote.reduce((total, rates) => total + rates.videoBitrateDown + rates.audioBitrateDown, 0);
  const dash = '–';
  return html`<section part="stats" tabindex="0" aria-label=${title}>
    <p part="stats-total">
      <span data-stat="up">${msg('Sending', { id: 'call.stats.up' })}: ${kbps(lang, up)}</span>
      <span data-stat="down">${msg('Receiving', { id: 'call.stats.down' })}: ${kbps(lang, down)}</span>
    </p>
    <table>
      <caption>${title}</caption>
      <thead>
        <tr>
          <th scope="col">${msg('Participant', { id: 'call.stats.participant' })}</th>
          <th scope="col">${msg('Bitrate', { id: 'call.stats.bitrate' })}</th>
          <th scope="col">${msg('Resolution', { id: 'call.stats.resolution' })}</th>
          <th scope="col">${msg('Frame rate', { id: 'call.stats.frame-rate' })}</th>
          <th scope="col">${msg('Round trip', { id: 'call.stats.rtt' })}</th>
          <th scope="col">${msg('Loss', { id: 'call.stats.loss' })}</th>
        </tr>
      </thead>
      <tbody>
        ${sample.remote.map((rates) => {
          const video = sample.stats.remote
            .find((remote) => remote.sessionId === rates.sessionId)
            ?.tracks.find((track) => track.kind === 'video' && track.frameWidth > 0);
          return html`<tr part="stats-row" data-session-id=${rates.sessionId}>
            <th scope="row">${names.get(rates.sessionId) ?? rates.sessionId}</th>
            <td data-stat="bitrate">${kbps(lang, rates.videoBitrateDown + rates.audioBitrateDown)}</td>
            <td data-stat="resolution">
              ${video ? `${formatNumber(lang, video.frameWidth)}×${formatNumber(lang, video.frameHeight)}` : dash}
            </td>
            <td data-stat="frame-rate">${formatNumber(lang, Math.round(rates.framesDecodedPerSecond))}</td>
            <td data-stat="rtt">
              ${
                rates.roundTripTime === undefined
                  ? dash
                  : unit(lang, rates.roundTripTime * 1000, { style: 'unit', unit: 'millisecond', unitDisplay: 'short' })
              }
            </td>
            <td data-stat="loss">${unit(lang, rates.packetLoss, { style: 'percent', maximumFractionDigits: 1 })}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}
