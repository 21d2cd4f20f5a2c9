import { type Static, Type } from '@sinclair/typebox';

/** Longest chat message the server accepts, in characters. */
export const MAX_MESSAGE_LENGTH = 32_000;

/** Kinds of conversation, after Nextcloud Talk's room types. */
export const ConversationType = Type.Union([
  Type.Literal('one-to-one'),
  Type.Literal('group'),
  Type.Literal('public'),
  Type.Literal('note-to-self'),
]);
export type ConversationType = Static<typeof ConversationType>;

/** A participant's role inside one conversation. */
export const ParticipantRole = Type.Union([
  Type.Literal('owner'),
  Type.Literal('moderator'),
  Type.Literal('user'),
  Type.Literal('guest'),
]);
export type ParticipantRole = Static<typeof ParticipantRole>;

import { ALL_PERMISSIONS } from './permissions.js';

export { ALL_PERMISSIONS, Permission } from './permissions.js';

/**
 * The key of a record whose keys may be any string. TypeBox's default key pattern, `^(.*)$`, stops at a line
 * break, and Fastify's serialiser drops a key that misses a record's pattern: a reaction with a newline in it
 * would vanish from the answer.
 */
const AnyKey = Type.String({ pattern: '^[\\s\\S]*$' });

/**
 * A message id in a request: a database bigint that JavaScript holds exactly, so at most 2^53 − 1. Without the
 * bound, `1e300` (or `1e400`, which JSON reads as Infinity) passed as an integer and failed the query.
 */
export const MessageId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** A message id or 0 ("none yet"), as read markers and catch-up cursors take it. */
const MessageIdOrZero = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A permission bit set, 0–63. */
export const Permissions = Type.Integer({ minimum: 0, maximum: ALL_PERMISSIONS });

/** The one error body every endpoint answers with. */
export const ErrorBody = Type.Object({
  status: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Answer of GET /healthz: `ok` with status 200 while the database answers, else `unavailable` with 503. */
export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
});
export type HealthResponse = Static<typeof HealthResponse>;

/** A host object or a family of them, `type:id` or `type:*` (any id of the type), as a token's `obj` claim names it. */
export const ObjectPattern = Type.String({
  minLength: 3,
  maxLength: 320,
  pattern: '^[^:\\s*]{1,64}:(\\*|[^\\s*]{1,255})$',
});
export type ObjectPattern = Static<typeof ObjectPattern>;

/**
 * One entry of a token's `obj` claim: the host vouches that the user may open the conversations of these objects.
 * A bare pattern creates a missing conversation with safe defaults (a `group` without password); the object
 * form also names the types the holder may create it as (`public`, …). See the server README.
 */
export const ObjectGrant = Type.Union([
  ObjectPattern,
  Type.Object({
    pattern: ObjectPattern,
    types: Type.Optional(Type.Array(ConversationType, { minItems: 1, maxItems: 4 })),
  }),
]);
export type ObjectGrant = Static<typeof ObjectGrant>;

/** Body of POST /api/v1/dev/tokens: mint a token for a demo user (development mode only). */
export const DevTokenRequest = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
  /** The `obj` claim of the token: the objects whose conversations the user may open. */
  objects: Type.Optional(Type.Array(ObjectGrant, { maxItems: 100 })),
});
export type DevTokenRequest = Static<typeof DevTokenRequest>;

/** A token a client presents as `Authorization: Bearer …` and in the signaling hello. */
export const TokenResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type TokenResponse = Static<typeof TokenResponse>;

/** Someone a message mentions: `@alice`, `@all`, or a guest by the name they gave. */
export const Mention = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('guest'), Type.Literal('all')]),
  /** The user id (or the guest's id); `all` for @all. */
  id: Type.String(),
  /** The name at the time of the message. */
  name: Type.String(),
});
export type Mention = Static<typeof Mention>;

