// The page the real-browser tests drive: one call-core participant, its remote tracks shown in small video
// elements (the SFU's adaptive stream only sends video that an element shows), and `window.talk` for the test.
import {
  Call,
  CallEvent,
  type CallTrack,
  ChatStore,
  ClientEvent,
  type RemoteParticipant,
  type SwitchMark,
  type SwitchTimings,
  TalkClient,
  type TopologyMode,
  TrackKind,
  TrackSource,
} from '@talk/call-core';
import type { PageSnapshot, RemoteView, TestPageApi, TimedEvent } from './api.js';
import { cameraHidden, cameraShown, measureFrameGaps, observeRemoteVideo } from './frame-gaps.js';

observeRemoteVideo();

let call: Call | null = null;
let talkClient: TalkClient | null = null;
const events: string[] = [];
const timeline: TimedEvent[] = [];
/** Every step of every topology switch, for the switch benchmark's breakdown. */
const switchMarks: SwitchMark[] = [];
let chat: ChatStore | null = null;
const reactions: string[] = [];
/** The participant object first seen for each session, to prove that a switch keeps it. */
const firstSeen = new Map<string, RemoteParticipant>();
const elements = new Map<string, HTMLMediaElement>();
const shown = new WeakMap<HTMLMediaElement, CallTrack>();
/** Per remote session while measuring: the shown camera and WebRTC's freeze time on it when measuring began. */
const freezesAtStart = new Map<string, { track: CallTrack | undefined; freezesMs: number }>();
/** The longest time between two ticks of a 40 ms timer while measuring: how late the page itself ran. */
let lastTick = 0;
let longestTickGap = 0;
let tickTimer: ReturnType<typeof setInterval> | undefined;
let joinOptions: Parameters<TestPageApi['join']>[0] | undefined;
/** Every peer connection the page made, for the candidate pairs they selected. */
const peerConnections: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;

/**
 * Makes every peer connection call-core creates from now on relay-only (or not), as a host that hides its
 * users' addresses would configure it, and keeps it for {@link TestPageApi.selectedCandidates}.
 */
function forceRelay(relay: boolean): void {
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(relay ? { ...configuration, iceTransportPolicy: 'relay' } : configuration);
      peerConnections.push(this);
    }
  };
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A 440 Hz tone as a microphone track. */
function toneTrack(): MediaStreamTrack {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  oscillator.frequency.value = 440;
  const destination = context.createMediaStreamDestination();
  oscillator.connect(destination);
  oscillator.start();
  const track = destination.stream.getAudioTracks()[0]!;
  track.addEventListener('ended', () => void context.close());
  return track;
}

/** A small, slow fake camera: five participants in one browser must fit on two cores. */
async function smallMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const device = typeof constraints.video === 'object' ? constraints.video : {};
  const tone = joinOptions?.tone === true && !!constraints.audio;
  const video = constraints.video ? { ...device, width: 160, height: 120, frameRate: 15 } : false;
  if (!tone) return navigator.mediaDevices.getUserMedia({ audio: constraints.audio, video });
  const stream = video ? await navigator.mediaDevices.getUserMedia({ video }) : new MediaStream();
  stream.addTrack(toneTrack());
  return stream;
}

