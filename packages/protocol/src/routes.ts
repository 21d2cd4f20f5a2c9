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
