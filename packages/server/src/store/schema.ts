import type { ColumnType } from 'kysely';

/** A timestamp the database fills in and hands back as a Date. */
type CreatedAt = ColumnType<Date, never, never>;

/** Row of `conversations`. */
export interface ConversationTable {
  token: string;
  type: string;
  name: string;
  object_type: string | null;
  object_id: string | null;
  created_at: CreatedAt;
  last_activity: ColumnType<Date, never, Date>;
}

/** Row of `participants`: one user's membership of one conversation. */
export interface ParticipantTable {
  conversation: string;
  user_id: string;
  display_name: string;
  role: string;
  joined_at: CreatedAt;
}

/** Row of `messages`. Ids come from one sequence, so they grow within each conversation. */
export interface MessageTable {
  // bigserial: pg hands int8 back as a string, PGlite as a number.
  id: ColumnType<string | number, never, never>;
  conversation: string;
  actor_id: string;
  actor_display_name: string;
  message: string;
  reference_id: string | null;
  created_at: CreatedAt;
}

/** The database as Kysely sees it. */
export interface Database {
  conversations: ConversationTable;
  participants: ParticipantTable;
  messages: MessageTable;
}
