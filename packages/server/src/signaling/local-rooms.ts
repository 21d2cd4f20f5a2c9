import type { PubSub, Unsubscribe } from '../pubsub/bus.js';
import { type Control, conversationTopic, type Delivery } from './delivery.js';
import type { Session } from './session.js';

/** Applies a control change to this instance's sessions of a conversation. */
export type ControlHandler = (conversation: string, sessions: Session[], control: Control) => Promise<void>;

/** Hears everything delivered to the rooms, before their sessions do, and when a room closes. */
export interface RoomObserver {
  /** Something arrived on a conversation's topic. */
  delivered(conversation: string, delivery: Delivery): void;
  /** This instance stopped hearing a conversation's topic. */
  closed(conversation: string): void;
}

/**
 * This instance's sessions per conversation, and the bus subscription that feeds each conversation's messages
 * to them (the part a spreed-signaling `Room` plays): subscribed when the first local session joins,
 * unsubscribed when the last one leaves, so an instance hears only the conversations it serves.
 */
export class LocalRooms {
  /** Conversation token → this instance's sessions that joined it. */
  readonly #rooms = new Map<string, Map<string, Session>>();
  readonly #subscriptions = new Map<string, Promise<Unsubscribe>>();

  constructor(
    private readonly bus: PubSub<Delivery>,
    private readonly onControl: ControlHandler,
    private readonly onError: (error: unknown) => void,
    private readonly observer?: RoomObserver,
  ) {}

  /** Adds a session to a conversation's room, subscribing this instance to the conversation on first use. */
  async add(conversation: string, session: Session): Promise<void> {
    let room = this.#rooms.get(conversation);
    if (!room) {
      room = new Map();
      this.#rooms.set(conversation, room);
      const members = room;
      this.#subscriptions.set(
        conversation,
        this.bus.subscribe(conversationTopic(conversation), (delivery, position) =>
          this.#deliver(conversation, members, delivery, position),
        ),
      );
    }
    room.set(session.id, session);
    await this.#subscriptions.get(conversation);
  }

  /** Takes a session out of a conversation's room, unsubscribing once the room is empty. */
  remove(conversation: string, sessionId: string): void {
    const room = this.#rooms.get(conversation);
    if (!room) return;
    room.delete(sessionId);
    if (room.size > 0) return;
    this.#rooms.delete(conversation);
    this.observer?.closed(conversation);
    const subscription = this.#subscriptions.get(conversation);
    this.#subscriptions.delete(conversation);
    subscription?.then((unsubscribe) => unsubscribe(), this.onError);
  }

  /** Whether this instance has a room for a conversation, and so hears its topic. */
  serves(conversation: string): boolean {
    return this.#rooms.has(conversation);
  }

  /** Whether a session of this instance is in a conversation. */
  has(conversation: string, sessionId: string): boolean {
    return this.#rooms.get(conversation)?.has(sessionId) === true;
  }

  #deliver(conversation: string, room: Map<string, Session>, delivery: Delivery, position?: number): void {
    // A room replaced after it emptied still gets its old subscription's last deliveries; only the current one counts.
    if (this.#rooms.get(conversation) === room) this.observer?.delivered(conversation, delivery);
    if (delivery.kind === 'moved') return; // only ever on a session's own topic
    if (delivery.kind === 'control') {
      this.onControl(conversation, [...room.values()], delivery.control).catch(this.onError);
      return;
    }
    for (const member of room.values()) {
      if (member.id !== delivery.except) member.send(delivery.message, conversation, position);
    }
  }
}
