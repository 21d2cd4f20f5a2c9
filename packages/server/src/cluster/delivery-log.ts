import type { Redis } from 'ioredis';

/**
 * What the bus keeps of each event, so that a session resumed on another instance (its own one died with what it
 * had buffered) gets what it missed: socket.io's connection-state recovery over Redis streams works the same way.
 * Each topic has a capped stream; entries are numbered from one counter shared by every topic, so one number (the
 * last a client saw) says where it stands in all of them at once.
 */
export interface DeliveryLogOptions {
  /** Entries kept per topic: at least what a session may miss during a resume ({@link RESUME_BUFFER}-sized). */
  keep: number;
  /** How long a topic's log outlives its last event: the resume window. */
  ttlMs: number;
}

/** The command the bus publishes through when it keeps a log (see {@link LOGGED_PUBLISH_SCRIPT}). */
export const LOGGED_PUBLISH = 'talkLoggedPublish';

/**
 * Numbers the event, appends it to its topic's stream (capped, expiring) and publishes it with its number in front,
 * in one atomic step: the numbers then grow in the order subscribers receive the events.
 * KEYS: the topic's stream, the counter. ARGV: the event, the channel, how many to keep, the TTL in ms.
 */
export const LOGGED_PUBLISH_SCRIPT = `
local n = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], n .. '-0', 'e', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[2], n .. ' ' .. ARGV[1])
return n`;

/** The key of a topic's stream. */
export const logKey = (prefix: string, topic: string): string => `${prefix}log:${topic}`;

/** The key of the counter that numbers every entry. */
export const logCounterKey = (prefix: string): string => `${prefix}log-seq`;

/**
 * Splits a published payload into its position and its JSON: a logged one is `<number> <json>`, an unlogged one
 * (from a bus without a log) is the JSON alone, which starts with `{`.
 */
export function splitLogged(payload: string): { position?: number; json: string } {
  const space = payload.indexOf(' ');
  if (space <= 0 || payload.charCodeAt(0) === 123 /* { */) return { json: payload };
  const position = Number(payload.slice(0, space));
  return Number.isSafeInteger(position) ? { position, json: payload.slice(space + 1) } : { json: payload };
}

/** One logged event, read back. */
export interface LoggedEvent<T> {
  /** The topic it was published on. */
  topic: string;
  /** Its number in the log. */
  position: number;
  /** The event. */
  event: T;
}

/** What a replay found: the events after a position, and whether the log still held all of them. */
export interface Replay<T> {
  /** The events after the position, on any of the topics, in publish order. */
  events: LoggedEvent<T>[];
  /** False when a topic's log was cut past the position (or there were more than the limit): a gap. */
  complete: boolean;
}

/** Reads the delivery log back, for a resume. */
export class DeliveryLog {
  constructor(
    private readonly redis: Redis,
    private readonly options: DeliveryLogOptions,
    private readonly prefix = 'talk:',
  ) {}

  /** The events after `after` on `topics`, in order, up to `limit`; `complete` is false when any may be missing. */
  async replay<T>(topics: readonly string[], after: number, limit: number): Promise<Replay<T>> {
    const pipeline = this.redis.pipeline();
    for (const topic of topics) {
      // The first entry tells whether the cap cut into what this session missed.
      pipeline.xrange(logKey(this.prefix, topic), '-', '+', 'COUNT', 1);
      pipeline.xlen(logKey(this.prefix, topic));
      pipeline.xrange(logKey(this.prefix, topic), `(${after}-0`, '+', 'COUNT', limit + 1);
    }
    const answers = (await pipeline.exec()) ?? [];
    const result = (index: number): unknown => {
      const [error, value] = answers[index] ?? [new Error('no answer from Redis'), undefined];
      if (error) throw error;
      return value;
    };
    const events: LoggedEvent<T>[] = [];
    let complete = true;
    topics.forEach((topic, i) => {
      const oldest = (result(i * 3) as StreamEntry[])[0];
      const length = Number(result(i * 3 + 1));
      // A full log whose oldest entry is past the position may have dropped entries the session never saw.
      if (oldest && length >= this.options.keep && positionOf(oldest[0]) > after) complete = false;
      for (const [id, fields] of result(i * 3 + 2) as StreamEntry[]) {
        const json = fields[fields.indexOf('e') + 1];
        if (json !== undefined) events.push({ topic, position: positionOf(id), event: JSON.parse(json) as T });
      }
    });
    events.sort((a, b) => a.position - b.position);
    if (events.length > limit) return { events: events.slice(0, limit), complete: false };
    return { events, complete };
  }
}

/** A stream entry as XRANGE answers it: its id and its fields and values, flat. */
type StreamEntry = [string, string[]];

/** The number of a stream entry id `<n>-0`. */
const positionOf = (id: string): number => Number(id.slice(0, id.indexOf('-')));
