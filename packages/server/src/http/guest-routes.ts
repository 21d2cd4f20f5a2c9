import { GuestJoinRequest, GuestJoinResponse, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Members } from '../conversations/members.js';
import { type RouteContext, routePath } from './context.js';
import { answers, TokenParams, typed } from './schemas.js';

/** POST …/guests: anyone with a public conversation's link joins it as a guest, under a name they choose. */
export async function guestRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const members = new Members(context);
  typed(app).post(
    routePath(Routes.guests),
    {
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
