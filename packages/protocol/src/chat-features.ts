import { type Static, Type } from '@sinclair/typebox';
import { ChatMessage, Mention } from './rest.js';

// The chat's second tier: mention autocomplete, search, pins, shared items, polls and signed attachment URLs.
// Kept apart from rest.ts so that each group reads as one piece; every route is listed in routes.ts.

/** Query of GET …/mentions: who `@search` may complete to. */
export const MentionSuggestionsQuery = Type.Object({
  /** What follows the `@`; empty lists everyone (up to `limit`). Matched case-insensitively as a prefix. */
  search: Type.String({ maxLength: 100, default: '' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});
export type MentionSuggestionsQuery = Static<typeof MentionSuggestionsQuery>;

/** Answer of GET …/mentions: the matching participants (and `all`), each as the mention it would become. */
export const MentionSuggestionList = Type.Array(Mention);
export type MentionSuggestionList = Static<typeof MentionSuggestionList>;

/** Query of the search routes: the words to find, and where the previous page stopped. */
export const SearchMessagesQuery = Type.Object({
  /** Words to find; every word must occur, each as a word or the start of one, in any case. */
  q: Type.String({ minLength: 1, maxLength: 200 }),
  /** Only messages older than this id: the `nextBefore` of the previous page. */
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type SearchMessagesQuery = Static<typeof SearchMessagesQuery>;

/** A page of messages, newest first, with where the next (older) page starts. */
export const MessagePage = Type.Object({
  messages: Type.Array(ChatMessage),
  /** Pass as `before` for the next page; null when this was the last one. */
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type MessagePage = Static<typeof MessagePage>;

/** Who did something, as a message shows them. */
export const ActorRef = Type.Object({ id: Type.String(), displayName: Type.String() });
export type ActorRef = Static<typeof ActorRef>;

/** A pinned message of a conversation. */
export const PinnedMessage = Type.Object({
  message: ChatMessage,
  pinnedBy: ActorRef,
  pinnedAt: Type.String({ format: 'date-time' }),
});
export type PinnedMessage = Static<typeof PinnedMessage>;

/** Answer of GET …/pins: the pinned messages, the most recently pinned first. */
export const PinnedMessageList = Type.Array(PinnedMessage);
export type PinnedMessageList = Static<typeof PinnedMessageList>;

/** The kinds of shared item: image files, other files, messages with a web link, polls. */
export const SharedItemType = Type.Union([
  Type.Literal('image'),
  Type.Literal('file'),
  Type.Literal('link'),
  Type.Literal('poll'),
]);
export type SharedItemType = Static<typeof SharedItemType>;

/** Query of GET …/shared: one type of item, paged back from the newest. */
export const SharedItemsQuery = Type.Object({
  type: SharedItemType,
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type SharedItemsQuery = Static<typeof SharedItemsQuery>;

/** Query of GET …/shared/overview: how many of each type to show. */
export const SharedOverviewQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 7 })),
});
export type SharedOverviewQuery = Static<typeof SharedOverviewQuery>;

/** Answer of GET …/shared/overview: the newest items of every type, newest first. */
export const SharedOverview = Type.Object({
  image: Type.Array(ChatMessage),
  file: Type.Array(ChatMessage),
  link: Type.Array(ChatMessage),
  poll: Type.Array(ChatMessage),
});
export type SharedOverview = Static<typeof SharedOverview>;

/** Whose votes everyone sees: `public` at once, with who voted for what; `hidden` only counts, once closed. */
export const PollResultMode = Type.Union([Type.Literal('public'), Type.Literal('hidden')]);
export type PollResultMode = Static<typeof PollResultMode>;

/** Body of POST …/polls: a poll, posted as a message of kind `poll`. */
export const CreatePollRequest = Type.Object({
  question: Type.String({ minLength: 1, maxLength: 1000 }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 20 }),
  /** How many options one voter may choose: 1 for a single choice, 0 for any number. */
  maxVotes: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, default: 1 })),
  resultMode: Type.Optional(PollResultMode),
  /** As for messages: a retry with the same id returns the first poll. */
  referenceId: Type.String({ minLength: 1, maxLength: 64 }),
});
export type CreatePollRequest = Static<typeof CreatePollRequest>;

/** Body of POST …/polls/{pollId}/votes: the caller's choice, replacing any earlier one; empty withdraws it. */
export const VoteRequest = Type.Object({
  optionIds: Type.Array(Type.Integer({ minimum: 0, maximum: 19 }), { maxItems: 20, uniqueItems: true }),
});
export type VoteRequest = Static<typeof VoteRequest>;

/** A poll: its message's id is its id. Counts are hidden while a `hidden` poll is open. */
export const Poll = Type.Object({
  id: Type.Integer(),
  conversation: Type.String(),
  question: Type.String(),
  options: Type.Array(Type.String()),
  maxVotes: Type.Integer(),
  resultMode: PollResultMode,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  actorId: Type.String(),
  actorDisplayName: Type.String(),
  /** Votes per option, by index; null while a hidden poll is open. */
  votes: Type.Union([Type.Array(Type.Integer()), Type.Null()]),
  /** How many people voted (shown for hidden polls too). */
  numVoters: Type.Integer(),
  /** Who chose what: public polls only (hidden ones never name voters). */
  voters: Type.Optional(
    Type.Array(
      Type.Object({ actorId: Type.String(), actorDisplayName: Type.String(), optionIds: Type.Array(Type.Integer()) }),
    ),
  ),
  /** The caller's own choice; absent in pushes, which go to everyone alike. */
  votedSelf: Type.Optional(Type.Array(Type.Integer())),
});
export type Poll = Static<typeof Poll>;

/**
 * Answer of POST …/attachments/{attachmentId}/url: a path on this server (append it to the server's URL) that
 * serves the file without a bearer header, to `<img src>` and `<a href>`, until `expiresAt`.
 */
export const AttachmentUrl = Type.Object({
  url: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type AttachmentUrl = Static<typeof AttachmentUrl>;

/** Query of GET /api/v1/files/{token}/{attachmentId}: what the server signed. */
export const SignedFileQuery = Type.Object({
  user: Type.String({ minLength: 1, maxLength: 200 }),
  /** Unix seconds. */
  expires: Type.Integer({ minimum: 0 }),
  /** HMAC-SHA256, base64url. */
  signature: Type.String({ minLength: 1, maxLength: 100 }),
});
export type SignedFileQuery = Static<typeof SignedFileQuery>;
