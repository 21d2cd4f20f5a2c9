// One load-test participant: joins the run's call through call-core and reports its peer connections' raw stats.
// The harness drives it through `window.loadtest` (see src/page-api.ts).
import { Call, CallEvent, type CallOptions, type CallTrack, TalkClient, TrackKind } from '@talk/call-core';
import type {
  InboundCounters,
  JoinRequest,
  JoinResult,
  OutboundCounters,
  PageApi,
  PageSample,
} from '../src/page-api.js';

// Every peer connection the page opens, whichever transport opens it (mesh peers, LiveKit's publisher and
// subscriber), is kept here: call-core's CallStats lacks the fields a load test needs (quality limitation, RTT,
// freezes, the encoders' caps), and the harness must not change call-core to get them.
const connections: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;
class TrackedPeerConnection extends NativePeerConnection {
  constructor(configuration?: RTCConfiguration) {
    super(configuration);
    connections.push(this);
  }
}
window.RTCPeerConnection = TrackedPeerConnection;

/**
 * Whether call-core decides the topology itself. The switch lands with a topology event, so its presence in
 * CallEvent is the sign; before that, `auto` would silently become a mesh call.
 */
function callCoreHasAutoTopology(): boolean {
  return Object.values(CallEvent).some((name) => String(name).toLowerCase().includes('topology'));
}

let call: Call | null = null;

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function join(request: JoinRequest): Promise<JoinResult> {
  const { token } = await post<{ token: string }>('/api/v1/dev/tokens', {
    userId: request.userId,
    displayName: `Participant ${request.userId}`,
    // The host vouches for the run's room, which may be a public conversation.
    objects: [{ pattern: `loadtest:${request.runId}`, types: ['public'] }],
  });
  const client = new TalkClient({ serverUrl: location.origin, token });
  const conversation = await client.createConversation({
    type: 'public',
    name: `Load test ${request.runId}`,
    object: { type: 'loadtest', id: request.runId },
  });
  await client.joinConversation(conversation.token);
  await client.connect();
  const topology = request.topology === 'auto' && !callCoreHasAutoTopology() ? 'mesh' : request.topology;
  // Typed through CallOptions so that this compiles before and after call-core learns `auto`.
  call = new Call(client, conversation.token, { topology: topology as CallOptions['topology'] });
  call.on(CallEvent.TrackSubscribed, (track) => show(track, request.tile));
  await call.join({ audio: request.audio, video: true });
  return { conversation: conversation.token, sessionId: client.sessionId ?? '', topology };
}

/** Plays a remote track in a visible element, so the browser decodes and renders it as a real tab would. */
function show(track: CallTrack, tile: JoinRequest['tile']): void {
  const element = document.createElement(track.kind === TrackKind.Video ? 'video' : 'audio');
  element.autoplay = true;
  element.muted = true;
  if (element instanceof HTMLVideoElement) {
    element.playsInline = true;
    element.width = tile.width;
    element.height = tile.height;
  }
  document.body.append(element);
  track.attach(element);
}

// RTCStats entries are dictionaries whose fields depend on `type`; this is the subset read here.
interface RawStats {
  id: string;
  type: string;
  timestamp: number;
  kind?: string;
  bytesSent?: number;
  bytesReceived?: number;
  packetsSent?: number;
  packetsReceived?: number;
  packetsLost?: number;
  framesEncoded?: number;
  framesDecoded?: number;
  freezeCount?: number;
  qualityLimitationReason?: string;
  rid?: string;
  frameHeight?: number;
  state?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
}

async function sample(): Promise<PageSample> {
  const outbound: OutboundCounters[] = [];
  const inbound: InboundCounters[] = [];
  const rtt: number[] = [];
  let videoEncodingCap = 0;
  let topLayerCap = 0;
  const open = connections.map((pc, index) => [pc, index] as const).filter(([pc]) => pc.connectionState !== 'closed');
  await Promise.all(
    open.map(async ([pc, index]) => {
      const report = await pc.getStats();
      report.forEach((stats: RawStats) => {
        const id = `${index}/${stats.id}`;
        const kind = stats.kind ?? '';
        if (stats.type === 'outbound-rtp') {
          outbound.push({
            id,
            kind,
            timestamp: stats.timestamp,
            bytes: stats.bytesSent ?? 0,
            packets: stats.packetsSent ?? 0,
            frames: stats.framesEncoded ?? 0,
            qualityLimitationReason: stats.qualityLimitationReason,
            rid: stats.rid,
            frameHeight: stats.frameHeight,
          });
        } else if (stats.type === 'inbound-rtp') {
          inbound.push({
            id,
            kind,
            timestamp: stats.timestamp,
            bytes: stats.bytesReceived ?? 0,
            packets: stats.packetsReceived ?? 0,
            frames: stats.framesDecoded ?? 0,
            packetsLost: stats.packetsLost ?? 0,
            freezeCount: stats.freezeCount ?? 0,
          });
        } else if (stats.type === 'candidate-pair' && stats.state === 'succeeded' && stats.nominated) {
          if (stats.currentRoundTripTime !== undefined) rtt.push(stats.currentRoundTripTime);
        }
      });
      for (const sender of pc.getSenders()) {
        if (sender.track?.kind !== 'video') continue;
        for (const encoding of sender.getParameters().encodings ?? []) {
          if (encoding.active === false || !encoding.maxBitrate) continue;
          videoEncodingCap += encoding.maxBitrate;
          topLayerCap = Math.max(topLayerCap, encoding.maxBitrate);
        }
      }
    }),
  );
  const stats = call ? await call.getStats() : undefined;
  return {
    timestamp: performance.timeOrigin + performance.now(),
    topology: stats?.topology ?? call?.topology ?? 'none',
    remoteParticipants: stats?.remote.filter((remote) => remote.tracks.some((t) => t.kind === 'video')).length ?? 0,
    peerConnections: open.length,
    outbound,
    inbound,
    rtt,
    videoEncodingCap,
    topLayerCap,
  };
}

async function leave(): Promise<void> {
  await call?.leave();
}

const api: PageApi = { join, sample, leave };
(window as unknown as { loadtest: PageApi }).loadtest = api;
