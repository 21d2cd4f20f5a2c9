import { msg, str } from '@lit/localize';
import { type ChatItem, type SystemMessageUser, systemParametersOf } from '@talk/call-core';

/**
 * A system message in the user's language, built from its `systemType`, its actor and its `systemParameters` (the
 * second person, the old and new name). A type this version does not know, or a message stored before the server
 * sent parameters, keeps the server's English text.
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
    case 'conversation-renamed': {
      const renamed = systemParametersOf(item, 'conversation-renamed');
      if (!renamed) return item.message;
      const { oldName, newName } = renamed;
      return msg(str`${actor} renamed the conversation from “${oldName}” to “${newName}”`, {
        id: 'chat.system.conversation-renamed',
      });
    }
    case 'user-added': {
      const user = nameIn(systemParametersOf(item, 'user-added'));
      return user ? msg(str`${actor} added ${user}`, { id: 'chat.system.user-added' }) : item.message;
    }
    case 'user-removed': {
      const user = nameIn(systemParametersOf(item, 'user-removed'));
      return user ? msg(str`${actor} removed ${user}`, { id: 'chat.system.user-removed' }) : item.message;
    }
    case 'moderator-promoted': {
      const user = nameIn(systemParametersOf(item, 'moderator-promoted'));
      return user
        ? msg(str`${actor} promoted ${user} to moderator`, { id: 'chat.system.moderator-promoted' })
        : item.message;
    }
    case 'moderator-demoted': {
      const user = nameIn(systemParametersOf(item, 'moderator-demoted'));
      return user
        ? msg(str`${actor} demoted ${user} from moderator`, { id: 'chat.system.moderator-demoted' })
        : item.message;
    }
    case 'permissions-changed': {
      const user = nameIn(systemParametersOf(item, 'permissions-changed'));
      return user
        ? msg(str`${actor} changed the permissions of ${user}`, { id: 'chat.system.permissions-changed' })
        : item.message;
    }
    case 'message-pinned':
      return msg(str`${actor} pinned a message`, { id: 'chat.system.message-pinned' });
    case 'message-unpinned':
      return msg(str`${actor} unpinned a message`, { id: 'chat.system.message-unpinned' });
    case 'poll-closed': {
      const poll = systemParametersOf(item, 'poll-closed');
      if (!poll) return item.message;
      const question = poll.poll.question;
      return msg(str`${actor} closed the poll “${question}”`, { id: 'chat.system.poll-closed' });
    }
    default:
      return item.message;
  }
}

/** The name of the person a system message is about; undefined for a message stored without parameters. */
function nameIn(parameters: { user: SystemMessageUser } | undefined): string | undefined {
  return parameters && (parameters.user.displayName || parameters.user.id);
}
