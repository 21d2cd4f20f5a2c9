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
  | 'call-ended'
  | 'message-pinned'
  | 'message-unpinned'
  | 'poll-closed';

/** Which parameters each system message type carries; types not named here carry none. */
export interface SystemParametersByType {
  'user-added': { user: SystemMessageUser };
  'user-removed': { user: SystemMessageUser };
  'moderator-promoted': { user: SystemMessageUser };
  'moderator-demoted': { user: SystemMessageUser };
  'permissions-changed': { user: SystemMessageUser; permissions: number | null };
  'conversation-renamed': { oldName: string; newName: string };
  'message-pinned': { messageId: number };
  'message-unpinned': { messageId: number };
  'poll-closed': { poll: { id: number; question: string } };
}

/** Whether a value has the `{user: {id, displayName}}` part. */
function namesUser(parameters: SystemParameters): boolean {
  if (!('user' in parameters)) return false;
  const { user } = parameters;
  return (
    typeof user === 'object' && user !== null && typeof user.id === 'string' && typeof user.displayName === 'string'
  );
}

/** Whether a value has the `{messageId}` part. */
function namesMessage(parameters: SystemParameters): boolean {
  return 'messageId' in parameters && typeof parameters.messageId === 'number';
}

/** A check per type, without the schema library, so that a shape from another version is not taken for this one. */
const hasShapeOf: { [T in keyof SystemParametersByType]: (parameters: SystemParameters) => boolean } = {
  'user-added': namesUser,
  'user-removed': namesUser,
  'moderator-promoted': namesUser,
  'moderator-demoted': namesUser,
  'permissions-changed': (p) =>
    namesUser(p) && 'permissions' in p && (p.permissions === null || typeof p.permissions === 'number'),
  'conversation-renamed': (p) => 'oldName' in p && typeof p.oldName === 'string' && typeof p.newName === 'string',
  'message-pinned': namesMessage,
  'message-unpinned': namesMessage,
  'poll-closed': (p) =>
    'poll' in p &&
    typeof p.poll === 'object' &&
    p.poll !== null &&
    typeof p.poll.id === 'number' &&
    typeof p.poll.question === 'string',
};

/**
 * The parameters of a message of system type `type`, typed for that type; undefined for another type, for a
 * message without parameters (stored before they existed) or with parameters of another shape.
 */
export function systemParametersOf<T extends keyof SystemParametersByType>(
  message: { systemType?: string | null; systemParameters?: SystemParameters | null },
  type: T,
): SystemParametersByType[T] | undefined {
  const parameters = message.systemParameters;
  if (message.systemType !== type || !parameters || !hasShapeOf[type](parameters)) return undefined;
  // hasShapeOf[type] has just checked the shape that SystemParametersByType names for this type.
  return parameters as SystemParametersByType[T];
}
