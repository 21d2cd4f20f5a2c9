import { randomUUID } from 'node:crypto';
import { CloseCode, ErrorCode, type Participant, type ServerMessage } from '@talk/protocol';
import { WebSocket } from 'ws';
import { lobbyClosed } from '../access/rules.js';
import { SerialQueue } from '../async/serial-queue.js';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import { AnnouncementGate } from './announcements.js';
import { TokenBucket } from './token-bucket.js';

/** A session's presence in one conversation it has joined, as this instance remembers it. */
export interface Membership {
  /** The participant the session speaks for there. */
  participant: Participant;
  /** Whether the lobby holds this session out: it then gets only lobby-safe messages. */
  inLobby: boolean;
}

/** Messages a session in the lobby may still receive. */
const LOBBY_SAFE = new Set<ServerMessage['type']>(['conversation-updated', 'left', 'error', 'pong']);

/** A message kept for a resume, with its place in the cluster's delivery log when it came through one. */
export interface Buffered {
  message: ServerMessage;
  position?: number;
}

/** How many messages a dropped session keeps for its resume before it gives up. */
export const RESUME_BUFFER = 512;

/** How many of a session's messages may wait to be handled; a client that outruns the server further is cut. */
export const MAX_QUEUED_MESSAGES = 256;

/** The limits one session works within. */
export interface SessionLimits {
  /** Sustained messages per second the client may send… */
  ratePerSecond: number;
  /** …and how many in a burst. */
  burst: number;
  /** Bytes the socket may hold unsent before the client counts as too slow to keep. */
  maxBufferedBytes: number;
  /** The shortest time between two announcements of one kind, in ms. */
  repeatIntervalMs: number;
}

/** How long an ended socket has to take its close frame before the connection is cut. */
const END_GRACE_MS = 1_000;

/** What {@link Session.admit} decided about an arriving frame. */
export type Admission = 'accepted' | 'refused' | 'cut';

/**
 * One signaling session: a client tab, known by a random id that it is told in `welcome`. It outlives its
 * socket for a grace period after an abnormal drop, so that `hello.resume` can take it back.
 */
export class Session {
  /** The id other sessions address signals to, and the LiveKit identity of this session. */
  readonly id: string;
  /** The user, once `hello` has proved who it is. */
  identity: Identity | undefined;
  /** The conversations this session has joined. */
  readonly memberships = new Map<string, Membership>();
  /** Messages are handled one after another, in the order they came, even though handling awaits. */
  readonly queue = new SerialQueue();
  /** While the socket is gone: what was sent meanwhile, for the resume. */
  buffer: Buffered[] | undefined;
  /** The newest delivery-log position sent to this session: where its replay would start. */
  lastSeq: number | undefined;
  /** When the session began, in ms. */
  readonly createdAt = Date.now();
  /** Set when the resume buffer ran over: a resume would lose messages, so it is refused. */
  overflowed = false;
  /** Ends the grace period of a dropped session. */
  graceTimer: NodeJS.Timeout | undefined;
  /** How many more messages the session may send right now. */
  readonly rateLimit: TokenBucket;
  /** Typing and raised hands, at most once per interval each. */
  readonly announcements: AnnouncementGate;
  /** Set when the server ended the socket itself: the close code the session is ended with, whatever ws saw. */
  endedWith: number | undefined;
  readonly #maxBufferedBytes: number;
  /** Frames refused in a row; as many as a burst means the client does not listen to `rate-limited`. */
  #refusedInARow = 0;
  /** Frames admitted and not yet handled. */
  #queued = 0;
  /** Closes the socket when the token of `identity` expires. */
  #expiry: NodeJS.Timeout | undefined;

  constructor(
    /** The socket; only this class writes to it. */
    private socket: WebSocket,
    limits: SessionLimits,
    /** An id of its own; a session taken over from another instance keeps the one it had there. */
    id: string = randomUUID(),
  ) {
    this.id = id;
    this.rateLimit = new TokenBucket(limits.ratePerSecond, limits.burst);
    this.#maxBufferedBytes = limits.maxBufferedBytes;
    this.announcements = new AnnouncementGate(limits.repeatIntervalMs, (task) => {
      this.queue.run(task).catch(() => {});
    });
  }

  /**
   * Decides about a frame as it arrives, before it is parsed or queued: every frame spends from the rate limit,
   * valid or not. `refused` frames get `rate-limited`; a client that keeps sending into a refusal for a whole
   * burst, or has more waiting than {@link MAX_QUEUED_MESSAGES}, is `cut` (closed with `RateLimited`).
   */
  admit(): Admission {
    if (this.#queued >= MAX_QUEUED_MESSAGES) return this.#cut();
    if (this.rateLimit.take()) {
      this.#refusedInARow = 0;
      return 'accepted';
    }
    this.#refusedInARow += 1;
    return this.#refusedInARow > this.rateLimit.burst ? this.#cut() : 'refused';
  }

  /** Queues the handling of an admitted frame, counted until it is done. */
  handle(task: () => Promise<void>): Promise<void> {
    this.#queued += 1;
    return this.queue.run(task).finally(() => {
      this.#queued -= 1;
    });
  }

  #cut(): Admission {
    this.end(CloseCode.RateLimited, 'too many messages');
    return 'cut';
  }

