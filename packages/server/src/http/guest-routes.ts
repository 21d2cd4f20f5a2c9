import { randomBytes } from 'node:crypto';
import { ErrorCode, GuestJoinRequest, type GuestJoinResponse, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { postSystemMessage } from '../chat/system-messages.js';
import { TalkServerError } from '../errors.js';
import { type RouteContext, routePath, TokenParams } from './context.js';
import { checkPassword } from './conversation-routes.js';

/** How long a guest's token lasts. */
const GUEST_TOKEN_SECONDS = 8 * 60 * 60;

/** POST …/guests: anyone with a public conversation's link joins it as a guest, under a name they choose. */
export async function guestRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store, tokens, hub } = context;
  app.post<{ Params: TokenParams; Body: GuestJoinRequest }>(
    routePath(Routes.guests),
    { schema: { params: TokenParams, body: GuestJoinRequest } },
    async (request, reply): Promise<GuestJoinResponse> => {
      const { token } = request.params;
      const conversation = await store.conversations.get(token);
      // Only a public conversation's link exists for guests; anything else looks like nothing.
      if (conversation?.type !== 'public') throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
      await checkPassword(context, request, token, request.body.password);
      const guest = { userId: `guest-${randomBytes(8).toString('hex')}`, displayName: request.body.displayName.trim() };
      const { participant } = await store.participants.add(token, guest, 'guest');
      await postSystemMessage(
        store,
        (c, m) => hub.broadcast(c, m),
        token,
        guest,
        'guest-joined',
        `${guest.displayName} joined as a guest`,
      );
      const issued = await tokens.issue({ ...guest, guestOf: token }, GUEST_TOKEN_SECONDS);
      return reply.code(201).send({ ...issued, participant });
    },
  );
}
