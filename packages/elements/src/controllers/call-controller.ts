import {
  asTalkError,
  Call,
  CallEvent,
  ConnectionQuality,
  type DeviceKind,
  type Participant,
  RemoteParticipant,
  type TalkClientLike,
  type TalkError,
  TalkErrorCode,
  type TopologyMode,
} from '@talk/call-core';
import type { ReactiveController } from 'lit';
import { TalkCallStateChangeEvent } from '../events/talk-call-state-change.js';
import { TalkErrorEvent } from '../events/talk-error.js';
import { type ClientHost, ClientResolver } from './client-resolver.js';
import { DeviceSelectController } from './device-select-controller.js';
import { MediaToggleController } from './media-toggle-controller.js';

/** How long a reaction stays on its tile. */
const REACTION_SHOWN_MS = 4_000;

/** What the call controller needs from its element. */
export interface CallHost extends ClientHost {
  /** The conversation's token. */
  conversation?: string;
  /** How the call's media flows: `auto` follows the server. */
  topology?: TopologyMode;
}

/**
 * Keeps a Call for the host's client, conversation and topology; re-renders the host on every call event and
 * reports state changes and failures as DOM events.
 */
export class CallController implements ReactiveController {
  /** The current call, or null while the host lacks a client or conversation. */
  call: Call | null = null;
  /** The last failure of a join or toggle, cleared on the next join. */
  error: TalkError | null = null;
  /** The camera switch of the current call. */
  readonly camera: MediaToggleController;
  /** The microphone switch of the current call. */
  readonly microphone: MediaToggleController;
  /** The camera picker of the current call. */
  readonly cameras: DeviceSelectController;
  /** The microphone picker of the current call. */
  readonly microphones: DeviceSelectController;
  /** The reaction each participant (by session id) showed last, while it is on screen. */
  readonly reactions = new Map<string, string>();
  readonly #reactionTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #host: CallHost;
  readonly #clients: ClientResolver;
  #client: TalkClientLike | null = null;
  #key = '';
  #unsubscribe: (() => void)[] = [];

  constructor(host: CallHost) {
    this.#host = host;
    this.#clients = new ClientResolver(host);
    this.camera = new MediaToggleController(host, 'camera');
    this.microphone = new MediaToggleController(host, 'microphone');
    this.cameras = new DeviceSelectController(host, 'camera');
    this.microphones = new DeviceSelectController(host, 'microphone');
    host.addController(this);
  }

  hostConnected(): void {
    this.#sync();
  }

  /** Inputs may have changed since the last render. */
  hostUpdate(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    // A call must not outlive its element: the camera would stay on with nothing showing it.
    this.#closeCall();
    this.#clients.release();
    this.#client = null;
    this.#key = '';
  }

  /** Joins with the devices the switches say, changed by `media` ("audio only" switches the camera off). */
  async join(media: { video?: boolean } = {}): Promise<void> {
    this.error = null;
    try {
      await this.call?.join(media);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Leaves the call. */
  async leave(): Promise<void> {
    await this.call?.leave();
  }

  /** Flips the camera or the microphone, reporting a failure such as a denied device. */
  async toggle(device: 'camera' | 'microphone'): Promise<void> {
    try {
      await this[device].toggle();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Raises or lowers this participant's hand, reporting a failure such as not being in the call. */
  raiseHand(raised: boolean): void {
    try {
      this.call?.setHandRaised(raised);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Starts or stops sharing a screen (with its sound where the browser offers it), reporting a refused prompt. */
  async toggleScreenShare(): Promise<void> {
    const call = this.call;
    if (!call) return;
    try {
      await call.setScreenShareEnabled(!call.media.screen);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Shows an emoji to everyone in the call, reporting a failure such as not being in the call. */
  react(emoji: string): void {
    try {
      this.call?.sendReaction(emoji);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Captures from another camera or microphone, reporting a failure such as a device that is gone. */
  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    try {
      await (kind === 'camera' ? this.cameras : this.microphones).select(deviceId);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** How well a participant's media arrives, as call-core judged it last; unknown for this browser's own. */
  quality(participant: Participant): ConnectionQuality {
    return participant instanceof RemoteParticipant ? participant.connectionQuality : ConnectionQuality.Unknown;
  }

  /** Whether the participant is the one call-core shows as speaking. */
  isSpeaking(participant: Participant): boolean {
    return this.call?.activeSpeaker === participant;
  }

  #sync(): void {
    const client = this.#clients.resolve();
    const { conversation, topology = 'auto' } = this.#host;
    const key = `${conversation}\n${topology}`;
    if (client === this.#client && key === this.#key) return;
    this.#closeCall();
    this.#client = client;
    this.#key = key;
    if (!client || !conversation) return;
    const call = new Call(client, conversation, { topology });
    this.call = call;
    const update = () => this.#host.requestUpdate();
    this.#unsubscribe = Object.values(CallEvent).map((event) => call.on(event, update));
    this.#unsubscribe.push(
      call.on(CallEvent.ReactionReceived, (participant, emoji) => this.#showReaction(participant.sessionId, emoji)),
      call.on(CallEvent.StateChanged, (state) => this.#host.dispatchEvent(new TalkCallStateChangeEvent(state))),
    );
    this.camera.setCall(call);
    this.microphone.setCall(call);
    this.cameras.setCall(call);
    this.microphones.setCall(call);
  }

  /** A reaction stays on its tile for a few seconds; a newer one from the same participant replaces it. */
  #showReaction(sessionId: string, emoji: string): void {
    clearTimeout(this.#reactionTimers.get(sessionId));
    this.reactions.set(sessionId, emoji);
    this.#reactionTimers.set(
      sessionId,
      setTimeout(() => {
        this.reactions.delete(sessionId);
        this.#reactionTimers.delete(sessionId);
        this.#host.requestUpdate();
      }, REACTION_SHOWN_MS),
    );
    this.#host.requestUpdate();
  }

  #fail(error: unknown): void {
    this.error = asTalkError(error, TalkErrorCode.Transport);
    this.#host.dispatchEvent(new TalkErrorEvent(this.error));
    this.#host.requestUpdate();
  }

  #closeCall(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    for (const timer of this.#reactionTimers.values()) clearTimeout(timer);
    this.#reactionTimers.clear();
    this.reactions.clear();
    this.call?.close();
    this.call = null;
    this.camera.setCall(null);
    this.microphone.setCall(null);
    this.cameras.setCall(null);
    this.microphones.setCall(null);
  }
}
