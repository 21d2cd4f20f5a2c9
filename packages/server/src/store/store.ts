import { type Kysely, sql } from 'kysely';
import type { StorageConfig } from '../config.js';
import { AttachmentRepository } from './attachments.js';
import { CallRepository } from './calls.js';
import { ConversationRepository } from './conversations.js';
import { type Executor, inTransaction, openDatabase } from './database.js';
import { InstanceRepository } from './instances.js';
import { MessageRepository } from './messages.js';
import { ParticipantRepository } from './participants.js';
import { PinRepository } from './pins.js';
import { PollRepository } from './polls.js';
import { PresenceRepository } from './presence.js';
import { ReactionRepository } from './reactions.js';
import type { Database } from './schema.js';
import { SearchRepository } from './search.js';
import { SharedItemRepository } from './shared-items.js';

export type { CallRecord, CallState } from './calls.js';
export type { ConversationChanges, NewConversation } from './conversations.js';
export type { ReapedSession } from './instances.js';
export type { MessageOptions, MessagePage } from './messages.js';
export type { Actor, Membership } from './participants.js';
export type { NewPoll, PollRecord } from './polls.js';
export type { PresenceChanges } from './presence.js';

/** One repository per aggregate, all on one executor: the database, or a transaction they share. */
export class Repositories {
  /** Conversations and their settings. */
  readonly conversations: ConversationRepository;
  /** Who belongs to which conversation. */
  readonly participants: ParticipantRepository;
  /** Chat messages and their mentions. */
  readonly messages: MessageRepository;
  /** Reactions to messages. */
  readonly reactions: ReactionRepository;
  /** Uploaded files. */
  readonly attachments: AttachmentRepository;
  /** Signaling sessions in conversations and calls. */
  readonly presence: PresenceRepository;
  /** Server instances' heartbeats. */
  readonly instances: InstanceRepository;
  /** Each conversation's call state. */
  readonly calls: CallRepository;
  /** Message search. */
  readonly search: SearchRepository;
  /** Files, images, links and polls of a conversation. */
  readonly sharedItems: SharedItemRepository;
  /** Pinned messages. */
  readonly pins: PinRepository;
  /** Polls and their votes. */
  readonly polls: PollRepository;

  constructor(db: Executor) {
    this.reactions = new ReactionRepository(db);
    this.attachments = new AttachmentRepository(db);
    this.messages = new MessageRepository(db, this.reactions, this.attachments);
    this.conversations = new ConversationRepository(db, this.messages);
    this.participants = new ParticipantRepository(db);
    this.presence = new PresenceRepository(db);
    this.instances = new InstanceRepository(db);
    this.calls = new CallRepository(db);
    this.search = new SearchRepository(db, this.messages);
    this.sharedItems = new SharedItemRepository(db, this.messages);
    this.pins = new PinRepository(db, this.messages);
    this.polls = new PollRepository(db);
  }
}

/**
 * The one data layer, over PGlite or PostgreSQL: `store.messages.post(…)`, `store.conversations.get(…)`.
 * Routes never see the query builder, so the schema can change behind the repositories.
 */
export class Store extends Repositories {
  private constructor(
    private readonly db: Kysely<Database>,
    /** Which backend this is; ids come back as numbers from PGlite and as strings from pg. */
    readonly kind: StorageConfig['kind'],
  ) {
    super(db);
  }

  /** Opens the configured database and brings its schema up to date. */
  static async open(storage: StorageConfig): Promise<Store> {
    return new Store(await openDatabase(storage), storage.kind);
  }

  /** Runs `fn` with repositories that share one transaction: all its writes happen, or none. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return inTransaction(this.db, (tx) => fn(new Repositories(tx)));
  }

  /** Closes the database (and PGlite's files). */
  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** Whether the database answers; for /healthz. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}
