import type { Attachment } from '@talk/protocol';
import { type Executor, newToken } from './database.js';
import { toAttachment } from './rows.js';

/** Every column of an attachment but its bytes, which only a download reads. */
const METADATA = ['id', 'conversation', 'uploader_id', 'name', 'content_type', 'size', 'created_at'] as const;

/** Attachments: uploaded files, their metadata apart from their bytes. */
export class AttachmentRepository {
  constructor(private readonly db: Executor) {}

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
        content: file.content,
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

  /** An attachment's bytes. */
  async content(conversation: string, id: string): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('attachments')
      .select('content')
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.content;
  }

  /** The metadata of several attachments by id, whichever conversations they are in (for file messages). */
  async byIds(ids: string[]): Promise<Map<string, Attachment>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('attachments').select(METADATA).where('id', 'in', ids).execute();
    return new Map(rows.map((row) => [row.id, toAttachment(row)]));
  }
}
