import { type Conversation, ErrorCode, type Participant } from '@talk/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FailureThrottle } from '../auth/throttle.js';
import type { Identity, TokenService } from '../auth/tokens.js';
import type { TalkConfig } from '../config.js';
import { TalkServerError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SignalingHub } from '../signaling/hub.js';
import { isModerator } from '../store/rows.js';
import type { Store } from '../store/store.js';

/** What route handlers work with. */
export interface RouteContext {
  config: TalkConfig;
  store: Store;
  tokens: TokenService;
  hub: SignalingHub;
  passwordThrottle: FailureThrottle;
  metrics: Metrics;
}

/** A protocol route (`{name}`) in Fastify's syntax (`:name`). */
export function routePath(route: string): string {
  return route.replace(/\{(\w+)\}/g, ':$1');
}

const identities = new WeakMap<FastifyRequest, Identity>();

/** Makes every route registered on `app` (an encapsulated plugin) require a valid bearer token. */
export function requireAuthentication(app: FastifyInstance, tokens: TokenService): void {
  // onRequest runs before body validation, so a stranger learns nothing about the schemas.
  app.addHook('onRequest', async (request) => {
    identities.set(request, await tokens.verifyBearer(request.headers.authorization));
  });
}

/** The caller of an authenticated route. */
export function identityOf(request: FastifyRequest): Identity {
  const identity = identities.get(request);
  if (!identity) throw new TalkServerError(ErrorCode.Unauthenticated, 'Send Authorization: Bearer <token>');
  return identity;
}

/** A caller's place in a conversation. */
export interface Membership {
  participant: Participant;
  conversation: Conversation;
}

/**
 * The caller's membership of a conversation; to anyone else the conversation does not exist (404), and a
 * guest's token is good for its own conversation only.
 */
export async function membershipOf(store: Store, token: string, identity: Identity): Promise<Membership> {
  const membership =
    identity.guestOf === undefined || identity.guestOf === token
      ? await store.participants.membership(token, identity.userId)
      : undefined;
  if (!membership) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
  return membership;
}

/** The caller's participant record; 404 unless a participant. */
export async function participantOf(store: Store, token: string, identity: Identity): Promise<Participant> {
  return (await membershipOf(store, token, identity)).participant;
}

/** Refuses non-moderators while the lobby is closed. */
export function requireLobbyOpen({ participant, conversation }: Membership): void {
  if (conversation.lobby && !isModerator(participant.role)) {
    throw new TalkServerError(ErrorCode.InLobby, 'The lobby is closed; wait for a moderator to open it');
  }
}

/** Refuses a participant who lacks `permission`. */
export function requirePermission(participant: Participant, permission: number, what: string): void {
  if (((participant.permissions ?? 0) & permission) === 0) {
    throw new TalkServerError(ErrorCode.Forbidden, `You may not ${what} here`);
  }
}

/** Refuses anyone but owners and moderators. */
export function requireModerator(participant: Participant): void {
  if (!isModerator(participant.role)) throw new TalkServerError(ErrorCode.Forbidden, 'Only moderators may do this');
}

/** Refuses guests. */
export function requireUser(identity: Identity): void {
  if (identity.guestOf !== undefined) throw new TalkServerError(ErrorCode.Forbidden, 'Guests may not do this');
}
