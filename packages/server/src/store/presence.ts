import type { CallMedia, Participant, ParticipantRole, SessionInfo } from '@talk/protocol';
import { sql, type Updateable } from 'kysely';
import type { Executor } from './database.js';
import type { Membership } from './participants.js';
import { JOINED_PARTICIPANT_COLUMNS, toConversation, toJoinedParticipant, toSessionInfo } from './rows.js';
import type { PresenceTable } from './schema.js';

/** What may change about a session's presence once it is there. */
export interface PresenceChanges {
  inCall?: boolean;
  media?: CallMedia;
  handRaised?: boolean;
  role?: ParticipantRole;
}

/** A session's place in a conversation's call: whether it is in it, and its participant's membership now. */
export interface CallSeat {
  /** Whether the session is in the call. */
  inCall: boolean;
  /** The session's participant, with the conversation, as they stand now (not as they stood at its join). */
  membership: Membership;
}

/** Presence: which signaling session is in which conversation and its call, shared by all server instances. */
export class PresenceRepository {
  constructor(private readonly db: Executor) {}

  /** Records that a session joined a conversation, on this instance. */
  async add(sessionId: string, conversation: string, participant: Participant, instance: string): Promise<SessionInfo> {
    return (await this.move(sessionId, conversation, participant, instance)).session;
  }

  /**
   * A resumed session's presence, moved to this instance: its row keeps the call state and flags, and names
   * `instance` from now on. A row reaped meanwhile (the resume came late) is written again, and `inserted` says so,
   * from the same statement: a read before the write could miss a reap that lands between the two.
   */
  async move(
    sessionId: string,
    conversation: string,
    participant: Participant,
    instance: string,
  ): Promise<{ session: SessionInfo; inserted: boolean }> {
    const row = await this.db
      .insertInto('presence')
      .values({
        session_id: sessionId,
        conversation,
        user_id: participant.userId,
        display_name: participant.displayName,
        role: participant.role,
        instance,
      })
      .onConflict((oc) => oc.columns(['session_id', 'conversation']).doUpdateSet({ instance }))
      .returningAll()
      // PostgreSQL's own mark of a row this statement inserted rather than updated: no transaction deleted it yet.
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .executeTakeFirstOrThrow();
    return { session: toSessionInfo(row), inserted: row.inserted };
  }

  /**
   * {@link add}, and the conversation's other sessions in the order they joined, in one statement: a signaling
   * join needs both, and on PGlite each round trip costs the one thread that also serves every socket.
   */
  async addAndList(
    sessionId: string,
    conversation: string,
    participant: Participant,
    instance: string,
  ): Promise<{ added: SessionInfo; others: SessionInfo[] }> {
    // The insert runs in a data-modifying CTE: the outer select sees the table as it was before it, so the new
    // row comes back once, from `added`, and a row this session had before (a rejoin) is left out by its id.
    const rows = await this.db
      .with('added', (db) =>
        db
          .insertInto('presence')
          .values({
            session_id: sessionId,
            conversation,
            user_id: participant.userId,
            display_name: participant.displayName,
            role: participant.role,
            instance,
          })
          .onConflict((oc) => oc.columns(['session_id', 'conversation']).doUpdateSet({ instance }))
          .returningAll(),
      )
      .selectFrom('added')
      .selectAll()
      .select(sql<boolean>`true`.as('mine'))
      .unionAll((eb) =>
        eb
          .selectFrom('presence')
          .selectAll()
          .select(sql<boolean>`false`.as('mine'))
          .where('conversation', '=', conversation)
          .where('session_id', '<>', sessionId),
      )
      // Orders the whole union, as `list` orders the table.
      .orderBy('joined_at')
      .orderBy('session_id')
      .execute();
    const mine = rows.find((row) => row.mine);
    if (!mine) throw new Error(`presence of ${sessionId} in ${conversation} was not written`);
    return { added: toSessionInfo(mine), others: rows.filter((row) => !row.mine).map(toSessionInfo) };
  }

