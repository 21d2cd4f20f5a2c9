/** Error codes shared by REST error bodies and signaling `error` messages. */
export const ErrorCode = {
  /** The request or message does not match its schema. */
  InvalidRequest: 'invalid-request',
  /** No token, or a token that is expired or forged. */
  Unauthenticated: 'unauthenticated',
  /** The caller is known but may not do this. */
  Forbidden: 'forbidden',
  /** The conversation, message or session does not exist (or is hidden from the caller). */
  NotFound: 'not-found',
  /** The body is larger than the server accepts. */
  TooLarge: 'too-large',
  /** The caller sent too much too fast. */
  RateLimited: 'rate-limited',
  /** A signaling message that needs a joined conversation came first. */
  NotJoined: 'not-joined',
  /** The feature is switched off in this server's configuration. */
  Disabled: 'disabled',
  /** The lobby holds non-moderators out of chat and call until a moderator opens it. */
  InLobby: 'in-lobby',
  /** A public conversation's password was wrong. */
  WrongPassword: 'wrong-password',
  /** A quota is spent: attachment storage, or the reactions one user may give one message. */
  QuotaExceeded: 'quota-exceeded',
  /** Something failed on the server's side. */
  Internal: 'internal',
} as const;

/** One of the shared error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
