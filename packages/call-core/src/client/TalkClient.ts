import type {
  Attachment,
  AttachmentUrl,
  Ban,
  BanRequest,
  CallSettings,
  ChatMessage,
  ClientMessage,
  Conversation,
  CreateConversationRequest,
  CreatePollRequest,
  EditMessageRequest,
  JoinConversationRequest,
  ListMessagesQuery,
  Mention,
  MessagePage,
  Participant,
  PinnedMessage,
  Poll,
  PostMessageRequest,
  ReactionRequest,
  ReactionsResponse,
  ReadMarkerRequest,
  SearchMessagesQuery,
  ServerMessage,
  SessionInfo,
  SfuTokenResponse,
  SharedItemsQuery,
  SharedOverview,
  Topology,
  UpdateConversationRequest,
  UpdateParticipantRequest,
} from '@talk/protocol';
import { conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../errors.js';
import type { BackoffOptions } from './backoff.js';
import { ClientEvent, type ClientEventCallbacks, ConnectionState } from './events.js';
import { answerOf, requestJson } from './rest.js';
import { SignalingConnection, type WebSocketFactory } from './SignalingConnection.js';
import { DEFAULT_TOKEN_EXPIRING_LEAD_MS, watchTokenExpiry } from './token-expiry.js';
import { postBytes, type UploadOptions } from './upload.js';

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
  /** Whether a call runs, from the join's answer, then `call-started` and `call-ended`. */
  callActive?: boolean;
}

/**
 * One user's connection to a Talk server: REST helpers plus a signaling socket that reconnects with backoff and
 * resumes its session after a drop, re-joining its conversations only when the server could not resume it.
 */
