import { msg } from '@lit/localize';
import { type TalkError, TalkErrorCode } from '@talk/call-core';

/**
 * What went wrong, in the user's language. The error's own `message` is for developers (English, sometimes the
 * server's words), so an element shows this instead and keeps the code in `data-code`.
 */
export function describeError(error: TalkError): string {
  switch (error.code) {
    case TalkErrorCode.Network:
      return msg('The server cannot be reached. Check your connection.', { id: 'error.network' });
    case TalkErrorCode.Server:
      // A refused token reaches REST calls as a 401; to the user it is the same as a refused hello.
      if (error.status === 401) return unauthenticated();
      return error.status === 413
        ? msg('The message is too long.', { id: 'error.too-large' })
        : msg('The server could not do this. Please try again later.', { id: 'error.server' });
    case TalkErrorCode.SignalingClosed:
      return msg('The live connection to the server was lost. Reconnecting…', { id: 'error.signaling-closed' });
    case TalkErrorCode.Unauthenticated:
      return unauthenticated();
    case TalkErrorCode.MediaDenied:
      return msg('Access to the camera, microphone or screen was not allowed.', { id: 'error.media-denied' });
    case TalkErrorCode.Transport:
      return msg('The media connection failed.', { id: 'error.transport' });
    case TalkErrorCode.InvalidState:
      return msg('This is not possible right now.', { id: 'error.invalid-state' });
    case TalkErrorCode.Aborted:
      return msg('This was cancelled.', { id: 'error.aborted' });
    default:
      return msg('Something went wrong.', { id: 'error.unknown' });
  }
}

function unauthenticated(): string {
  return msg('Your session has expired. Please log in again.', { id: 'error.unauthenticated' });
}
