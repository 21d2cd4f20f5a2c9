import type { ErrorBody } from '@talk/protocol';
import { TalkError, TalkErrorCode } from '../errors.js';

/** One REST request: where to, how, with which token (none for the guest link) and body. */
export interface RestRequest {
  /** The server's base URL, without a trailing slash. */
  serverUrl: string;
  method: string;
  path: string;
  /** The bearer token; absent for the routes that need none. */
  token?: string;
  body?: unknown;
}

/**
 * Makes a REST request and parses its JSON answer. A failure throws a TalkError: `network` when the server could
 * not be reached, `server` with the status, the server's code and any `Retry-After` otherwise.
 */
export async function requestJson<T>(
  fetcher: typeof fetch,
  { serverUrl, method, path, token, body }: RestRequest,
): Promise<T> {
  let response: Response;
  try {
    response = await fetcher(`${serverUrl}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new TalkError(TalkErrorCode.Network, `${method} ${path} failed: ${String(cause)}`, { cause });
  }
  const text = await response.text().catch(() => '');
  return answerOf<T>(method, path, response.status, text, response.headers.get('retry-after'));
}

/**
 * The parsed body of a successful answer; a TalkError `server` with the status, the server's code and any
 * `Retry-After` (seconds) otherwise. Shared by JSON requests and byte uploads.
 */
export function answerOf<T>(
  method: string,
  path: string,
  status: number,
  text: string,
  retryAfterHeader?: string | null,
): T {
  const json: unknown = text ? safeParse(text) : undefined;
  if (status < 200 || status >= 300) {
    const error = json as Partial<ErrorBody> | undefined;
    const retryAfter = Number(retryAfterHeader ?? Number.NaN);
    throw new TalkError(TalkErrorCode.Server, error?.message ?? `${method} ${path} answered ${status}`, {
      status,
      serverCode: error?.code,
      ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
    });
  }
  return json as T;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
