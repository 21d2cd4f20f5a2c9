import type {
  Attachment,
  AttachmentUrl,
  CallMedia,
  CallSettings,
  ChatMessage,
  ClientMessage,
  Conversation,
  ConversationChange,
  CreateConversationRequest,
  CreatePollRequest,
  EditMessageRequest,
  ListMessagesQuery,
  Mention,
  MessagePage,
  PinnedMessage,
  Poll,
  PostMessageRequest,
  ReactionsResponse,
  SearchMessagesQuery,
  SessionInfo,
  SfuTokenResponse,
  SharedItemsQuery,
  SharedItemType,
  SharedOverview,
  Topology,
} from '@talk/protocol';
import type { CallOptions } from '../call/CallOptions.js';
import { encodeReaction } from '../call/reactions.js';
import { TrackSource } from '../call/track.js';
import { ClientEvent, type ClientEventCallbacks, ConnectionState } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import type { UploadOptions } from '../client/upload.js';
import { TypedEmitter } from '../emitter.js';
import { TalkError, TalkErrorCode } from '../errors.js';
import { type FixtureFeed, type FixtureRoomView, FixtureTransport } from './FixtureTransport.js';
import { type FixtureConversation, type FixtureMember, type FixturePerson, people, seedConversations } from './seed.js';
import { SilentAudio, syntheticCamera, syntheticScreen } from './synthetic-media.js';

/** What the fixture does with the next messages sent: store them, keep them on their way forever, or fail them. */
export type SendOutcome = 'deliver' | 'hold' | 'fail';

/** Options of a FixtureClient. */
export interface FixtureClientOptions {
  /** Who the page is signed in as; Alice Martin by default. */
  user?: FixturePerson;
  /** The conversations served; the seeded ones (`seedConversations()`) by default. */
  conversations?: FixtureConversation[];
  /** How long every answer takes, in milliseconds. */
  latencyMs?: number;
}

/** Someone in a conversation's call, with the synthetic media they send while anyone watches. */
interface Member {
  seed: FixtureMember;
  session: SessionInfo;
  camera: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
}

/** One conversation's state: its messages, who is in its call, and the transports that watch them. */
class Room implements FixtureRoomView {
  readonly conversation: FixtureConversation;
  readonly messages: ChatMessage[];
  readonly members = new Map<string, Member>();
  /** Message id → reaction → who gave it. */
  readonly reactions = new Map<number, ReactionsResponse>();
  /** Poll id → the poll as created, whether it is closed, and who chose what. */
  readonly polls = new Map<
    number,
    {
      request: CreatePollRequest;
      author: FixturePerson;
      closed: boolean;
      votes: Map<string, { person: FixturePerson; optionIds: number[] }>;
    }
  >();
  /** Message id → who pinned it and when, in pin order. */
  readonly pins = new Map<number, { by: FixturePerson; at: string }>();
  /** The signed-in user's read marker. */
  lastReadId: number;
  /** Group, unless created otherwise through `createConversation`. */
  type: Conversation['type'] = 'group';
  /** When it was made: the first message's time for seeded ones. */
  readonly createdAt = new Date().toISOString();
  readonly self: SessionInfo;
  readonly #transports = new Set<FixtureTransport>();

  constructor(conversation: FixtureConversation, user: FixturePerson) {
    this.conversation = conversation;
    this.messages = [...conversation.messages];
    this.lastReadId = conversation.lastReadId ?? this.messages.at(-1)?.id ?? 0;
    for (const [id, given] of Object.entries(conversation.reactions ?? {})) {
      const response: ReactionsResponse = {};
      for (const [reaction, userIds] of Object.entries(given)) {
        response[reaction] = userIds.map((userId) => ({ actorId: userId, actorDisplayName: nameOf(userId) }));
      }
      this.reactions.set(Number(id), response);
    }
    for (const [index, message] of this.messages.entries()) {
      const response = this.reactions.get(message.id);
      if (response) this.messages[index] = { ...message, reactions: tallyOf(response) };
    }
    this.self = session(`self-${user.userId}`, user, false, { audio: true, video: true });
    for (const seed of conversation.call ?? []) {
      const sessionId = `session-${seed.person.userId}`;
      const info = session(sessionId, seed.person, true, { ...seed.media, screen: seed.media.screen ?? false });
      info.handRaised = seed.handRaised ?? false;
      this.members.set(sessionId, { seed, session: info, camera: null, screen: null });
    }
  }

