import type { SessionInfo } from '@talk/protocol';
import type { Store } from '../store/store.js';

/** What the heartbeat needs. */
export interface InstanceHeartbeatDeps {
  store: Store;
  /** This instance's name in the presence table. */
  instance: string;
  /** How often this instance says it is alive; instances silent for 3 intervals are reaped. */
  intervalMs: number;
  /** Tells the conversations of a crashed instance's sessions that those sessions left. */
  onReaped: (reaped: ReapedPresence[]) => Promise<void>;
  /** A beat that failed; the next one tries again. */
  onError: (error: unknown) => void;
  /** Checks this instance's own presence against its live sessions, after each beat. */
  reconcile?: () => Promise<void>;
}

/** A session of a stopped instance, and the conversation it was in. */
export interface ReapedPresence {
  /** The conversation the session was in. */
  conversation: string;
  /** The session as others saw it. */
  session: SessionInfo;
}

/**
 * Keeps saying this instance is alive, and reaps the presence of instances that stopped saying so: a crash
 * leaves their sessions in the shared presence table, where every other instance would still see them.
 */
export class InstanceHeartbeat {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: InstanceHeartbeatDeps) {}

  /** Registers this instance and starts beating. */
  async start(): Promise<void> {
    const { store, instance, intervalMs } = this.deps;
    await store.instances.heartbeat(instance);
    this.#timer = setInterval(() => {
      this.#beat().catch(this.deps.onError);
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops beating and forgets this instance's presence, for shutdown. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.deps.store.instances.remove(this.deps.instance).catch(() => {});
  }

  /**
   * Stops beating and leaves this instance's presence behind, for a hand-over: the instances that take its sessions
   * over write their rows anew, and the others reap what is left once this one has been silent for 3 intervals.
   */
  pause(): void {
    clearInterval(this.#timer);
  }

  async #beat(): Promise<void> {
    const { store, instance, intervalMs } = this.deps;
    await store.instances.heartbeat(instance);
    const reaped = await store.instances.reap(new Date(Date.now() - 3 * intervalMs));
    if (reaped.length > 0) await this.deps.onReaped(reaped);
    await this.deps.reconcile?.();
  }
}

/** What a socket must offer to be kept alive: WebSocket pings, and the end of a connection nobody answers on. */
interface PingableSocket {
  ping(): void;
  terminate(): void;
  on(event: 'pong' | 'message', listener: () => void): unknown;
}

/**
 * Pings a signaling socket every `intervalMs` and cuts it when the previous ping went unanswered by then (any
 * frame from the client counts as an answer). A half-open connection (a laptop that slept, a NAT that forgot
 * it) never says goodbye and TCP may not notice for many minutes; cut, it is seen as a drop (1006) and its
 * session waits for a resume as after any other drop. Browsers answer pings by themselves.
 */
export class SocketLiveness {
  #answered = true;
  readonly #timer: NodeJS.Timeout;

  constructor(socket: PingableSocket, intervalMs: number) {
    const answered = () => {
      this.#answered = true;
    };
    socket.on('pong', answered);
    socket.on('message', answered);
    this.#timer = setInterval(() => {
      if (!this.#answered) {
        this.stop();
        socket.terminate();
        return;
      }
      this.#answered = false;
      socket.ping();
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops pinging, once the socket has closed. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
