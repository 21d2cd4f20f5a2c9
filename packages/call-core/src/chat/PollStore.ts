import type { Poll, PollResultMode } from '@talk/protocol';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TypedEmitter } from '../emitter.js';
import { randomId } from '../random.js';

/** Events of a PollStore. */
export enum PollEvent {
  /** A poll's state changed: loaded, voted on (by anyone), or closed. */
  Changed = 'changed',
}

/** Listener signatures of PollEvent. */
export type PollEventCallbacks = {
  [PollEvent.Changed]: (poll: Poll) => void;
};

/** What `create` asks for besides the question and the options. */
export interface PollOptions {
  /** How many options one voter may choose: 1 (the default) for a single choice, 0 for any number. */
  maxVotes?: number;
  /** `public` shows counts and voters at once; `hidden` shows nothing but the number of voters until closed. */
  resultMode?: PollResultMode;
}

/** The client methods a PollStore uses. */
export type PollClient = Pick<TalkClientLike, 'on' | 'createPoll' | 'getPoll' | 'votePoll' | 'closePoll'>;

/**
 * The polls of one conversation as this user sees them, kept live by the server's `poll-updated` pushes (which
 * arrive while the conversation is joined, as its ChatStore does). A push goes to everyone alike and so carries no
 * `votedSelf`; the store keeps the user's own choice from the last answer it had.
 */
export class PollStore extends TypedEmitter<PollEventCallbacks> {
  /** The conversation's token. */
  readonly conversation: string;
  readonly #client: PollClient;
  readonly #polls = new Map<number, Poll>();
  readonly #loading = new Map<number, Promise<Poll>>();
  #unsubscribe: (() => void) | null = null;

  constructor(client: PollClient, conversation: string) {
    super();
    this.#client = client;
    this.conversation = conversation;
  }

  /** Starts taking pushes. */
  start(): void {
    this.#unsubscribe ??= this.#client.on(ClientEvent.PollUpdated, ({ conversation, poll }) => {
      // Only polls someone looks at are kept; the others are fetched when first shown.
      if (conversation === this.conversation && this.#polls.has(poll.id)) this.#set(poll);
    });
  }

  /** Stops taking pushes and forgets the listeners. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.removeAllListeners();
  }

  /** The poll as last known, or undefined before `load`. */
  get(pollId: number): Poll | undefined {
    return this.#polls.get(pollId);
  }

  /** Fetches a poll (once, however many ask at the same time); afterwards pushes keep it current. */
  load(pollId: number): Promise<Poll> {
    let loading = this.#loading.get(pollId);
    if (!loading) {
      loading = this.#client.getPoll(this.conversation, pollId).then(
        (poll) => this.#set(poll),
        (error: unknown) => {
          this.#loading.delete(pollId);
          throw error;
        },
      );
      this.#loading.set(pollId, loading);
    }
    return loading;
  }

  /** Posts a poll; it also arrives in the chat as a message of kind `poll` whose id is the poll's. */
  async create(question: string, options: readonly string[], settings: PollOptions = {}): Promise<Poll> {
    const poll = await this.#client.createPoll(this.conversation, {
      question,
      options: [...options],
      maxVotes: settings.maxVotes ?? 1,
      resultMode: settings.resultMode ?? 'public',
      referenceId: randomId(),
    });
    return this.#set(poll);
  }

  /** Replaces the user's choice in a poll; an empty list withdraws it. */
  async vote(pollId: number, optionIds: readonly number[]): Promise<Poll> {
    return this.#set(await this.#client.votePoll(this.conversation, pollId, [...optionIds]));
  }

  /** Closes a poll (its author or a moderator): everyone then sees the results. */
  async closePoll(pollId: number): Promise<Poll> {
    return this.#set(await this.#client.closePoll(this.conversation, pollId));
  }

  #set(poll: Poll): Poll {
    const votedSelf = poll.votedSelf ?? this.#polls.get(poll.id)?.votedSelf;
    const next = votedSelf === undefined ? poll : { ...poll, votedSelf };
    this.#polls.set(poll.id, next);
    this.emit(PollEvent.Changed, next);
    return next;
  }
}
