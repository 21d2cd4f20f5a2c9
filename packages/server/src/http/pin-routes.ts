import { PinnedMessage, PinnedMessageList, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Pins } from '../chat/pins.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, MessageParams, NoContent, TokenParams, typed } from './schemas.js';

/** Pinned messages: everyone who may read lists them, moderators pin and unpin. */
export async function pinRoutes(app: FastifyInstance, { store, hub }: RouteContext): Promise<void> {
  const api = typed(app);
  const pins = new Pins(store, hub);

  api.get(
    routePath(Routes.pins),
    { schema: { params: TokenParams, response: answers({ 200: PinnedMessageList }) } },
    async (request) => {
      const { token } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      return pins.list(token);
    },
  );

  // 201 when the message was pinned now, 200 when it was pinned already.
  api.post(
    routePath(Routes.pin),
    { schema: { params: MessageParams, response: answers({ 200: PinnedMessage, 201: PinnedMessage }) } },
    async (request, reply) => {
      const { token, messageId } = request.params;
      const me = identityOf(request);
      requireAllowed(await membershipOf(store, token, me), 'moderate');
      const { pin, created } = await pins.pin(me, token, messageId);
      return reply.code(created ? 201 : 200).send(pin);
    },
  );

  api.delete(
    routePath(Routes.pin),
    { schema: { params: MessageParams, response: answers({ 204: NoContent }) } },
    async (request, reply) => {
      const { token, messageId } = request.params;
      const me = identityOf(request);
      requireAllowed(await membershipOf(store, token, me), 'moderate');
      await pins.unpin(me, token, messageId);
      return reply.code(204).send();
    },
  );
}
