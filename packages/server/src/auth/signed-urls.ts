import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an attachment URL's signature covers: which file, for whom, until when. */
export interface SignedFile {
  conversation: string;
  attachmentId: string;
  userId: string;
  /** Unix seconds. */
  expires: number;
}

/** How long a signed attachment URL works: short, since removal from the conversation must end access soon. */
export const SIGNED_URL_LIFETIME_SECONDS = 5 * 60;

/**
 * Signs and checks attachment URLs with HMAC-SHA256. The key is derived from the token secret, so that every
 * instance of a scaled server accepts every instance's URLs, and is not the token secret itself, so that a URL
 * signature can never pass for a token's. Without a secret (development) it is random per process.
 */
export class UrlSigner {
  readonly #key: Buffer;

  constructor(secret?: string) {
    this.#key = secret ? createHmac('sha256', secret).update('talk attachment urls v1').digest() : randomBytes(32);
  }

  /** The signature of `file`, base64url. */
  sign(file: SignedFile): string {
    // JSON of an array: no field's value can run into the next one.
    const payload = JSON.stringify([file.conversation, file.attachmentId, file.userId, file.expires]);
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }

  /** Whether `signature` is this server's for `file`; compared in constant time. */
  verify(file: SignedFile, signature: string): boolean {
    const expected = Buffer.from(this.sign(file));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
