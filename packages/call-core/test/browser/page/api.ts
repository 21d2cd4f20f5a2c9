// The contract between the browser tests (Node) and their page (Chromium); only plain data crosses.

/** What a test asks a page to join with. */
export interface JoinOptions {
  /** The dev user, e.g. `alice`. */
  user: string;
  /** The conversation is the one of the object `{type: 'test', id: room}`. */
  room: string;
  /** `auto`, `mesh` or `sfu`; call-core's default when absent. */
  topology?: string;
  /** Join with the microphone; true when absent. */
  audio?: boolean;
  /** Join with the camera; true when absent. */
  video?: boolean;
  /**
   * A steady tone as the microphone instead of Chromium's fake one, which beeps in only one tab of a browser, and
   * not always the same: with it, both participants of a test are heard speaking.
   */
  tone?: boolean;
  /** Whether call-core gets the SFU path ready one short of the SFU threshold; its default when absent. */
  prepareSfu?: boolean;
  /** Shorter switch timeouts for tests. */
  switchTimings?: { trackReadyTimeoutMs?: number; switchTimeoutMs?: number; pollMs?: number };
  /** Every peer connection with `iceTransportPolicy: 'relay'`: media only through the TURN server. */
  relayOnly?: boolean;
  /** A token the test minted, for a server without dev tokens; one from `/dev/tokens` when absent. */
  token?: string;
  /** The client's reconnect backoff; call-core's default when absent. */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
}

/** Something the page saw happen, with the wall-clock time (`Date.now()`) it happened at. */
export interface TimedEvent {
  at: number;
  /** `switch <from>-><to>`, `topology <topology> <reason>`, `shown <sessionId> <source>` or `connection <state>`. */
  what: string;
}

/** One remote participant as the page sees it. */
export interface RemoteView {
  sessionId: string;
  displayName: string;
  media: { audio: boolean; video: boolean; screen?: boolean };
  handRaised: boolean;
  /** Whether call-core still hands out the participant object it created first for this session. */
  sameObject: boolean;
  /** Sources of the tracks shown. */
  sources: string[];
  /** Frames decoded so far of the camera track shown now. */
  cameraFrames: number;
  /** Frames decoded so far of the screen track shown now. */
  screenFrames: number;
  /** Audio packets received so far by the microphone track shown now. */
  audioPackets: number;
  /** Whether the shown camera track is enabled. */
  cameraEnabled: boolean;
}

/** The call as one page sees it. */
export interface PageSnapshot {
  state: string;
  /** The signaling connection's state. */
  connection: string;
  topology: string;
  switchingTo: string | null;
  /** The topology call-core has a transport ready on ahead of a switch, or null. */
  preparedFor: string | null;
  /** How many of the page's RTCPeerConnections (mesh and LiveKit alike) are not closed. */
  openPeerConnections: number;
  reason: string | null;
  localSessionId: string;
  localHandRaised: boolean;
  /** Topology events and errors, in order. */
  events: string[];
  remotes: RemoteView[];
  /** This page's own camera and microphone: the track ids sent now, the device and whether the camera sends. */
  local: { cameraTrack: string; microphoneTrack: string; cameraDevice: string; cameraEnabled: boolean };
  /** Reactions received, as `<sessionId> <emoji>`, the page's own included. */
  reactions: string[];
  /** The remote participant call-core shows as speaking, by session id. */
  activeSpeaker: string | null;
  /** call-core's last per-second rates per remote participant. */
  rates: { sessionId: string; videoBitrateDown: number; roundTripTime?: number; quality: string }[];
}

/** What the page puts on `window.talk`. */
export interface TestPageApi {
  join(options: JoinOptions): Promise<{ sessionId: string; conversation: string }>;
  snapshot(): Promise<PageSnapshot>;
  /** The topology alone, cheaper than a snapshot (no statistics read): for polling while a switch is measured. */
  topologyNow(): Promise<{ topology: string; switchingTo: string | null; preparedFor: string | null }>;
  setCamera(enabled: boolean): Promise<void>;
  setMicrophone(enabled: boolean): Promise<void>;
  shareScreen(enabled: boolean): Promise<void>;
  raiseHand(raised: boolean): Promise<void>;
  leave(): Promise<void>;
  /**
   * Starts (true) or stops (false) measuring, and answers for the run that ended, in ms: `decoded` per remote
   * session the longest wait between two decoded frames of the camera it showed (timed in a worker as each frame
   * arrives, across track swaps), `acrossSwap` the longest of those waits that spanned a swap from the old
   * path's track to the new one's, `freezes` per remote session the freeze time WebRTC counted on the shown camera,
   * and `readingGap` the longest time between two ticks of a 40 ms timer (how late the page itself ran).
   */
  measureGaps(on: boolean): Promise<{
    decoded: Record<string, number>;
    acrossSwap: Record<string, number>;
    freezes: Record<string, number>;
    readingGap: number;
  }>;
  /** Joins the same call again after `leave`, with the same client. */
  rejoin(): Promise<void>;
  /** The cameras or microphones the browser offers, as `deviceId`s. */
  listDevices(kind: 'camera' | 'microphone'): Promise<string[]>;
  /** Captures the camera or microphone from another device. */
  setDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void>;
  /** Ends the local camera or microphone track as an unplugged device would (stop, then `ended`). */
  loseDevice(kind: 'camera' | 'microphone'): Promise<void>;
  /**
   * Makes the device of the local camera or microphone vanish from `enumerateDevices` and fires `devicechange`, as
   * unplugging a device whose track the browser keeps live would.
   */
  unplugDevice(kind: 'camera' | 'microphone'): Promise<void>;
  /** Shows an emoji to everyone in the call. */
  react(emoji: string): Promise<void>;
  /**
   * Says call-leave and call-join again on signaling while the media stays connected: the others see this session
   * leave the call and come back, as they do when its SFU media arrives before its call-join.
   */
  announceAgain(): Promise<void>;
  /** call-core's CallStats, as JSON. */
  stats(): Promise<unknown>;
  /** Starts a ChatStore on the call's conversation, as a chat beside the call would. */
  startChat(): Promise<void>;
  /** The ids of the messages the page's ChatStore holds, in its order. */
  chatIds(): Promise<number[]>;
  /** Topology events, shown tracks and connection states, each with when it happened. */
  timeline(): Promise<TimedEvent[]>;
  /** The steps of topology switches (call-core's `TopologySwitchProgress`) at or after `since` (`Date.now()`). */
  switchMarks(
    since: number,
  ): Promise<Array<{ phase: string; at: number; to: string; sessionId?: string; source?: string }>>;
  /** For each peer connection that has one, the candidate types of its selected pair (`relay`, `host`, …). */
  selectedCandidates(): Promise<Array<{ local: string; remote: string; policy: string }>>;
}
