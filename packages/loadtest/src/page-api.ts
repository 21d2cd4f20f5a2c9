// The contract between the harness (Node) and its page (one per participant, in Chromium): what the page is told
// to do and the raw counters it hands back each second. Only plain data crosses, so both sides share these types.

/** How a participant's call is set up; `auto` is passed to call-core only when it knows that topology. */
export type RequestedTopology = 'mesh' | 'sfu' | 'auto';

/** What the harness asks a page to do. */
export interface JoinRequest {
  /** The run's id; the conversation is the one of the object `{type: 'loadtest', id: runId}`. */
  runId: string;
  /** This participant's user id, e.g. `p3`. */
  userId: string;
  /** The topology to ask call-core for. */
  topology: RequestedTopology;
  /** Whether to send the microphone and play remote audio; false makes a video-only call. */
  audio: boolean;
  /** Width and height of each remote video element; adaptive SFU streams size their layer to it. */
  tile: { width: number; height: number };
}

/** What the page reports after joining. */
export interface JoinResult {
  /** The conversation's token. */
  conversation: string;
  /** The signaling session id, which is the participant's id in either topology. */
  sessionId: string;
  /** The topology call-core was asked for, after falling back from `auto` when call-core lacks it. */
  topology: string;
}

/** One RTP stream's counters, as RTCStatsReport gives them; `id` is unique within the page. */
export interface RtpCounters {
  /** The page-wide id: peer connection number and the stats id. */
  id: string;
  /** `audio` or `video`. */
  kind: string;
  /** When the browser read these counters (the RTCStats entry's own timestamp), ms since the epoch. */
  timestamp: number;
  /** Payload bytes sent or received so far. */
  bytes: number;
  /** Packets sent or received so far. */
  packets: number;
  /** Frames encoded (outbound) or decoded (inbound) so far; 0 for audio. */
  frames: number;
}

/** Counters of one outbound stream. */
export interface OutboundCounters extends RtpCounters {
  /** `none`, `cpu`, `bandwidth` or `other`; absent for audio. */
  qualityLimitationReason?: string;
  /** The simulcast layer's rid, if any. */
  rid?: string;
  /** Height of the frames last encoded, px; absent for audio and before the first frame. */
  frameHeight?: number;
}

/** Counters of one inbound stream. */
export interface InboundCounters extends RtpCounters {
  /** Packets lost so far. */
  packetsLost: number;
  /** Video freezes so far. */
  freezeCount: number;
}

/** One snapshot of everything the page's peer connections know. */
export interface PageSample {
  /** `performance.timeOrigin + performance.now()` when the snapshot was taken. */
  timestamp: number;
  /** The topology call-core reports in its CallStats (`mesh`, `sfu`, or what `auto` settled on). */
  topology: string;
  /** Remote participants with video that call-core knows. */
  remoteParticipants: number;
  /** Peer connections open in the page: n − 1 in a mesh, two (publisher, subscriber) with LiveKit. */
  peerConnections: number;
  /** Every outbound RTP stream. */
  outbound: OutboundCounters[];
  /** Every inbound RTP stream. */
  inbound: InboundCounters[];
  /** Round-trip times of the connected candidate pairs, in seconds. */
  rtt: number[];
  /** The sum of the `maxBitrate` of every active video encoding this page sends, in bit/s (0 when uncapped). */
  videoEncodingCap: number;
  /** The largest `maxBitrate` of one active video encoding (the top simulcast layer), in bit/s. */
  topLayerCap: number;
}

/** What the page puts on `window.loadtest`. */
export interface PageApi {
  /** Creates or gets the run's conversation, joins it, and joins its call with camera and microphone. */
  join(request: JoinRequest): Promise<JoinResult>;
  /** Reads every peer connection's stats. */
  sample(): Promise<PageSample>;
  /** Leaves the call. */
  leave(): Promise<void>;
}
