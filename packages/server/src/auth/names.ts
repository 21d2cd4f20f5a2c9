import { LRUCache } from 'lru-cache';
import type { Store } from '../store/store.js';
import type { Identity } from './tokens.js';

/** How many users' last recorded names an instance remembers; past that, those it saw longest ago are forgotten. */
export const REMEMBERED_NAMES = 50_000;

/**
 * Display names come from each user's own token: the name of the latest token they presented is recorded, and
 * whoever adds them to a conversation later gets that name, not one of their own choosing. An instance remembers
 * what it recorded, so that a request writes only when a user's name changed.
 */
export class NameBook {
  // Least recently presented first out: a cache cleared whole when full would make every user write again at once.
  readonly #recorded: LRUCache<string, string>;

  constructor(
    private readonly store: Store,
    remembered = REMEMBERED_NAMES,
  ) {
    this.#recorded = new LRUCache({ max: remembered });
  }

  /** Records the name of a token just presented; a guest's name is fixed when the guest is made. */
  async presented(identity: Identity): Promise<void> {
    if (identity.guestOf !== undefined) return;
    if (this.#recorded.get(identity.userId) === identity.displayName) return;
    await this.store.participants.recordName(identity.userId, identity.displayName);
    this.#recorded.set(identity.userId, identity.displayName);
  }

  /**
   * The names of users someone else is adding: their own, as their latest token gave it, or their user id for a
   * user the server has never seen (until their first token names them).
   */
  async of(userIds: readonly string[]): Promise<Map<string, string>> {
    const known = await this.store.participants.knownNames(userIds);
    return new Map(userIds.map((id) => [id, known.get(id) ?? id]));
  }
}
