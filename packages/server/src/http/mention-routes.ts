import { MentionSuggestionList, MentionSuggestionsQuery, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { mentionSuggestions } from '../chat/mention-suggestions.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, TokenParams, typed } from './schemas.js';

/** The default number of suggestions. */
const DEFAULT_LIMIT = 20;

/** Mention autocomplete for the composer. */
export async function mentionRoutes(app: FastifyInstance, { store }: RouteContext): Promise<void> {
  typed(app).get(
    routePath(Routes.mentionSuggestions),
    {
      schema: {
        params: TokenParams,
        querystring: MentionSuggestionsQuery,
        response: answers({ 200: MentionSuggestionList }),
      },
    },
    async (request) => {
      const { token } = request.params;
      const membership = await membershipOf(store, token, identityOf(request));
      // Suggestions are for writing: whoever may not chat here has nothing to complete.
      requireAllowed(membership, 'chat');
      const { search, limit = DEFAULT_LIMIT } = request.query;
      return mentionSuggestions(membership, await store.participants.list(token), search, limit);
    },
  );
}
