import type {
  ChatMessage,
  Conversation,
  ConversationChange,
  ConversationType,
  CreateConversationRequest,
} from '@talk/protocol';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, type TalkError } from '../errors.js';

/** One row of a conversation list: what the server said of the conversation, in the shape a list shows. */
export interface ConversationEntry {
  /** The conversation's token. */
  readonly token: string;
  /** Group, public, one-to-one or note-to-self. */
  readonly type: ConversationType;
  /** Its name (for a one-to-one, the other person's). */
  readonly name: string;
  /** The newest message, or null in an empty conversation (or while a lobby holds the user out). */
  readonly lastMessage: ChatMessage | null;
  /** When something last happened in it, in epoch milliseconds; the list is sorted by it, newest first. */
  readonly lastActivity: number;
  /** Messages from others after the user's read marker. */
  readonly unread: number;
  /** How many of those mention the user (or everyone). */
  readonly mentions: number;
  /** Whether a call is running in it. */
  readonly callActive: boolean;
  /** The conversation as the server answered it, for what the entry does not name. */
  readonly conversation: Conversation;
}

/** Events of a ConversationListStore. */
export enum ConversationListEvent {
  /** The entries changed: loaded, a conversation added, removed, or one of them changed. */
  EntriesChanged = 'entriesChanged',
  /** Loading the list or one of its conversations failed; the entries stay as they were. */
  Error = 'error',
}

/** Listener signatures of ConversationListEvent. */
export type ConversationListEventCallbacks = {
  [ConversationListEvent.EntriesChanged]: (entries: readonly ConversationEntry[]) => void;
  [ConversationListEvent.Error]: (error: TalkError) => void;
};

/** The entry of a conversation as the server answered it. */
export function entryOf(conversation: Conversation): ConversationEntry {
  const last = conversation.lastMessage ?? null;
  const activity = Math.max(Date.parse(conversation.lastActivity) || 0, last ? Date.parse(last.createdAt) || 0 : 0);
  return {
    token: conversation.token,
    type: conversation.type,
    name: conversation.name,
    lastMessage: last,
    lastActivity: activity,
    unread: conversation.unreadMessages ?? 0,
    mentions: conversation.unreadMentions ?? (conversation.unreadMention ? 1 : 0),
    callActive: conversation.callActive ?? false,
    conversation,
  };
}

/**
 * The entries whose name contains every word of `query`, ignoring case and accents (so "zoe" finds "Zoë"); all of
 * them for an empty query.
 */
export function filterConversations(entries: readonly ConversationEntry[], query: string): ConversationEntry[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries.filter((entry) => {
    const name = fold(entry.name);
    return words.every((word) => name.includes(word));
  });
}

/** Lower case without diacritics, for matching as people type. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** Whether a failed fetch means the user may not see the conversation (any more). */
function isGone(error: TalkError): boolean {
  return error.status === 404 || error.status === 403;
}

/**
 * The user's conversations, newest activity first, each with its last message, unread and mention counts and
 * whether a call runs. The server's `conversation-changed` pushes keep it live without joining any conversation:
 * each one fetches that conversation again (one fetch at a time per conversation, one more if it changed meanwhile)
 * or drops it when the user was removed or it was deleted. After a reconnect the whole list is fetched again, since
 * pushes may have been lost with the old socket.
 */
export class ConversationListStore extends TypedEmitter<ConversationListEventCallbacks> {
  /** The client this store reads through. */
  readonly client: TalkClientLike;
  readonly #entries = new Map<string, ConversationEntry>();
  /** Conversations being fetched again; `again` when another change came in meanwhile. */
  readonly #fetching = new Map<string, { again: boolean }>();
  /** Counts pushes, so that an answer computed before a later push is not taken over that push's result. */
  #sequence = 0;
  /** Per conversation: the sequence number of its latest push. */
  readonly #pushedAt = new Map<string, number>();
  /** Per conversation: the sequence number of its latest removal or deletion. */
  readonly #goneAt = new Map<string, number>();
  #sorted: readonly ConversationEntry[] = [];
  #started = false;
  #closed = false;
  #loaded = false;
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(client: TalkClientLike) {
    super();
    this.client = client;
  }

  /** The conversations, newest activity first. */
  get entries(): readonly ConversationEntry[] {
    return this.#sorted;
  }

