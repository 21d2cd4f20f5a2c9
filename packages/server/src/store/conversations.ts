import type { Conversation, ConversationObject, ConversationType, ParticipantRole } from '@talk/protocol';
import type { Updateable } from 'kysely';
import { heldByLobby } from '../access/rules.js';
import { type Executor, inTransaction, newToken } from './database.js';
import type { MessageRepository } from './messages.js';
import type { Actor } from './participants.js';
import { type ConversationRow, effectivePermissions, toConversation } from './rows.js';
import type { ConversationTable } from './schema.js';

/** What a new conversation is made of. */
export interface NewConversation {
  type: ConversationType;
  name: string;
  object?: ConversationObject;
  description?: string;
  passwordHash?: string;
}

/** Conversation settings a moderator may change; absent fields stay. */
export interface ConversationChanges {
  name?: string;
  description?: string;
  passwordHash?: string | null;
  lobby?: boolean;
  defaultPermissions?: number;
  sfuFrom?: number | null;
  meshAtMost?: number | null;
}

/** Conversations: creating, finding, changing and listing them per member. */
export class ConversationRepository {
  constructor(
    private readonly db: Executor,
    /** For the last message of each listed conversation. */
    private readonly messages: MessageRepository,
  ) {}

  /**
   * Creates a conversation with `owner` as its owner and `members` as users. A conversation of the same object
   * that already exists (perhaps made a moment ago by someone else) comes back instead, with `created: false`.
   */
  async create(
    input: NewConversation,
    owner: Actor,
    members: Actor[] = [],
  ): Promise<{ conversation: Conversation; created: boolean }> {
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .insertInto('conversations')
        .values({
          token: newToken(),
          type: input.type,
          name: input.name,
          object_type: input.object?.type ?? null,
          object_id: input.object?.id ?? null,
          description: input.description ?? '',
          password_hash: input.passwordHash ?? null,
        })
        .onConflict((oc) => oc.columns(['object_type', 'object_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await tx
          .selectFrom('conversations')
          .selectAll()
          .where('object_type', '=', input.object?.type ?? null)
          .where('object_id', '=', input.object?.id ?? null)
          .executeTakeFirstOrThrow();
        return { conversation: toConversation(existing), created: false };
      }
      const people: Array<Actor & { role: ParticipantRole }> = [
        { ...owner, role: 'owner' },
        ...members
          .filter((m) => m.userId !== owner.userId)
          .map((m): Actor & { role: ParticipantRole } => ({ ...m, role: 'user' })),
      ];
      await tx
        .insertInto('participants')
        .values(
          people.map((p) => ({
            conversation: row.token,
            user_id: p.userId,
            display_name: p.displayName,
            role: p.role,
          })),
        )
        .onConflict((oc) => oc.columns(['conversation', 'user_id']).doNothing())
        .execute();
      return { conversation: toConversation(row), created: true };
    });
  }

  /** The one-to-one conversation of two users, if they have one. */
  async findOneToOne(a: string, b: string): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('type', '=', 'one-to-one')
      .where((eb) =>
        eb.and([
          eb.exists(
            eb
              .selectFrom('participants')
              .select('user_id')
              .whereRef('conversation', '=', 'conversations.token')
              .where('user_id', '=', a),
          ),
          eb.exists(
            eb
              .selectFrom('participants')
              .select('user_id')
              .whereRef('conversation', '=', 'conversations.token')
              .where('user_id', '=', b),
          ),
        ]),
      )
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** The note-to-self conversation of a user, if there is one. */
  async findNoteToSelf(userId: string): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .innerJoin('participants', 'participants.conversation', 'conversations.token')
      .selectAll('conversations')
      .where('conversations.type', '=', 'note-to-self')
      .where('participants.user_id', '=', userId)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** The conversation of a host app's object, if one exists. */
  async findByObject(object: ConversationObject): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('object_type', '=', object.type)
      .where('object_id', '=', object.id)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** A conversation by token, whoever asks. */
  async get(token: string): Promise<Conversation | undefined> {
    const row = await this.row(token);
    return row && toConversation(row);
  }

