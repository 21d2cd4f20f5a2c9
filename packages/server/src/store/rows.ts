import type {
  Attachment,
  ChatMessage,
  Conversation,
  Mention,
  Participant,
  SessionInfo,
  SystemParameters,
} from '@talk/protocol';
import type { Selectable } from 'kysely';
import { effectivePermissions } from '../access/rules.js';
import type { AttachmentTable, ConversationTable, MessageTable, ParticipantTable, PresenceTable } from './schema.js';

/** A conversation row as the store reads it. */
export type ConversationRow = Selectable<ConversationTable>;
/** A message row as the store reads it. */
export type MessageRow = Selectable<MessageTable>;

/** What a conversation row says to anyone who may see it (no per-caller fields). */
export function toConversation(row: ConversationRow): Conversation {
  return {
    token: row.token,
    type: row.type,
    name: row.name,
    object: row.object_type !== null && row.object_id !== null ? { type: row.object_type, id: row.object_id } : null,
    createdAt: row.created_at.toISOString(),
    lastActivity: row.last_activity.toISOString(),
    description: row.description,
    hasPassword: row.password_hash !== null,
    lobby: row.lobby,
    defaultPermissions: row.default_permissions,
    sfuFrom: row.sfu_from,
    meshAtMost: row.mesh_at_most,
    callActive: row.call_started_at !== null,
  };
}

// The store applies the access module's rule when it reads a participant; it is re-exported for its other readers.
export { effectivePermissions };

/** A participant row with its effective permissions. */
export function toParticipant(row: Selectable<ParticipantTable>, defaults: number): Participant {
  return {
    userId: row.user_id,
    displayName: row.display_name,
    role: row.role,
    permissions: effectivePermissions(row.role, row.permissions, defaults),
    permissionOverride: row.permissions,
  };
}

/** The participant columns a query joined with `conversations` selects for {@link toJoinedParticipant}. */
export const JOINED_PARTICIPANT_COLUMNS = [
  'participants.user_id',
  'participants.display_name',
  'participants.role',
  'participants.permissions',
  'participants.joined_at as p_joined',
  'participants.last_read_message_id',
] as const;

/**
 * A participant read by a query that joins `participants` with its conversation, where the participant's
 * `joined_at` is selected as `p_joined` so it does not clash with the conversation's columns.
 */
export function toJoinedParticipant(
  conversation: string,
  row: Omit<Selectable<ParticipantTable>, 'conversation' | 'joined_at'> & {
    p_joined: Selectable<ParticipantTable>['joined_at'];
    default_permissions: number;
  },
): Participant {
  return toParticipant(
    {
      conversation,
      user_id: row.user_id,
      display_name: row.display_name,
      role: row.role,
      permissions: row.permissions,
      joined_at: row.p_joined,
      last_read_message_id: row.last_read_message_id,
    },
    row.default_permissions,
  );
}

/** An attachment row without its bytes. */
export function toAttachment(row: Omit<Selectable<AttachmentTable>, 'content'>): Attachment {
  return {
    id: row.id,
    conversation: row.conversation,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    uploaderId: row.uploader_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** What the store adds to a message row from other tables. */
export interface MessageExtras {
  reactions: Record<string, number>;
  replyTo: ChatMessage['replyTo'];
  attachment: Attachment | null;
}

/** A message row, with what other tables add to it. */
export function toChatMessage(row: MessageRow, extras?: MessageExtras): ChatMessage {
  return {
    id: Number(row.id),
    conversation: row.conversation,
    actorId: row.actor_id,
    actorDisplayName: row.actor_display_name,
    message: row.message,
    referenceId: row.reference_id,
    createdAt: row.created_at.toISOString(),
    kind: row.kind,
    systemType: row.system_type,
    // The column is only ever written by the messages repository, as JSON.stringify of SystemParameters.
    systemParameters: row.system_parameters === null ? null : (JSON.parse(row.system_parameters) as SystemParameters),
    // The column is only ever written by the messages repository, as JSON.stringify of a Mention[].
    mentions: JSON.parse(row.mentions) as Mention[],
    replyTo: extras?.replyTo ?? null,
    silent: row.silent,
    editedAt: row.edited_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    reactions: extras?.reactions ?? {},
    attachment: extras?.attachment ?? null,
  };
}

/** A presence row as other sessions see it. */
export function toSessionInfo(row: Selectable<PresenceTable>): SessionInfo {
  return {
    sessionId: row.session_id,
    participant: { userId: row.user_id, displayName: row.display_name, role: row.role },
    inCall: row.in_call,
    // Absent means false: version-1 clients compare these objects whole.
    media: row.screen ? { audio: row.audio, video: row.video, screen: true } : { audio: row.audio, video: row.video },
    ...(row.hand_raised ? { handRaised: true } : {}),
  };
}
