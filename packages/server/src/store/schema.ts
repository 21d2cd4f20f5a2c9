import type {
  ConversationType,
  MessageKind,
  ParticipantRole,
  PollResultMode,
  ServerMessageOf,
  Topology,
} from '@talk/protocol';
import type { ColumnType } from 'kysely';

/** Why a call's topology is what it is, as `call-topology` tells clients. */
export type TopologyReason = ServerMessageOf<'call-topology'>['reason'];

/** A timestamp the database fills in and hands back as a Date. */
type CreatedAt = ColumnType<Date, never, never>;

/** Row of `conversations`. */
export interface ConversationTable {
  token: string;
  type: ConversationType;
  name: string;
  object_type: string | null;
  object_id: string | null;
  created_at: CreatedAt;
  last_activity: ColumnType<Date, never, Date>;
  description: ColumnType<string, string | undefined, string>;
  password_hash: string | null;
  lobby: ColumnType<boolean, boolean | undefined, boolean>;
  default_permissions: ColumnType<number, number | undefined, number>;
  sfu_from: number | null;
  mesh_at_most: number | null;
  last_message_id: ColumnType<string | number | null, never, number | null>;
  /** The `seq` of the conversation's newest message; bumped under the row's lock by each post. */
  last_seq: ColumnType<string | number, never, number>;
  call_started_at: ColumnType<Date | null, never, Date | null>;
  call_topology: ColumnType<Topology, never, Topology>;
  call_reason: ColumnType<TopologyReason, never, TopologyReason>;
  call_small_since: ColumnType<Date | null, never, Date | null>;
  call_sfu_epoch: ColumnType<number, never, number>;
  call_sfu_since: ColumnType<Date | null, never, Date | null>;
}

/** Row of `participants`: one user's membership of one conversation. */
export interface ParticipantTable {
  conversation: string;
  user_id: string;
  display_name: string;
  role: ParticipantRole;
  joined_at: CreatedAt;
  permissions: number | null;
  last_read_message_id: ColumnType<string | number, never, number>;
}

/** Row of `messages`. Ids come from one sequence; `seq` numbers them within their conversation in commit order. */
export interface MessageTable {
  // bigserial: pg hands int8 back as a string, PGlite as a number.
  id: ColumnType<string | number, never, never>;
  conversation: string;
  /** The message's place in its conversation, in commit order (ids are not, on PostgreSQL); catch-up pages by it. */
  seq: ColumnType<string | number, number | string, never>;
  actor_id: string;
  actor_display_name: string;
  message: string;
  reference_id: string | null;
  created_at: CreatedAt;
  kind: ColumnType<MessageKind, MessageKind | undefined, never>;
  system_type: string | null;
  /** SystemParameters as JSON, or null for types that have none. */
  system_parameters: ColumnType<string | null, string | null | undefined, never>;
  /** Mention[] as JSON. */
  mentions: ColumnType<string, string | undefined, string>;
  reply_to: ColumnType<string | number | null, number | null, never>;
  silent: ColumnType<boolean, boolean | undefined, never>;
  attachment_id: string | null;
  edited_at: ColumnType<Date | null, never, Date | null>;
  deleted_at: ColumnType<Date | null, never, Date | null>;
}

/** Row of `message_mentions`: one id a message mentions (`all` for @all). */
export interface MentionTable {
  message_id: number;
  conversation: string;
  mentioned_id: string;
}

/** Row of `reactions`. */
export interface ReactionTable {
  message_id: ColumnType<string | number, number, never>;
  actor_id: string;
  actor_display_name: string;
  reaction: string;
  created_at: CreatedAt;
}

/** Row of `attachments`: the metadata and the bytes. */
export interface AttachmentTable {
  id: string;
  conversation: string;
  uploader_id: string;
  name: string;
  content_type: string;
  size: number;
  content: Uint8Array;
  created_at: CreatedAt;
}

/** Row of `presence`: one signaling session's presence in one conversation. */
export interface PresenceTable {
  session_id: string;
  conversation: string;
  user_id: string;
  display_name: string;
  role: ParticipantRole;
  in_call: ColumnType<boolean, boolean | undefined, boolean>;
  audio: ColumnType<boolean, boolean | undefined, boolean>;
  video: ColumnType<boolean, boolean | undefined, boolean>;
  screen: ColumnType<boolean, boolean | undefined, boolean>;
  hand_raised: ColumnType<boolean, boolean | undefined, boolean>;
  instance: string;
  joined_at: CreatedAt;
}

/** Row of `instances`: a server instance's last sign of life. */
export interface InstanceTable {
  id: string;
  seen_at: Date;
}

/** Row of `pinned_messages`: a message a moderator pinned. */
export interface PinnedMessageTable {
  conversation: string;
  message_id: ColumnType<string | number, number, never>;
  pinned_by_id: string;
  pinned_by_name: string;
  pinned_at: CreatedAt;
}

/** Row of `polls`: the poll of a message of kind `poll`. */
export interface PollTable {
  message_id: ColumnType<string | number, number, never>;
  conversation: string;
  question: string;
  /** string[] as JSON. */
  options: string;
  /** 0 for any number. */
  max_votes: number;
  result_mode: PollResultMode;
  closed_at: ColumnType<Date | null, never, Date | null>;
}

/** Row of `poll_votes`: one option one voter chose. */
export interface PollVoteTable {
  poll_id: ColumnType<string | number, number, never>;
  actor_id: string;
  actor_display_name: string;
  option_id: number;
  created_at: CreatedAt;
}

/** Row of `bans`: a user who may not join a conversation by themselves. */
export interface BanTable {
  conversation: string;
  user_id: string;
  display_name: string;
  banned_by: string;
  created_at: CreatedAt;
}

/** Row of `users`: a user's display name as their latest token gave it. */
export interface UserTable {
  user_id: string;
  display_name: string;
  seen_at: ColumnType<Date, Date | undefined, Date>;
}

/** The database as Kysely sees it. */
export interface Database {
  conversations: ConversationTable;
  participants: ParticipantTable;
  messages: MessageTable;
  message_mentions: MentionTable;
  reactions: ReactionTable;
  attachments: AttachmentTable;
  presence: PresenceTable;
  instances: InstanceTable;
  pinned_messages: PinnedMessageTable;
  polls: PollTable;
  poll_votes: PollVoteTable;
  bans: BanTable;
  users: UserTable;
}
