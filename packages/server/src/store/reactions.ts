import type { ReactionsResponse } from '@talk/protocol';
import { type Executor, inTransaction, lockFor } from './database.js';
import type { Actor } from './participants.js';

/** Reactions: who gave which emoji to which message. */
export class ReactionRepository {
  constructor(private readonly db: Executor) {}

  /** Adds or removes one actor's reaction; true if that changed anything. */
  async set(messageId: number, actor: Actor, reaction: string, present: boolean): Promise<boolean> {
    if (present) {
      const row = await this.db
        .insertInto('reactions')
        .values({ message_id: messageId, actor_id: actor.userId, actor_display_name: actor.displayName, reaction })
        .onConflict((oc) => oc.columns(['message_id', 'actor_id', 'reaction']).doNothing())
        .returning('reaction')
        .executeTakeFirst();
      return row !== undefined;
    }
    const result = await this.db
      .deleteFrom('reactions')
      .where('message_id', '=', messageId)
      .where('actor_id', '=', actor.userId)
      .where('reaction', '=', reaction)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * Adds one actor's reaction unless they already gave the message `max` others, as one step: the actor's
   * reactions to the message are locked for the count and the insert, so that parallel requests cannot each see
   * the room one of them takes. `full` when the cap refused it; otherwise whether it changed anything.
   */
  async addCapped(messageId: number, actor: Actor, reaction: string, max: number): Promise<boolean | 'full'> {
    return inTransaction(this.db, async (tx) => {
      await lockFor(tx, 'reactions-of-actor', `${messageId}:${actor.userId}`);
      const repository = new ReactionRepository(tx);
      const mine = await repository.ofActor(messageId, actor.userId);
      if (mine.includes(reaction)) return false;
      if (mine.length >= max) return 'full';
      return repository.set(messageId, actor, reaction, true);
    });
  }

  /** The reactions one actor gave a message. */
  async ofActor(messageId: number, actorId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('reactions')
      .select('reaction')
      .where('message_id', '=', messageId)
      .where('actor_id', '=', actorId)
      .execute();
    return rows.map((row) => row.reaction);
  }

  /** Who gave which reaction to a message, oldest first. */
  async list(messageId: number): Promise<ReactionsResponse> {
    const rows = await this.db
      .selectFrom('reactions')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('created_at')
      .execute();
    const out: ReactionsResponse = {};
    for (const row of rows) {
      const actors = out[row.reaction] ?? [];
      actors.push({ actorId: row.actor_id, actorDisplayName: row.actor_display_name });
      out[row.reaction] = actors;
    }
    return out;
  }

  /** How many of each reaction the given messages have, by message id; one query for all of them. */
  async countsOf(messageIds: number[]): Promise<Map<number, Record<string, number>>> {
    const tally = new Map<number, Record<string, number>>();
    if (messageIds.length === 0) return tally;
    const rows = await this.db
      .selectFrom('reactions')
      .select(['message_id', 'reaction', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('message_id', 'in', messageIds)
      .groupBy(['message_id', 'reaction'])
      .execute();
    for (const r of rows) {
      const forMessage = tally.get(Number(r.message_id)) ?? {};
      forMessage[r.reaction] = Number(r.n);
      tally.set(Number(r.message_id), forMessage);
    }
    return tally;
  }
}
