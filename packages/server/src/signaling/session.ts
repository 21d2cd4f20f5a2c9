import { randomUUID } from 'node:crypto';
import type { CallMedia, Participant, ServerMessage, SessionInfo } from '@talk/protocol';
import { WebSocket } from 'ws';
import type { Identity } from '../auth/tokens.js';

/** A session's presence in one conversation it has joined. */
export interface Membership {
  /** The participant the session speaks for there. */
  participant: Participant;
  /** Whether the session is in the conversation's call. */
  inCall: boolean;
  /** The media it joined the call with. */
  media: CallMedia;
}

/** One signaling WebSocket: a client tab, known by a random id that it is told in `welcome`. */
export class Session {
  /** The id other sessions address signals to, and the LiveKit identity of this session. */
  readonly id = randomUUID();
  /** The user, once `hello` has proved who it is. */
  identity: Identity | undefined;
  /** The conversations this session has joined. */
  readonly memberships = new Map<string, Membership>();
  /** Messages are handled one after another, in the order they came, even though handling awaits. */
  queue: Promise<void> = Promise.resolve();

  constructor(
    /** The socket; only this class writes to it. */
    private readonly socket: WebSocket,
  ) {}

  /** True once the socket is closing or closed; late results of handling are then dropped. */
  get closed(): boolean {
    return this.socket.readyState !== WebSocket.OPEN;
  }

  /** Sends one message, unless the socket has gone. */
  send(message: ServerMessage): void {
    if (!this.closed) this.socket.send(JSON.stringify(message));
  }

  /** Closes the socket with a WebSocket close code. */
  close(code: number, reason: string): void {
    if (!this.closed) this.socket.close(code, reason);
  }

  /** How others see this session in `conversation`, or undefined if it has not joined it. */
  info(conversation: string): SessionInfo | undefined {
    const membership = this.memberships.get(conversation);
    return (
      membership && {
        sessionId: this.id,
        participant: membership.participant,
        inCall: membership.inCall,
        media: membership.media,
      }
    );
  }
}
