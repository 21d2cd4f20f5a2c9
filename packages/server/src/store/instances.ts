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
    const ids = stale.map((row) => row.id);
    // Presence of no known instance too: written while its instance was being forgotten, it would never go.
    const rows = await this.db
      .deleteFrom('presence')
      .where((eb) =>
        eb.or([
          ...(ids.length > 0 ? [eb('instance', 'in', ids)] : []),
          eb('instance', 'not in', eb.selectFrom('instances').select('id')),
        ]),
      )
      .returningAll()
      .execute();
    if (ids.length > 0) await this.db.deleteFrom('instances').where('id', 'in', ids).execute();
    return rows.map((row) => ({ conversation: row.conversation, session: toSessionInfo(row) }));
  }

  /** The presence one instance wrote, as (session, conversation) pairs, to check against its live sessions. */
  async presenceOf(instance: string): Promise<Array<{ sessionId: string; conversation: string }>> {
    const rows = await this.db
      .selectFrom('presence')
      .select(['session_id', 'conversation'])
      .where('instance', '=', instance)
      .execute();
    return rows.map((row) => ({ sessionId: row.session_id, conversation: row.conversation }));
  }

  /** Forgets presence rows of one instance that it no longer backs with a live session; returns what went. */
  async forget(
    instance: string,
    rows: ReadonlyArray<{ sessionId: string; conversation: string }>,
  ): Promise<ReapedSession[]> {
    const gone: ReapedSession[] = [];
    for (const { sessionId, conversation } of rows) {
      const deleted = await this.db
        .deleteFrom('presence')
        .where('instance', '=', instance)
        .where('session_id', '=', sessionId)
        .where('conversation', '=', conversation)
        .returningAll()
        .execute();
      gone.push(...deleted.map((row) => ({ conversation: row.conversation, session: toSessionInfo(row) })));
    }
    return gone;
  }
}
