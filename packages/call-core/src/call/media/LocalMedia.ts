import type { CallMedia, SessionInfo } from '@talk/protocol';
import { asTalkError, TalkError, TalkErrorCode } from '../../errors.js';
import {
  constraintKey,
  type DeviceChangeReason,
  type DeviceKind,
  deviceConstraint,
  deviceIdOf,
  sourceOfDevice,
} from '../devices.js';
import type { MediaEngine } from '../engine/MediaEngine.js';
import { type CallEmit, CallEvent } from '../events.js';
import { LocalParticipant } from '../participant/LocalParticipant.js';
import { CallTrack, TrackSource } from '../track.js';
import { DeviceWatcher } from './DeviceWatcher.js';

/** What LocalMedia needs from its call. */
export interface LocalMediaOptions {
  /** Sends local tracks out on every live transport. */
  engine: Pick<MediaEngine, 'topology' | 'publish' | 'unpublish' | 'replace' | 'setEnabled'>;
  /** Whether the call is joined, so that changes go out now rather than on join. */
  joined(): boolean;
  /** Tells the others this browser's media (a `call-join` again); dropped while signaling is down. */
  announce(media: CallMedia): void;
  /** Raises the call's events. */
  emit: CallEmit;
  /** Gets camera and microphone; defaults to navigator.mediaDevices.getUserMedia. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** Gets a screen to share; defaults to navigator.mediaDevices.getDisplayMedia. */
  getDisplayMedia?: (options: DisplayMediaStreamOptions) => Promise<MediaStream>;
}

type CameraOrMicrophone = TrackSource.Camera | TrackSource.Microphone;

const mediaKey = { [TrackSource.Camera]: 'video', [TrackSource.Microphone]: 'audio' } as const;
const deviceOfSource = { [TrackSource.Camera]: 'camera', [TrackSource.Microphone]: 'microphone' } as const;

/** What `getUserMedia` is asked for: per kind, nothing, anything, or a device. */
type CaptureConstraints = { audio?: boolean | MediaTrackConstraints; video?: boolean | MediaTrackConstraints };

/**
 * This browser's side of a call: what it wants to send (`media`), the local participant and its tracks, the chosen
 * devices, and the screen share. It captures, and publishes through the engine, as the user switches things.
 */
export class LocalMedia {
  readonly #options: LocalMediaOptions;
  readonly #devices: DeviceWatcher;
  #media: CallMedia = { audio: true, video: true };
  #local: LocalParticipant | null = null;
  /** The devices `setDevice` chose; absent kinds capture from the browser's default. */
  readonly #deviceIds: Partial<Record<DeviceKind, string>> = {};

