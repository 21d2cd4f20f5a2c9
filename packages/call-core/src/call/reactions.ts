import { randomId } from '../random.js';

/** The longest reaction passed on, in UTF-16 units: one emoji with modifiers and joiners fits. */
export const MAX_REACTION_LENGTH = 32;

/** How many reaction ids are remembered per sender: far more than one switch carries over both paths. */
const REMEMBERED_IDS = 64;

/** A reaction as it travels beside the media; its id lets a receiver drop the copy that came the other way. */
export function encodeReaction(emoji: string): string {
  return JSON.stringify({ type: 'reaction', emoji, id: randomId().slice(0, 16) });
}

/**
 * Reads reactions off the media path. Mid-switch a reaction travels over both topologies, so that a peer whose old
 * path already closed still gets it; the copy that arrives second, known by its id, is dropped. Anything that is
 * not a reaction, malformed or too long is dropped too; a reaction without an id (an older sender) is passed on.
 */
export class ReactionReader {
  readonly #seen = new Map<string, string[]>();

  /** The emoji of a reaction from `from` not seen before, or undefined. */
  read(from: string, data: string): string | undefined {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return undefined;
    }
    const { type, emoji, id } = (message ?? {}) as { type?: unknown; emoji?: unknown; id?: unknown };
    if (type !== 'reaction' || typeof emoji !== 'string' || !emoji || emoji.length > MAX_REACTION_LENGTH) {
      return undefined;
    }
    if (typeof id === 'string') {
      const seen = this.#seen.get(from) ?? [];
      if (seen.includes(id)) return undefined;
      seen.push(id);
      if (seen.length > REMEMBERED_IDS) seen.shift();
      this.#seen.set(from, seen);
    }
    return emoji;
  }

  /** Forgets a sender who left. */
  forget(from: string): void {
    this.#seen.delete(from);
  }
}
