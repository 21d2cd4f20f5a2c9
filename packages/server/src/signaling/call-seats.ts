import type { CallSeat } from '../access/rules.js';
import type { Delivery } from './delivery.js';

/** Reads the call seats of every session present in a conversation (one database query). */
export type SeatLoader = (conversation: string) => Promise<Map<string, CallSeat>>;

/** One conversation's seats as this instance knows them. */
interface Entry {
  /** The seats, once loaded and while no event has made them stale. */
  seats?: Map<string, CallSeat>;
  /** The load under way, shared by the signals that wait for it. */
  loading?: Promise<Map<string, CallSeat>>;
  /** Bumped by every event that makes the seats stale, so that a load begun before it is not kept. */
  version: number;
}

/**
 * Who sits in each call this instance serves, with their memberships, in memory: relaying a WebRTC signal asks
 * here rather than the database. The seats are read once per conversation and kept right by what every instance
 * already hears on the conversation's bus topic: a session leaving, or out of the call, is applied at once; a
 * join, a role, permission or lobby change, or a session not known yet makes them stale, and the next signal
 * reads them afresh. Only conversations with a session on this instance are kept (their topic is what keeps them
 * right); the others are read every time.
 */
export class CallSeats {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly load: SeatLoader,
    /** Whether this instance hears a conversation's topic now. */
    private readonly serves: (conversation: string) => boolean,
  ) {}

  /** The seats of a conversation's sessions, by session id; a session absent or no longer a participant has none. */
  async get(conversation: string): Promise<ReadonlyMap<string, CallSeat>> {
    if (!this.serves(conversation)) {
      this.#entries.delete(conversation);
      return this.load(conversation);
    }
    let entry = this.#entries.get(conversation);
    if (!entry) {
      entry = { version: 0 };
      this.#entries.set(conversation, entry);
    }
    if (entry.seats) return entry.seats;
    if (entry.loading) return entry.loading;
    const version = entry.version;
    const loading = this.load(conversation);
    entry.loading = loading;
    try {
      const seats = await loading;
      // An event since the load began may be missing from what it read: keep nothing, the next signal reads again.
      if (this.#entries.get(conversation) === entry && entry.version === version) entry.seats = seats;
      return seats;
    } finally {
      if (entry.loading === loading) entry.loading = undefined;
    }
  }

  /** Applies something delivered on a conversation's topic to its seats. */
  observe(conversation: string, delivery: Delivery): void {
    const entry = this.#entries.get(conversation);
    if (!entry || delivery.kind === 'moved') return;
    if (delivery.kind === 'control') {
      const { control } = delivery;
      if (control.kind === 'evict' && entry.seats) {
        // A removed participant's sessions lose their seats now; their session-left follows.
        for (const [sessionId, seat] of entry.seats) {
          if (control.userId === undefined || seat.membership.participant.userId === control.userId) {
            entry.seats.delete(sessionId);
          }
        }
      }
      // A role or the lobby decides what each one may do; an eviction may race a load.
      this.#stale(entry);
      return;
    }
    const { message } = delivery;
    switch (message.type) {
      case 'session-left':
        entry.seats?.delete(message.sessionId);
        if (entry.loading) this.#stale(entry);
        return;
      case 'session-updated': {
        const seat = entry.seats?.get(message.session.sessionId);
        if (seat && !entry.loading) {
          seat.inCall = message.session.inCall;
        } else {
          this.#stale(entry);
        }
        return;
      }
      case 'call-ended':
        for (const seat of entry.seats?.values() ?? []) seat.inCall = false;
        if (entry.loading) this.#stale(entry);
        return;
      case 'session-joined':
      case 'conversation-updated':
        // A new session's membership, or changed permissions or defaults: read again when next needed.
        this.#stale(entry);
        return;
      default:
        return;
    }
  }

  /** Forgets every conversation's seats: the bus may have lost events that kept them right (Redis was away). */
  forgetAll(): void {
    this.#entries.clear();
  }

  /** Forgets a conversation this instance no longer serves. */
  forget(conversation: string): void {
    this.#entries.delete(conversation);
  }

  #stale(entry: Entry): void {
    entry.seats = undefined;
    entry.version += 1;
  }
}
