import { TalkError, TalkErrorCode } from '../errors.js';

/** How far an upload is. */
export interface UploadProgress {
  /** Bytes sent so far. */
  readonly loaded: number;
  /** Bytes in all. */
  readonly total: number;
}

/** Options of an attachment upload. */
export interface UploadOptions {
  /** The file's name as the conversation shows it; a File's own name when unset. */
  name?: string;
  /** Called as bytes go out (at least once, when all are sent). */
  onProgress?: (progress: UploadProgress) => void;
  /** Cancels the upload; it then fails with `TalkErrorCode.Aborted`. */
  signal?: AbortSignal;
}

/** What came back for an upload: the status and the body's text. */
export interface UploadAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs `body` as raw bytes. In a browser this is an XMLHttpRequest, because its `upload` events are the one way
 * Chromium reports request progress over HTTP/1.1 (a streamed fetch body needs HTTP/2 and `duplex: 'half'`);
 * elsewhere (Node) it is `fetchImpl`, with one progress report at the end.
 */
export function postBytes(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  options: Pick<UploadOptions, 'onProgress' | 'signal'>,
  fetchImpl: typeof fetch,
): Promise<UploadAnswer> {
  const { onProgress, signal } = options;
  if (signal?.aborted) return Promise.reject(aborted());
  if (typeof XMLHttpRequest === 'undefined') {
    return fetchImpl(url, { method: 'POST', headers, body, signal }).then(
      async (response) => {
        onProgress?.({ loaded: body.size, total: body.size });
        return { status: response.status, text: await response.text().catch(() => '') };
      },
      (cause: unknown) => {
        throw signal?.aborted ? aborted() : new TalkError(TalkErrorCode.Network, `POST ${url} failed`, { cause });
      },
    );
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress?.({ loaded: event.loaded, total: event.total || body.size });
    xhr.onload = () => {
      signal?.removeEventListener('abort', onAbort);
      onProgress?.({ loaded: body.size, total: body.size });
      resolve({ status: xhr.status, text: xhr.responseText });
    };
    xhr.onerror = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(new TalkError(TalkErrorCode.Network, `POST ${url} failed`));
    };
    xhr.onabort = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(body);
  });
}

function aborted(): TalkError {
  return new TalkError(TalkErrorCode.Aborted, 'The upload was cancelled');
}
