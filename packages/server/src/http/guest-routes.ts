import { GuestJoinRequest, GuestJoinResponse, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Members } from '../conversations/members.js';
import { type RouteContext, routePath } from './context.js';
import { answers, TokenParams, typed } from './schemas.js';

/** How many guests one client address may create per minute unless configured. */
export const DEFAULT_GUEST_RATE = { max: 10, windowMs: 60_000 };

/** POST …/guests: anyone with a public conversation's link joins it as a guest, under a name they choose. */
export async function guestRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const members = new Members(context);
  const { max, windowMs } = context.config.guestRate ?? DEFAULT_GUEST_RATE;
  // Guest creation needs no token, so only the address stops one client from making guests without end. The
  // plugin is registered once, in app.ts, for the routes that ask for it.
  typed(app).post(
    routePath(Routes.guests),
    {
      config: { rateLimit: { max, timeWindow: windowMs } },
      schema: {
        params: TokenParams,
        body: GuestJoinRequest,
        // No bearer token: the link is the invitation.
        security: [],
        response: answers({ 201: GuestJoinResponse }),
      },
    },
    async (request, reply) => {
      const { displayName, password } = request.body;
      const joined = await members.joinAsGuest(request.params.token, displayName, password, request.ip);
      return reply.code(201).send(joined);
    },
  );
}