  /** True once the socket is closing or closed; late results of handling are then dropped. */
  get closed(): boolean {
    return this.socket.readyState !== WebSocket.OPEN;
  }

  /** Whether `socket` is this session's current socket. */
  owns(socket: WebSocket): boolean {
    return this.socket === socket;
  }

  /**
   * Sends one message: to the socket, or into the resume buffer while detached. A message with a `position` in the
   * delivery log goes out with it as `seq`, the number the client offers back when it resumes.
   */
  send(message: ServerMessage, conversation?: string, position?: number): void {
    if (conversation !== undefined && this.memberships.get(conversation)?.inLobby && !LOBBY_SAFE.has(message.type))
      return;
    // A session the server ended itself is not resumed: nothing more is written or kept for it.
    if (this.endedWith !== undefined) return;
    // A socket that died is seen closed before its close event has been handled (which is when a drop detaches):
    // what is sent meanwhile is kept for the resume too, not written into the dead socket.
    if (!this.buffer && this.closed) this.buffer = [];
    if (this.buffer) {
      // A session that missed more than the buffer holds cannot be resumed without a gap: it will be dropped.
      if (this.buffer.length >= RESUME_BUFFER) this.overflowed = true;
      else this.buffer.push(position === undefined ? { message } : { message, position });
      return;
    }
    if (this.closed) return;
    this.socket.send(JSON.stringify(position === undefined ? message : { ...message, seq: position }));
    if (position !== undefined) this.lastSeq = position;
    // A client that does not read (or reads slower than its conversations talk) would make the server hold
    // everything sent to it; past the allowance it is cut, and reconnects to a fresh session.
    if (this.socket.bufferedAmount > this.#maxBufferedBytes) this.end(CloseCode.SlowConsumer, 'too slow to keep up');
  }

  /**
   * Ends the socket at once, without the close handshake that a flooding or stalled client would hold up, and
   * ends the session with `code` rather than waiting for a resume.
   */
  end(code: number, reason: string): void {
    if (this.endedWith !== undefined) return;
    this.endedWith = code;
    const socket = this.socket;
    // The close frame goes out if the socket can still take it; the connection goes either way, soon. Behind more
    // than the allowance (a slow reader) it would arrive too late to matter, so the connection goes at once, and
    // the others hear session-left now rather than after the grace.
    if (socket.readyState === WebSocket.OPEN && socket.bufferedAmount <= this.#maxBufferedBytes) {
      socket.close(code, reason);
      setTimeout(() => socket.terminate(), END_GRACE_MS).unref();
    } else {
      socket.terminate();
    }
  }

  /** Detaches from a dropped socket and starts buffering. */
  detach(): void {
    this.buffer ??= [];
  }

  /** Takes a new socket after a resume and sends `greeting`, then what was buffered, in order. */
  attach(socket: WebSocket, greeting: ServerMessage): void {
    const old = this.socket;
    this.socket = socket;
    if (old !== socket && old.readyState === WebSocket.OPEN) old.close(CloseCode.Replaced, 'resumed elsewhere');
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.send(greeting);
    for (const { message, position } of buffered) this.send(message, undefined, position);
  }

  /**
   * Takes `identity` as the session's user, from a hello or a fresh `token`, and closes the socket with 4003 when
   * its token expires: a socket must not outlive the host's say-so, and a client that refreshed in time says so
   * with a `token` message, which comes here again and moves the deadline.
   */
  authenticate(identity: Identity): void {
    this.identity = identity;
    clearTimeout(this.#expiry);
    if (identity.expiresAt === undefined) return;
    this.#expiry = setTimeout(
      () => this.close(CloseCode.TokenExpired, 'token expired'),
      Math.max(0, identity.expiresAt - Date.now()),
    );
    this.#expiry.unref();
  }

  /** Closes the socket with a WebSocket close code. */
  close(code: number, reason: string): void {
    if (!this.closed) this.socket.close(code, reason);
  }

  /** The session's membership of a conversation it has joined; refuses one it has not. */
  membership(conversation: string): Membership {
    const membership = this.memberships.get(conversation);
    if (!membership) throw new TalkServerError(ErrorCode.NotJoined, `Join ${conversation} first`);
    return membership;
  }

  /** A membership that the lobby does not hold. */
  activeMembership(conversation: string): Membership {
    const membership = this.membership(conversation);
    if (membership.inLobby) throw lobbyClosed();
    return membership;
  }
}