  constructor(options: LocalMediaOptions) {
    this.#options = options;
    this.#devices = new DeviceWatcher({
      track: (kind) => this.#local?.tracks.get(sourceOfDevice[kind]),
      lost: (kind) => this.#recoverDevice(kind),
      error: (error) => options.emit(CallEvent.Error, error),
    });
  }

  /** Whether camera, microphone and screen share are (or will be, on join) switched on. */
  get media(): CallMedia {
    return this.#media;
  }

  /** This browser's participant while in the call. */
  get participant(): LocalParticipant | null {
    return this.#local;
  }

  /** The local tracks to send. */
  tracks(): CallTrack[] {
    return [...(this.#local?.tracks.values() ?? [])];
  }

  /** Sets what a join starts with: `media` as it was, changed by `wanted`, and no screen share. */
  prepare(wanted: Partial<Omit<CallMedia, 'screen'>>): void {
    this.#media = { ...this.#media, ...wanted, screen: false };
  }

  /** Captures camera and microphone for a join, as `media` asks and from the chosen devices. */
  capture(): Promise<MediaStream | null> {
    return this.#getUserMedia({
      audio: this.#media.audio && deviceConstraint(this.#deviceIds.microphone, false),
      video: this.#media.video && deviceConstraint(this.#deviceIds.camera, false),
    });
  }

  /** Makes the join's local participant from what `capture` got; a join left meanwhile stops it and throws. */
  begin(stream: MediaStream | null, userId: string, signal: AbortSignal): LocalParticipant {
    if (signal.aborted) for (const track of stream?.getTracks() ?? []) track.stop();
    signal.throwIfAborted();
    const local = new LocalParticipant('', userId, userId, { ...this.#media });
    for (const track of stream?.getTracks() ?? []) {
      const source = track.kind === 'video' ? TrackSource.Camera : TrackSource.Microphone;
      local.setTrack(source, this.#captureTrack(track, source));
    }
    this.#local = local;
    return local;
  }

  /** The local participant is this signaling session now; its name is the one the session shows. */
  identify(sessionId: string, sessions: readonly SessionInfo[]): void {
    if (!this.#local) return;
    this.#local.sessionId = sessionId;
    const own = sessions.find((session) => session.sessionId === sessionId);
    if (own) this.#local.displayName = own.participant.displayName;
  }

  /** Watches for devices that go away until the returned function is called. */
  watchDevices(): () => void {
    return this.#devices.start();
  }

  /** Applies a session update if it is this browser's own (a raised hand); false for anybody else's. */
  sessionChanged(session: SessionInfo): boolean {
    const local = this.#local;
    if (!local || session.sessionId !== local.sessionId) return false;
    if (local.handRaised !== (session.handRaised === true)) {
      local.handRaised = session.handRaised === true;
      this.#options.emit(CallEvent.ParticipantUpdated, local);
    }
    return true;
  }

  /** Switches the camera or microphone on or off; in the call without that device, captures and publishes it. */
  async setSourceEnabled(source: CameraOrMicrophone, enabled: boolean): Promise<void> {
    this.#media = { ...this.#media, [mediaKey[source]]: enabled };
    const local = this.#local;
    const { engine } = this.#options;
    if (!local || !engine.topology || !this.#options.joined()) {
      this.#options.emit(CallEvent.LocalMediaChanged, this.#media);
      return;
    }
    const track = local.tracks.get(source);
    if (track) {
      await engine.setEnabled(track, enabled);
    } else if (enabled) {
      // Joined without this device: get it now and publish it, which renegotiates.
      const stream = await this.#getUserMedia({
        [mediaKey[source]]: deviceConstraint(this.#deviceIds[deviceOfSource[source]], false),
      });
      const added = stream?.getTracks()[0];
      if (added) {
        const callTrack = this.#captureTrack(added, source);
        local.setTrack(source, callTrack);
        await engine.publish(callTrack);
        this.#options.emit(CallEvent.LocalTrackPublished, callTrack, local);
      }
    }
    this.#announce({ ...this.#media });
  }

  /** The device a kind captures from now (or will on join); empty for the browser's default before joining. */
  deviceId(kind: DeviceKind): string {
    const track = this.#local?.tracks.get(sourceOfDevice[kind]);
    return track ? deviceIdOf(track.mediaStreamTrack) : (this.#deviceIds[kind] ?? '');
  }

  /**
   * Picks the device of a kind. In the call the new track is sent in place of the old one on every transport
   * without renegotiating, muted if the old one was; before joining this picks the device `join` starts with.
   */
  async setDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    this.#deviceIds[kind] = deviceId;
    const track = this.#local?.tracks.get(sourceOfDevice[kind]);
    if (track && this.#options.joined()) await this.#swapDevice(kind, deviceId, 'selected');
  }

  /**
   * Starts sharing a screen, window or tab (the browser asks which), with its sound where the browser offers it;
   * the share stops by `setScreenShareEnabled(false)` or when the user ends it in the browser's own UI.
   */
  async setScreenShareEnabled(enabled: boolean): Promise<void> {
    const local = this.#local;
    if (!local || !this.#options.joined()) {
      throw new TalkError(TalkErrorCode.InvalidState, 'Join the call before sharing the screen');
    }
    if (enabled === (local.screenTrack !== undefined)) return;
    if (!enabled) {
      await this.#stopScreenShare();
      return;
    }
    const stream = await this.#getDisplayMedia();
    if (this.#local !== local) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const tracks: CallTrack[] = [];
    for (const mediaStreamTrack of stream.getTracks()) {
      const source = mediaStreamTrack.kind === 'video' ? TrackSource.ScreenShare : TrackSource.ScreenShareAudio;
      const track = new CallTrack(mediaStreamTrack, source);
      local.setTrack(source, track);
      tracks.push(track);
      if (source === TrackSource.ScreenShare) {
        // The browser's own "Stop sharing" ends the track without asking the page.
        mediaStreamTrack.addEventListener('ended', () => {
          if (this.#local?.screenTrack === track) void this.#stopScreenShare();
        });
      }
    }
    for (const track of tracks) {
      await this.#options.engine.publish(track);
      this.#options.emit(CallEvent.LocalTrackPublished, track, local);
    }
    this.#announce({ ...this.#media, screen: true });
  }

  /** Stops every local track and forgets the participant; what to send on the next join stays, but the share. */
  stop(): void {
    this.#local?.stopTracks();
    this.#local = null;
    this.#media = { ...this.#media, screen: false };
  }

  #captureTrack(mediaStreamTrack: MediaStreamTrack, source: CameraOrMicrophone): CallTrack {
    const track = new CallTrack(mediaStreamTrack, source);
    this.#devices.watch(track, deviceOfSource[source]);
    return track;
  }

  /** The device in use went away: forget the choice and capture from the default device. */
  async #recoverDevice(kind: DeviceKind): Promise<void> {
    delete this.#deviceIds[kind];
    try {
      await this.#swapDevice(kind, undefined, 'lost');
    } catch (error) {
      this.#options.emit(CallEvent.Error, asTalkError(error));
    }
  }

  /** Captures `kind` from `deviceId` (the default when absent) and sends it in place of the current track. */
  async #swapDevice(kind: DeviceKind, deviceId: string | undefined, reason: DeviceChangeReason): Promise<void> {
    const source = sourceOfDevice[kind];
    const local = this.#local;
    const previous = local?.tracks.get(source);
    if (!local || !previous) return;
    const stream = await this.#getUserMedia({ [constraintKey[kind]]: deviceConstraint(deviceId, true) });
    const added = stream?.getTracks()[0];
    if (!added) return;
    // A leave, or another swap, overtook this one: what it captured is not wanted any more.
    if (this.#local !== local || local.tracks.get(source) !== previous) {
      added.stop();
      return;
    }
    // A muted camera stays muted on the new device; the call's state decides, as a lost track may be disabled.
    added.enabled = this.#media[constraintKey[kind]];
    const next = this.#captureTrack(added, source);
    local.setTrack(source, next);
    const enabled = added.enabled;
    await this.#options.engine.replace(previous, next);
    // LiveKit mutes a publication whose track ended, possibly onto the new track; the call's state wins.
    await this.#options.engine.setEnabled(next, enabled);
    previous.mediaStreamTrack.stop();
    this.#options.emit(CallEvent.LocalTrackPublished, next, local);
    this.#options.emit(CallEvent.DeviceChanged, kind, deviceIdOf(added), reason);
  }

  async #stopScreenShare(): Promise<void> {
    const local = this.#local;
    if (!local) return;
    for (const source of [TrackSource.ScreenShare, TrackSource.ScreenShareAudio]) {
      const track = local.tracks.get(source);
      if (!track) continue;
      local.setTrack(source, undefined);
      track.mediaStreamTrack.stop();
      await this.#options.engine.unpublish(track);
      this.#options.emit(CallEvent.LocalTrackUnpublished, track, local);
    }
    this.#announce({ ...this.#media, screen: false });
  }

  /** Re-announcing the media is how others learn about a mute or a share; the server answers with session-updated. */
  #announce(media: CallMedia): void {
    this.#media = media;
    if (this.#local) this.#local.media = { ...media };
    this.#options.announce({ ...media });
    this.#options.emit(CallEvent.LocalMediaChanged, media);
  }

  async #getUserMedia(constraints: CaptureConstraints): Promise<MediaStream | null> {
    if (!constraints.audio && !constraints.video) return null;
    const getUserMedia =
      this.#options.getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c));
    try {
      return await getUserMedia(constraints);
    } catch (cause) {
      throw new TalkError(TalkErrorCode.MediaDenied, `Could not get ${describe(constraints)}: ${String(cause)}`, {
        cause,
      });
    }
  }

  async #getDisplayMedia(): Promise<MediaStream> {
    const getDisplayMedia =
      this.#options.getDisplayMedia ?? ((o: DisplayMediaStreamOptions) => navigator.mediaDevices.getDisplayMedia(o));
    try {
      return await getDisplayMedia({ video: true, audio: true });
    } catch (cause) {
      throw new TalkError(TalkErrorCode.MediaDenied, `Could not share the screen: ${String(cause)}`, { cause });
    }
  }
}

function describe(constraints: CaptureConstraints): string {
  return [constraints.video && 'camera', constraints.audio && 'microphone'].filter(Boolean).join(' and ');
}