/** A file uploaded to a conversation. */
export const Attachment = Type.Object({
  id: Type.String(),
  conversation: Type.String(),
  name: Type.String(),
  /** Sniffed from the bytes, not taken from the client. */
  contentType: Type.String(),
  size: Type.Integer(),
  uploaderId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Attachment = Static<typeof Attachment>;

/** What a message is: written by someone, a file, a poll (its id is the poll's), or a note the server writes. */
export const MessageKind = Type.Union([
  Type.Literal('comment'),
  Type.Literal('file'),
  Type.Literal('system'),
  Type.Literal('poll'),
]);
export type MessageKind = Static<typeof MessageKind>;

/** The person a system message is about, besides its actor: who was added, removed, promoted, … */
export const SystemMessageUser = Type.Object(
  { id: Type.String(), displayName: Type.String() },
  { additionalProperties: false },
);
export type SystemMessageUser = Static<typeof SystemMessageUser>;

/**
 * What a system message's wording needs besides its actor, one shape per group of types (see
 * `SystemParametersByType`). Closed objects, so that a serialiser picking the first matching branch
 * cannot take the `{user}` branch for a `{user, permissions}` value and drop the permissions.
 */
export const SystemParameters = Type.Union([
  // permissions-changed: the participant's override now, or null when they fell back to the defaults.
  Type.Object(
    { user: SystemMessageUser, permissions: Type.Union([Permissions, Type.Null()]) },
    { additionalProperties: false },
  ),
  // user-added, user-removed, moderator-promoted, moderator-demoted.
  Type.Object({ user: SystemMessageUser }, { additionalProperties: false }),
  // conversation-renamed.
  Type.Object({ oldName: Type.String(), newName: Type.String() }, { additionalProperties: false }),
  // message-pinned, message-unpinned: which message.
  Type.Object({ messageId: Type.Integer() }, { additionalProperties: false }),
  // poll-closed: which poll, and its question for the wording.
  Type.Object(
    { poll: Type.Object({ id: Type.Integer(), question: Type.String() }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
]);
export type SystemParameters = Static<typeof SystemParameters>;

/** A chat message. Ids grow within a conversation, so they order it. */
export const ChatMessage = Type.Object({
  id: Type.Integer(),
  conversation: Type.String(),
  actorId: Type.String(),
  actorDisplayName: Type.String(),
  message: Type.String(),
  referenceId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  /** `comment` when absent. */
  kind: Type.Optional(MessageKind),
  /** For system messages: what happened (`conversation-created`, `user-added`, `call-started`, …). */
  systemType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** For the system types whose wording names more than the actor (`user-added`, `conversation-renamed`, …). */
  systemParameters: Type.Optional(Type.Union([SystemParameters, Type.Null()])),
  mentions: Type.Optional(Type.Array(Mention)),
  /** The message this one answers, as it is now (it may have been edited or deleted since). */
  replyTo: Type.Optional(
    Type.Union([
      Type.Object({
        id: Type.Integer(),
        actorId: Type.String(),
        actorDisplayName: Type.String(),
        message: Type.String(),
        deleted: Type.Boolean(),
      }),
      Type.Null(),
    ]),
  ),
  silent: Type.Optional(Type.Boolean()),
  /** Set once the author edited it. */
  editedAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  /** Set once it was deleted; its text is then empty. */
  deletedAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  /** Reaction → how many gave it. */
  reactions: Type.Optional(Type.Record(AnyKey, Type.Integer())),
  /** For file messages. */
  attachment: Type.Optional(Type.Union([Attachment, Type.Null()])),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** Answer of GET …/messages: a page of messages, oldest first. */
export const ChatMessageList = Type.Array(ChatMessage);
export type ChatMessageList = Static<typeof ChatMessageList>;

/** The object of a host app that a conversation belongs to, such as a file or a calendar event. */
export const ConversationObject = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 64 }),
  id: Type.String({ minLength: 1, maxLength: 255 }),
});
export type ConversationObject = Static<typeof ConversationObject>;

/** A user the caller adds to a conversation; they appear under the name their own token gives them. */
const NewParticipantRef = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
  /** Ignored (kept for version-1 clients): nobody names another user; see the server README. */
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

/** Body of POST /api/v1/conversations. With `object`, an existing conversation of that object is returned instead of a new one. */
export const CreateConversationRequest = Type.Object({
  type: ConversationType,
  name: Type.String({ minLength: 1, maxLength: 255 }),
  object: Type.Optional(ConversationObject),
  /** Shown under the name. */
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  /** Users to add as `user` (the host app vouches for them); a one-to-one takes exactly one. */
  participants: Type.Optional(Type.Array(NewParticipantRef, { maxItems: 100 })),
  /** A password guests and self-joining users must give (public conversations only). */
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
export type CreateConversationRequest = Static<typeof CreateConversationRequest>;

/** A conversation as the current user sees it. */
export const Conversation = Type.Object({
  token: Type.String(),
  type: ConversationType,
  name: Type.String(),
  object: Type.Union([ConversationObject, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastActivity: Type.String({ format: 'date-time' }),
  /** Shown under the name. */
  description: Type.Optional(Type.String()),
  /** Whether joining without an invitation needs a password. */
  hasPassword: Type.Optional(Type.Boolean()),
  /** Whether the lobby holds non-moderators out of chat and call. */
  lobby: Type.Optional(Type.Boolean()),
  /** Permissions of participants without an override. */
  defaultPermissions: Type.Optional(Permissions),
  /** Per-conversation topology thresholds; null means the server's. */
  sfuFrom: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  meshAtMost: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  /** The caller's role here. */
  role: Type.Optional(ParticipantRole),
  /** The caller's effective permissions here. */
  permissions: Type.Optional(Permissions),
  /** The newest message, or null in an empty conversation. */
  lastMessage: Type.Optional(Type.Union([ChatMessage, Type.Null()])),
  /** Messages after the caller's read marker, not counting the caller's own. */
  unreadMessages: Type.Optional(Type.Integer()),
  /** Whether one of those unread messages mentions the caller (or @all). */
  unreadMention: Type.Optional(Type.Boolean()),
  /** How many unread messages mention the caller (or @all). */
  unreadMentions: Type.Optional(Type.Integer()),
  /** Whether a call is running. */
  callActive: Type.Optional(Type.Boolean()),
});
export type Conversation = Static<typeof Conversation>;

/** Answer of GET /api/v1/conversations: the caller's conversations, most recently active first. */
export const ConversationList = Type.Array(Conversation);
export type ConversationList = Static<typeof ConversationList>;

/**
 * Body of PATCH /api/v1/conversations/{token}; moderators only. Absent fields stay as they are. In request bodies
 * null comes first in a union: the server's validator coerces types, and tried first a number or string branch would
 * turn null into 0 or "" instead of clearing the field.
 */
export const UpdateConversationRequest = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  /** A new password, or null to remove it. */
  password: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 200 })])),
  lobby: Type.Optional(Type.Boolean()),
  defaultPermissions: Type.Optional(Permissions),
  sfuFrom: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 2, maximum: 1000 })])),
  meshAtMost: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 1000 })])),
});
export type UpdateConversationRequest = Static<typeof UpdateConversationRequest>;

