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

  async #beat(): Promise<void> {
    const { store, instance, intervalMs } = this.deps;
    await store.instances.heartbeat(instance);
    const reaped = await store.instances.reap(new Date(Date.now() - 3 * intervalMs));
    if (reaped.length > 0) await this.deps.onReaped(reaped);
    await this.deps.reconcile?.();
  }
}