  feedsOf(sessionId: string): FixtureFeed[] {
    const member = this.members.get(sessionId);
    if (!member) return [];
    const feeds: FixtureFeed[] = [];
    if (member.session.media.video) {
      member.camera ??= syntheticCamera(member.seed.person);
      feeds.push({ source: TrackSource.Camera, track: member.camera });
    }
    if (member.session.media.screen) {
      member.screen ??= syntheticScreen(`${member.seed.person.displayName} · ${this.conversation.name}`);
      feeds.push({ source: TrackSource.ScreenShare, track: member.screen });
    }
    return feeds;
  }

  levelOf(sessionId: string): number {
    const member = this.members.get(sessionId);
    if (!member?.seed.speaking || !member.session.media.audio) return 0;
    // Speech rises and falls; the selector's hysteresis keeps the speaker steady through the dips.
    return 0.25 + 0.15 * Math.sin(performance.now() / 300);
  }

  networkOf(sessionId: string): { roundTripMs: number; loss: number } {
    return this.members.get(sessionId)?.seed.network ?? { roundTripMs: 30, loss: 0 };
  }

  attach(transport: FixtureTransport): () => void {
    this.#transports.add(transport);
    return () => {
      this.#transports.delete(transport);
      // Nobody watches any more: stop drawing the synthetic pictures.
      if (this.#transports.size === 0) this.stopMedia();
    };
  }

  /** Tells every transport that a member's feeds changed. */
  feedsChanged(sessionId: string, ended: MediaStreamTrack[]): void {
    for (const transport of this.#transports) {
      for (const track of ended) transport.feedEnded(sessionId, track);
      for (const feed of this.feedsOf(sessionId)) transport.feedStarted(sessionId, feed);
    }
  }

  /** Hands a message from beside a member's media to every transport. */
  dataFrom(sessionId: string, data: string): void {
    for (const transport of this.#transports) transport.dataFrom(sessionId, data);
  }

  stopMedia(): void {
    for (const member of this.members.values()) {
      member.camera?.stop();
      member.screen?.stop();
      member.camera = null;
      member.screen = null;
    }
  }
}

function actorOf(person: FixturePerson): { id: string; displayName: string } {
  return { id: person.userId, displayName: person.displayName };
}

/** Whether `message` holds every word of `q`, each as the start of a word, in any case, as the server matches. */
function matchesWords(message: ChatMessage, q: string): boolean {
  if (message.kind === 'system' || message.deletedAt) return false;
  const words = message.message.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .every((word) => words.some((candidate) => candidate.startsWith(word)));
}

/** Which shared-items list a message belongs in, as the server sorts them: by its file's type, a link, a poll. */
function sharedTypeOf(message: ChatMessage): SharedItemType | null {
  if (message.deletedAt) return null;
  if (message.kind === 'poll') return 'poll';
  if (message.attachment) return message.attachment.contentType.startsWith('image/') ? 'image' : 'file';
  if (message.kind !== 'system' && /https?:\/\/\S/.test(message.message)) return 'link';
  return null;
}

/** A page of `found` (newest first) below the id `before`. */
function pageBefore(found: readonly ChatMessage[], before: number | undefined, limit = 20): MessagePage {
  const below = before === undefined ? found : found.filter((m) => m.id < before);
  const messages = below.slice(0, limit);
  return { messages, nextBefore: below.length > limit ? messages.at(-1)!.id : null };
}

function nameOf(userId: string): string {
  return Object.values(people).find((person) => person.userId === userId)?.displayName ?? userId;
}

function tallyOf(response: ReactionsResponse): Record<string, number> {
  return Object.fromEntries(Object.entries(response).map(([reaction, actors]) => [reaction, actors.length]));
}

/** The people `text` mentions as `@id`, or everyone as `@all`. */
function mentionsIn(text: string): Mention[] {
  const found: Mention[] = [];
  for (const match of text.matchAll(/(?:^|[^\w@"])@([A-Za-z0-9_-]+)/g)) {
    const id = match[1]!;
    if (id === 'all') found.push({ type: 'all', id: 'all', name: 'all' });
    const person = Object.values(people).find((p) => p.userId === id);
    if (person) found.push({ type: 'user', id, name: person.displayName });
  }
  return found;
}

function session(sessionId: string, person: FixturePerson, inCall: boolean, media: CallMedia): SessionInfo {
  return {
    sessionId,
    participant: { userId: person.userId, displayName: person.displayName, role: 'user' },
    inCall,
    media,
  };
}

/**
 * An in-memory Talk server behind the client interface that chat stores, calls and elements use: seeded
 * conversations with history, calls with people in them whose cameras and shared screens are synthetic moving
 * pictures, and methods that script what those people do (write, react, share, mute). Nothing leaves the page.
 * It is the catalog's data and a quick stand-in in tests, not a replacement for the tests against the real server.
 */
export class FixtureClient extends TypedEmitter<ClientEventCallbacks> implements TalkClientLike {
  /** Not a URL anything is fetched from. */
  readonly serverUrl = 'fixture:';
  /** The token presented to nobody. */
  token = 'fixture-token';
  /** Who the page is signed in as. */
  readonly user: FixturePerson;
  /** What happens to messages sent from now on. */
  sendOutcome: SendOutcome = 'deliver';
  /** Calls made through this client get their media and transport from the fixture. */
  readonly callDefaults: CallOptions = {
    createTransport: (topology, context) => new FixtureTransport(this.#roomOrThrow(context.conversation), topology),
    getUserMedia: async (constraints) => this.#userMedia(constraints),
    getDisplayMedia: async () => new MediaStream([syntheticScreen(`${this.user.displayName} · shared screen`)]),
  };
  readonly #rooms = new Map<string, Room>();
  readonly #joined = new Map<string, number>();
  readonly #latencyMs: number;
  readonly #audio = new SilentAudio();
  /** Uploaded files by conversation and attachment id, with the page-local URL they are shown from. */
  readonly #files = new Map<string, { attachment: Attachment; blob: Blob; url: string | null }>();
  /** Bytes one upload may have; larger ones fail as the server's `too-large` does. */
  maxAttachmentBytes = 10 * 1024 * 1024;
  #state = ConnectionState.Disconnected;

  constructor(options: FixtureClientOptions = {}) {
    super();
    this.user = options.user ?? people.alice;
    this.#latencyMs = options.latencyMs ?? 40;
    for (const conversation of options.conversations ?? seedConversations()) {
      this.#rooms.set(conversation.token, new Room(conversation, this.user));
    }
  }

  /** This page's session id once connected. */
  get sessionId(): string | null {
    return this.#state === ConnectionState.Connected ? `self-${this.user.userId}` : null;
  }

  /** The signed-in user's id once connected. */
  get userId(): string | null {
    return this.#state === ConnectionState.Connected ? this.user.userId : null;
  }

  /** Connected after `connect()`, until `close()`. */
  get connectionState(): ConnectionState {
    return this.#state;
  }

  /** "Connects" after one latency. */
  async connect(): Promise<void> {
    if (this.#state === ConnectionState.Connected) return;
    this.#setState(ConnectionState.Connecting);
    await this.#wait();
    this.#setState(ConnectionState.Connected);
    this.emit(ClientEvent.Connected, `self-${this.user.userId}`, { reconnected: false });
  }

  /** Disconnects and stops every synthetic picture. */
  close(): void {
    this.#joined.clear();
    for (const room of this.#rooms.values()) room.stopMedia();
    this.#audio.close();
    this.#setState(ConnectionState.Disconnected);
  }

  /** Takes what a call announces: joining or leaving the call, its media, a raised hand. */
  send(message: ClientMessage): void {
    if (this.#state !== ConnectionState.Connected) {
      throw new TalkError(TalkErrorCode.SignalingClosed, 'The fixture client is not connected');
    }
    if (!('conversation' in message)) return;
    const room = this.#rooms.get(message.conversation);
    if (!room) return;
    const self = room.self;
    switch (message.type) {
      case 'call-join':
        Object.assign(self, { inCall: true, media: message.media });
        break;
      case 'call-leave':
        Object.assign(self, { inCall: false, handRaised: false });
        break;
      case 'raise-hand':
        self.handRaised = message.raised;
        break;
      default:
        return; // join and leave go through join(); signals have nobody to go to
    }
    this.emit(ClientEvent.SessionUpdated, message.conversation, { ...self });
  }

  /** Joins a seeded conversation and resolves with who is there. */
  async join(conversation: string): Promise<SessionInfo[]> {
    await this.connect();
    this.#roomOrThrow(conversation);
    await this.#wait();
    this.#joined.set(conversation, (this.#joined.get(conversation) ?? 0) + 1);
    const sessions = this.sessions(conversation);
    this.emit(ClientEvent.ConversationJoined, conversation, sessions, { rejoined: false });
    return sessions;
  }

  /** Gives back one `join`. */
  leave(conversation: string): void {
    const users = (this.#joined.get(conversation) ?? 0) - 1;
    if (users > 0) this.#joined.set(conversation, users);
    else this.#joined.delete(conversation);
  }

  /** This page's session and everyone in the conversation's call. */
  sessions(conversation: string): SessionInfo[] {
    const room = this.#rooms.get(conversation);
    if (!room) return [];
    return [{ ...room.self }, ...[...room.members.values()].map((member) => ({ ...member.session }))];
  }

  /** Whether anyone is in the conversation's call. */
  callActive(conversation: string): boolean {
    return (this.#rooms.get(conversation)?.members.size ?? 0) > 0;
  }

  /** Mesh while anyone is in the call, as a small call on the real server. */
  callTopology(conversation: string): Topology | undefined {
    return (this.#rooms.get(conversation)?.members.size ?? 0) > 0 ? 'mesh' : undefined;
  }

  /** The newest `limit` messages, or those after `after`; a conversation seeded with `loadError` fails instead. */
  async listMessages(conversation: string, query: ListMessagesQuery = {}): Promise<ChatMessage[]> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    if (room.conversation.loadError) throw room.conversation.loadError;
    const limit = query.limit ?? 100;
    const after = query.after;
    const before = query.before;
    if (after !== undefined) return room.messages.filter((message) => message.id > after).slice(0, limit);
    if (before !== undefined) return room.messages.filter((message) => message.id < before).slice(-limit);
    return room.messages.slice(-limit);
  }

  /** The seeded conversations, with their newest message and what is unread after the user's marker. */
  async listConversations(): Promise<Conversation[]> {
    await this.#wait();
    return [...this.#rooms.values()].map((room) => this.#asConversation(room));
  }

  /** One conversation as `listConversations` shows it, as its owner sees it; not found for any other token. */
  async getConversation(conversation: string): Promise<Conversation> {
    const room = this.#rooms.get(conversation);
    await this.#wait();
    if (!room) {
      throw new TalkError(TalkErrorCode.Server, 'No such conversation', { status: 404, serverCode: 'not-found' });
    }
    return { ...this.#asConversation(room), role: 'owner', permissions: 63, lobby: false, hasPassword: false };
  }

  /** A new, empty conversation of the user (a one-to-one is named after the other person). */
  async createConversation(request: CreateConversationRequest): Promise<Conversation> {
    await this.#wait();
    const other = request.participants?.[0]?.userId;
    const name = request.type === 'one-to-one' && other ? nameOf(other) : request.name;
    const token = `fixture-${this.#rooms.size + 1}-${Math.random().toString(36).slice(2, 8)}`;
    const room = new Room({ token, name, messages: [] }, this.user);
    room.type = request.type;
    this.#rooms.set(token, room);
    this.#changed(token, 'message');
    return this.#asConversation(room);
  }

  /** Edits one of the user's messages. */
  async editMessage(conversation: string, messageId: number, body: EditMessageRequest): Promise<ChatMessage> {
    await this.#wait();
    return this.#change(conversation, messageId, (m) => ({
      ...m,
      message: body.message,
      mentions: mentionsIn(body.message),
      editedAt: new Date().toISOString(),
    }));
  }

  /** Deletes a message: its text emptied, marked deleted. */
  async deleteMessage(conversation: string, messageId: number): Promise<ChatMessage> {
    await this.#wait();
    return this.#change(conversation, messageId, (m) => ({ ...m, message: '', deletedAt: new Date().toISOString() }));
  }

  /** Who gave which reaction to a message. */
  async listReactions(conversation: string, messageId: number): Promise<ReactionsResponse> {
    await this.#wait();
    return { ...(this.#roomOrThrow(conversation).reactions.get(messageId) ?? {}) };
  }

  /** The user gives or takes back a reaction. */
  async setReaction(
    conversation: string,
    messageId: number,
    reaction: string,
    added: boolean,
  ): Promise<ReactionsResponse> {
    await this.#wait();
    this.#react(conversation, this.user, messageId, reaction, added);
    return this.listReactions(conversation, messageId);
  }

  /** Moves the user's read marker forward. */
  async markRead(conversation: string, lastReadMessageId: number): Promise<void> {
    const room = this.#roomOrThrow(conversation);
    room.lastReadId = Math.max(room.lastReadId, lastReadMessageId);
    this.#changed(conversation, 'read');
  }

  /** Stores a message as the signed-in user, or holds or fails it as `sendOutcome` says. */
  async postMessage(conversation: string, body: PostMessageRequest): Promise<ChatMessage> {
    const room = this.#roomOrThrow(conversation);
    const outcome = this.sendOutcome;
    if (outcome === 'hold') return new Promise<never>(() => {});
    await this.#wait();
    if (outcome === 'fail') throw new TalkError(TalkErrorCode.Network, 'The connection to the server was lost');
    const known = body.referenceId && room.messages.find((message) => message.referenceId === body.referenceId);
    if (known) return known;
    const file = body.attachmentId === undefined ? undefined : this.#files.get(`${conversation}\n${body.attachmentId}`);
    if (body.attachmentId !== undefined && !file) {
      throw new TalkError(TalkErrorCode.Server, 'No such upload', { status: 400, serverCode: 'invalid-request' });
    }
    return this.#store(room, this.user, body.message, body.referenceId ?? null, body.replyTo, file?.attachment);
  }

  /** Posts a poll as the signed-in user; it arrives as a message of kind `poll`, as on the server. */
  async createPoll(conversation: string, request: CreatePollRequest): Promise<Poll> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    const message = this.#store(room, this.user, request.question, request.referenceId, undefined, undefined, 'poll');
    room.polls.set(message.id, { request, author: this.user, closed: false, votes: new Map() });
    return this.#poll(room, message.id, true);
  }

  /** A poll as the signed-in user sees it. */
  async getPoll(conversation: string, pollId: number): Promise<Poll> {
    await this.#wait();
    return this.#poll(this.#roomOrThrow(conversation), pollId, true);
  }

  /** Replaces the signed-in user's choice in a poll. */
  async votePoll(conversation: string, pollId: number, optionIds: number[]): Promise<Poll> {
    await this.#wait();
    return this.voteAs(conversation, this.user.userId, pollId, optionIds);
  }

  /** Closes a poll. */
  async closePoll(conversation: string, pollId: number): Promise<Poll> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    this.#pollState(room, pollId).closed = true;
    this.#pushPoll(room, pollId);
    return this.#poll(room, pollId, true);
  }

  /** `userId` votes in a poll; everyone joined gets the new results, as from the server. */
  voteAs(conversation: string, userId: string, pollId: number, optionIds: number[]): Poll {
    const room = this.#roomOrThrow(conversation);
    const state = this.#pollState(room, pollId);
    if (state.closed) throw new TalkError(TalkErrorCode.Server, 'The poll is closed', { status: 409 });
    if (optionIds.length === 0) state.votes.delete(userId);
    else state.votes.set(userId, { person: this.#person(userId), optionIds: [...optionIds] });
    this.#pushPoll(room, pollId);
    return this.#poll(room, pollId, userId === this.user.userId);
  }

  /** The conversation's pinned messages, the latest pin first. */
  async listPinnedMessages(conversation: string): Promise<PinnedMessage[]> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    return [...room.pins].reverse().flatMap(([id, pin]) => {
      const message = room.messages.find((m) => m.id === id);
      return message ? [{ message, pinnedBy: actorOf(pin.by), pinnedAt: pin.at }] : [];
    });
  }

  /** Pins a message, with the system note the server writes. */
  async pinMessage(conversation: string, messageId: number): Promise<PinnedMessage> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    const message = room.messages.find((m) => m.id === messageId);
    if (!message)
      throw new TalkError(TalkErrorCode.Server, 'No such message', { status: 404, serverCode: 'not-found' });
    const pin = { by: this.user, at: new Date().toISOString() };
    room.pins.delete(messageId);
    room.pins.set(messageId, pin);
    this.#note(room, 'message-pinned', `${this.user.displayName} pinned a message`);
    return { message, pinnedBy: actorOf(pin.by), pinnedAt: pin.at };
  }

  /** Unpins a message, with the system note the server writes. */
  async unpinMessage(conversation: string, messageId: number): Promise<void> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    if (room.pins.delete(messageId)) {
      this.#note(room, 'message-unpinned', `${this.user.displayName} unpinned a message`);
    }
  }

  /** The conversation's messages with every word (each the start of a word, in any case), newest first. */
  async searchMessages(conversation: string, query: SearchMessagesQuery): Promise<MessagePage> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    const found = room.messages.filter((m) => matchesWords(m, query.q)).reverse();
    return pageBefore(found, query.before, query.limit);
  }

  /**
   * The same across every conversation, newest first. The fixture's message ids repeat from one conversation to
   * the next, so its `nextBefore` is a position in the merged results (counted from 1), not a message id.
   */
  async searchAllMessages(query: SearchMessagesQuery): Promise<MessagePage> {
    await this.#wait();
    const found = [...this.#rooms.values()]
      .flatMap((room) => room.messages.filter((m) => matchesWords(m, query.q)))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const from = (query.before ?? 1) - 1;
    const limit = query.limit ?? 20;
    const messages = found.slice(from, from + limit);
    return { messages, nextBefore: from + limit < found.length ? from + limit + 1 : null };
  }

  /** One page of the conversation's images, files, links or polls, newest first. */
  async listSharedItems(conversation: string, query: SharedItemsQuery): Promise<MessagePage> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    const found = room.messages.filter((m) => sharedTypeOf(m) === query.type).reverse();
    return pageBefore(found, query.before, query.limit);
  }

  /** The newest `limit` shared items of every type. */
  async getSharedOverview(conversation: string, limit = 7): Promise<SharedOverview> {
    const room = this.#roomOrThrow(conversation);
    await this.#wait();
    const newest = (type: SharedItemType) =>
      room.messages
        .filter((m) => sharedTypeOf(m) === type)
        .reverse()
        .slice(0, limit);
    return { image: newest('image'), file: newest('file'), link: newest('link'), poll: newest('poll') };
  }

  /** A system note in `room`, as the server writes on pins. */
  #note(room: Room, systemType: string, text: string): void {
    this.#store(room, this.user, text, null, undefined, undefined, 'system', systemType);
  }

  /** What a call needs to join: nothing here, since no media crosses a network. */
  async getCallSettings(conversation: string): Promise<CallSettings> {
    this.#roomOrThrow(conversation);
    await this.#wait();
    return { iceServers: [], sfuUrl: null, maxVideoBitrate: 1_500_000, topology: this.callTopology(conversation) };
  }

  /** Everyone in the fixture's world but the user whose id or name starts with `search`, after `all`. */
  async mentionSuggestions(conversation: string, search: string, limit = 20): Promise<Mention[]> {
    this.#roomOrThrow(conversation);
    await this.#wait();
    const lower = search.toLowerCase();
    const starts = (text: string) =>
      text
        .toLowerCase()
        .split(/\s+/)
        .some((word) => word.startsWith(lower));
    const all: Mention[] = 'all'.startsWith(lower) ? [{ type: 'all', id: 'all', name: 'all' }] : [];
    const others = Object.values(people)
      .filter((p) => p.userId !== this.user.userId && (p.userId.startsWith(lower) || starts(p.displayName)))
      .map((p): Mention => ({ type: 'user', id: p.userId, name: p.displayName }));
    return [...all, ...others].slice(0, limit);
  }

  /** Keeps `file` in memory, reporting progress in four steps, one latency apart; cancellable like the real one. */
  async uploadAttachment(conversation: string, file: Blob, options: UploadOptions = {}): Promise<Attachment> {
    this.#roomOrThrow(conversation);
    const { signal, onProgress } = options;
    if (file.size > this.maxAttachmentBytes) {
      throw new TalkError(TalkErrorCode.Server, 'Files may be at most 10 MiB', {
        status: 413,
        serverCode: 'too-large',
      });
    }
    for (let step = 1; step <= 4; step++) {
      if (signal?.aborted) throw new TalkError(TalkErrorCode.Aborted, 'The upload was cancelled');
      await this.#wait();
      onProgress?.({ loaded: Math.round((file.size * step) / 4), total: file.size });
    }
    if (signal?.aborted) throw new TalkError(TalkErrorCode.Aborted, 'The upload was cancelled');
    const attachment: Attachment = {
      id: `file-${this.#files.size + 1}`,
      conversation,
      name: options.name ?? (file instanceof File ? file.name : 'file'),
      contentType: file.type || 'application/octet-stream',
      size: file.size,
      uploaderId: this.user.userId,
      createdAt: new Date().toISOString(),
    };
    this.#files.set(`${conversation}\n${attachment.id}`, { attachment, blob: file, url: null });
    return attachment;
  }

  /** A `blob:` URL of this page for an uploaded file: nothing is fetched from anywhere. */
  async attachmentUrl(conversation: string, attachmentId: string): Promise<AttachmentUrl> {
    const file = this.#files.get(`${conversation}\n${attachmentId}`);
    if (!file)
      throw new TalkError(TalkErrorCode.Server, 'No such attachment', { status: 404, serverCode: 'not-found' });
    file.url ??= URL.createObjectURL(file.blob);
    return { url: file.url, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
  }

  /** There is no SFU in the fixture. */
  async getSfuToken(): Promise<SfuTokenResponse> {
    throw new TalkError(TalkErrorCode.Transport, 'The fixture has no SFU');
  }

  /** The conversation's seed and its messages as they are now (including those sent since). */
  conversation(token: string): FixtureConversation {
    const room = this.#roomOrThrow(token);
    return { ...room.conversation, messages: [...room.messages] };
  }

  /** `userId` writes `text` in `conversation`; it arrives as a pushed message would. */
  receive(conversation: string, userId: string, text: string): ChatMessage {
    const room = this.#roomOrThrow(conversation);
    const author = [...room.members.values()].find((member) => member.seed.person.userId === userId)?.seed.person;
    const person = author ?? Object.values(people).find((p) => p.userId === userId);
    if (!person) throw new TalkError(TalkErrorCode.InvalidState, `Nobody called ${userId} in the fixture`);
    return this.#store(room, person, text, null);
  }

  /** `userId` gives (or takes back) a reaction to a message; it arrives as a push would. */
  reactToMessage(conversation: string, userId: string, messageId: number, reaction: string, added = true): void {
    this.#react(conversation, this.#person(userId), messageId, reaction, added);
  }

  /** `userId` starts or stops typing in `conversation`. */
  typing(conversation: string, userId: string, typing: boolean): void {
    this.#roomOrThrow(conversation);
    const person = this.#person(userId);
    this.emit(ClientEvent.Typing, {
      type: 'typing',
      conversation,
      sessionId: `session-${userId}`,
      userId,
      displayName: person.displayName,
      typing,
    });
  }

  /** `userId`, in the call, reacts with `emoji`. */
  react(conversation: string, userId: string, emoji: string): void {
    const { room, member } = this.#member(conversation, userId);
    room.dataFrom(member.session.sessionId, encodeReaction(emoji));
  }

  /** `userId`, in the call, starts or stops sharing a screen. */
  shareScreen(conversation: string, userId: string, sharing: boolean): void {
    this.setMedia(conversation, userId, { screen: sharing });
  }

  /** `userId`, in the call, switches camera, microphone or screen share. */
  setMedia(conversation: string, userId: string, media: Partial<CallMedia>): void {
    const { room, member } = this.#member(conversation, userId);
    member.session.media = { ...member.session.media, ...media };
    const ended: MediaStreamTrack[] = [];
    if (!member.session.media.video && member.camera) ended.push(member.camera);
    if (!member.session.media.screen && member.screen) ended.push(member.screen);
    // Announced first, as the server relays the media change before the tracks settle.
    this.emit(ClientEvent.SessionUpdated, conversation, { ...member.session });
    room.feedsChanged(member.session.sessionId, ended);
    for (const track of ended) track.stop();
    if (member.camera && ended.includes(member.camera)) member.camera = null;
    if (member.screen && ended.includes(member.screen)) member.screen = null;
  }

  #pollState(room: Room, pollId: number) {
    const state = room.polls.get(pollId);
    if (!state) throw new TalkError(TalkErrorCode.Server, 'No such poll', { status: 404 });
    return state;
  }

  /** A poll as the server shows it: counts hidden while a hidden poll is open, voters only for public ones. */
  #poll(room: Room, pollId: number, withSelf: boolean): Poll {
    const { request, author, closed, votes } = this.#pollState(room, pollId);
    const resultMode = request.resultMode ?? 'public';
    const shown = resultMode === 'public' || closed;
    const counts = request.options.map(
      (_, index) => [...votes.values()].filter((vote) => vote.optionIds.includes(index)).length,
    );
    return {
      id: pollId,
      conversation: room.conversation.token,
      question: request.question,
      options: request.options,
      maxVotes: request.maxVotes ?? 1,
      resultMode,
      status: closed ? 'closed' : 'open',
      actorId: author.userId,
      actorDisplayName: author.displayName,
      votes: shown ? counts : null,
      numVoters: votes.size,
      ...(resultMode === 'public'
        ? {
            voters: [...votes.values()].map(({ person, optionIds }) => ({
              actorId: person.userId,
              actorDisplayName: person.displayName,
              optionIds,
            })),
          }
        : {}),
      ...(withSelf ? { votedSelf: votes.get(this.user.userId)?.optionIds ?? [] } : {}),
    };
  }

  #pushPoll(room: Room, pollId: number): void {
    const conversation = room.conversation.token;
    if (this.#joined.has(conversation)) {
      this.emit(ClientEvent.PollUpdated, { type: 'poll-updated', conversation, poll: this.#poll(room, pollId, false) });
    }
  }

  #store(
    room: Room,
    author: FixturePerson,
    text: string,
    referenceId: string | null,
    replyTo?: number,
    attachment?: Attachment,
    kind?: ChatMessage['kind'],
    systemType?: string,
  ): ChatMessage {
    const answered = replyTo === undefined ? undefined : room.messages.find((m) => m.id === replyTo);
    const message: ChatMessage = {
      id: (room.messages.at(-1)?.id ?? 0) + 1,
      conversation: room.conversation.token,
      actorId: author.userId,
      actorDisplayName: author.displayName,
      message: text,
      referenceId,
      createdAt: new Date().toISOString(),
      mentions: mentionsIn(text),
      ...(attachment ? { kind: 'file' as const, attachment } : {}),
      ...(kind ? { kind } : {}),
      ...(systemType ? { systemType } : {}),
      replyTo: answered
        ? {
            id: answered.id,
            actorId: answered.actorId,
            actorDisplayName: answered.actorDisplayName,
            message: answered.message,
            deleted: Boolean(answered.deletedAt),
          }
        : null,
    };
    room.messages.push(message);
    if (author.userId === this.user.userId) room.lastReadId = message.id;
    if (this.#joined.has(room.conversation.token)) {
      this.emit(ClientEvent.ChatMessage, { type: 'chat-message', conversation: message.conversation, message });
    }
    this.#changed(room.conversation.token, 'message');
    return message;
  }

  #change(conversation: string, messageId: number, change: (message: ChatMessage) => ChatMessage): ChatMessage {
    const room = this.#roomOrThrow(conversation);
    const index = room.messages.findIndex((m) => m.id === messageId);
    if (index === -1) throw new TalkError(TalkErrorCode.Server, 'No such message', { status: 404 });
    const message = change(room.messages[index]!);
    room.messages[index] = message;
    if (this.#joined.has(conversation)) {
      this.emit(ClientEvent.ChatMessageUpdated, { type: 'chat-message-updated', conversation, message });
    }
    return message;
  }

  #react(conversation: string, person: FixturePerson, messageId: number, reaction: string, added: boolean): void {
    const room = this.#roomOrThrow(conversation);
    const response = { ...(room.reactions.get(messageId) ?? {}) };
    const others = (response[reaction] ?? []).filter((actor) => actor.actorId !== person.userId);
    const list = added ? [...others, { actorId: person.userId, actorDisplayName: person.displayName }] : others;
    if (list.length > 0) response[reaction] = list;
    else delete response[reaction];
    room.reactions.set(messageId, response);
    const index = room.messages.findIndex((m) => m.id === messageId);
    if (index !== -1) room.messages[index] = { ...room.messages[index]!, reactions: tallyOf(response) };
    if (!this.#joined.has(conversation)) return;
    this.emit(ClientEvent.Reaction, {
      type: 'reaction',
      conversation,
      messageId,
      actorId: person.userId,
      actorDisplayName: person.displayName,
      reaction,
      added,
      reactions: tallyOf(response),
    });
  }

  /** A conversation as its list shows it: newest message, and what is unread after the user's marker. */
  #asConversation(room: Room): Conversation {
    const last = room.messages.at(-1) ?? null;
    const unread = room.messages.filter(
      (m) => m.id > room.lastReadId && m.actorId !== this.user.userId && !m.deletedAt && m.kind !== 'system',
    );
    const mentioned = unread.filter((m) => m.mentions?.some((x) => x.id === this.user.userId || x.type === 'all'));
    const createdAt = room.messages[0]?.createdAt ?? room.createdAt;
    return {
      token: room.conversation.token,
      type: room.type,
      name: room.conversation.name,
      object: null,
      createdAt,
      lastActivity: last?.createdAt ?? createdAt,
      lastMessage: last,
      unreadMessages: unread.length,
      unreadMentions: mentioned.length,
      unreadMention: mentioned.length > 0,
      callActive: room.members.size > 0,
    };
  }

  /** Tells conversation lists, as the server's `conversation-changed` does, after this turn (as a push arrives). */
  #changed(conversation: string, change: ConversationChange): void {
    queueMicrotask(() => this.emit(ClientEvent.ConversationChanged, conversation, change));
  }

  #person(userId: string): FixturePerson {
    const person = Object.values(people).find((p) => p.userId === userId);
    if (!person) throw new TalkError(TalkErrorCode.InvalidState, `Nobody called ${userId} in the fixture`);
    return person;
  }

  #member(conversation: string, userId: string): { room: Room; member: Member } {
    const room = this.#roomOrThrow(conversation);
    const member = room.members.get(`session-${userId}`);
    if (!member) throw new TalkError(TalkErrorCode.InvalidState, `${userId} is not in the call of ${conversation}`);
    return { room, member };
  }

  #roomOrThrow(conversation: string): Room {
    const room = this.#rooms.get(conversation);
    if (!room) {
      throw new TalkError(TalkErrorCode.Server, `No conversation ${conversation} in the fixture`, { status: 404 });
    }
    return room;
  }

  async #userMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    const stream = new MediaStream();
    if (constraints.video) stream.addTrack(syntheticCamera(this.user));
    if (constraints.audio) stream.addTrack(this.#audio.track());
    return stream;
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.emit(ClientEvent.ConnectionStateChanged, state);
  }
}
