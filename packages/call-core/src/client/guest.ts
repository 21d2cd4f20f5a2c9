import { conversationPath, type GuestJoinRequest, type GuestJoinResponse, Routes } from '@talk/protocol';
import { requestJson } from './rest.js';

/** Where and how a guest joins a public conversation through its link. */
export interface GuestJoinOptions extends GuestJoinRequest {
  /** Base URL of the Talk server. */
  serverUrl: string;
  /** The public conversation's token, from its link. */
  conversation: string;
  /** Makes HTTP requests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Joins a public conversation as a guest under the name given, with its password if it has one, and answers a
 * token good for that conversation only (hand it to a TalkClient). No token is needed: the link is the invitation.
 * Failures are TalkErrors whose `serverCode` says why: `wrong-password`, `rate-limited` (with `retryAfter`),
 * `not-found` (no such public conversation, or it was deleted).
 */
export function joinAsGuest({
  serverUrl,
  conversation,
  fetch: fetcher,
  ...body
}: GuestJoinOptions): Promise<GuestJoinResponse> {
  return requestJson<GuestJoinResponse>(fetcher ?? globalThis.fetch.bind(globalThis), {
    serverUrl: serverUrl.replace(/\/+$/, ''),
    method: 'POST',
    path: conversationPath(Routes.guests, conversation),
    body,
  });
}
