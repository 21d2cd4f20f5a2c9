/** Why a call-core operation failed. */
export enum TalkErrorCode {
  /** The server could not be reached, or the connection dropped mid-request. */
  Network = 'network',
  /** The server answered with an error body; `status` and `serverCode` say which. */
  Server = 'server',
  /** The signaling socket is closed, or was closed while waiting for an answer. */
  SignalingClosed = 'signaling-closed',
  /** The server refused the signaling hello: the token is missing, expired or forged. */
  Unauthenticated = 'unauthenticated',
  /** The browser denied, or has no, camera or microphone. */
  MediaDenied = 'media-denied',
  /** A WebRTC or SFU connection could not be set up. */
  Transport = 'transport',
  /** The call is not in a state that allows this (e.g. leaving before joining). */
  InvalidState = 'invalid-state',
  /** An argument is out of range or malformed (e.g. an empty or over-long reaction). */
  InvalidArgument = 'invalid-argument',
  /** An operation was abandoned because the object was closed. */
  Aborted = 'aborted',
  /**
   * The server closed this session because the user opened more than it keeps (4012); reconnecting would close
   * another of the user's sessions in turn, so the client stops until told to connect again.
   */
  TooManySessions = 'too-many-sessions',
}

/** Details a TalkError may carry besides its code. */
export interface TalkErrorDetails {
  /** HTTP status of a failed REST call. */
  status?: number;
  /** The server's own error code (see `ErrorCode` in @talk/protocol). */
  serverCode?: string;
  /** The underlying error. */
  cause?: unknown;
  /** For a refusal that lifts with time (429): the server's `Retry-After`, in seconds. */
  retryAfter?: number;
}

/** Every error call-core throws or emits. */
export class TalkError extends Error {
  override readonly name = 'TalkError';
  /** What went wrong, as a stable code to branch on. */
  readonly code: TalkErrorCode;
  /** HTTP status of a failed REST call. */
  readonly status: number | undefined;
  /** The server's own error code, when the server answered with one. */
  readonly serverCode: string | undefined;
  /** The underlying error. */
  override readonly cause: unknown;
  /** For a refusal that lifts with time (429): in how many seconds to try again, when the server said. */
  readonly retryAfter: number | undefined;

  constructor(code: TalkErrorCode, message: string, details: TalkErrorDetails = {}) {
    super(message);
    this.code = code;
    this.status = details.status;
    this.serverCode = details.serverCode;
    this.cause = details.cause;
    this.retryAfter = details.retryAfter;
  }

  /** True for failures a later retry of the same request may fix. */
  get retryable(): boolean {
    return (
      this.code === TalkErrorCode.Network ||
      (this.code === TalkErrorCode.Server && (this.status === undefined || this.status >= 500 || this.status === 429))
    );
  }
}

/** Wraps anything thrown into a TalkError of `code`, keeping TalkErrors as they are. */
export function asTalkError(error: unknown, code = TalkErrorCode.Transport): TalkError {
  return error instanceof TalkError ? error : new TalkError(code, String(error), { cause: error });
}