/** A moving canvas as the "screen": headless Chromium has no screen to pick. */
function fakeScreen(): Promise<MediaStream> {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => {
    frame++;
    context.fillStyle = `hsl(${(frame * 7) % 360} 60% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#fff';
    context.fillText(`screen ${frame}`, 10, 20);
  }, 66);
  const stream = canvas.captureStream(15);
  stream.getVideoTracks()[0]?.addEventListener('ended', () => clearInterval(timer));
  return Promise.resolve(stream);
}

function elementFor(sessionId: string, track: CallTrack): HTMLMediaElement {
  const key = `${sessionId}/${track.source}`;
  let element = elements.get(key);
  if (!element) {
    element = document.createElement(track.kind === TrackKind.Video ? 'video' : 'audio');
    element.autoplay = true;
    element.muted = true;
    if (element instanceof HTMLVideoElement) element.playsInline = true;
    element.dataset.key = key;
    document.getElementById('tiles')!.append(element);
    elements.set(key, element);
  }
  return element;
}

function show(track: CallTrack, participant: RemoteParticipant): void {
  const element = elementFor(participant.sessionId, track);
  shown.get(element)?.detach(element);
  track.attach(element);
  shown.set(element, track);
  timeline.push({ at: Date.now(), what: `shown ${participant.sessionId} ${track.source}` });
  if (track.source !== TrackSource.Camera) return;
  cameraShown(participant.sessionId, track);
  // Swapped in mid-measurement: only freezes from now on are on the shown track (one made ahead of a switch may
  // have decoded frames, then waited paused, which WebRTC counts as a freeze of a track nobody saw).
  if (tickTimer !== undefined) {
    void counters(track).then(({ freezesMs }) => freezesAtStart.set(participant.sessionId, { track, freezesMs }));
  }
}

function hide(track: CallTrack, participant: RemoteParticipant): void {
  const element = elements.get(`${participant.sessionId}/${track.source}`);
  if (!element || shown.get(element) !== track) return;
  track.detach(element);
  shown.delete(element);
  if (track.source === TrackSource.Camera) cameraHidden(participant.sessionId);
}

interface InboundRtp {
  type: string;
  framesDecoded?: number;
  packetsReceived?: number;
  totalFreezesDuration?: number;
}

/** Frames decoded (video) or packets received (audio) so far, and for video the seconds spent frozen. */
async function counters(track: CallTrack | undefined): Promise<{ count: number; freezesMs: number }> {
  const report = await track?.getStats();
  let count = 0;
  let freezesMs = 0;
  report?.forEach((stats: InboundRtp) => {
    if (stats.type !== 'inbound-rtp') return;
    count += track?.kind === TrackKind.Video ? (stats.framesDecoded ?? 0) : (stats.packetsReceived ?? 0);
    freezesMs += (stats.totalFreezesDuration ?? 0) * 1000;
  });
  return { count, freezesMs };
}

async function decoded(track: CallTrack | undefined): Promise<number> {
  return (await counters(track)).count;
}

/** WebRTC's freeze time on each remote session's shown camera since measuring began, in ms. */
async function freezesSinceStart(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const participant of call?.remoteParticipants.values() ?? []) {
    const track = participant.videoTrack;
    const before = freezesAtStart.get(participant.sessionId);
    const { freezesMs } = await counters(track);
    result[participant.sessionId] = freezesMs - (before && before.track === track ? before.freezesMs : 0);
  }
  return result;
}

const api: TestPageApi = {
  async join(options) {
    joinOptions = options;
    const { user, room, topology, audio = true, video = true, switchTimings } = options;
    forceRelay(options.relayOnly ?? false);
    const { token } = options.token
      ? { token: options.token }
      : await post<{ token: string }>('/api/v1/dev/tokens', {
          userId: user,
          displayName: user.toUpperCase(),
          // The host vouches for the test rooms, which may be public conversations.
          objects: [{ pattern: 'test:*', types: ['public'] }],
        });
    const client = new TalkClient({ serverUrl: location.origin, token, backoff: options.backoff });
    talkClient = client;
    client.on(ClientEvent.ConnectionStateChanged, (state) =>
      timeline.push({ at: Date.now(), what: `connection ${state}` }),
    );
    const conversation = await client.createConversation({
      type: 'public',
      name: `Test ${room}`,
      object: { type: 'test', id: room },
    });
    await client.joinConversation(conversation.token);
    await client.connect();
    call = new Call(client, conversation.token, {
      topology: topology as TopologyMode | undefined,
      getUserMedia: smallMedia,
      getDisplayMedia: fakeScreen,
      switchTimings: switchTimings as Partial<SwitchTimings> | undefined,
      prepareSfu: options.prepareSfu,
    });
    call.on(CallEvent.TrackSubscribed, show);
    call.on(CallEvent.TrackUnsubscribed, hide);
    call.on(CallEvent.ParticipantJoined, (participant) => {
      if (!firstSeen.has(participant.sessionId)) firstSeen.set(participant.sessionId, participant);
    });
    const note = (what: string) => {
      events.push(what);
      timeline.push({ at: Date.now(), what });
    };
    call.on(CallEvent.TopologySwitchStarted, (from, to) => note(`switch ${from}->${to}`));
    call.on(CallEvent.TopologyChanged, (topology, reason) => note(`topology ${topology} ${reason}`));
    call.on(CallEvent.TopologySwitchProgress, (mark) => switchMarks.push(mark));
    call.on(CallEvent.ReactionReceived, (participant, emoji) => reactions.push(`${participant.sessionId} ${emoji}`));
    call.on(CallEvent.DeviceChanged, (kind, _deviceId, reason) => events.push(`device ${kind} ${reason}`));
    call.on(CallEvent.Error, (error) => events.push(`error ${error.code} ${error.message}`));
    // The join benchmark times from here, what a click on "Join" starts, to the first remote frame.
    (window as { joinStartedAt?: number }).joinStartedAt = Date.now();
    await call.join({ audio, video });
    return { sessionId: client.sessionId ?? '', conversation: conversation.token };
  },

  async snapshot(): Promise<PageSnapshot> {
    const remotes: RemoteView[] = [];
    for (const participant of call?.remoteParticipants.values() ?? []) {
      remotes.push({
        sessionId: participant.sessionId,
        displayName: participant.displayName,
        media: { ...participant.media },
        handRaised: participant.handRaised,
        sameObject: firstSeen.get(participant.sessionId) === participant,
        sources: [...participant.tracks.keys()],
        cameraFrames: await decoded(participant.videoTrack),
        screenFrames: await decoded(participant.screenTrack),
        audioPackets: await decoded(participant.audioTrack),
        cameraEnabled: participant.videoTrack?.mediaStreamTrack.enabled ?? false,
      });
    }
    const local = call?.localParticipant;
    return {
      state: call?.state ?? 'none',
      connection: talkClient?.connectionState ?? 'none',
      local: {
        cameraTrack: local?.videoTrack?.mediaStreamTrack.id ?? '',
        microphoneTrack: local?.audioTrack?.mediaStreamTrack.id ?? '',
        cameraDevice: call?.deviceId('camera') ?? '',
        cameraEnabled: local?.videoTrack?.mediaStreamTrack.enabled ?? false,
      },
      topology: call?.topology ?? 'none',
      switchingTo: call?.switchingTo ?? null,
      preparedFor: call?.preparedFor ?? null,
      openPeerConnections: peerConnections.filter((pc) => pc.connectionState !== 'closed').length,
      reason: call?.topologyReason ?? null,
      localSessionId: call?.localParticipant?.sessionId ?? '',
      localHandRaised: call?.localParticipant?.handRaised ?? false,
      events: [...events],
      activeSpeaker: call?.activeSpeaker?.sessionId ?? null,
      reactions: [...reactions],
      remotes,
      rates: (call?.lastStats?.remote ?? []).map(({ sessionId, videoBitrateDown, roundTripTime, quality }) => ({
        sessionId,
        videoBitrateDown,
        roundTripTime,
        quality,
      })),
    };
  },

  async topologyNow() {
    return {
      topology: call?.topology ?? 'none',
      switchingTo: call?.switchingTo ?? null,
      preparedFor: call?.preparedFor ?? null,
    };
  },

  async setCamera(enabled) {
    await call?.setCameraEnabled(enabled);
  },

  async setMicrophone(enabled) {
    await call?.setMicrophoneEnabled(enabled);
  },

  async shareScreen(enabled) {
    await call?.setScreenShareEnabled(enabled);
  },

  async raiseHand(raised) {
    call?.setHandRaised(raised);
  },

  async leave() {
    await call?.leave();
  },

  async measureGaps(on) {
    const freezes = await freezesSinceStart();
    const { decoded, acrossSwap } = await measureFrameGaps(on);
    clearInterval(tickTimer);
    const readingGap = longestTickGap;
    tickTimer = undefined;
    freezesAtStart.clear();
    lastTick = 0;
    longestTickGap = 0;
    if (on) {
      for (const participant of call?.remoteParticipants.values() ?? []) {
        const track = participant.videoTrack;
        freezesAtStart.set(participant.sessionId, { track, freezesMs: (await counters(track)).freezesMs });
      }
      tickTimer = setInterval(() => {
        const now = performance.now();
        if (lastTick > 0) longestTickGap = Math.max(longestTickGap, now - lastTick);
        lastTick = now;
      }, 40);
    }
    return { decoded, acrossSwap, freezes, readingGap };
  },

  async rejoin() {
    await call?.join({ audio: joinOptions?.audio ?? true, video: joinOptions?.video ?? true });
  },

  async listDevices(kind) {
    return (await call?.listDevices(kind))?.map((device) => device.deviceId) ?? [];
  },

  async setDevice(kind, deviceId) {
    await call?.setDevice(kind, deviceId);
  },

  async loseDevice(kind) {
    const participant = call?.localParticipant;
    const track = (kind === 'camera' ? participant?.videoTrack : participant?.audioTrack)?.mediaStreamTrack;
    // stop() alone fires nothing; an unplugged device ends the track and fires `ended`.
    track?.stop();
    track?.dispatchEvent(new Event('ended'));
  },

  async unplugDevice(kind) {
    const gone = call?.deviceId(kind);
    const mediaDevices = navigator.mediaDevices;
    const enumerate = mediaDevices.enumerateDevices.bind(mediaDevices);
    // Only until the call has looked: the fallback may well capture from the same fake device again.
    mediaDevices.enumerateDevices = async () => {
      mediaDevices.enumerateDevices = enumerate;
      return (await enumerate()).filter((device) => device.deviceId !== gone);
    };
    mediaDevices.dispatchEvent(new Event('devicechange'));
  },

  async react(emoji) {
    call?.sendReaction(emoji);
  },

  async announceAgain() {
    if (!call || !talkClient) return;
    const { conversation } = call;
    talkClient.send({ type: 'call-leave', conversation });
    talkClient.send({ type: 'call-join', conversation, media: { ...call.media } });
  },

  async stats() {
    return call ? await call.getStats() : null;
  },

  async startChat() {
    if (!call || !talkClient || chat) return;
    chat = new ChatStore(talkClient, call.conversation);
    await chat.start();
  },

  async chatIds() {
    return (chat?.items ?? []).flatMap((item) => (item.id === null ? [] : [item.id]));
  },

  async timeline() {
    return [...timeline];
  },

  async switchMarks(since) {
    return switchMarks.filter((mark) => mark.at >= since);
  },

  async selectedCandidates() {
    const pairs: Array<{ local: string; remote: string; policy: string }> = [];
    for (const pc of peerConnections) {
      const report = await pc.getStats();
      const transports = [...report.values()].filter((entry) => entry.type === 'transport');
      for (const transport of transports) {
        const pair = transport.selectedCandidatePairId && report.get(transport.selectedCandidatePairId);
        if (!pair) continue;
        pairs.push({
          local: report.get(pair.localCandidateId)?.candidateType ?? 'unknown',
          remote: report.get(pair.remoteCandidateId)?.candidateType ?? 'unknown',
          policy: pc.getConfiguration().iceTransportPolicy ?? 'all',
        });
      }
    }
    return pairs;
  },
};

(window as unknown as { talk: TestPageApi }).talk = api;
