import {
  type ChatMessage,
  ErrorCode,
  type ListMessagesQuery,
  MAX_MESSAGE_LENGTH,
  type Mention,
  type Participant,
  type PostMessageRequest,
  type ReactionsResponse,
} from '@talk/protocol';
import { requireAuthor, requireAuthorOrModerator } from '../access/rules.js';
import type { Identity } from '../auth/tokens.js';
import { DEFAULT_MAX_REACTIONS_PER_MESSAGE, type TalkConfig } from '../config.js';
import { TalkServerError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';
import type { SignalingHub } from '../signaling/hub.js';
import type { Store } from '../store/store.js';
import { parseMentions } from './mentions.js';

/** What the chat rules need: the data, the hub to push changes, the message counter and the limits. */
export interface ChatDeps {
  store: Store;
  hub: Pick<SignalingHub, 'broadcast' | 'tellUsers'>;
  metrics: Pick<Metrics, 'chatMessages'>;
  config?: Pick<TalkConfig, 'maxReactionsPerMessage'>;
}

/** One emoji as Unicode recommends them: ZWJ sequences, flags, keycaps and skin tones included. */
// Built from a string: the `v` flag's literal needs an ES2024 target, which the runtime (Node 24) has but the
// shared compiler target does not name yet.
// biome-ignore lint/complexity/useRegexLiterals: see above
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
/** A pictograph without its emoji variation selector (`❤` for `❤️`), as some keyboards send them. */
const BARE_PICTOGRAPH = /^\p{Extended_Pictographic}\uFE0F?$/u;

/** Refuses a reaction that is not exactly one emoji: text, two emoji, or an emoji with something joined to it. */
export function checkReaction(reaction: string): void {
  if (!RGI_EMOJI.test(reaction) && !BARE_PICTOGRAPH.test(reaction)) {
    throw new TalkServerError(ErrorCode.InvalidRequest, 'A reaction is one emoji');
  }
}

/** Counted in code points, as people count characters; the cheap length check spares most messages that. */
function checkLength(text: string): void {
  if (text.length > MAX_MESSAGE_LENGTH && [...text].length > MAX_MESSAGE_LENGTH) {
    throw new TalkServerError(ErrorCode.TooLarge, `Messages may be at most ${MAX_MESSAGE_LENGTH} characters`);
  }
}

/**
 * A conversation's chat: posting (idempotent by reference id), paging, editing by the author, deleting by the
 * author or a moderator, reactions and read markers. Every change is pushed to the connected sessions.
 */
export class Chat {
  readonly #store: Store;
  readonly #hub: ChatDeps['hub'];
  readonly #metrics: ChatDeps['metrics'];
  readonly #maxReactions: number;

  constructor({ store, hub, metrics, config }: ChatDeps) {
    this.#store = store;
    this.#hub = hub;
    this.#metrics = metrics;
    this.#maxReactions = config?.maxReactionsPerMessage ?? DEFAULT_MAX_REACTIONS_PER_MESSAGE;
  }

  /**
   * Posts `me`'s message. A retry with the same reference id returns the first message with `created: false`,
   * and nobody is told twice. A reply must answer a message of this conversation, an attachment be `me`'s own.
   */
  async post(
    me: Identity,
    token: string,
    { message: text, referenceId, replyTo, silent, attachmentId }: PostMessageRequest,
  ): Promise<{ message: ChatMessage; created: boolean }> {
    checkLength(text);
    if (replyTo !== undefined && !(await this.#store.messages.get(token, replyTo))) {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'replyTo names no message of this conversation');
    }
    if (attachmentId !== undefined) {
      const attachment = await this.#store.attachments.get(token, attachmentId);
      if (attachment?.uploaderId !== me.userId) {
        throw new TalkServerError(
          ErrorCode.InvalidRequest,
          'attachmentId names no upload of yours in this conversation',
        );
      }
    }
    const mentions = await this.#mentionsIn(token, text);
    const posted = await this.#store.messages.post(token, me, text, {
      referenceId,
      replyTo,
      silent,
      mentions,
      attachmentId,
    });
    if (!posted.created) return posted;
    const { message } = posted;
    this.#metrics.chatMessages.inc({ kind: message.kind ?? 'comment' });
    await this.#hub.broadcast(token, { type: 'chat-message', conversation: token, message });
    return posted;
  }

  /** A page of messages, oldest first: after an id, before one, or the newest. */
  list(token: string, { after, before, limit = 100, system }: ListMessagesQuery): Promise<ChatMessage[]> {
    if (after !== undefined && before !== undefined) {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'Page with after or before, not both');
    }
    return this.#store.messages.list(token, { after, before, limit, system });
  }

  /** `participant` edits their own message; its mentions are read again. */
  async edit(participant: Participant, token: string, messageId: number, text: string): Promise<ChatMessage> {
    const target = await this.#changeable(token, messageId);
    requireAuthor(participant, target.actorId);
    // A poll's text is its question, which votes were given to: it stays as asked.
    if (target.kind === 'poll') throw new TalkServerError(ErrorCode.Forbidden, 'A poll cannot be edited');
    checkLength(text);
    const mentions = await this.#mentionsIn(token, text);
    const message = await this.#store.messages.edit(token, messageId, text, mentions);
    if (!message) throw new TalkServerError(ErrorCode.NotFound, 'No such message');
    await this.#hub.broadcast(token, { type: 'chat-message-updated', conversation: token, message });
    return message;
  }

  /** `participant` deletes a message: their own, or anyone's as a moderator; a file message's bytes go too. */
  async delete(participant: Participant, token: string, messageId: number): Promise<ChatMessage> {
    const target = await this.#changeable(token, messageId);
    requireAuthorOrModerator(participant, target.actorId);
    let message = await this.#store.messages.delete(token, messageId);
    // A deleted file message takes its file along: its download must stop working, and the quota gets the room.
    if (message && target.attachment && (await this.#store.attachments.deleteUnreferenced(token, target.attachment.id)))
      message = await this.#store.messages.get(token, messageId);
    if (!message) throw new TalkServerError(ErrorCode.NotFound, 'No such message');
    await this.#hub.broadcast(token, { type: 'chat-message-updated', conversation: token, message });
    return message;
  }

  /** Who gave which reaction to a message of the conversation. */
  async reactions(token: string, messageId: number): Promise<ReactionsResponse> {
    if (!(await this.#store.messages.get(token, messageId))) {
      throw new TalkServerError(ErrorCode.NotFound, 'No such message');
    }
    return this.#store.reactions.list(messageId);
  }

  /**
   * Gives (`added`) or takes back `me`'s reaction to a message; `changed` is false when it was already so, and
   * then nobody is told. A reaction given is one emoji, and one user gives one message a bounded number of them
   * (taking one back is always allowed, whatever it is).
   */
  async react(
    me: Identity,
    token: string,
    messageId: number,
    reaction: string,
    added: boolean,
  ): Promise<{ reactions: ReactionsResponse; changed: boolean }> {
    await this.#changeable(token, messageId);
    if (added) checkReaction(reaction);
    // The cap is counted and the reaction added in one step, so that parallel requests cannot all pass it.
    const changed = added
      ? await this.#store.reactions.addCapped(messageId, me, reaction, this.#maxReactions)
      : await this.#store.reactions.set(messageId, me, reaction, false);
    if (changed === 'full') {
      throw new TalkServerError(
        ErrorCode.QuotaExceeded,
        `At most ${this.#maxReactions} reactions of one user on one message`,
      );
    }
    const reactions = await this.#store.reactions.list(messageId);
    if (changed) {
      const tally = Object.fromEntries(Object.entries(reactions).map(([r, actors]) => [r, actors.length]));
      await this.#hub.broadcast(token, {
        type: 'reaction',
        conversation: token,
        messageId,
        actorId: me.userId,
        actorDisplayName: me.displayName,
        reaction,
        added,
        reactions: tally,
      });
    }
    return { reactions, changed };
  }

  /** Moves `me`'s read marker forward to `messageId` (never back); `me`'s other sessions hear of it. */
  async markRead(me: Identity, token: string, messageId: number): Promise<void> {
    await this.#store.participants.markRead(token, me.userId, messageId);
    await this.#hub.tellUsers([me.userId], token, 'read');
  }

  /** A message that may still change: a comment or file of this conversation, not deleted. */
  async #changeable(token: string, messageId: number): Promise<ChatMessage> {
    const message = await this.#store.messages.get(token, messageId);
    if (!message) throw new TalkServerError(ErrorCode.NotFound, 'No such message');
    if (message.kind === 'system' || message.deletedAt) {
      throw new TalkServerError(ErrorCode.Forbidden, 'System and deleted messages cannot be changed');
    }
    return message;
  }

  /** Whom `text` mentions among the conversation's participants; only a text with an `@` costs a lookup. */
  async #mentionsIn(token: string, text: string): Promise<Mention[]> {
    return text.includes('@') ? parseMentions(text, await this.#store.participants.list(token)) : [];
  }
}
