import type { Session } from './session.js';

/**
 * This instance's sessions by id, and which of them each user has: the sessions cap looks a user's up at every
 * hello, which a scan of all of them made cost as much as the instance holds (10,000 at the goal's size).
 */
export class SessionRegistry extends Map<string, Session> {
  readonly #byUser = new Map<string, Set<string>>();

  /** Adds or replaces a session; a session that said no hello yet has no user and is found by id only. */
  override set(id: string, session: Session): this {
    const before = super.get(id);
    if (before && before.identity?.userId !== session.identity?.userId) this.#unindex(id, before);
    super.set(id, session);
    const userId = session.identity?.userId;
    if (userId !== undefined) {
      const ids = this.#byUser.get(userId) ?? new Set<string>();
      ids.add(id);
      this.#byUser.set(userId, ids);
    }
    return this;
  }

  override delete(id: string): boolean {
    const session = super.get(id);
    if (session) this.#unindex(id, session);
    return super.delete(id);
  }

  override clear(): void {
    this.#byUser.clear();
    super.clear();
  }

  /** A user's sessions, in the order they were first added (as the map iterates them). */
  ofUser(userId: string): Session[] {
    return [...(this.#byUser.get(userId) ?? [])].flatMap((id) => super.get(id) ?? []);
  }

  #unindex(id: string, session: Session): void {
    const userId = session.identity?.userId;
    if (userId === undefined) return;
    const ids = this.#byUser.get(userId);
    ids?.delete(id);
    if (ids?.size === 0) this.#byUser.delete(userId);
  }
}
