/** REST paths of API v1. `{token}` is a conversation's token. */
export const Routes = {
  /** POST DevTokenRequest → TokenResponse; development mode only. */
  devTokens: '/api/v1/dev/tokens',
  /** GET → Conversation[] of the current user; POST CreateConversationRequest → Conversation. */
  conversations: '/api/v1/conversations',
  /** GET → Conversation; PATCH UpdateConversationRequest → Conversation (moderators); DELETE → 204 (moderators). */
  conversation: '/api/v1/conversations/{token}',
  /** GET → Participant[]; POST AddParticipantRequest → Participant (moderators). */
  participants: '/api/v1/conversations/{token}/participants',
  /** POST JoinConversationRequest? → Participant: join a public conversation as the current user; DELETE → 204: leave. */
  participantSelf: '/api/v1/conversations/{token}/participants/self',
  /** PATCH UpdateParticipantRequest → Participant; DELETE → 204: remove (moderators). */
  participant: '/api/v1/conversations/{token}/participants/{userId}',
  /** GET → Ban[]; POST BanRequest → 201 Ban: ban a user, removing them (moderators). */
  bans: '/api/v1/conversations/{token}/bans',
  /** DELETE → 204: lift a ban (moderators). */
  ban: '/api/v1/conversations/{token}/bans/{userId}',
  /** POST GuestJoinRequest → GuestJoinResponse: a guest joins a public conversation, no token needed. */
  guests: '/api/v1/conversations/{token}/guests',
  /** GET ListMessagesQuery → ChatMessage[] (oldest first); POST PostMessageRequest → ChatMessage. */
  messages: '/api/v1/conversations/{token}/messages',
  /** PATCH EditMessageRequest → ChatMessage (author); DELETE → ChatMessage (author or moderator). */
  message: '/api/v1/conversations/{token}/messages/{messageId}',
  /** GET → ReactionsResponse; POST / DELETE ReactionRequest → ReactionsResponse. */
  reactions: '/api/v1/conversations/{token}/messages/{messageId}/reactions',
  /** POST ReadMarkerRequest → 204: move the caller's read marker. */
  readMarker: '/api/v1/conversations/{token}/read',
  /** POST raw bytes (header `x-file-name`) → 201 Attachment. */
  attachments: '/api/v1/conversations/{token}/attachments',
  /** GET → the bytes, participants only. */
  attachment: '/api/v1/conversations/{token}/attachments/{attachmentId}',
  /** GET MentionSuggestionsQuery → Mention[]: whom `@…` may complete to (participants, and `all` in groups). */
  mentionSuggestions: '/api/v1/conversations/{token}/mentions',
  /** GET SearchMessagesQuery → MessagePage: messages of this conversation with the words, newest first. */
  conversationSearch: '/api/v1/conversations/{token}/search',
  /** GET SearchMessagesQuery → MessagePage: the same across every conversation the caller may read. */
  search: '/api/v1/search',
  /** GET → PinnedMessage[]: the conversation's pinned messages. */
  pins: '/api/v1/conversations/{token}/pins',
  /** POST → PinnedMessage; DELETE → 204: pin or unpin a message (moderators). */
  pin: '/api/v1/conversations/{token}/messages/{messageId}/pin',
  /** GET SharedItemsQuery → MessagePage: the conversation's images, files, links or polls, newest first. */
  sharedItems: '/api/v1/conversations/{token}/shared',
  /** GET SharedOverviewQuery → SharedOverview: the newest few of every type. */
  sharedOverview: '/api/v1/conversations/{token}/shared/overview',
  /** POST CreatePollRequest → 201 Poll: post a poll. */
  polls: '/api/v1/conversations/{token}/polls',
  /** GET → Poll. */
  poll: '/api/v1/conversations/{token}/polls/{pollId}',
  /** POST VoteRequest → Poll: vote (again), or withdraw with no options. */
  pollVotes: '/api/v1/conversations/{token}/polls/{pollId}/votes',
  /** POST → Poll: close the poll (its author or a moderator). */
  pollClose: '/api/v1/conversations/{token}/polls/{pollId}/close',
  /** POST → AttachmentUrl: a short-lived signed URL of an attachment, for `<img>` and `<a>`. */
  attachmentUrl: '/api/v1/conversations/{token}/attachments/{attachmentId}/url',
  /** GET SignedFileQuery → the bytes, no bearer header: the signature in the query is the credential. */
  signedFile: '/api/v1/files/{token}/{attachmentId}',
  /** POST from LiveKit (signed with its API secret): participant and room events that keep call state true. */
  livekitWebhook: '/api/v1/livekit/webhook',
  /** GET → the OpenAPI document of these routes. */
  openapi: '/openapi.json',
  /** GET → Prometheus metrics. */
  metrics: '/metrics',
  /** GET → CallSettings. */
  call: '/api/v1/conversations/{token}/call',
  /** POST SfuTokenRequest → SfuTokenResponse; 503 `disabled` when no SFU is configured. */
  sfuToken: '/api/v1/conversations/{token}/call/sfu-token',
  /** WebSocket upgrade for signaling; see docs/signaling-v1.md. */
  signaling: '/api/v1/signaling',
  /** GET → 200 while the server can serve. */
  health: '/healthz',
} as const;

/** A route with `{token}` (and any other `{name}` in `params`) filled in. */
export function conversationPath(route: string, token: string, params: Record<string, string | number> = {}): string {
  return route.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = name === 'token' ? token : params[name];
    return value === undefined ? whole : encodeURIComponent(String(value));
  });
}
