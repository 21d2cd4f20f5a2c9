import type { SfuTokenResponse } from '@talk/protocol';
import { AccessToken } from 'livekit-server-sdk';
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
}

/** Mints a LiveKit access token that may join, publish and subscribe in one room. */
export async function mintSfuToken(livekit: LivekitConfig, grant: SfuGrant): Promise<SfuTokenResponse> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: grant.identity,
    name: grant.name,
    metadata: JSON.stringify({ userId: grant.userId }),
    ttl: SFU_TOKEN_TTL,
  });
  token.addGrant({ room: grant.room, roomJoin: true, canPublish: true, canSubscribe: true });
  return { url: livekit.url, token: await token.toJwt(), room: grant.room, identity: grant.identity };
}
