import { type CallSettings, ErrorCode, type SfuTokenResponse } from '@talk/protocol';
import type { Identity } from '../auth/tokens.js';
import { DEFAULT_MAX_VIDEO_BITRATE, type LivekitConfig, type TalkConfig } from '../config.js';
import { TalkServerError } from '../errors.js';
import { mintSfuToken } from '../livekit/sfu-tokens.js';
import type { SignalingHub } from '../signaling/hub.js';
import type { Store } from '../store/store.js';
import { iceServersFor } from '../turn/ice-servers.js';
import { sfuEpochFor } from './call-coordinator.js';

/** What joining a call needs from the rest of the server. */
export interface CallSetupDeps {
  config: Pick<TalkConfig, 'stunUrls' | 'turn' | 'livekit' | 'maxVideoBitrate'>;
  store: Store;
  hub: Pick<SignalingHub, 'calls' | 'isSessionOf'>;
}

/** What a participant needs before joining a call: ICE servers with TURN credentials, the SFU, LiveKit tokens. */
export class CallSetup {
  /** The node the next participant is sent to, among the SFU's `url` and `nodeUrls`. */
  #nextNode = 0;

  constructor(private readonly deps: CallSetupDeps) {}

  /** The settings `me` joins a conversation's call with, and the topology it will be on once they do. */
  async settings(me: Identity, token: string): Promise<CallSettings> {
    const { config, store, hub } = this.deps;
    const call = await store.calls.get(token);
    const { sfuFrom } = hub.calls.policyFor(call?.sfuFrom ?? null, call?.meshAtMost ?? null);
    return {
      iceServers: iceServersFor(config.stunUrls, config.turn, me.userId),
      sfuUrl: config.livekit?.url ?? null,
      maxVideoBitrate: config.maxVideoBitrate ?? DEFAULT_MAX_VIDEO_BITRATE,
      topology: call?.startedAt ? call.topology : 'mesh',
      joinTopology: await hub.calls.topologyOnJoin(token),
      ...(config.livekit ? { sfuFrom } : {}),
    };
  }

  /** The configured SFU; 503 `disabled` when there is none and calls stay mesh. */
  sfu(): LivekitConfig {
    const { livekit } = this.deps.config;
    if (!livekit) throw new TalkServerError(ErrorCode.Disabled, 'No SFU is configured; calls stay mesh');
    return livekit;
  }

  /**
   * A LiveKit token for `me` whose identity is `sessionId` and whose grants follow `permissions`. The session
   * must be a live one of `me` in this conversation, so nobody can take over another participant's place.
   */
  async sfuToken(me: Identity, token: string, sessionId: string, permissions: number): Promise<SfuTokenResponse> {
    const livekit = this.sfu();
    if (!(await this.deps.hub.isSessionOf(token, sessionId, me.userId))) {
      throw new TalkServerError(ErrorCode.Forbidden, 'The session is not yours or has not joined this conversation');
    }
    const epoch = sfuEpochFor(await this.deps.store.calls.get(token));
    // In turn rather than by room: LiveKit routes a participant on any node to the room's node over its Redis,
    // so spreading the signal connections spreads their load whatever the room.
    const nodes = [livekit.url, ...(livekit.nodeUrls ?? [])];
    const url = nodes[this.#nextNode++ % nodes.length]!;
    return mintSfuToken(
      { ...livekit, url },
      {
        epoch,
        room: token,
        identity: sessionId,
        name: me.displayName,
        userId: me.userId,
        permissions,
      },
    );
  }
}
