import type { ChatMessage, ServerMessage, SystemMessageType, SystemParametersByType } from '@talk/protocol';
import type { Actor, Repositories } from '../store/store.js';

export type { SystemMessageType } from '@talk/protocol';

/** The parameters a system message of type `T` must be posted with: its own shape, or nothing. */
export type SystemParametersArg<T extends SystemMessageType> = T extends keyof SystemParametersByType
  ? [parameters: SystemParametersByType[T]]
  : [];

/**
 * Writes a system message and pushes it like any other message; `store` may be a transaction's repositories.
 * `text` is the English wording clients fall back to; the parameters let them word it in their own language.
 */
export async function postSystemMessage<T extends SystemMessageType>(
  store: Repositories,
  broadcast: (conversation: string, message: ServerMessage) => unknown,
  conversation: string,
  actor: Actor,
  systemType: T,
  text: string,
  ...[systemParameters]: SystemParametersArg<T>
): Promise<ChatMessage> {
  const { message } = await store.messages.post(conversation, actor, text, {
    kind: 'system',
    systemType,
    systemParameters,
  });
  await broadcast(conversation, { type: 'system-message', conversation, message });
  return message;
}

/** Where system messages are pushed: the signaling hub, or anything that broadcasts like it. */
export interface Broadcaster {
  /** Sends `message` to everyone in `conversation`, on every instance. */
  broadcast(conversation: string, message: ServerMessage): Promise<unknown>;
}

/** Writes a conversation's system messages and pushes each to who is there. */
export class SystemMessages {
  constructor(
    private readonly store: Repositories,
    private readonly hub: Broadcaster,
  ) {}

  /** Writes `text` as a system message of `type` by `actor`, with that type's parameters, and broadcasts it. */
  post<T extends SystemMessageType>(
    conversation: string,
    actor: Actor,
    type: T,
    text: string,
    ...parameters: SystemParametersArg<T>
  ): Promise<ChatMessage> {
    const broadcast = (c: string, m: ServerMessage) => this.hub.broadcast(c, m);
    return postSystemMessage(this.store, broadcast, conversation, actor, type, text, ...parameters);
  }
}