  /** Forgets a session's presence in one conversation, or in all when none is named. */
  async remove(sessionId: string, conversation?: string): Promise<SessionInfo[]> {
    let query = this.db.deleteFrom('presence').where('session_id', '=', sessionId);
    if (conversation !== undefined) query = query.where('conversation', '=', conversation);
    return (await query.returningAll().execute()).map(toSessionInfo);
  }

  /** Changes a session's call state in a conversation and returns how others now see it. */
  async update(sessionId: string, conversation: string, changes: PresenceChanges): Promise<SessionInfo | undefined> {
    const set: Updateable<PresenceTable> = {};
    if (changes.inCall !== undefined) set.in_call = changes.inCall;
    if (changes.media !== undefined) {
      set.audio = changes.media.audio;
      set.video = changes.media.video;
      set.screen = changes.media.screen ?? false;
    }
    if (changes.handRaised !== undefined) set.hand_raised = changes.handRaised;
    if (changes.role !== undefined) set.role = changes.role;
    const row = await this.db
      .updateTable('presence')
      .set(set)
      .where('session_id', '=', sessionId)
      .where('conversation', '=', conversation)
      .returningAll()
      .executeTakeFirst();
    return row && toSessionInfo(row);
  }

  /** The sessions present in a conversation, in the order they joined. */
  async list(conversation: string): Promise<SessionInfo[]> {
    const rows = await this.db
      .selectFrom('presence')
      .selectAll()
      .where('conversation', '=', conversation)
      .orderBy('joined_at')
      .orderBy('session_id')
      .execute();
    return rows.map(toSessionInfo);
  }

  /** One session's presence in a conversation, with the instance it is on. */
  async get(sessionId: string, conversation: string): Promise<(SessionInfo & { instance: string }) | undefined> {
    const row = await this.db
      .selectFrom('presence')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('conversation', '=', conversation)
      .executeTakeFirst();
    return row && { ...toSessionInfo(row), instance: row.instance };
  }

  /**
   * The call seats of some sessions of a conversation (all of them when none are named), by session id, in one
   * query; a session that is not there, or whose user is no longer a participant, has none.
   */
  async seats(conversation: string, sessionIds?: readonly string[]): Promise<Map<string, CallSeat>> {
    if (sessionIds?.length === 0) return new Map();
    let query = this.db
      .selectFrom('presence')
      .innerJoin('participants', (join) =>
        join
          .onRef('participants.conversation', '=', 'presence.conversation')
          .onRef('participants.user_id', '=', 'presence.user_id'),
      )
      .innerJoin('conversations', 'conversations.token', 'presence.conversation')
      .selectAll('conversations')
      .select(['presence.session_id', 'presence.in_call', ...JOINED_PARTICIPANT_COLUMNS])
      .where('presence.conversation', '=', conversation);
    if (sessionIds) query = query.where('presence.session_id', 'in', sessionIds);
    const rows = await query.execute();
    const seats = new Map<string, CallSeat>();
    for (const row of rows) {
      const participant = toJoinedParticipant(conversation, row);
      seats.set(row.session_id, {
        inCall: row.in_call,
        membership: { participant, conversation: toConversation(row) },
      });
    }
    return seats;
  }

  /** The sessions of one user in a conversation (to end them when the user is removed). */
  async sessionsOf(conversation: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('presence')
      .select('session_id')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .execute();
    return rows.map((row) => row.session_id);
  }

  /** How many sessions are in a conversation's call. */
  async countInCall(conversation: string): Promise<number> {
    const row = await this.db
      .selectFrom('presence')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('conversation', '=', conversation)
      .where('in_call', '=', true)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Takes every session out of a conversation's call (LiveKit said the room finished). */
  async endCall(conversation: string): Promise<SessionInfo[]> {
    const rows = await this.db
      .updateTable('presence')
      .set({ in_call: false, audio: false, video: false, screen: false, hand_raised: false })
      .where('conversation', '=', conversation)
      .where('in_call', '=', true)
      .returningAll()
      .execute();
    return rows.map(toSessionInfo);
  }
}
