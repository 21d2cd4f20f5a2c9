import { msg, str } from '@lit/localize';
import type { ChatItem } from '@talk/call-core';

/**
 * A system message in the user's language, built from its `systemType` and its actor. Types whose wording needs a
 * second person or a new name (`user-added`, `conversation-renamed`, …) carry no parameters on the wire yet, so they
 * keep the server's English text, as does any type this version does not know.
 */
export function systemMessageText(item: ChatItem): string {
  const actor = item.actorDisplayName || item.actorId;
  switch (item.systemType) {
    case 'conversation-created':
      return msg(str`${actor} created the conversation`, { id: 'chat.system.conversation-created' });
    case 'description-changed':
      return msg(str`${actor} changed the description`, { id: 'chat.system.description-changed' });
    case 'password-set':
      return msg(str`${actor} set a password`, { id: 'chat.system.password-set' });
    case 'password-removed':
      return msg(str`${actor} removed the password`, { id: 'chat.system.password-removed' });
    case 'lobby-enabled':
      return msg(str`${actor} restricted the conversation to moderators`, { id: 'chat.system.lobby-enabled' });
    case 'lobby-disabled':
      return msg(str`${actor} opened the conversation to everyone`, { id: 'chat.system.lobby-disabled' });
    case 'user-joined':
      return msg(str`${actor} joined the conversation`, { id: 'chat.system.user-joined' });
    case 'guest-joined':
      return msg(str`${actor} joined as a guest`, { id: 'chat.system.guest-joined' });
    case 'user-left':
      return msg(str`${actor} left the conversation`, { id: 'chat.system.user-left' });
    case 'call-started':
      return msg(str`${actor} started a call`, { id: 'chat.system.call-started' });
    case 'call-ended':
      return msg(str`${actor} ended the call`, { id: 'chat.system.call-ended' });
    default:
      return item.message;
  }
}
