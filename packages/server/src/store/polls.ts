import type { PollResultMode } from '@talk/protocol';
import { type Executor, inTransaction } from './database.js';
import type { Actor } from './participants.js';

/** A poll as stored, with every vote: the chat's poll rules decide who sees what of it. */
export interface PollRecord {
  /** Its message's id. */
  id: number;
  conversation: string;
  question: string;
  options: string[];
  /** 0 for any number. */
  maxVotes: number;
  resultMode: PollResultMode;
  closed: boolean;
  /** Who posted it. */
  author: Actor;
  /** Each chosen option of each voter, in the order they were given. */
  votes: Array<{ actorId: string; actorDisplayName: string; optionId: number }>;
}

/** What a new poll is made of besides its message. */
export interface NewPoll {
  question: string;
  options: string[];
  maxVotes: number;
  resultMode: PollResultMode;
}

/** Polls and their votes; a poll's message is written by the messages repository in the same transaction. */
export class PollRepository {
  constructor(private readonly db: Executor) {}

  /** Stores the poll of message `messageId`. */
  async create(conversation: string, messageId: number, poll: NewPoll): Promise<void> {
    await this.db
      .insertInto('polls')
      .values({
        message_id: messageId,
        conversation,
        question: poll.question,
        options: JSON.stringify(poll.options),
        max_votes: poll.maxVotes,
        result_mode: poll.resultMode,
      })
      .execute();
  }

  /** A poll of a conversation with its votes; undefined when there is none or its message was deleted. */
  async get(conversation: string, id: number): Promise<PollRecord | undefined> {
    const row = await this.db
      .selectFrom('polls')
      .innerJoin('messages', 'messages.id', 'polls.message_id')
      .select([
        'polls.message_id',
        'polls.question',
        'polls.options',
        'polls.max_votes',
        'polls.result_mode',
        'polls.closed_at',
        'messages.actor_id',
        'messages.actor_display_name',
      ])
      .where('polls.conversation', '=', conversation)
      .where('polls.message_id', '=', id)
      .where('messages.deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const votes = await this.db
      .selectFrom('poll_votes')
      .select(['actor_id', 'actor_display_name', 'option_id'])
      .where('poll_id', '=', id)
      .orderBy('created_at')
      .orderBy('actor_id')
      .orderBy('option_id')
      .execute();
    return {
      id: Number(row.message_id),
      conversation,
      question: row.question,
      // The column is only ever written by create(), as JSON.stringify of a string[].
      options: JSON.parse(row.options) as string[],
      maxVotes: row.max_votes,
      resultMode: row.result_mode,
      closed: row.closed_at !== null,
      author: { userId: row.actor_id, displayName: row.actor_display_name },
      votes: votes.map((v) => ({ actorId: v.actor_id, actorDisplayName: v.actor_display_name, optionId: v.option_id })),
    };
  }

  /** Replaces `voter`'s choice with `optionIds` (none withdraws it), in one transaction. */
  async vote(pollId: number, voter: Actor, optionIds: readonly number[]): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('poll_votes').where('poll_id', '=', pollId).where('actor_id', '=', voter.userId).execute();
      if (optionIds.length === 0) return;
      await tx
        .insertInto('poll_votes')
        .values(
          optionIds.map((option_id) => ({
            poll_id: pollId,
            actor_id: voter.userId,
            actor_display_name: voter.displayName,
            option_id,
          })),
        )
        .execute();
    });
  }

  /** Closes a poll; false when it was closed already. */
  async close(pollId: number): Promise<boolean> {
    const result = await this.db
      .updateTable('polls')
      .set({ closed_at: new Date() })
      .where('message_id', '=', pollId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
