import { Permission, type SfuTokenResponse } from '@talk/protocol';
import { AccessToken, TrackSource } from 'livekit-server-sdk';
import type { LivekitConfig } from '../config.js';

/** How long a LiveKit token may be used to connect; LiveKit keeps a joined session alive past it. */
const SFU_TOKEN_TTL = '10m';

/** What a LiveKit access token is minted for. */
export interface SfuGrant {
  /** The room: the conversation's token. */
  room: string;
  /** The LiveKit identity: the signaling session id, so one participant has one id in mesh and SFU alike. */
  identity: string;
  /** The name others see. */
  name: string;
  /** The user behind the session, carried in the participant's metadata. */
  userId: string;
  /** The participant's permissions in the conversation; they decide what the token may publish. */
  permissions: number;
  /** The call's SFU epoch the token is for, so that webhooks about it can be told from an earlier epoch's. */
  epoch: number;
}

/** What a LiveKit participant's metadata carries. */
export interface SfuParticipantMetadata {
  userId: string;
  epoch: number;
}

/** The SFU epoch in a LiveKit participant's metadata, if it carries one. */
export function epochOf(metadata: string | undefined): number | undefined {
  try {
    const parsed: unknown = JSON.parse(metadata ?? '');
    if (typeof parsed !== 'object' || parsed === null || !('epoch' in parsed)) return undefined;
    return typeof parsed.epoch === 'number' ? parsed.epoch : undefined;
  } catch {
    return undefined;
  }
}

/** The LiveKit track sources that a permission set allows to publish. */
export function publishSources(permissions: number): TrackSource[] {
  const sources: TrackSource[] = [];
  if (permissions & Permission.PublishAudio) sources.push(TrackSource.MICROPHONE);
  if (permissions & Permission.PublishVideo) sources.push(TrackSource.CAMERA);
  if (permissions & Permission.PublishScreen) sources.push(TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO);
  return sources;
}

/** Mints a LiveKit access token for one room whose publish grants follow the participant's permissions. */
export async function mintSfuToken(livekit: LivekitConfig, grant: SfuGrant): Promise<SfuTokenResponse> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: grant.identity,
    name: grant.name,
    metadata: JSON.stringify({ userId: grant.userId, epoch: grant.epoch } satisfies SfuParticipantMetadata),
    ttl: SFU_TOKEN_TTL,
  });
  const sources = publishSources(grant.permissions);
  token.addGrant({
    room: grant.room,
    roomJoin: true,
    canSubscribe: true,
    canPublish: sources.length > 0,
    canPublishSources: sources,
    canPublishData: true,
  });
  return { url: livekit.url, token: await token.toJwt(), room: grant.room, identity: grant.identity };
}
