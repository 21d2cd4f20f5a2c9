import type {
  CallSettings,
  ChatMessage,
  ClientMessage,
  Conversation,
  CreateConversationRequest,
  EditMessageRequest,
  ErrorBody,
  ListMessagesQuery,
  PostMessageRequest,
  ReactionRequest,
  ReactionsResponse,
  ReadMarkerRequest,
  ServerMessage,
  SessionInfo,
  SfuTokenResponse,
  Topology,
} from '@talk/protocol';
import { conversationPath, Routes } from '@talk/protocol';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../errors.js';
import type { BackoffOptions } from './backoff.js';
import { ClientEvent, type ClientEventCallbacks, ConnectionState } from './events.js';
import { SignalingConnection, type WebSocketFactory } from './SignalingConnection.js';
import { DEFAULT_TOKEN_EXPIRING_LEAD_MS, watchTokenExpiry } from './token-expiry.js';

/** Options of a TalkClient. */
export interface TalkClientOptions {
  /** Base URL of the Talk server, such as `https://talk.example` or `location.origin`. */
  serverUrl: string;
  /** Bearer token for REST and the signaling hello. */
  token: string;
  /** Opens signaling sockets; defaults to the global WebSocket (tests hand in fakes). */
  createSocket?: WebSocketFactory;
  /** Makes HTTP requests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Delays between signaling reconnect attempts. */
  backoff?: BackoffOptions;
  /** How often signaling pings the server. */
  pingIntervalMs?: number;
  /** How long before the token's JWT `exp` to emit `TokenExpiring`; a minute unless set. */
  tokenExpiringLeadMs?: number;
}

interface JoinedConversation {
  /** How many users (chat stores, calls) asked for this conversation; it is left when the last one lets go. */
  users: number;
  /** Sessions present, by session id, as of the last joined/session-* message. */
  sessions: Map<string, SessionInfo>;
  /** Resolves once the server has answered the current join. */
  ready: Promise<void>;
  /** The running call's topology as last announced, or undefined when no call runs. */
  topology?: Topology;
}

/**
 * One user's connection to a Talk server: REST helpers plus a signaling socket that reconnects with backoff,
 * says hello again and re-joins its conversations after a drop.
 */
export class TalkClient extends TypedEmitter<ClientEventCallbacks> {
  /** Base URL of the server, without a trailing slash. */
  readonly serverUrl: string;
  #token: string;
  #sessionId: string | null = null;
  #userId: string | null = null;
  readonly #fetch: typeof fetch;
  readonly #signaling: SignalingConnection;
  readonly #conversations = new Map<string, JoinedConversation>();
  readonly #tokenExpiringLeadMs: number;
  #unwatchToken: () => void = () => {};

