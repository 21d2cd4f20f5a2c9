import { createHmac } from 'node:crypto';
import type { IceServer } from '@talk/protocol';
import type { TurnConfig } from '../config.js';

/**
 * TURN credentials by the TURN REST API scheme that coturn's `use-auth-secret` checks: the username is
 * `<unix expiry>:<user id>`, the password base64(HMAC-SHA1(secret, username)). They expire by themselves.
 */
export function turnCredentials(
  turn: TurnConfig,
  userId: string,
  now = Date.now(),
): { username: string; credential: string } {
  const expiry = Math.floor(now / 1000) + turn.ttlSeconds;
  const username = `${expiry}:${userId}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { username, credential };
}

/** The ICE servers handed to a client: the STUN list, and TURN with credentials of its own when configured. */
export function iceServersFor(stunUrls: readonly string[] = [], turn?: TurnConfig, userId?: string): IceServer[] {
  const servers: IceServer[] = stunUrls.length > 0 ? [{ urls: [...stunUrls] }] : [];
  if (turn && userId) servers.push({ urls: [...turn.urls], ...turnCredentials(turn, userId) });
  return servers;
}
