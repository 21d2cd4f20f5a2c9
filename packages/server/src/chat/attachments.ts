import { Readable } from 'node:stream';
import { type Attachment, ErrorCode } from '@talk/protocol';
import type { Identity } from '../auth/tokens.js';
import {
  type AttachmentQuota,
  DEFAULT_ATTACHMENT_QUOTA,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_BYTES_CAP,
  type TalkConfig,
} from '../config.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';
import { sniffContentType } from './sniff.js';

/** The longest file name kept, in UTF-16 units. */
const MAX_NAME_LENGTH = 255;

/** How much of a file one read of a download takes from the database. */
export const DOWNLOAD_CHUNK_BYTES = 256 * 1024;

/**
 * The name an upload is kept under: percent-decoded when it was encoded (headers carry only Latin-1), without
 * path separators, NUL or line breaks, at most 255 units, and `file` when nothing is left.
 */
export function fileNameOf(rawName: string | undefined): string {
  let name = rawName ?? 'file';
  try {
    name = decodeURIComponent(name);
  } catch {
    // not percent-encoded: take it as it is
  }
  return name.replace(/[\\/\0\r\n]/g, '_').slice(0, MAX_NAME_LENGTH) || 'file';
}

/** The largest upload in force: as configured, never above what was tested ({@link MAX_ATTACHMENT_BYTES_CAP}). */
export function maxAttachmentBytesOf(config: Pick<TalkConfig, 'maxAttachmentBytes'>): number {
  return Math.min(config.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_BYTES_CAP);
}

/**
 * Files in a conversation: stored with a sniffed type (never the client's word) within the uploader's and the
 * conversation's quotas, read back by participants in pieces, and deleted with the last message that shows them.
 */
export class Attachments {
  readonly #quota: AttachmentQuota;

  constructor(
    private readonly store: Store,
    config: Pick<TalkConfig, 'attachmentQuota'> = {},
  ) {
    this.#quota = { ...DEFAULT_ATTACHMENT_QUOTA, ...config.attachmentQuota };
  }

  /**
   * Refuses `bytes` more for `me` in the conversation when either quota would overflow (409 quota-exceeded).
   * Asked with the declared length before an upload is read, and with the real one before it is stored.
   */
  async requireRoom(me: Identity, token: string, bytes: number): Promise<void> {
    const { perUserBytes, perConversationBytes } = this.#quota;
    if (perUserBytes === 0 && perConversationBytes === 0) return;
    this.#fits(await this.store.attachments.usage(me.userId, token), bytes);
  }

  /** Throws quota-exceeded when `bytes` more than `used` would overflow either quota. */
  #fits(used: { uploader: number; conversation: number }, bytes: number): void {
    const { perUserBytes, perConversationBytes } = this.#quota;
    if (perUserBytes > 0 && used.uploader + bytes > perUserBytes) {
      throw new TalkServerError(ErrorCode.QuotaExceeded, `Your files may take at most ${perUserBytes} bytes`);
    }
    if (perConversationBytes > 0 && used.conversation + bytes > perConversationBytes) {
      throw new TalkServerError(
        ErrorCode.QuotaExceeded,
        `This conversation's files may take at most ${perConversationBytes} bytes`,
      );
    }
  }

  /** Stores `bytes` that `me` uploaded under the name the client gave, if the quotas have room for them. */
  async save(me: Identity, token: string, bytes: Uint8Array, rawName: string | undefined): Promise<Attachment> {
    const file = { name: fileNameOf(rawName), contentType: sniffContentType(bytes), content: bytes };
    const { perUserBytes, perConversationBytes } = this.#quota;
    if (perUserBytes === 0 && perConversationBytes === 0) return this.store.attachments.save(token, me.userId, file);
    // Checked and stored under one lock: parallel uploads that each fit alone cannot all pass together.
    return this.store.attachments.saveWithin(token, me.userId, file, (used) => this.#fits(used, bytes.byteLength));
  }

  /**
   * An attachment of the conversation and a stream of its bytes, read from the database a piece at a time so
   * that a download holds one piece in memory, not the file; 404 when there is none.
   */
  async open(token: string, attachmentId: string): Promise<{ attachment: Attachment; content: Readable }> {
    const attachment = await this.store.attachments.get(token, attachmentId);
    if (!attachment) throw new TalkServerError(ErrorCode.NotFound, 'No such attachment');
    const store = this.store;
    let offset = 0;
    const content = new Readable({
      // One piece per read: the stream asks for the next only when the socket has taken the last.
      highWaterMark: 1,
      async read() {
        try {
          if (offset >= attachment.size) return void this.push(null);
          const piece = await store.attachments.chunk(token, attachmentId, offset, DOWNLOAD_CHUNK_BYTES);
          // Deleted meanwhile: the download ends short, and the client sees a broken transfer, not a wrong file.
          if (!piece || piece.byteLength === 0) return void this.destroy(new Error('attachment gone'));
          offset += piece.byteLength;
          this.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
        } catch (error) {
          this.destroy(error instanceof Error ? error : new Error(String(error)));
        }
      },
    });
    return { attachment, content };
  }
}