/** A member of a conversation. */
export const Participant = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  role: ParticipantRole,
  /** Effective permissions: the override, else the conversation's defaults; everything for moderators. */
  permissions: Type.Optional(Permissions),
  /** The participant's own override, or null. */
  permissionOverride: Type.Optional(Type.Union([Permissions, Type.Null()])),
});
export type Participant = Static<typeof Participant>;

/** Answer of GET …/participants: everyone in the conversation, in the order they joined. */
export const ParticipantList = Type.Array(Participant);
export type ParticipantList = Static<typeof ParticipantList>;

/** Body of POST /api/v1/conversations/{token}/participants: a moderator adds a user. */
export const AddParticipantRequest = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
  /** Ignored (kept for version-1 clients): the user appears under the name their own token gives them. */
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  role: Type.Optional(Type.Union([Type.Literal('moderator'), Type.Literal('user')])),
});
export type AddParticipantRequest = Static<typeof AddParticipantRequest>;

/** Body of PATCH /api/v1/conversations/{token}/participants/{userId}: a moderator changes a role or permissions. */
export const UpdateParticipantRequest = Type.Object({
  role: Type.Optional(Type.Union([Type.Literal('moderator'), Type.Literal('user')])),
  /** An override, or null to fall back to the conversation's defaults. */
  permissions: Type.Optional(Type.Union([Type.Null(), Permissions])),
});
export type UpdateParticipantRequest = Static<typeof UpdateParticipantRequest>;

/** Optional body of POST /api/v1/conversations/{token}/participants/self. */
export const JoinConversationRequest = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 200 })),
});
export type JoinConversationRequest = Static<typeof JoinConversationRequest>;

/** Body of POST /api/v1/conversations/{token}/bans: a moderator bans a user (removing them if they are in). */
export const BanRequest = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64 }),
});
export type BanRequest = Static<typeof BanRequest>;

/** A user who may not join a conversation by themselves again until a moderator lifts the ban. */
export const Ban = Type.Object({
  userId: Type.String(),
  /** The name they had when banned. */
  displayName: Type.String(),
  /** The moderator who banned them. */
  bannedBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Ban = Static<typeof Ban>;

/** Answer of GET /api/v1/conversations/{token}/bans. */
export const BanList = Type.Array(Ban);
export type BanList = Static<typeof BanList>;

/** Body of POST /api/v1/conversations/{token}/guests: a guest joins a public conversation through its link. */
export const GuestJoinRequest = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.Optional(Type.String({ maxLength: 200 })),
});
export type GuestJoinRequest = Static<typeof GuestJoinRequest>;

