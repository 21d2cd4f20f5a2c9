import type { Attachment } from '@talk/protocol';
import { sql } from 'kysely';
import { type Executor, inTransaction, lockFor, newToken } from './database.js';
import { toAttachment } from './rows.js';

/**
 * Bytes cross to the database as base64 text, which both drivers pass through untouched: PGlite converts a
 * bytea parameter or result in JavaScript, byte by byte, about five times slower (tens of seconds for a large
 * file, with the event loop held), and node-postgres sends it as hex, a third larger than base64.
 */
function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Every column of an attachment but its bytes, which only a download reads. */
const METADATA = ['id', 'conversation', 'uploader_id', 'name', 'content_type', 'size', 'created_at'] as const;

/** Attachments: uploaded files, their metadata apart from their bytes. */
export class AttachmentRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Stores an uploaded file if `fits` says the bytes already kept leave room for it, as one step: the uploader's
   * and the conversation's uploads are locked for the check and the insert (always in that order, so two uploads
   * never wait on each other in a cycle), so that parallel uploads cannot each see the room one of them takes.
   * Resolves to what `fits` threw otherwise.
   */
  async saveWithin(
    conversation: string,
    uploader: string,
    file: { name: string; contentType: string; content: Uint8Array },
    fits: (used: { uploader: number; conversation: number }) => void,
  ): Promise<Attachment> {
    return inTransaction(this.db, async (tx) => {
      await lockFor(tx, 'attachments-of-uploader', uploader);
      await lockFor(tx, 'attachments-of-conversation', conversation);
      const repository = new AttachmentRepository(tx);
      fits(await repository.usage(uploader, conversation));
      return repository.save(conversation, uploader, file);
    });
  }

  /** Stores an uploaded file's bytes with its metadata. */
  async save(
    conversation: string,
    uploader: string,
    file: { name: string; contentType: string; content: Uint8Array },
  ): Promise<Attachment> {
    const row = await this.db
      .insertInto('attachments')
      .values({
        id: newToken(),
        conversation,
        uploader_id: uploader,
        name: file.name,
        content_type: file.contentType,
        size: file.content.byteLength,
        content: sql<Uint8Array>`decode(${toBase64(file.content)}, 'base64')`,
      })
      .returning(METADATA)
      .executeTakeFirstOrThrow();
    return toAttachment(row);
  }

  /** An attachment's metadata, without its bytes. */
  async get(conversation: string, id: string): Promise<Attachment | undefined> {
    const row = await this.db
      .selectFrom('attachments')
      .select(METADATA)
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAttachment(row);
  }

  /**
   * `length` bytes of an attachment from `offset`, so a download streams in pieces instead of holding the whole
   * file; fewer at the end, none past it or when the file is gone.
   */
  async chunk(conversation: string, id: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('attachments')
      // substring counts from 1, in bytes for bytea.
      .select(sql<string>`encode(substring(content from ${offset + 1} for ${length}), 'base64')`.as('piece'))
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && Buffer.from(row.piece, 'base64');
  }

  /** The bytes kept for one uploader's files, and for one conversation's, in one query. */
  async usage(uploader: string, conversation: string): Promise<{ uploader: number; conversation: number }> {
    const row = await this.db
      .selectFrom('attachments')
      .select([
        sql<string | number | null>`sum(size) filter (where uploader_id = ${uploader})`.as('mine'),
        sql<string | number | null>`sum(size) filter (where conversation = ${conversation})`.as('here'),
      ])
      .where((eb) => eb.or([eb('uploader_id', '=', uploader), eb('conversation', '=', conversation)]))
      .executeTakeFirst();
    return { uploader: Number(row?.mine ?? 0), conversation: Number(row?.here ?? 0) };
  }

  /**
   * Deletes an attachment's row, bytes and all, unless a message that is not deleted still shows it (one upload
   * may be attached to several messages); true if it went.
   */
  async deleteUnreferenced(conversation: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('attachments')
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('messages')
              .select('messages.id')
              .where('messages.attachment_id', '=', id)
              .where('messages.deleted_at', 'is', null),
          ),
        ),
      )
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The metadata of several attachments by id, whichever conversations they are in (for file messages). */
  async byIds(ids: string[]): Promise<Map<string, Attachment>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('attachments').select(METADATA).where('id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.id, toAttachment(row)]));
  }
}
