import {
  asTalkError,
  ClientEvent,
  joinAsGuest,
  TalkClient,
  type TalkClientLike,
  TalkError,
  TalkErrorCode,
} from '@talk/call-core';
import type { Conversation } from '@talk/protocol';
import type { ReactiveController } from 'lit';
import { type ClientHost, ClientResolver } from '../controllers/client-resolver.js';
import { TalkErrorEvent } from '../events/talk-error.js';
import { type JoinOutReason, type JoinStage, TalkJoinChangeEvent } from '../events/talk-join-change.js';

/** What the join flow needs from its element. */
export interface JoinHost extends ClientHost {
  /** The public conversation's token, from its link. */
  conversation?: string;
}

/** What went wrong at the last step, for the element to word. */
export type JoinProblem =
  /** The password given is not the conversation's. */
  | { kind: 'wrong-password' }
  /** Too many wrong passwords from here: wait `retryAfter` seconds (unknown when null). */
  | { kind: 'throttled'; retryAfter: number | null }
  /** Anything else; the TalkError says what. */
  | { kind: 'error'; error: TalkError };

/** The members of a client the join flow uses beyond TalkClientLike; a TalkClient has them all. */
type JoiningClient = TalkClientLike & Pick<TalkClient, 'joinConversation'>;

/**
 * The way into a public conversation, as a ReactiveController: a guest's name (the server's guest creation, which
 * makes the client a guest token), the password when the conversation has one, the lobby while it is closed,
 * then in; and out again when the server says so. A signed-in user (the host's `client` or `token`) skips the name.
 */
export class JoinFlow implements ReactiveController {
  /** The stage reached. */
  stage: JoinStage = 'name';
  /** The problem of the last attempt, until the next. */
  problem: JoinProblem | null = null;
  /** At `out`: why. */
  reason: JoinOutReason | null = null;
  /** The conversation as the joined user sees it, once in (name, lobby, role). */
  conversation: Conversation | null = null;
  /** The client of the joined user, from `lobby` on. */
  client: TalkClientLike | null = null;
  readonly #host: JoinHost;
  readonly #clients: ClientResolver;
  /** The guest's own client, made from the token the guest link gave; closed when the host lets go. */
  #guestClient: TalkClient | null = null;
  #displayName = '';
  #unsubscribe: (() => void)[] = [];
  #key = '';

  constructor(host: JoinHost) {
    this.#host = host;
    // It provides the joined user's client to what it holds, so it takes none from a provider around it: a
    // consumer and a provider of one context on one element would answer (and, at the page's ContextRoot,
    // replay) its own request without end. A signed-in user's client comes as `client` or `token`.
    this.#clients = new ClientResolver(host, { consume: false });
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    // A signed-in user needs no name: start joining as soon as the client and conversation are known.
    const signedIn = this.#clients.resolve();
    const key = `${this.#host.conversation ?? ''}|${signedIn ? 'user' : 'guest'}`;
    if (key === this.#key) return;
    this.#key = key;
    this.#reset();
    if (signedIn && this.#host.conversation) void this.#joinAsUser(signedIn as JoiningClient);
  }

  hostDisconnected(): void {
    this.#reset();
    this.#clients.release();
    this.#key = '';
  }

  /** Whether the user is a guest, who is asked for a name. */
  get guest(): boolean {
    return !this.#clients.resolve();
  }

  /** The guest gave a name: join under it. */
  submitName(displayName: string): Promise<void> {
    this.#displayName = displayName.trim();
    return this.#joinAsGuest(undefined);
  }

  /** The user gave the password. */
  submitPassword(password: string): Promise<void> {
    const signedIn = this.#clients.resolve();
    return signedIn ? this.#joinAsUser(signedIn as JoiningClient, password) : this.#joinAsGuest(password);
  }

  async #joinAsGuest(password: string | undefined): Promise<void> {
    const conversation = this.#host.conversation;
    if (!conversation || !this.#displayName) return;
    const serverUrl = (this.#host.serverUrl || globalThis.location.origin).replace(/\/+$/, '');
    await this.#attempt(password, async () => {
      const joined = await joinAsGuest({ serverUrl, conversation, displayName: this.#displayName, password });
      this.#guestClient?.close();
      this.#guestClient = new TalkClient({ serverUrl, token: joined.token });
      return this.#guestClient;
    });
  }

  async #joinAsUser(client: JoiningClient, password?: string): Promise<void> {
    const conversation = this.#host.conversation;
    if (!conversation) return;
    await this.#attempt(password, async () => {
      if (typeof client.joinConversation !== 'function') {
        throw new TalkError(TalkErrorCode.InvalidState, 'This client cannot join conversations');
      }
      await client.joinConversation(conversation, password);
      return client;
    });
  }

