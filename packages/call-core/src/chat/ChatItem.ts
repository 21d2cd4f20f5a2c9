import type { Attachment, ChatMessage, Mention, MessageKind, SystemParameters } from '@talk/protocol';
import type { TalkError } from '../errors.js';

/** Where a message in the list stands. */
export enum ChatItemState {
  /** Stored by the server; it has an id. */
  Sent = 'sent',
  /** Sent optimistically and not yet confirmed. */
  Pending = 'pending',
  /** Sending gave up; `retry(referenceId)` tries again. */
  Failed = 'failed',
}

/** Someone who gave a reaction. */
export interface ChatReactor {
  /** Their user id. */
  readonly actorId: string;
  /** Their name when they reacted. */
  readonly actorDisplayName: string;
}

/** The message a reply answers, as it is now. */
export type ChatReplyTo = NonNullable<ChatMessage['replyTo']>;

/** One message as a list shows it: a stored message, or one of ours still on its way. */
export interface ChatItem {
  /** Stable across the pending → sent transition, so a list can key its rows by it. */
  readonly key: string;
  /** The server's id; null until stored. */
  readonly id: number | null;
  /** The id the sender chose for deduplication; null for messages sent without one. */
  readonly referenceId: string | null;
  /** Author's user id. */
  readonly actorId: string;
  /** Author's name at the time of sending. */
  readonly actorDisplayName: string;
  /** The text; for a system message, the server's English wording, which a client shows only for unknown types. */
  readonly message: string;
  /** `comment` when absent; `system` for what the server writes (joined, call started, …). */
  readonly kind?: MessageKind;
  /** For system messages: what happened (`conversation-created`, `user-added`, `call-started`, …). */
  readonly systemType?: string | null;
  /** What the wording needs besides the actor (the second person, the new name, …); read it with `systemParametersOf`. */
  readonly systemParameters?: SystemParameters | null;
  /** When the server stored it, or when it was sent locally. */
  readonly createdAt: string;
  /** Sent, pending or failed. */
  readonly state: ChatItemState;
  /** Why sending failed. */
  readonly error?: TalkError;
  /** Who the text mentions, as the server read it: `@id` or `@"name"` in the text names one of these. */
  readonly mentions: readonly Mention[];
  /** The message this one answers, or null. */
  readonly replyTo: ChatReplyTo | null;
  /** When the author last edited it, or null. */
  readonly editedAt: string | null;
  /** When it was deleted (its text is then empty), or null. */
  readonly deletedAt: string | null;
  /** Reaction → how many gave it. */
  readonly reactions: Readonly<Record<string, number>>;
  /** The reactions the current user gave. */
  readonly ownReactions: readonly string[];
  /** Reaction → who gave it; null until the store has asked the server (only messages with reactions are asked). */
  readonly reactors: Readonly<Record<string, readonly ChatReactor[]>> | null;
  /** The file of a file message. */
  readonly attachment: Attachment | null;
  /** Sent silently: it counts as read for everyone. */
  readonly silent: boolean;
}

/** A stored message as a list item; `key` stays what the row was keyed by before. */
export function itemOf(message: ChatMessage, key: string): ChatItem {
  return {
    key,
    id: message.id,
    referenceId: message.referenceId,
    actorId: message.actorId,
    actorDisplayName: message.actorDisplayName,
    message: message.message,
    kind: message.kind,
    systemType: message.systemType,
    systemParameters: message.systemParameters,
    createdAt: message.createdAt,
    state: ChatItemState.Sent,
    mentions: message.mentions ?? [],
    replyTo: message.replyTo ?? null,
    editedAt: message.editedAt ?? null,
    deletedAt: message.deletedAt ?? null,
    reactions: message.reactions ?? {},
    ownReactions: [],
    reactors: null,
    attachment: message.attachment ?? null,
    silent: message.silent ?? false,
  };
}

/** The protocol message an item stands for (for answers such as `send()`'s). */
export function messageOf(item: ChatItem, conversation: string): ChatMessage {
  const { id, referenceId, actorId, actorDisplayName, message, createdAt } = item;
  return { id: id ?? 0, conversation, referenceId, actorId, actorDisplayName, message, createdAt };
}

/** Whether two tallies hold the same counts. */
export function sameTally(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Whether a message counts towards the unread count, as the server counts it: others' live comments and files. */
export function countsAsUnread(item: ChatItem, userId: string | null): boolean {
  return (
    item.id !== null && item.kind !== 'system' && item.actorId !== userId && item.deletedAt === null && !item.silent
  );
}

/** Whether `item` mentions `userId`, by name or through `@all`. */
export function mentions(item: ChatItem, userId: string | null): boolean {
  return item.mentions.some((mention) => mention.type === 'all' || (userId !== null && mention.id === userId));
}

/** A piece of a message's text: plain text, or a mention the server recognised. */
export type TextSegment = { readonly text: string } | { readonly text: string; readonly mention: Mention };

/**
 * Splits `text` at its mentions: `@id` or `@"name"` for each mention the server recognised, so that a client can
 * show them as chips without parsing mentions itself. What the server did not recognise stays plain text.
 */
export function segmentsOf(text: string, mentionList: readonly Mention[]): TextSegment[] {
  if (mentionList.length === 0) return text ? [{ text }] : [];
  const written = new Map<string, Mention>();
  for (const mention of mentionList) {
    written.set(`@"${mention.name}"`, mention);
    written.set(`@"${mention.id}"`, mention);
    written.set(`@${mention.id}`, mention);
  }
  // Longest first, so that `@alice.b` wins over `@alice`.
  const forms = [...written.keys()].sort((a, b) => b.length - a.length);
  const segments: TextSegment[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at === -1) break;
    const before = at > 0 ? text[at - 1]! : '';
    const form = /[\w@"]/.test(before) ? undefined : forms.find((f) => text.startsWith(f, at));
    const after = form ? (text[at + form.length] ?? '') : '';
    // A bare `@id` must end where the id ends, not inside a longer word (`@alicex` is not `@alice`).
    if (form && (form.endsWith('"') || !/[\w.-]/.test(after) || after === '.')) {
      plain += text.slice(i, at);
      if (plain) segments.push({ text: plain });
      plain = '';
      segments.push({ text: form, mention: written.get(form)! });
      i = at + form.length;
    } else {
      plain += text.slice(i, at + 1);
      i = at + 1;
    }
  }
  plain += text.slice(i);
  if (plain) segments.push({ text: plain });
  return segments;
}
