import type { MessagePage, SearchMessagesQuery } from '@talk/protocol';
import { type Membership, mayRead, reaches } from '../access/rules.js';
import type { Identity } from '../auth/tokens.js';
import type { Store } from '../store/store.js';

/** The page size of a search that names none. */
const DEFAULT_LIMIT = 20;

/**
 * Message search, in one conversation or across the caller's: only conversations the access rules let the
 * caller read now (a closed lobby holds a non-moderator's conversation out), a guest only in their own.
 */
export class MessageSearch {
  constructor(private readonly store: Store) {}

  /** Matching messages of the conversation of `membership`, which the route has checked. */
  inConversation(
    membership: Membership,
    { q, before, limit = DEFAULT_LIMIT }: SearchMessagesQuery,
  ): Promise<MessagePage> {
    return this.store.search.search({ text: q, conversations: [membership.conversation.token], before, limit });
  }

  /** Matching messages of every conversation `me` may read. */
  async everywhere(me: Identity, { q, before, limit = DEFAULT_LIMIT }: SearchMessagesQuery): Promise<MessagePage> {
    const memberships = await this.store.search.membershipsOf(me.userId);
    const readable = memberships
      .filter((m) => reaches(me, m.conversation.token) && mayRead(m))
      .map((m) => m.conversation.token);
    return this.store.search.search({ text: q, conversations: readable, before, limit });
  }
}
