import type { Participant } from '@talk/protocol';
import type { Redis } from 'ioredis';
import { logCounterKey } from './delivery-log.js';

/** A conversation a shared session is in, as its instance remembers it. */
export interface SharedMembership {
  /** The conversation's token. */
  conversation: string;
  /** The participant the session speaks for there. */
  participant: Participant;
  /** Whether the lobby holds the session out. */
  inLobby: boolean;
}

/**
 * What another instance needs to take a session over: whose it is and where it is. Call state and flags are not
 * here: they are the session's presence rows, which every instance already shares through the database.
 */
export interface SessionRecord {
  /** The user the session was proved to be. */
  userId: string;
  /** The conversation a guest's token was issued for, for a guest. */
  guestOf?: string;
  /** When the session began, in ms. */
  createdAt: number;
  /** The last log position this instance sent the session, when it last wrote the record. */
  lastSeq?: number;
  /** The conversations it is in. */
  memberships: SharedMembership[];
}

/** Overwrites the owner and the TTL of a record that exists; answers the old owner, the state and `since`, or nil. */
const CLAIM_SCRIPT = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
local owner = redis.call('HGET', KEYS[1], 'owner')
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {owner, state, redis.call('HGET', KEYS[1], 'since') or '0'}`;

/**
 * Deletes a record only while `owner` still holds it, and says which it found: `released` (deleted), `taken` (another
 * instance claimed it) or `gone` (no record). One step with {@link CLAIM_SCRIPT}'s: a session ending on its instance
 * and a resume claiming it elsewhere cannot both win, so a session taken over is never also ended.
 */
const RELEASE_SCRIPT = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if not owner then return 'gone' end
if owner ~= ARGV[1] then return 'taken' end
redis.call('DEL', KEYS[1])
return 'released'`;

/**
 * Writes a record only while `owner` holds it (or nobody does): an instance must not write over a takeover. The
 * first write notes the delivery log's position then (`since`): nothing logged before it was for this session.
 * KEYS: the record, the log's counter.
 */
const SAVE_SCRIPT = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
redis.call('HSETNX', KEYS[1], 'since', redis.call('GET', KEYS[2]) or '0')
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** What {@link SessionDirectory.release} found: its record deleted, claimed by another instance, or none left. */
export type Release = 'released' | 'taken' | 'gone';

/** A session taken over from its record: the instance that had it and what it was. */
export interface Claimed {
  /** The instance that held it. */
  previousOwner: string;
  /** What it was. */
  record: SessionRecord;
  /** The log's position when the session began: where a replay starts for a client that never saw a logged one. */
  since: number;
}

/**
 * The sessions of every instance, in Redis, each with a TTL of the resume window: while its socket is up, its
 * instance renews it; once the instance dies or the socket drops, the record outlives it by the window, in which a
 * resume on any instance can take the session over.
 */
export class SessionDirectory {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #prefix: string;

  constructor(redis: Redis, ttlMs: number, prefix = 'talk:') {
    this.#redis = redis;
    this.#ttlMs = ttlMs;
    this.#prefix = prefix;
    redis.defineCommand('talkClaimSession', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    redis.defineCommand('talkReleaseSession', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    redis.defineCommand('talkSaveSession', { numberOfKeys: 2, lua: SAVE_SCRIPT });
  }

  /** Writes the record of a session `owner` holds, unless another instance took it over. */
  async save(sessionId: string, owner: string, record: SessionRecord): Promise<void> {
    const keys = [this.#key(sessionId), logCounterKey(this.#prefix)];
    await this.#command('talkSaveSession')(...keys, owner, JSON.stringify(record), this.#ttlMs);
  }

  /** Renews the records of sessions whose sockets are up, in one round trip. */
  async renew(sessionIds: Iterable<string>): Promise<void> {
    const pipeline = this.#redis.pipeline();
    for (const id of sessionIds) pipeline.pexpire(this.#key(id), this.#ttlMs);
    await pipeline.exec();
  }

  /** The record of a session, if it is still within its window. */
  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const state = await this.#redis.hget(this.#key(sessionId), 'state');
    return state === null ? undefined : (JSON.parse(state) as SessionRecord);
  }

  /** Makes `owner` the session's holder, if its record still exists. */
  async claim(sessionId: string, owner: string): Promise<Claimed | undefined> {
    const answer = (await this.#command('talkClaimSession')(this.#key(sessionId), owner, this.#ttlMs)) as
      | [string, string, string]
      | null;
    if (!answer) return undefined;
    return { previousOwner: answer[0], record: JSON.parse(answer[1]) as SessionRecord, since: Number(answer[2]) };
  }

  /**
   * Ends `owner`'s hold on a session: deletes its record unless another instance claimed it first. Answers `taken`
   * when one did (the session is theirs now, and must not be ended here), else `released` or `gone` (none was left).
   */
  async release(sessionId: string, owner: string): Promise<Release> {
    return (await this.#command('talkReleaseSession')(this.#key(sessionId), owner)) as Release;
  }

  #key(sessionId: string): string {
    return `${this.#prefix}session:${sessionId}`;
  }

  #command(name: string): (...args: unknown[]) => Promise<unknown> {
    // defineCommand adds these methods at run time; ioredis's declarations cannot know them.
    const redis = this.#redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    return redis[name]!.bind(redis);
  }
}
