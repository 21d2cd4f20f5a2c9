// Kept apart from the message schemas: a client that words system messages does not bundle the schema library.
import type { SystemMessageUser, SystemParameters } from './rest.js';

/** Kinds of system message the server writes; `systemType` stays a string on the wire so that newer kinds reach older clients. */
export type SystemMessageType =
  | 'conversation-created'
  | 'conversation-renamed'
  | 'description-changed'
  | 'password-set'
  | 'password-removed'
  | 'lobby-enabled'
  | 'lobby-disabled'
  | 'user-added'
  | 'user-removed'
  | 'user-left'
  | 'guest-joined'
  | 'user-joined'
  | 'moderator-promoted'
  | 'moderator-demoted'
  | 'permissions-changed'
  | 'call-started'
  | 'call-ended';

/** Which parameters each system message type carries; types not named here carry none. */
export interface SystemParametersByType {
  'user-added': { user: SystemMessageUser };
  'user-removed': { user: SystemMessageUser };
  'moderator-promoted': { user: SystemMessageUser };
  'moderator-demoted': { user: SystemMessageUser };
  'permissions-changed': { user: SystemMessageUser; permissions: number | null };
  'conversation-renamed': { oldName: string; newName: string };
}

/** The parameters of a message of system type `type`, typed for that type; undefined for another type or none. */
export function systemParametersOf<T extends keyof SystemParametersByType>(
  message: { systemType?: string | null; systemParameters?: SystemParameters | null },
  type: T,
): SystemParametersByType[T] | undefined {
  if (message.systemType !== type || !message.systemParameters) return undefined;
  // The server writes each type with its own shape (postSystemMessage is typed by SystemParametersByType).
  return message.systemParameters as SystemParametersByType[T];
}
