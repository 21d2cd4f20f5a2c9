import type { IceServer } from '@talk/protocol';

/**
 * The ICE servers handed to clients. Only STUN for now; TURN with time-limited credentials
 * (coturn's REST-API scheme) belongs here too, which is why this has a folder of its own.
 */
export function iceServersFor(stunUrls: readonly string[] = []): IceServer[] {
  return stunUrls.length > 0 ? [{ urls: [...stunUrls] }] : [];
}
