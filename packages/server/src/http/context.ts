import { ErrorCode } from '@talk/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NameBook } from '../auth/names.js';
import type { Throttle } from '../auth/throttle.js';
import type { Identity, TokenService } from '../auth/tokens.js';
import type { TalkConfig } from '../config.js';
import { TalkServerError } from '../errors.js';
import type { WebhookLedger } from '../livekit/webhook-ledger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SignalingHub } from '../signaling/hub.js';
import type { Store } from '../store/store.js';

/** What route handlers work with. */
export interface RouteContext {
  config: TalkConfig;
  store: Store;
  tokens: TokenService;
  /** Users' display names as their own tokens give them. */
  names: NameBook;
  hub: SignalingHub;
  /** Conversation-password attempts, counted across instances when they share a Redis. */
  passwordThrottle: Throttle;
  /** What LiveKit's webhooks already said, shared across instances likewise. */
  webhookLedger: WebhookLedger;
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

// The rules themselves live in the access module; routes reach them through here, with their context.
export { membershipOf } from '../access/membership.js';
export {
  type Action,
  type Membership,
  reaches,
  requireAllowed,
  requireAuthor,
  requireAuthorOrModerator,
  requireJoinableByObject,
  requireNotBanned,
  requireObjectAccess,
  requireObjectCreatable,
  requireObjectGrant,
  requireOpenToAdditions,
  requireRemovable,
  requireRoleChangeable,
  requireSelfJoinable,
  requireUser,
} from '../access/rules.js';