  /** The stored password hash of a conversation, or null when it has none. */
  async passwordHashOf(token: string): Promise<string | null> {
    return (await this.row(token))?.password_hash ?? null;
  }

  /** Changes a conversation's settings and returns it as it is now. */
  async update(token: string, changes: ConversationChanges): Promise<Conversation | undefined> {
    const set: Updateable<ConversationTable> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
    if (changes.lobby !== undefined) set.lobby = changes.lobby;
    if (changes.defaultPermissions !== undefined) set.default_permissions = changes.defaultPermissions;
    if (changes.sfuFrom !== undefined) set.sfu_from = changes.sfuFrom;
    if (changes.meshAtMost !== undefined) set.mesh_at_most = changes.meshAtMost;
    if (Object.keys(set).length === 0) return this.get(token);
    const row = await this.db
      .updateTable('conversations')
      .set(set)
      .where('token', '=', token)
      .returningAll()
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** Deletes a conversation with everything in it. */
  async delete(token: string): Promise<boolean> {
    const result = await this.db.deleteFrom('conversations').where('token', '=', token).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The conversations `userId` takes part in, most recently active first, each with the caller's role and
   * permissions, the last message, and unread counts after the caller's read marker; none of the three while a
   * closed lobby holds the caller out. With `token`, that one conversation only (none when not a participant).
   */
  async listOf(userId: string, token?: string): Promise<Conversation[]> {
    let query = this.db
      .selectFrom('conversations')
      .innerJoin('participants', 'participants.conversation', 'conversations.token')
      .selectAll('conversations')
      .select(['participants.role as my_role', 'participants.permissions as my_permissions'])
      .select((eb) => [
        eb
          .selectFrom('messages')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('messages.conversation', '=', 'conversations.token')
          .whereRef('messages.id', '>', 'participants.last_read_message_id')
          .where('messages.actor_id', '<>', userId)
          .where('messages.silent', '=', false)
          .where('messages.kind', '<>', 'system')
          .where('messages.deleted_at', 'is', null)
          .as('unread'),
        eb
          .selectFrom('message_mentions')
          .innerJoin('messages', 'messages.id', 'message_mentions.message_id')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('message_mentions.conversation', '=', 'conversations.token')
          .whereRef('message_mentions.message_id', '>', 'participants.last_read_message_id')
          .where('message_mentions.mentioned_id', 'in', [userId, 'all'])
          .where('messages.actor_id', '<>', userId)
          .where('messages.silent', '=', false)
          .where('messages.deleted_at', 'is', null)
          .as('mentions'),
      ])
      .where('participants.user_id', '=', userId);
    if (token !== undefined) query = query.where('conversations.token', '=', token);
    const rows = await query.orderBy('conversations.last_activity', 'desc').orderBy('conversations.token').execute();
    const lastIds = rows
      .map((row) => row.last_message_id)
      .filter((id) => id !== null)
      .map(Number);
    const last = new Map((await this.messages.byIds(lastIds)).map((m) => [m.id, m]));
    return rows.map((row) => {
      // The lobby holds its waiting users out of the chat: the list must not show them what it says either.
      const held = heldByLobby(row.lobby, row.my_role);
      const mentions = held ? 0 : Number(row.mentions ?? 0);
      return {
        ...toConversation(row),
        role: row.my_role,
        permissions: effectivePermissions(row.my_role, row.my_permissions, row.default_permissions),
        lastMessage: held || row.last_message_id === null ? null : (last.get(Number(row.last_message_id)) ?? null),
        unreadMessages: held ? 0 : Number(row.unread ?? 0),
        unreadMentions: mentions,
        unreadMention: mentions > 0,
      };
    });
  }

  /** A conversation's row as stored, for the repositories that read its other columns. */
  row(token: string): Promise<ConversationRow | undefined> {
    return this.db.selectFrom('conversations').selectAll().where('token', '=', token).executeTakeFirst();
  }
}
