import { type ParticipantInfo, RoomServiceClient } from 'livekit-server-sdk';
import { type CallSeat, refusal } from '../access/rules.js';
import { KeyedSerialQueue } from '../async/serial-queue.js';
import type { LivekitConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { publishSources } from './sfu-tokens.js';

/** What the guard needs. */
export interface SfuGuardDeps {
  livekit: LivekitConfig;
  store: Store;
  /** Failures of checks that nobody awaits (LiveKit unreachable, say); the next change checks again. */
  onError: (error: unknown) => void;
}

/** The HTTP side of a LiveKit server whose clients connect at `url` (ws → http, wss → https). */
export function livekitApiUrl(url: string): string {
  return url.replace(/^ws/, 'http');
}

/**
 * Makes the SFU obey signaling's rules. A LiveKit connection outlives what signaling decides: its token stays good
 * for minutes and names what it may publish at minting. So after every change of who may be in a conversation's
 * call (a removal, a departure, the lobby, a role or permission), the guard lists the conversation's LiveKit room and
 * removes each participant whose session is no longer there or may no longer call, and narrows or widens what each
 * other one may publish to its permissions now, through LiveKit's server API. The LiveKit identity is the session id.
 */
export class SfuGuard {
  readonly #rooms: RoomServiceClient;
  readonly #queues = new KeyedSerialQueue();
  /** Conversations with a check queued but not begun: a burst of changes costs one check after the first. */
  readonly #queued = new Set<string>();

  constructor(private readonly deps: SfuGuardDeps) {
    const { url, apiKey, apiSecret } = deps.livekit;
    this.#rooms = new RoomServiceClient(livekitApiUrl(url), apiKey, apiSecret);
  }

  /** Checks a conversation's LiveKit room against signaling soon; resolves once done (never rejects). */
  reconcile(conversation: string): Promise<void> {
    if (this.#queued.has(conversation)) return this.#queues.run(conversation, () => {});
    this.#queued.add(conversation);
    return this.#queues
      .run(conversation, async () => {
        this.#queued.delete(conversation);
        const participants = await this.#rooms.listParticipants(conversation).catch(() => []);
        if (participants.length === 0) return;
        const seats = await this.deps.store.presence.seats(conversation);
        for (const participant of participants)
          await this.#enforce(conversation, participant, seats.get(participant.identity));
      })
      .catch(this.deps.onError);
  }

  /**
   * Checks one participant that LiveKit says joined (perhaps reconnecting with a token minted before a removal):
   * whether it may stay; one that may not is removed.
   */
  async admit(conversation: string, participant: ParticipantInfo): Promise<boolean> {
    const seats = await this.deps.store.presence.seats(conversation, [participant.identity]);
    return this.#queues.run(conversation, () =>
      this.#enforce(conversation, participant, seats.get(participant.identity)),
    );
  }

  /** Removes or re-grants one participant as its seat says; whether it may stay. */
  async #enforce(conversation: string, participant: ParticipantInfo, seat: CallSeat | undefined): Promise<boolean> {
    const { identity } = participant;
    if (!seat || refusal(seat.membership, 'call')) {
      // Not found means it left by itself meanwhile, which is what was wanted.
      await this.#rooms.removeParticipant(conversation, identity).catch(() => {});
      return false;
    }
    const sources = publishSources(seat.membership.participant.permissions ?? 0);
    const granted = participant.permission?.canPublishSources ?? [];
    const same =
      (participant.permission?.canPublish ?? false) === sources.length > 0 &&
      granted.length === sources.length &&
      sources.every((source) => granted.includes(source));
    if (!same) {
      // LiveKit unpublishes the tracks of sources no longer allowed.
      await this.#rooms
        .updateParticipant(conversation, identity, {
          permission: {
            canSubscribe: true,
            canPublish: sources.length > 0,
            canPublishSources: sources,
            canPublishData: true,
          },
        })
        .catch(this.deps.onError); // it may stay either way; the next change tries again
    }
    return true;
  }
}