export class TalkClient extends TypedEmitter<ClientEventCallbacks> {
  /** Base URL of the server, without a trailing slash. */
  readonly serverUrl: string;
  #token: string;
  #sessionId: string | null = null;
  #maxAttachmentBytes: number | undefined;
  #userId: string | null = null;
  readonly #fetch: typeof fetch;
  readonly #signaling: SignalingConnection;
  readonly #conversations = new Map<string, JoinedConversation>();
  readonly #tokenExpiringLeadMs: number;
  /** Signed attachment URLs by conversation and attachment, reused until shortly before they expire. */
  readonly #attachmentUrls = new Map<string, { url: Promise<AttachmentUrl>; renewAt: number }>();
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
      // Resumed: the server kept the conversations, the call seat and what was pushed meanwhile; nothing to redo.
      const resumed = reconnected && welcome.resumed === true;
      this.#sessionId = welcome.sessionId;
      this.#userId = welcome.userId;
      this.#maxAttachmentBytes = welcome.maxAttachmentBytes;
      this.emit(ClientEvent.Connected, welcome.sessionId, { reconnected, resumed });
      if (reconnected && !resumed) this.#rejoinAll();
    });
    this.#signaling.on('message', (message) => this.#dispatch(message));
    // Stopped by the server for good (too many sessions): the page decides whether to connect again.
    this.#signaling.on('stopped', (error) => this.emit(ClientEvent.Error, error));
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
   * Replaces the token without closing anything: the open socket is handed it in a `token` message (the server
   * closes a socket whose token expired with 4003), the next request and the next hello (after a reconnect)
   * present it, and `TokenExpiring` is planned from its `exp`.
   */
  setToken(token: string): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#watchToken();
    if (this.#signaling.state === ConnectionState.Connected) {
      // A refused token (another user's, or expired) needs no handling here: the socket closes when the old
      // one expires, and the reconnect's hello with this token reports the refusal as any hello would.
      this.#signaling.request({ type: 'token', token }).catch(() => {});
    }
  }

  /** This client's current signaling session id; the same after a resumed reconnect, a new one otherwise. */
  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** The largest attachment the server takes, in bytes, once welcomed; undefined before. */
  get maxAttachmentBytes(): number | undefined {
    return this.#maxAttachmentBytes;
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
    this.#attachmentUrls.clear();
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

  /** Whether a call runs in a joined conversation, as the server last said; false when not joined. */
  callActive(conversation: string): boolean {
    return this.#conversations.get(conversation)?.callActive === true;
  }

  /** Makes an authenticated REST request and parses the JSON answer; failures throw TalkError. */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(this.#fetch, { serverUrl: this.serverUrl, method, path, token: this.#token, body });
  }

  /**
   * Uploads `file` to a conversation as raw bytes, reporting progress and cancelled by `options.signal`; answers
   * the stored attachment, which a message then names with `attachmentId`. Too large a file fails with status 413
   * (`too-large`), a full quota with 409 (`quota-exceeded`).
   */
  async uploadAttachment(conversation: string, file: Blob, options: UploadOptions = {}): Promise<Attachment> {
    const path = conversationPath(Routes.attachments, conversation);
    const limit = this.#maxAttachmentBytes;
    // Refused here, as the server would: it cuts an oversized upload mid-body, which a browser sees as a network
    // error rather than the server's 413.
    if (limit !== undefined && file.size > limit) {
      throw new TalkError(TalkErrorCode.Server, `Files may be at most ${limit} bytes`, {
        status: 413,
        serverCode: ErrorCode.TooLarge,
      });
    }
    const name = options.name ?? (file instanceof File ? file.name : 'file');
    const headers = {
      authorization: `Bearer ${this.#token}`,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
    };
    const answer = await postBytes(`${this.serverUrl}${path}`, file, headers, options, this.#fetch);
    return answerOf<Attachment>('POST', path, answer.status, answer.text);
  }

  /** Creates a conversation, or with `object` returns the one that object already has. */
  createConversation(request: CreateConversationRequest): Promise<Conversation> {
    return this.request('POST', Routes.conversations, request);
  }

  /**
   * Joins a public conversation as a participant, with its password if it has one (`wrong-password` when it is
   * wrong, `rate-limited` with `retryAfter` after too many tries); one already in comes back as they are.
   */
  joinConversation(conversation: string, password?: string): Promise<Participant> {
    const body: JoinConversationRequest | undefined = password === undefined ? undefined : { password };
    return this.request('POST', conversationPath(Routes.participantSelf, conversation), body);
  }

  /** A conversation as this user sees it: settings, lobby, own role and permissions, last message, unread counts. */
  getConversation(conversation: string): Promise<Conversation> {
    return this.request('GET', conversationPath(Routes.conversation, conversation));
  }

  /** Changes a conversation's name, description, password (null clears it), lobby or default permissions (moderators). */
  updateConversation(conversation: string, changes: UpdateConversationRequest): Promise<Conversation> {
    return this.request('PATCH', conversationPath(Routes.conversation, conversation), changes);
  }

  /** Everyone in a conversation, in the order they joined, with roles and permissions. */
  listParticipants(conversation: string): Promise<Participant[]> {
    return this.request('GET', conversationPath(Routes.participants, conversation));
  }

  /** Promotes, demotes or changes the permission override (null: the defaults) of a participant (moderators). */
  updateParticipant(conversation: string, userId: string, changes: UpdateParticipantRequest): Promise<Participant> {
    return this.request('PATCH', conversationPath(Routes.participant, conversation, { userId }), changes);
  }

  /** Removes a participant (moderators; never the owner); from a public conversation this bans them too. */
  async removeParticipant(conversation: string, userId: string): Promise<void> {
    await this.request('DELETE', conversationPath(Routes.participant, conversation, { userId }));
  }

  /** Bans a user from joining by themselves, removing them if they are in (moderators; never the owner). */
  banParticipant(conversation: string, userId: string): Promise<Ban> {
    const body: BanRequest = { userId };
    return this.request('POST', conversationPath(Routes.bans, conversation), body);
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

  /** Whom `@search` may complete to in a conversation: participants whose id or name starts with it, and `all`. */
  mentionSuggestions(conversation: string, search: string, limit?: number): Promise<Mention[]> {
    const path = conversationPath(Routes.mentionSuggestions, conversation);
    return this.request('GET', `${path}${queryString({ search, limit })}`);
  }

  /** Messages of one conversation with every word of `query.q` (as words or their starts), newest first. */
  searchMessages(conversation: string, query: SearchMessagesQuery): Promise<MessagePage> {
    return this.request('GET', `${conversationPath(Routes.conversationSearch, conversation)}${queryString(query)}`);
  }

  /** The same search across every conversation the user may read now. */
  searchAllMessages(query: SearchMessagesQuery): Promise<MessagePage> {
    return this.request('GET', `${Routes.search}${queryString(query)}`);
  }

  /** A conversation's pinned messages, the latest pin first. */
  listPinnedMessages(conversation: string): Promise<PinnedMessage[]> {
    return this.request('GET', conversationPath(Routes.pins, conversation));
  }

  /** Pins a message (moderators); pinning it again changes nothing. */
  pinMessage(conversation: string, messageId: number): Promise<PinnedMessage> {
    return this.request('POST', conversationPath(Routes.pin, conversation, { messageId }));
  }

  /** Unpins a message (moderators). */
  async unpinMessage(conversation: string, messageId: number): Promise<void> {
    await this.request('DELETE', conversationPath(Routes.pin, conversation, { messageId }));
  }

  /** One page of a conversation's images, files, links or polls, newest first. */
  listSharedItems(conversation: string, query: SharedItemsQuery): Promise<MessagePage> {
    return this.request('GET', `${conversationPath(Routes.sharedItems, conversation)}${queryString(query)}`);
  }

  /** The newest few shared items of every type. */
  getSharedOverview(conversation: string, limit?: number): Promise<SharedOverview> {
    return this.request('GET', `${conversationPath(Routes.sharedOverview, conversation)}${queryString({ limit })}`);
  }

  /** Posts a poll; it arrives as a chat message of kind `poll` whose id is the poll's. */
  createPoll(conversation: string, request: CreatePollRequest): Promise<Poll> {
    return this.request('POST', conversationPath(Routes.polls, conversation), request);
  }

  /** A poll as this user may see it, with their own choice in `votedSelf`. */
  getPoll(conversation: string, pollId: number): Promise<Poll> {
    return this.request('GET', conversationPath(Routes.poll, conversation, { pollId }));
  }

  /** Replaces this user's choice in a poll; no options withdraws it. */
  votePoll(conversation: string, pollId: number, optionIds: number[]): Promise<Poll> {
    return this.request('POST', conversationPath(Routes.pollVotes, conversation, { pollId }), { optionIds });
  }

  /** Closes a poll (its author or a moderator); its results are then shown to everyone. */
  closePoll(conversation: string, pollId: number): Promise<Poll> {
    return this.request('POST', conversationPath(Routes.pollClose, conversation, { pollId }));
  }

  /**
   * An absolute URL of an attachment that works in `<img src>` and `<a href>` without a bearer header, until
   * `expiresAt` (minutes away). The same URL is handed out again until shortly before it expires, so that a list
   * of images keeps its cached copies.
   */
  attachmentUrl(conversation: string, attachmentId: string): Promise<AttachmentUrl> {
    const key = `${conversation}\n${attachmentId}`;
    const cached = this.#attachmentUrls.get(key);
    if (cached && Date.now() < cached.renewAt) return cached.url;
    const issued = this.request<AttachmentUrl>(
      'POST',
      conversationPath(Routes.attachmentUrl, conversation, { attachmentId }),
    );
    const entry = {
      url: issued.then((answer) => ({ url: `${this.serverUrl}${answer.url}`, expiresAt: answer.expiresAt })),
      renewAt: Number.POSITIVE_INFINITY,
    };
    issued.then(
      (answer) => {
        entry.renewAt = Date.parse(answer.expiresAt) - ATTACHMENT_URL_RENEW_LEAD_MS;
      },
      // A failure is not kept: the next call asks again (the caller sees it through entry.url).
      () => this.#attachmentUrls.get(key) === entry && this.#attachmentUrls.delete(key),
    );
    this.#attachmentUrls.set(key, entry);
    return entry.url;
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
    joined.callActive = answer.topology !== undefined || answer.sessions.some((session) => session.inCall);
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
        if (joined) {
          joined.topology = undefined;
          joined.callActive = false;
        }
        this.emit(ClientEvent.ConversationLeft, message.conversation, message.reason);
        return;
      }
      case 'conversation-updated':
        this.emit(ClientEvent.ConversationUpdated, message.conversation);
        return;
      case 'conversation-changed':
        this.emit(ClientEvent.ConversationChanged, message.conversation, message.change);
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
      case 'call-started': {
        const joined = this.#conversations.get(message.conversation);
        if (joined) joined.callActive = true;
        this.emit(ClientEvent.CallStarted, message);
        return;
      }
      case 'call-topology': {
        const joined = this.#conversations.get(message.conversation);
        if (joined) joined.topology = message.topology;
        this.emit(ClientEvent.CallTopology, message);
        return;
      }
      case 'call-ended': {
        const joined = this.#conversations.get(message.conversation);
        if (joined) {
          joined.topology = undefined;
          joined.callActive = false;
        }
        this.emit(ClientEvent.CallEnded, message);
        return;
      }
      case 'poll-updated':
        this.emit(ClientEvent.PollUpdated, message);
        return;
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
      case 'token-accepted':
        // Answers the `token` request of setToken; one arrives here only after that request timed out.
        return;
      default: {
        // A type of a newer server that this version cannot know is ignored; a known one missing above fails here.
        const unhandled: never = message;
        void unhandled;
      }
    }
  }
}

/** How long before a signed attachment URL expires that a fresh one is asked for instead. */
const ATTACHMENT_URL_RENEW_LEAD_MS = 30_000;

/** `?a=1&b=x` of the defined values, or nothing when there are none. */
function queryString(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined) params.set(name, String(value));
  return params.size ? `?${params}` : '';
}
