import { ALL_PERMISSIONS, type Conversation, Permission } from '@talk/protocol';
import type { TalkClientLike } from '../../client/TalkClientLike.js';

/**
 * Why the server took this browser out of a call: `removed` or `banned` by a moderator, the conversation
 * `deleted`, the `lobby` closed on a non-moderator, the user `left` it from another page, or `forbidden` once
 * their permissions no longer let them join calls. A newer server may send another word.
 */
export type CallEndReason = 'removed' | 'banned' | 'deleted' | 'lobby' | 'left' | 'forbidden' | (string & {});

/** What a call may still send under the participant's permissions now. */
export interface AllowedMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** What a MembershipWatcher does when the server's view of the membership changes. */
export interface MembershipActions {
  /** The call has to end: camera and microphone are to be released at once. */
  end(reason: CallEndReason): void;
  /** Media the participant may no longer send is to be switched off. */
  restrict(allowed: AllowedMedia): void;
  /** Reports a failure to read the conversation again. */
  error(cause: unknown): void;
}

/**
 * Follows a joined call's membership: a `left` from the server ends the call with its reason; a
 * `conversation-updated` is read again (role, permissions, lobby) and ends the call or switches off what may no
 * longer be sent. The server refuses such media too (and LiveKit unpublishes it); this stops it at the source, so
 * the mesh peers see it go and the page shows why.
 */
export class MembershipWatcher {
  readonly #client: TalkClientLike;
  readonly #conversation: string;
  readonly #actions: MembershipActions;
  /** Reads that overlap are folded into one that runs after the current one. */
  #reading: Promise<void> | null = null;
  #again = false;

  constructor(client: TalkClientLike, conversation: string, actions: MembershipActions) {
    this.#client = client;
    this.#conversation = conversation;
    this.#actions = actions;
  }

  /** The server ended the membership. */
  left(reason: string): void {
    this.#actions.end(reason);
  }

  /** The conversation's settings or membership changed. */
  updated(): void {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = this.#read().finally(() => {
      this.#reading = null;
      if (this.#again) {
        this.#again = false;
        this.updated();
      }
    });
  }

  async #read(): Promise<void> {
    let conversation: Conversation;
    try {
      conversation = await this.#client.getConversation(this.#conversation);
    } catch (cause) {
      this.#actions.error(cause);
      return;
    }
    const verdict = judge(conversation);
    if (verdict.end) this.#actions.end(verdict.end);
    else this.#actions.restrict(verdict.allowed);
  }
}

/** Whether a conversation as the caller sees it still lets them be in its call, and with which media. */
export function judge(conversation: Conversation): { end?: CallEndReason; allowed: AllowedMedia } {
  const moderator = conversation.role === 'owner' || conversation.role === 'moderator';
  const permissions = moderator ? ALL_PERMISSIONS : (conversation.permissions ?? ALL_PERMISSIONS);
  const allowed = {
    audio: (permissions & Permission.PublishAudio) !== 0,
    video: (permissions & Permission.PublishVideo) !== 0,
    screen: (permissions & Permission.PublishScreen) !== 0,
  };
  if (conversation.lobby && !moderator) return { end: 'lobby', allowed };
  if ((permissions & (Permission.JoinCall | Permission.StartCall)) === 0) return { end: 'forbidden', allowed };
  return { allowed };
}
