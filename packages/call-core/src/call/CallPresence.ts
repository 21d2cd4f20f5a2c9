import type { SessionInfo } from '@talk/protocol';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TypedEmitter } from '../emitter.js';

/** Whether a conversation's call runs, and with how many, as the server tells it. */
export interface CallStatus {
  /** A call runs: someone is in it, or the server said `call-started` and not yet `call-ended`. */
  active: boolean;
  /** Sessions in the call, this browser's own included once it joined. */
  inCall: number;
}

/** Events of a CallPresence. */
export enum CallPresenceEvent {
  /** A session came, went or changed (call, media, hand), or the call started or ended. */
  Changed = 'changed',
}

/** Listener signatures of CallPresenceEvent. */
export type CallPresenceEventCallbacks = {
  [CallPresenceEvent.Changed]: (status: CallStatus) => void;
};

/**
 * Watches a conversation's call from outside it, for a pre-join screen: holds the conversation on signaling (one
 * counted `join`, shared with a chat or call of the same client) and follows the server's `call-started`,
 * `call-ended` and the sessions' `inCall`.
 */
export class CallPresence extends TypedEmitter<CallPresenceEventCallbacks> {
  readonly #client: TalkClientLike;
  readonly #conversation: string;
  #unsubscribe: (() => void)[] = [];
  /** Between `start` and `stop`. */
  #holding = false;
  /** The join resolved and is not given back yet. */
  #joined = false;
  #status: CallStatus = { active: false, inCall: 0 };

  constructor(client: TalkClientLike, conversation: string) {
    super();
    this.#client = client;
    this.#conversation = conversation;
  }

  /** The call's status as last known; inactive with nobody before `start` resolves. */
  get status(): CallStatus {
    return this.#status;
  }

  /** Joins the conversation on signaling and follows its call until `stop`. */
  async start(): Promise<void> {
    if (this.#holding) return;
    this.#holding = true;
    const mine = (conversation: string) => conversation === this.#conversation;
    const refresh = () => this.#refresh();
    const client = this.#client;
    this.#unsubscribe = [
      client.on(ClientEvent.SessionJoined, (c) => mine(c) && refresh()),
      client.on(ClientEvent.SessionUpdated, (c) => mine(c) && refresh()),
      client.on(ClientEvent.SessionLeft, (c) => mine(c) && refresh()),
      client.on(ClientEvent.CallStarted, (message) => mine(message.conversation) && refresh()),
      client.on(ClientEvent.CallEnded, (message) => mine(message.conversation) && refresh()),
      client.on(ClientEvent.ConversationJoined, (c) => mine(c) && refresh()),
      client.on(ClientEvent.ConversationLeft, (c) => mine(c) && refresh()),
    ];
    try {
      await client.join(this.#conversation);
    } catch (error) {
      this.stop();
      throw error;
    }
    // A stop while the join was under way gives the join back now that it holds.
    if (!this.#holding) {
      client.leave(this.#conversation);
      return;
    }
    this.#joined = true;
    this.#refresh();
  }

  /** The sessions present in the conversation, this client's own included (empty before `start` resolves). */
  get sessions(): SessionInfo[] {
    return this.#joined ? this.#client.sessions(this.#conversation) : [];
  }

  /** Stops following and gives the conversation back. */
  stop(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#holding = false;
    // Only a join that resolved holds the conversation; `start` gives back one that resolves after this.
    if (this.#joined) this.#client.leave(this.#conversation);
    this.#joined = false;
    this.#status = INITIAL;
  }

  #refresh(): void {
    const inCall = this.#client.sessions(this.#conversation).filter((session) => session.inCall).length;
    const active = inCall > 0 || this.#client.callActive(this.#conversation);
    // Every change is announced, not only the count's: a list of who is there shows media and hands too.
    this.#status = { active, inCall };
    this.emit(CallPresenceEvent.Changed, this.#status);
  }
}

const INITIAL: CallStatus = { active: false, inCall: 0 };
