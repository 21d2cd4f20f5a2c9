import { type Attachment, ErrorCode } from '@talk/protocol';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';
import { sniffContentType } from './sniff.js';

/** The longest file name kept, in UTF-16 units. */
const MAX_NAME_LENGTH = 255;

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

/** Files in a conversation: stored with a sniffed type (never the client's word), read back by participants. */
export class Attachments {
  constructor(private readonly store: Store) {}

  /** Stores `bytes` that `me` uploaded under the name the client gave. */
  save(me: Identity, token: string, bytes: Uint8Array, rawName: string | undefined): Promise<Attachment> {
    return this.store.attachments.save(token, me.userId, {
      name: fileNameOf(rawName),
      contentType: sniffContentType(bytes),
      content: bytes,
    });
  }

  /** An attachment of the conversation with its bytes; 404 when there is none. */
  async open(token: string, attachmentId: string): Promise<{ attachment: Attachment; content: Uint8Array }> {
    const [attachment, content] = await Promise.all([
      this.store.attachments.get(token, attachmentId),
      this.store.attachments.content(token, attachmentId),
    ]);
    if (!attachment || !content) throw new TalkServerError(ErrorCode.NotFound, 'No such attachment');
    return { attachment, content };
  }
}