  constructor(options: TalkClientOptions) {
    super();
    this.serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#tokenExpiringLeadMs = options.tokenExpiringLeadMs ?? DEFAULT_TOKEN_EXPIRING_LEAD_MS;
    this.#watchToken();
    // Bound, because calling an unbound global fetch as a method throws "Illegal invocation" in browsers.
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#signaling = new SignalingConnection({
      url: `${this.serverUrl.replace(/^http/, 'ws')}${Routes.signaling}`,
      token: () => this.#token,
      createSocket: options.createSocket,
      backoff: options.backoff,
      pingIntervalMs: options.pingIntervalMs,
    });
    this.#signaling.on('state', (state) => this.emit(ClientEvent.ConnectionStateChanged, state));
    this.#signaling.on('welcome', (welcome, reconnected) => {
      this.#sessionId = welcome.sessionId;
      this.#userId = welcome.userId;
      this.emit(ClientEvent.Connected, welcome.sessionId, { reconnected });
      if (reconnected) this.#rejoinAll();
    });
    this.#signaling.on('message', (message) => this.#dispatch(message));
  }

  /** The token presented to the server. */
  get token(): string {
    return this.#token;
  }

  /** Replaces the token, e.g. after a refresh; the next request and the next hello use it. */
  set token(token: string) {
    this.setToken(token);
  }

  /**
   * Replaces the token without closing anything: the open socket stays, the next request and the next hello
   * (after a reconnect) present the new one, and `TokenExpiring` is planned from its `exp`.
   */
  setToken(token: string): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#watchToken();
  }

  /** This client's current signaling session id; a new one after each reconnect. */
  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** The authenticated user's id, once welcomed. */
  get userId(): string | null {
    return this.#userId;
  }

  /** Where the signaling connection is. */
  get connectionState(): ConnectionState {
    return this.#signaling.state;
  }

  /** Opens signaling unless open; resolves on the server's welcome. */
  connect(): Promise<void> {
    return this.#signaling.connect();
  }

  /** Closes signaling for good and forgets joined conversations. */
  close(): void {
    this.#unwatchToken();
    this.#conversations.clear();
    this.#signaling.close();
    this.#sessionId = null;
  }

  /** Sends a signaling message as is; throws a TalkError when signaling is not connected. */
  send(message: ClientMessage): void {
    this.#signaling.send(message);
  }

  /**
   * Joins a conversation on signaling (connecting first if needed) and resolves with its sessions. Joins are
   * counted: each `join` needs one `leave`, so a chat and a call can share one conversation.
   */
  async join(conversation: string): Promise<SessionInfo[]> {
    let joined = this.#conversations.get(conversation);
    if (joined) {
      joined.users++;
    } else {
      joined = { users: 1, sessions: new Map(), ready: Promise.resolve() };
      this.#conversations.set(conversation, joined);
      joined.ready = this.connect().then(() => this.#requestJoin(conversation, false));
      // A failed join must not stay cached as joined, or every later caller would get the same failure.
      joined.ready.catch(
        () => this.#conversations.get(conversation) === joined && this.#conversations.delete(conversation),
      );
    }
    await joined.ready;
    return [...joined.sessions.values()];
  }

  /** Gives back one `join`; the conversation is left on signaling when nobody needs it. */
  leave(conversation: string): void {
    const joined = this.#conversations.get(conversation);
    if (!joined || --joined.users > 0) return;
    this.#conversations.delete(conversation);
    if (this.#signaling.state === ConnectionState.Connected) this.send({ type: 'leave', conversation });
  }

  /** Sessions present in a joined conversation, this client's own included. */
  sessions(conversation: string): SessionInfo[] {
    return [...(this.#conversations.get(conversation)?.sessions.values() ?? [])];
  }

  /** The topology the server last announced for a joined conversation's call; undefined when no call runs. */
  callTopology(conversation: string): Topology | undefined {
    return this.#conversations.get(conversation)?.topology;
  }

  /** Makes an authenticated REST request and parses the JSON answer; failures throw TalkError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.serverUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new TalkError(TalkErrorCode.Network, `${method} ${path} failed: ${String(cause)}`, { cause });
    }
    const text = await response.text().catch(() => '');
    const json: unknown = text ? safeParse(text) : undefined;
    if (!response.ok) {
      const error = json as Partial<ErrorBody> | undefined;
      throw new TalkError(TalkErrorCode.Server, error?.message ?? `${method} ${path} answered ${response.status}`, {
        status: response.status,
        serverCode: error?.code,
      });
    }
    return json as T;
  }

  /** Creates a conversation, or with `object` returns the one that object already has. */
  createConversation(request: CreateConversationRequest): Promise<Conversation> {
    return this.request('POST', Routes.conversations, request);
  }

  /** Joins a public conversation as a participant. */
  joinConversation(conversation: string): Promise<unknown> {
    return this.request('POST', conversationPath(Routes.participantSelf, conversation));
  }

  /** Lists messages oldest first: the newest page, with `after` the ones after that id, with `before` those before it. */
  listMessages(conversation: string, query: ListMessagesQuery = {}): Promise<ChatMessage[]> {
    const params = new URLSearchParams();
    if (query.after !== undefined) params.set('after', String(query.after));
    if (query.before !== undefined) params.set('before', String(query.before));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.system) params.set('system', 'true');
    const search = params.size ? `?${params}` : '';
    return this.request('GET', `${conversationPath(Routes.messages, conversation)}${search}`);
  }

  /** Posts a message; the same referenceId twice yields the same message. */
  postMessage(conversation: string, body: PostMessageRequest): Promise<ChatMessage> {
    return this.request('POST', conversationPath(Routes.messages, conversation), body);
  }

  /** The current user's conversations, most recently active first, with last message and unread counts. */
  listConversations(): Promise<Conversation[]> {
    return this.request('GET', Routes.conversations);
  }

  /** Replaces the text of one's own message; answers the message as it is now. */
  editMessage(conversation: string, messageId: number, body: EditMessageRequest): Promise<ChatMessage> {
    return this.request('PATCH', conversationPath(Routes.message, conversation, { messageId }), body);
  }

  /** Deletes a message (one's own, or anyone's as a moderator); answers it with its text emptied. */
  deleteMessage(conversation: string, messageId: number): Promise<ChatMessage> {
    return this.request('DELETE', conversationPath(Routes.message, conversation, { messageId }));
  }

  /** Who gave which reaction to a message. */
  listReactions(conversation: string, messageId: number): Promise<ReactionsResponse> {
    return this.request('GET', conversationPath(Routes.reactions, conversation, { messageId }));
  }

  /** Gives (`added`) or takes back the user's reaction; answers who gave which reaction now. */
  setReaction(conversation: string, messageId: number, reaction: string, added: boolean): Promise<ReactionsResponse> {
    const body: ReactionRequest = { reaction };
    return this.request(
      added ? 'POST' : 'DELETE',
      conversationPath(Routes.reactions, conversation, { messageId }),
      body,
    );
  }

  /** Moves the user's read marker forward to `lastReadMessageId` (the server never moves it back). */
  async markRead(conversation: string, lastReadMessageId: number): Promise<void> {
    const body: ReadMarkerRequest = { lastReadMessageId };
    await this.request('POST', conversationPath(Routes.readMarker, conversation), body);
  }

  /** What joining this conversation's call needs: ICE servers, SFU URL, bitrate cap. */
  getCallSettings(conversation: string): Promise<CallSettings> {
    return this.request('GET', conversationPath(Routes.call, conversation));
  }

  /** A LiveKit token whose identity is this client's signaling session. */
  getSfuToken(conversation: string, sessionId: string): Promise<SfuTokenResponse> {
    return this.request('POST', conversationPath(Routes.sfuToken, conversation), { sessionId });
  }

  #watchToken(): void {
    this.#unwatchToken();
    this.#unwatchToken = watchTokenExpiry(this.#token, this.#tokenExpiringLeadMs, (expiresAt) =>
      this.emit(ClientEvent.TokenExpiring, expiresAt),
    );
  }

  async #requestJoin(conversation: string, rejoined: boolean): Promise<void> {
    const answer = await this.#signaling.request({ type: 'join', conversation });
    const joined = this.#conversations.get(conversation);
    if (answer.type !== 'joined' || !joined) return;
    joined.sessions = new Map(answer.sessions.map((session) => [session.sessionId, session]));
    joined.topology = answer.topology;
    this.emit(ClientEvent.ConversationJoined, conversation, answer.sessions, { rejoined });
  }

  #rejoinAll(): void {
    for (const [conversation, joined] of this.#conversations) {
      joined.ready = this.#requestJoin(conversation, true);
      joined.ready.catch((cause) => this.emit(ClientEvent.Error, asTalkError(cause)));
    }
  }

  /** Every server message that no pending request took; a new type in the protocol fails typecheck here. */
  #dispatch(message: ServerMessage): void {
    switch (message.type) {
      case 'session-joined':
      case 'session-updated': {
        this.#conversations.get(message.conversation)?.sessions.set(message.session.sessionId, message.session);
        const event = message.type === 'session-joined' ? ClientEvent.SessionJoined : ClientEvent.SessionUpdated;
        this.emit(event, message.conversation, message.session);
        return;
      }
      case 'session-left':
        this.#conversations.get(message.conversation)?.sessions.delete(message.sessionId);
        this.emit(ClientEvent.SessionLeft, message.conversation, message.sessionId);
        return;
      case 'left': {
        // Without a reason it answers this client's own `leave`, sent without an id, as nothing waits for it.
        if (message.reason === undefined) return;
        // The server ended the membership: it sends no more sessions or topology, and what was known is stale.
        const joined = this.#conversations.get(message.conversation);
        joined?.sessions.clear();
        if (joined) joined.topology = undefined;
        this.emit(ClientEvent.ConversationLeft, message.conversation, message.reason);
        return;
      }
      case 'conversation-updated':
        this.emit(ClientEvent.ConversationUpdated, message.conversation);
        return;
      case 'signal':
        this.emit(ClientEvent.Signal, message);
        return;
      case 'chat-message':
        this.emit(ClientEvent.ChatMessage, message);
        return;
      case 'chat-message-updated':
        this.emit(ClientEvent.ChatMessageUpdated, message);
        return;
      case 'system-message':
        this.emit(ClientEvent.SystemMessage, message);
        return;
      case 'reaction':
        this.emit(ClientEvent.Reaction, message);
        return;
      case 'typing':
        this.emit(ClientEvent.Typing, message);
        return;
      case 'call-started':
        this.emit(ClientEvent.CallStarted, message);
        return;
      case 'call-topology': {
        const joined = this.#conversations.get(message.conversation);
        if (joined) joined.topology = message.topology;
        this.emit(ClientEvent.CallTopology, message);
        return;
      }
      case 'call-ended': {
        const joined = this.#conversations.get(message.conversation);
        if (joined) joined.topology = undefined;
        this.emit(ClientEvent.CallEnded, message);
        return;
      }
      case 'error':
        this.emit(
          ClientEvent.Error,
          new TalkError(TalkErrorCode.Server, message.message, { serverCode: message.code }),
        );
        return;
      case 'welcome':
        // SignalingConnection takes every welcome (it starts or resumes the session) and never passes one on.
        return;
      case 'joined':
        // Answers a `join` request; one arrives here only after that request timed out and its join failed.
        return;
      case 'pong':
        // A ping only proves the socket alive, which SignalingConnection notes on any frame.
        return;
      default: {
        // A type of a newer server that this version cannot know is ignored; a known one missing above fails here.
        const unhandled: never = message;
        void unhandled;
      }
    }
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
