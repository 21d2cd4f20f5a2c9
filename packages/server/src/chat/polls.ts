import { type ChatMessage, type CreatePollRequest, ErrorCode, type Participant, type Poll } from '@talk/protocol';
import { requirePollCloser } from '../access/rules.js';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { PollRecord } from '../store/store.js';
import type { ChatDeps } from './chat.js';
import { SystemMessages } from './system-messages.js';

/**
 * What of a poll `viewer` may see: counts and who chose what at once in a public poll; in a hidden one only how
 * many voted until it closes, and never who. Without a viewer it is what a push to everyone carries.
 */
export function pollView(record: PollRecord, viewer?: string): Poll {
  const voters = new Map<string, { actorId: string; actorDisplayName: string; optionIds: number[] }>();
  for (const vote of record.votes) {
    const entry = voters.get(vote.actorId) ?? {
      actorId: vote.actorId,
      actorDisplayName: vote.actorDisplayName,
      optionIds: [],
    };
    entry.optionIds.push(vote.optionId);
    voters.set(vote.actorId, entry);
  }
  const countsShown = record.resultMode === 'public' || record.closed;
  const votes = record.options.map((_, option) => record.votes.filter((v) => v.optionId === option).length);
  return {
    id: record.id,
    conversation: record.conversation,
    question: record.question,
    options: record.options,
    maxVotes: record.maxVotes,
    resultMode: record.resultMode,
    status: record.closed ? 'closed' : 'open',
    actorId: record.author.userId,
    actorDisplayName: record.author.displayName,
    votes: countsShown ? votes : null,
    numVoters: voters.size,
    ...(record.resultMode === 'public' ? { voters: [...voters.values()] } : {}),
    ...(viewer === undefined ? {} : { votedSelf: voters.get(viewer)?.optionIds ?? [] }),
  };
}

/**
 * Polls after Nextcloud Talk's: a poll is a message of kind `poll` whose id is the poll's; single or multiple
 * choice, public or hidden results; closed by its author or a moderator. Every vote and the close push the
 * results as everyone may see them (`poll-updated`).
 */
export class Polls {
  readonly #deps: ChatDeps;
  readonly #system: SystemMessages;

  constructor(deps: ChatDeps) {
    this.#deps = deps;
    this.#system = new SystemMessages(deps.store, deps.hub);
  }

  /** Posts `me`'s poll; a retry with the same reference id returns the first one with `created: false`. */
  async create(
    me: Identity,
    token: string,
    { question, options, maxVotes = 1, resultMode = 'public', referenceId }: CreatePollRequest,
  ): Promise<{ poll: Poll; message: ChatMessage; created: boolean }> {
    if (maxVotes > options.length) {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'maxVotes may not exceed the number of options');
    }
    const posted = await this.#deps.store.transaction(async (tx) => {
      const result = await tx.messages.post(token, me, question, { referenceId, kind: 'poll' });
      if (result.created) await tx.polls.create(token, result.message.id, { question, options, maxVotes, resultMode });
      return result;
    });
    if (posted.message.kind !== 'poll') {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'referenceId names a message of yours that is no poll');
    }
    const poll = await this.get(me, token, posted.message.id);
    if (posted.created) {
      this.#deps.metrics.chatMessages.inc({ kind: 'poll' });
      await this.#deps.hub.broadcast(token, { type: 'chat-message', conversation: token, message: posted.message });
    }
    return { poll, message: posted.message, created: posted.created };
  }

  /** A poll as `me` may see it. */
  async get(me: Identity, token: string, pollId: number): Promise<Poll> {
    return pollView(await this.#record(token, pollId), me.userId);
  }

  /** Replaces `me`'s choice in an open poll (no options withdraws it) and pushes the new results. */
  async vote(me: Identity, token: string, pollId: number, optionIds: readonly number[]): Promise<Poll> {
    const record = await this.#record(token, pollId);
    if (record.closed) throw new TalkServerError(ErrorCode.Forbidden, 'The poll is closed');
    if (optionIds.some((id) => id >= record.options.length)) {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'optionIds names an option the poll does not have');
    }
    if (record.maxVotes > 0 && optionIds.length > record.maxVotes) {
      throw new TalkServerError(ErrorCode.InvalidRequest, `Choose at most ${record.maxVotes} options`);
    }
    await this.#deps.store.polls.vote(pollId, me, [...new Set(optionIds)]);
    return this.#pushed(me, token, pollId);
  }

  /** Closes a poll (its author or a moderator), with a `poll-closed` system message; closing again changes nothing. */
  async close(participant: Participant, me: Identity, token: string, pollId: number): Promise<Poll> {
    const record = await this.#record(token, pollId);
    requirePollCloser(participant, record.author.userId);
    if (!(await this.#deps.store.polls.close(pollId))) return pollView(record, me.userId);
    await this.#system.post(token, me, 'poll-closed', `${me.displayName} closed the poll "${record.question}"`, {
      poll: { id: pollId, question: record.question },
    });
    return this.#pushed(me, token, pollId);
  }

  /** Pushes a poll's results to everyone and answers `me` with their own view. */
  async #pushed(me: Identity, token: string, pollId: number): Promise<Poll> {
    const record = await this.#record(token, pollId);
    await this.#deps.hub.broadcast(token, { type: 'poll-updated', conversation: token, poll: pollView(record) });
    return pollView(record, me.userId);
  }

  async #record(token: string, pollId: number): Promise<PollRecord> {
    const record = await this.#deps.store.polls.get(token, pollId);
    if (!record) throw new TalkServerError(ErrorCode.NotFound, 'No such poll');
    return record;
  }
}
