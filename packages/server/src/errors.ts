import { ErrorCode } from '@talk/protocol';

/** HTTP status each error code answers with, so a thrower names only the code. */
const statusOf: Record<ErrorCode, number> = {
  [ErrorCode.InvalidRequest]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.NotJoined]: 409,
  [ErrorCode.Disabled]: 503,
  [ErrorCode.InLobby]: 403,
  [ErrorCode.WrongPassword]: 403,
  [ErrorCode.QuotaExceeded]: 409,
  [ErrorCode.Internal]: 500,
};

/** An error the client is meant to see: it becomes an ErrorBody over REST and an `error` message over signaling. */
export class TalkServerError extends Error {
  /** HTTP status of the answer. */
  readonly status: number;

  constructor(
    /** The shared error code. */
    readonly code: ErrorCode,
    message: string,
    options?: { status?: number; cause?: unknown; retryAfter?: number },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'TalkServerError';
    this.status = options?.status ?? statusOf[code];
    this.retryAfter = options?.retryAfter;
  }

  /** For a refusal that lifts with time: in how many seconds to try again, sent as `Retry-After`. */
  readonly retryAfter: number | undefined;
}
