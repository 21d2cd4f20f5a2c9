import type { ChatMessage, ServerMessage } from '@talk/protocol';
import type { Actor, Repositories } from '../store/store.js';

/** Kinds of system message the server writes into a conversation's history. */
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

/** Writes a system message and pushes it like any other message; `store` may be a transaction's repositories. */
export async function postSystemMessage(
  store: Repositories,
  broadcast: (conversation: string, message: ServerMessage) => unknown,
  conversation: string,
  actor: Actor,
  systemType: SystemMessageType,
  text: string,
): Promise<ChatMessage> {
  const { message } = await store.messages.post(conversation, actor, text, { kind: 'system', systemType });
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

  /** Writes `text` as a system message of `type` by `actor`, and broadcasts it. */
  post(conversation: string, actor: Actor, type: SystemMessageType, text: string): Promise<ChatMessage> {
    return postSystemMessage(this.store, (c, m) => this.hub.broadcast(c, m), conversation, actor, type, text);
  }
}
