// Kept apart from the message schemas: a client that needs only these constants does not bundle the schema library.

/** WebSocket close codes of the signaling protocol; 4000–4999 are the application's own. */
export const CloseCode = {
  /** The client is done (or going to reconnect by itself): a clean close ends the session at once. */
  Normal: 1000,
  /** The server is shutting down; reconnect with backoff. */
  GoingAway: 1001,
  /** The socket broke the WebSocket protocol; the session ends without waiting for a resume. */
  ProtocolError: 1002,
  /** No close frame came (a network drop): the session waits for a resume. Never sent, only observed. */
  Abnormal: 1006,
  /** A frame was larger than `MAX_SIGNALING_FRAME`. */
  TooLarge: 1009,
  /** The first message was not a `hello` with a valid token, or none came within 10 s. */
  Unauthenticated: 4001,
  /** A newer socket resumed this session. */
  Replaced: 4002,
  /** The session's token expired and no fresh one came in a `token` message; reconnect with a new token. */
  TokenExpired: 4003,
  /**
   * Sent by a client that gave up on a socket it heard nothing on (its ping deadline passed) and will resume the
   * session on a new one: the server keeps the session for the resume grace, as after a drop.
   */
  Resuming: 4004,
  /**
   * The instance is shutting down for a restart and kept the session: reconnect at once (no backoff) and resume it,
   * which another instance takes over with nothing lost, as after a drop. Nobody else sees the session leave.
   */
  HandOver: 4005,
  // 4006–4009 are left to other additions; flow control starts at 4010.
  /** The client kept sending beyond the rate limit (a whole burst into `rate-limited`) or far ahead of the server. */
  RateLimited: 4010,
  /** The client read too slowly: more than the server's allowance was waiting to be sent to it. */
  SlowConsumer: 4011,
  /** The user opened more sessions than one instance keeps; the oldest was closed. */
  TooManySessions: 4012,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
