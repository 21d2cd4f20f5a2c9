import type { Readable } from 'node:stream';
import { type Attachment, type AttachmentUrl, conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { findMembership } from '../access/membership.js';
import { type Membership, mayRead } from '../access/rules.js';
import { SIGNED_URL_LIFETIME_SECONDS, type SignedFile, UrlSigner } from '../auth/signed-urls.js';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';
import { Attachments } from './attachments.js';

/**
 * Attachment URLs that work in `<img src>` and `<a href>`, which send no bearer header: issued to a participant
 * who may read the conversation, signed for that user, the file and an expiry a few minutes away. Serving checks
 * the signature and the expiry, and again that the user is still a participant who may read, so a removal (or a
 * closed lobby) ends access at once for this server, and the short expiry bounds a URL copied elsewhere.
 */
export class AttachmentUrls {
  readonly #signer: UrlSigner;
  readonly #attachments: Attachments;

  constructor(
    private readonly store: Store,
    secret: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.#signer = new UrlSigner(secret);
    this.#attachments = new Attachments(store);
  }

  /** A signed URL (a path on this server) of an attachment of the conversation of `membership`. */
  async issue(membership: Membership, attachmentId: string): Promise<AttachmentUrl> {
    const conversation = membership.conversation.token;
    if (!(await this.store.attachments.get(conversation, attachmentId))) {
      throw new TalkServerError(ErrorCode.NotFound, 'No such attachment');
    }
    const expires = Math.floor(this.now() / 1000) + SIGNED_URL_LIFETIME_SECONDS;
    const file: SignedFile = { conversation, attachmentId, userId: membership.participant.userId, expires };
    const query = new URLSearchParams({
      user: file.userId,
      expires: String(expires),
      signature: this.#signer.sign(file),
    });
    return {
      url: `${conversationPath(Routes.signedFile, conversation, { attachmentId })}?${query}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** The file a signed URL names, with how many seconds the URL has left; 403 for a bad or expired one. */
  async open(
    file: SignedFile,
    signature: string,
  ): Promise<{ attachment: Attachment; content: Readable; secondsLeft: number }> {
    const secondsLeft = file.expires - Math.floor(this.now() / 1000);
    if (!this.#signer.verify(file, signature)) {
      throw new TalkServerError(ErrorCode.Forbidden, 'The link is not valid');
    }
    if (secondsLeft <= 0) throw new TalkServerError(ErrorCode.Forbidden, 'The link has expired');
    const identity: Identity = { userId: file.userId, displayName: '' };
    const membership = await findMembership(this.store, file.conversation, identity);
    if (!membership || !mayRead(membership)) {
      throw new TalkServerError(ErrorCode.Forbidden, 'The link is no longer valid for you');
    }
    return { ...(await this.#attachments.open(file.conversation, file.attachmentId)), secondsLeft };
  }
}