/** Answer of POST …/guests: a token that is good for this one conversation only. */
export const GuestJoinResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  participant: Participant,
});
export type GuestJoinResponse = Static<typeof GuestJoinResponse>;

/** Body of POST /api/v1/conversations/{token}/messages. */
export const PostMessageRequest = Type.Object({
  message: Type.String({ minLength: 1 }),
  /** Chosen by the client so that a retried send returns the first message instead of a second one. */
  referenceId: Type.String({ minLength: 1, maxLength: 64 }),
  /** The id of the message this one answers. */
  replyTo: Type.Optional(MessageId),
  /** A silent message counts as read for everyone else: it raises no unread count or mention. */
  silent: Type.Optional(Type.Boolean()),
  /** An uploaded attachment of this conversation: the message becomes a file message. */
  attachmentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type PostMessageRequest = Static<typeof PostMessageRequest>;

/** Body of PATCH …/messages/{messageId}: the author edits a message. */
export const EditMessageRequest = Type.Object({ message: Type.String({ minLength: 1 }) });
export type EditMessageRequest = Static<typeof EditMessageRequest>;

/** Body of POST and DELETE …/messages/{messageId}/reactions. */
export const ReactionRequest = Type.Object({ reaction: Type.String({ minLength: 1, maxLength: 32 }) });
export type ReactionRequest = Static<typeof ReactionRequest>;

/** Answer of the reaction routes: who gave which reaction to the message. */
export const ReactionsResponse = Type.Record(
  AnyKey,
  Type.Array(Type.Object({ actorId: Type.String(), actorDisplayName: Type.String() })),
);
export type ReactionsResponse = Static<typeof ReactionsResponse>;

/** Body of POST …/read: the caller has read up to this message. */
export const ReadMarkerRequest = Type.Object({ lastReadMessageId: MessageIdOrZero });
export type ReadMarkerRequest = Static<typeof ReadMarkerRequest>;

/** Query of GET /api/v1/conversations/{token}/messages. */
export const ListMessagesQuery = Type.Object({
  /** Only messages after this id (forward catch-up); without it, the newest page. */
  after: Type.Optional(MessageIdOrZero),
  /** Only messages before this id (paging back through history); not together with `after`. */
  before: Type.Optional(MessageId),
  /** Include system messages (joined, call started, …); version-1 clients do not ask and do not get them. */
  system: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
});
export type ListMessagesQuery = Static<typeof ListMessagesQuery>;

/** An ICE server entry as RTCPeerConnection takes it. */
export const IceServer = Type.Object({
  urls: Type.Array(Type.String()),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});
export type IceServer = Static<typeof IceServer>;

/** Answer of GET /api/v1/conversations/{token}/call: what a participant needs to join the call. */
export const CallSettings = Type.Object({
  iceServers: Type.Array(IceServer),
  /** The LiveKit server's WebSocket URL, or null when no SFU is configured and calls stay mesh. */
  sfuUrl: Type.Union([Type.String(), Type.Null()]),
  /** Video bitrate cap per mesh stream, in bits per second. */
  maxVideoBitrate: Type.Integer(),
  /** The call's topology now; `mesh` when no call runs. */
  topology: Type.Optional(Type.Union([Type.Literal('mesh'), Type.Literal('sfu')])),
  /**
   * The topology the call will be on once the caller joins it. A joiner who takes the call to the SFU starts its
   * media there, rather than building mesh paths that the switch would tear down at once.
   */
  joinTopology: Type.Optional(Type.Union([Type.Literal('mesh'), Type.Literal('sfu')])),
  /**
   * With an SFU, the number of in-call sessions from which the call moves to it (the conversation's threshold, else
   * the server's), so that clients can get their SFU path ready while the call is one short of it.
   */
  sfuFrom: Type.Optional(Type.Integer({ minimum: 2 })),
});
export type CallSettings = Static<typeof CallSettings>;

/** Body of POST /api/v1/conversations/{token}/call/sfu-token. */
export const SfuTokenRequest = Type.Object({
  /** The caller's signaling session; it becomes the LiveKit identity, so one participant is one id in both topologies. */
  sessionId: Type.String({ minLength: 1 }),
});
export type SfuTokenRequest = Static<typeof SfuTokenRequest>;

/** Answer of POST /api/v1/conversations/{token}/call/sfu-token. */
export const SfuTokenResponse = Type.Object({
  url: Type.String(),
  token: Type.String(),
  room: Type.String(),
  identity: Type.String(),
});
export type SfuTokenResponse = Static<typeof SfuTokenResponse>;