  /** Whether the list has loaded once. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** One conversation's entry, if the list holds it. */
  get(token: string): ConversationEntry | undefined {
    return this.#entries.get(token);
  }

  /** Listens for pushes, connects the client for them and loads the list; rejects if that first load fails. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe.push(
      this.client.on(ClientEvent.ConversationChanged, (conversation, change) => this.#changed(conversation, change)),
      this.client.on(ClientEvent.Connected, (_sessionId, { reconnected }) => {
        // Even a resume may have lost what the server had written into the socket that died.
        if (reconnected) void this.refresh().catch(() => {});
      }),
    );
    // Pushes need the signaling connection; the list itself comes over REST, so a refused socket still lists.
    this.client.connect().catch((error: unknown) => this.#fail(error));
    await this.refresh();
  }

  /** Fetches the whole list again; a refresh asked for during one runs once more after it. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    const run = async (): Promise<void> => {
      do {
        this.#refreshAgain = false;
        const since = this.#sequence;
        let list: Conversation[];
        try {
          list = await this.client.listConversations();
        } catch (error) {
          this.#fail(error);
          throw asTalkError(error);
        }
        if (this.#closed) return;
        this.#applyList(list, since);
      } while (this.#refreshAgain && !this.#closed);
    };
    this.#refreshing = run().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** Creates a conversation and adds it at once (the push that follows changes nothing more). */
  async create(request: CreateConversationRequest): Promise<ConversationEntry> {
    const since = this.#sequence;
    const conversation = await this.client.createConversation(request);
    const entry = entryOf(conversation);
    if (!this.#closed && (this.#goneAt.get(entry.token) ?? -1) < since) {
      // The answer to a create knows no unread counts; keep those a push-driven fetch may have brought already.
      const known = this.#entries.get(entry.token);
      this.#entries.set(entry.token, known ?? entry);
      this.#publish();
    }
    return this.#entries.get(entry.token) ?? entry;
  }

  /** Stops listening; the entries stay as they were. */
  close(): void {
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.removeAllListeners();
  }

  #changed(token: string, change: ConversationChange): void {
    if (this.#closed) return;
    const sequence = ++this.#sequence;
    this.#pushedAt.set(token, sequence);
    if (change === 'removed' || change === 'deleted') {
      this.#goneAt.set(token, sequence);
      if (this.#entries.delete(token)) this.#publish();
      return;
    }
    void this.#fetch(token);
  }

  /** Fetches one conversation again, at most one request at a time, then once more if it changed meanwhile. */
  async #fetch(token: string): Promise<void> {
    const running = this.#fetching.get(token);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.#fetching.set(token, state);
    try {
      do {
        state.again = false;
        const since = this.#sequence;
        try {
          const conversation = await this.client.getConversation(token);
          if (this.#closed) return;
          // Removed or deleted after this request went out: its answer is older than that.
          if ((this.#goneAt.get(token) ?? -1) > since) continue;
          this.#entries.set(token, entryOf(conversation));
          this.#publish();
        } catch (cause) {
          if (this.#closed) return;
          const error = asTalkError(cause);
          if (isGone(error)) {
            if (this.#entries.delete(token)) this.#publish();
          } else {
            this.#fail(error);
          }
        }
      } while (state.again && !this.#closed);
    } finally {
      this.#fetching.delete(token);
    }
  }

  /** Takes a full list fetched when the sequence stood at `since`, except where a later push decides. */
  #applyList(list: Conversation[], since: number): void {
    const listed = new Set<string>();
    for (const conversation of list) {
      listed.add(conversation.token);
      if ((this.#pushedAt.get(conversation.token) ?? -1) > since) continue; // its own fetch brings it
      this.#entries.set(conversation.token, entryOf(conversation));
    }
    for (const token of [...this.#entries.keys()]) {
      if (!listed.has(token) && (this.#pushedAt.get(token) ?? -1) <= since) this.#entries.delete(token);
    }
    this.#loaded = true;
    this.#publish();
  }

  #publish(): void {
    this.#sorted = [...this.#entries.values()].sort(
      (a, b) => b.lastActivity - a.lastActivity || a.token.localeCompare(b.token),
    );
    this.emit(ConversationListEvent.EntriesChanged, this.#sorted);
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.emit(ConversationListEvent.Error, asTalkError(error));
  }
}
