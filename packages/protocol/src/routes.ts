/** REST paths of API v1. `{token}` is a conversation's token. */
export const Routes = {
  /** POST DevTokenRequest → TokenResponse; development mode only. */
  devTokens: '/api/v1/dev/tokens',
  /** GET → Conversation[] of the current user; POST CreateConversationRequest → Conversation. */
  conversations: '/api/v1/conversations',
  /** GET → Conversation. */
  conversation: '/api/v1/conversations/{token}',
  /** GET → Participant[]. */
  participants: '/api/v1/conversations/{token}/participants',
  /** POST → Participant: join a public conversation as the current user. */
  participantSelf: '/api/v1/conversations/{token}/participants/self',
  /** GET ListMessagesQuery → ChatMessage[] (oldest first); POST PostMessageRequest → ChatMessage. */
  messages: '/api/v1/conversations/{token}/messages',
  /** GET → CallSettings. */
  call: '/api/v1/conversations/{token}/call',
  /** POST SfuTokenRequest → SfuTokenResponse; 503 `disabled` when no SFU is configured. */
  sfuToken: '/api/v1/conversations/{token}/call/sfu-token',
  /** WebSocket upgrade for signaling; see docs/signaling-v1.md. */
  signaling: '/api/v1/signaling',
  /** GET → 200 while the server can serve. */
  health: '/healthz',
} as const;

/** A route with `{token}` filled in. */
export function conversationPath(route: string, token: string): string {
  return route.replace('{token}', encodeURIComponent(token));
}