  /** Runs one attempt to get in, then follows the conversation; a refusal moves to the stage that answers it. */
  async #attempt(password: string | undefined, join: () => Promise<TalkClientLike>): Promise<void> {
    const key = this.#key;
    const before = this.stage;
    this.problem = null;
    this.#move('joining');
    try {
      const client = await join();
      if (key !== this.#key) return;
      await this.#follow(client);
    } catch (cause) {
      if (key !== this.#key) return;
      const error = asTalkError(cause);
      if (error.serverCode === 'wrong-password') {
        // Asked without one, the server only said a password is needed: that is no mistake of the user's.
        this.problem = password === undefined ? null : { kind: 'wrong-password' };
        this.#move('password');
      } else if (error.serverCode === 'rate-limited') {
        this.problem = { kind: 'throttled', retryAfter: error.retryAfter ?? null };
        this.#move(before === 'joining' ? 'password' : before);
      } else if (error.status === 404) {
        this.#out('gone');
      } else {
        this.problem = { kind: 'error', error };
        // Shown in the prompt, and told to the host too, as the other elements tell theirs.
        this.#host.dispatchEvent(new TalkErrorEvent(error));
        this.#move(before === 'joining' ? (this.guest ? 'name' : 'password') : before);
      }
    }
  }

  /** In: join on signaling, hear what the server says about the membership, and show the lobby or the conversation. */
  async #follow(client: TalkClientLike): Promise<void> {
    const conversation = this.#host.conversation!;
    this.client = client;
    const mine = (token: string) => token === conversation;
    this.#unsubscribe.push(
      client.on(ClientEvent.ConversationUpdated, (token) => mine(token) && void this.#refresh()),
      client.on(ClientEvent.ConversationLeft, (token, reason) => mine(token) && this.#out(reason)),
    );
    await client.join(conversation);
    this.#unsubscribe.push(() => client.leave(conversation));
    await this.#refresh();
  }

  /** Reads the conversation again: the lobby may have opened or closed, or the conversation gone. */
  async #refresh(): Promise<void> {
    const client = this.client;
    const token = this.#host.conversation;
    if (!client || !token || this.stage === 'out') return;
    try {
      const conversation = await client.getConversation(token);
      // The membership may have ended while the answer was on its way.
      if (client !== this.client || this.#isOut()) return;
      this.conversation = conversation;
      const moderator = conversation.role === 'owner' || conversation.role === 'moderator';
      this.#move(conversation.lobby && !moderator ? 'lobby' : 'joined');
    } catch (cause) {
      const error = asTalkError(cause);
      if (error.status === 404) this.#out('gone');
      else {
        this.problem = { kind: 'error', error };
        // Shown in the prompt, and told to the host too, as the other elements tell theirs.
        this.#host.dispatchEvent(new TalkErrorEvent(error));
        this.#host.requestUpdate();
      }
    }
  }

  #isOut(): boolean {
    return this.stage === 'out';
  }

  #out(reason: JoinOutReason): void {
    this.reason = reason;
    this.#move('out');
  }

  #move(stage: JoinStage): void {
    const changed = stage !== this.stage;
    this.stage = stage;
    this.#host.requestUpdate();
    if (changed) this.#host.dispatchEvent(new TalkJoinChangeEvent(stage, this.client, this.reason));
  }

  #reset(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#guestClient?.close();
    this.#guestClient = null;
    this.client = null;
    this.conversation = null;
    this.problem = null;
    this.reason = null;
    this.stage = this.#clients.resolve() ? 'joining' : 'name';
  }
}
