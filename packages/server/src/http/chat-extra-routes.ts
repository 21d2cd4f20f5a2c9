import type { FastifyInstance } from 'fastify';
import { attachmentUrlRoutes, signedFileRoutes } from './attachment-url-routes.js';
import { type RouteContext, requireAuthentication } from './context.js';
import { mentionRoutes } from './mention-routes.js';
import { pinRoutes } from './pin-routes.js';
import { pollRoutes } from './poll-routes.js';
import type { InstallRateLimits } from './rate-limits.js';
import { searchRoutes } from './search-routes.js';
import { sharedItemRoutes } from './shared-item-routes.js';

/**
 * The chat's second tier, registered as one plugin: mention autocomplete, search, pins, shared items and polls
 * behind a bearer token, and the signed attachment URLs, whose files are served without one.
 */
export async function chatExtraRoutes(
  app: FastifyInstance,
  context: RouteContext,
  installRateLimits: InstallRateLimits,
): Promise<void> {
  const signed = signedFileRoutes(context);
  await app.register(async (scope) => {
    requireAuthentication(scope, context.tokens);
    installRateLimits(scope); // polls and votes spend the same allowances as the core routes
    await mentionRoutes(scope, context);
    await searchRoutes(scope, context);
    await pinRoutes(scope, context);
    await sharedItemRoutes(scope, context);
    await pollRoutes(scope, context);
    await attachmentUrlRoutes(scope, context, signed.urls);
  });
  await app.register(async (scope) => signed.register(scope));
}
