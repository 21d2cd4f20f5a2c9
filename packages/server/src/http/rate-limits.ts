import { normalizeIP } from '@fastify/rate-limit';
import { ErrorCode, Routes } from '@talk/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_RATE_LIMITS, type RateLimit, type RateLimitedAction, type TalkConfig } from '../config.js';
import { TalkServerError } from '../errors.js';
import { identityOf, routePath } from './context.js';

/** Which route spends which action's allowance: one table, so what is limited is read in one place. */
const LIMITED_ROUTES: ReadonlyArray<{ method: string; route: string; action: RateLimitedAction }> = [
  { method: 'POST', route: Routes.messages, action: 'posts' },
  { method: 'PATCH', route: Routes.message, action: 'edits' },
  { method: 'POST', route: Routes.attachments, action: 'uploads' },
  { method: 'POST', route: Routes.conversations, action: 'conversations' },
  { method: 'POST', route: Routes.reactions, action: 'reactions' },
  // A poll is a message; a vote is a write of its own that every member's client is pushed.
  { method: 'POST', route: Routes.polls, action: 'posts' },
  { method: 'POST', route: Routes.pollVotes, action: 'votes' },
];

/** The prefix length an IPv6 client is known by: one subscriber usually holds a whole /64. */
const IPV6_SUBNET = 64;

/** The limits in force: the configured ones over the defaults; none when switched off. */
export function rateLimitsOf(config: TalkConfig): Record<RateLimitedAction, RateLimit> | undefined {
  return config.rateLimits === false ? undefined : { ...DEFAULT_RATE_LIMITS, ...config.rateLimits };
}

/** Puts the limits on the routes a scope registers from now on; see {@link createRateLimits}. */
export type InstallRateLimits = (scope: FastifyInstance) => void;

/**
 * Makes the per-user and per-address limiters of each action once, on `app` (after `@fastify/rate-limit` is
 * registered), and returns what puts them on the routes of {@link LIMITED_ROUTES} that an authenticated scope (after
 * its authentication hook) registers from now on: one allowance per action, whichever scope its routes are in. The
 * check runs on request, before the body is read, so a refused upload costs no bytes; a refusal is 429
 * `rate-limited` with `Retry-After` in seconds. Counts are kept in Redis when the instances share one (see
 * app.ts), else in this instance's memory.
 */
export function createRateLimits(app: FastifyInstance, config: TalkConfig): InstallRateLimits {
  const limits = rateLimitsOf(config);
  if (!limits) return () => {};
  const checks = new Map<RateLimitedAction, (request: FastifyRequest, reply: FastifyReply) => Promise<void>>();
  for (const action of new Set(LIMITED_ROUTES.map((entry) => entry.action))) {
    checks.set(action, limiter(app, action, limits[action]));
  }
  return (scope) => {
    scope.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const entry = LIMITED_ROUTES.find((e) => methods.includes(e.method) && route.url === routePath(e.route));
      const check = entry && checks.get(entry.action);
      if (!check) return;
      const own = route.onRequest;
      route.onRequest = [...(own === undefined ? [] : Array.isArray(own) ? own : [own]), check];
    });
  };
}

/** A hook that counts one `action` for the caller and for their address, and refuses when either is spent. */
function limiter(app: FastifyInstance, action: RateLimitedAction, limit: RateLimit) {
  const byUser = app.createRateLimit({
    max: limit.perUser,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => `${action}:user:${identityOf(request).userId}`,
  });
  const byAddress = app.createRateLimit({
    max: limit.perAddress,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => `${action}:address:${normalizeIP(request.ip, IPV6_SUBNET)}`,
  });
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const results = await Promise.all([byUser(request), byAddress(request)]);
    let retryAfter = 0;
    for (const result of results) {
      if (!result.isAllowed && result.isExceeded) retryAfter = Math.max(retryAfter, result.ttlInSeconds);
    }
    if (retryAfter === 0) return;
    reply.header('retry-after', String(retryAfter));
    throw new TalkServerError(ErrorCode.RateLimited, `Too many ${action}; try again in ${retryAfter} s`);
  };
}
