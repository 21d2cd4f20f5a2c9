import type { SessionInfo } from '@talk/protocol';
import type { Executor } from './database.js';
import { toSessionInfo } from './rows.js';

/** A session whose instance died, with the conversation it was in. */
export interface ReapedSession {
  conversation: string;
  session: SessionInfo;
}

/** Server instances: their heartbeats, and the presence that dies with them. */
export class InstanceRepository {
  constructor(private readonly db: Executor) {}

  /** Records that an instance is alive now. */
  async heartbeat(instance: string, now = new Date()): Promise<void> {
    await this.db
      .insertInto('instances')
      .values({ id: instance, seen_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: now }))
      .execute();
  }

  /** Forgets one server instance and its presence (its shutdown). */
  async remove(instance: string): Promise<void> {
    await this.db.deleteFrom('presence').where('instance', '=', instance).execute();
    await this.db.deleteFrom('instances').where('id', '=', instance).execute();
  }

  /**
   * Removes the instances not seen since `staleBefore` (they crashed or were killed) with their presence, and
   * returns that presence so that the others can be told those sessions left.
   */
  async reap(staleBefore: Date): Promise<ReapedSession[]> {
    const stale = await this.db.selectFrom('instances').select('id').where('seen_at', '<', staleBefore).execute();
    if (stale.length === 0) return [];
    const ids = stale.map((row) => row.id);
    const rows = await this.db.deleteFrom('presence').where('instance', 'in', ids).returningAll().execute();
    await this.db.deleteFrom('instances').where('id', 'in', ids).execute();
    return rows.map((row) => ({ conversation: row.conversation, session: toSessionInfo(row) }));
  }
}
