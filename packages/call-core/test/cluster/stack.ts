// Server instances as processes of their own on one PostgreSQL and one Redis, behind Debian's haproxy on loopback,
// with call-core clients that know only the proxy's address: what a scaled deployment looks like to them. Shared by
// the cluster tests and the hand-over benchmark.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChatMessage, Routes } from '@talk/protocol';
import { type LocalService, startPostgres, startRedis, TokenService } from '@talk/server';
import { type LocalHaproxy, startHaproxy } from '@talk/testing';
import { ClientEvent } from '../../src/client/events.js';
import { TalkClient } from '../../src/client/TalkClient.js';
import { ServerProcess } from '../faults/server-process.js';
import { until } from '../server.js';

const SECRET = 'a-secret-every-instance-shares-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The signaling sessions an instance holds, from its metrics. */
export async function sessionsOn(instance: ServerProcess): Promise<number> {
  const text = await (await fetch(instance.url + Routes.metrics)).text();
  return Number(/^talk_signaling_sessions (\d+)/m.exec(text)?.[1] ?? 0);
}

/** PostgreSQL, Redis and server instances on them; haproxies in front are started per test. */
export interface ClusterStack {
  /** The running instances, in the order they started. */
  instances: ServerProcess[];
  /** Starts one more instance. */
  addInstance(): Promise<ServerProcess>;
  /** Starts haproxy in front of some instances (all when unset); stopped with the stack. */
  proxy(instances?: ServerProcess[]): Promise<LocalHaproxy>;
  /** A client of `userId` that knows only the proxy's address; closed with the stack. */
  clientOf(proxy: LocalHaproxy, userId: string): Promise<TalkClient>;
  /** Stops everything. */
  stop(): Promise<void>;
}

/** Starts PostgreSQL, Redis and `count` instances sharing them, each with a resume window of `resumeGraceMs`. */
export async function startClusterStack(count: number, resumeGraceMs = 30_000): Promise<ClusterStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'talk-cluster-'));
  const tokens = new TokenService(SECRET);
  const instances: ServerProcess[] = [];
  const proxies: LocalHaproxy[] = [];
  const clients: TalkClient[] = [];
  const [postgres, redis]: LocalService[] = await Promise.all([startPostgres(), startRedis()]);
  const env = {
    DATABASE_URL: postgres!.url,
    REDIS_URL: redis!.url,
    TALK_RESUME_GRACE_MS: String(resumeGraceMs),
    TALK_RATE_LIMITS_OFF: '1',
    // Reaping a dead instance's presence waits three beats: longer than its clients take to come back elsewhere.
    TALK_HEARTBEAT_MS: '2000',
  };
  const addInstance = async () => {
    const started = await ServerProcess.start({ dataDir, secret: SECRET, env });
    instances.push(started);
    return started;
  };
  const stack: ClusterStack = {
    instances,
    addInstance,
    async proxy(behind = instances) {
      const proxy = await startHaproxy({ backends: behind.map((started) => started.port) });
      proxies.push(proxy);
      return proxy;
    },
    async clientOf(proxy, userId) {
      const { token } = await tokens.issue({ userId, displayName: userId.toUpperCase() });
      const client = new TalkClient({ serverUrl: proxy.url, token, backoff: { initialDelayMs: 50, maxDelayMs: 250 } });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.close();
      await Promise.all(proxies.map((proxy) => proxy.stop()));
      await Promise.all(instances.map((started) => started.kill()));
      await Promise.all([postgres?.stop(), redis?.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await addInstance(); // the first migrates the database; the others find it ready
    await Promise.all(Array.from({ length: count - 1 }, addInstance));
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** What one hand-over showed: its timing, and what each side received. */
export interface HandOverRound {
  /** The instances Alice and Bob were on before it (indexes into the stack's instances). */
  homes: [number, number];
  /** From the SIGTERM to Alice's client resumed on the other instance, in ms. */
  handOverMs: number;
  /** From the SIGTERM to the process's exit, in ms, and its exit code. */
  exitMs: number;
  exitCode: number | null;
  /** Whether Alice's reconnect resumed her session, and her session ids before and after. */
  resumed: boolean | undefined;
  sessionIds: [string | null | undefined, string | null | undefined];
  /** The chat messages Bob's posts were acknowledged for, in order, and what each client received. */
  acknowledged: number[];
  receivedByAlice: number[];
  receivedByBob: number[];
  /** The numbers of the signals Bob sent Alice (through the hand-over), and of those she received. */
  signalsSent: number[];
  signalsReceived: number[];
  /** Whether Bob heard Alice's answer to an offer made after the hand-over. */
  answeredAfter: boolean;
  /** What Bob heard of Alice's session from the SIGTERM on: leaves, joins; and whether she is in the call for him. */
  leftSeenByBob: string[];
  joinedSeenByBob: string[];
  aliceInCallForBob: boolean;
}

/**
 * One hand-over: Alice and Bob, each on an instance of their own, chat and are in a mesh call's signaling; Bob keeps
 * posting and signalling Alice while Alice's instance is stopped with SIGTERM. Returns what was seen, for the
 * caller's assertions (or figures).
 */
export async function handOverRound(stack: ClusterStack, proxy: LocalHaproxy, round: number): Promise<HandOverRound> {
  const { instances } = stack;
  const counts = () => Promise.all(instances.map(sessionsOn));
  const homeOf = async (client: TalkClient) => {
    const before = await counts();
    await client.connect();
    const after = await counts();
    return after.findIndex((n, i) => n > before[i]!);
  };
  const alice = await stack.clientOf(proxy, 'alice');
  const bob = await stack.clientOf(proxy, 'bob');
  try {
    const homes: [number, number] = [await homeOf(alice), await homeOf(bob)];
    const { token } = await alice.createConversation({
      type: 'group',
      name: `Hand-over ${round}`,
      participants: [{ userId: 'bob', displayName: 'BOB' }],
    });
    await alice.join(token);
    await bob.join(token);
    await until(() => alice.sessions(token).some((s) => s.sessionId === bob.sessionId), 'alice to see bob');
    for (const client of [alice, bob])
      client.send({ type: 'call-join', conversation: token, media: { audio: true, video: false } });
    await until(() => bob.sessions(token).filter((s) => s.inCall).length === 2, 'both in the call, for bob', 10_000);
    const aliceSession = alice.sessionId!;

    const receivedByAlice: number[] = [];
    const receivedByBob: number[] = [];
    alice.on(ClientEvent.ChatMessage, (m) => m.conversation === token && receivedByAlice.push(m.message.id));
    bob.on(ClientEvent.ChatMessage, (m) => m.conversation === token && receivedByBob.push(m.message.id));
    const signalsReceived: number[] = [];
    alice.on(ClientEvent.Signal, (m) => {
      const { payload } = m;
      if (m.from === bob.sessionId && payload.kind === 'description' && payload.description.sdp?.startsWith('n='))
        signalsReceived.push(Number(payload.description.sdp.slice(2)));
    });
    const leftSeenByBob: string[] = [];
    const joinedSeenByBob: string[] = [];
    let watching = false;
    bob.on(ClientEvent.SessionLeft, (_c, sessionId) => watching && leftSeenByBob.push(sessionId));
    bob.on(ClientEvent.SessionJoined, (_c, session) => watching && joinedSeenByBob.push(session.sessionId));
    let terminatedAt = 0;
    const resumedAt = new Promise<{ at: number; resumed: boolean | undefined }>((resolve) =>
      alice.on(
        ClientEvent.Connected,
        (_id, info) => info.reconnected && resolve({ at: Date.now(), resumed: info.resumed }),
      ),
    );

    const acknowledged: number[] = [];
    const signalsSent: number[] = [];
    let busy = true;
    const posting = (async () => {
      for (let i = 0; busy; i++) {
        try {
          const posted: ChatMessage = await bob.postMessage(token, { message: `m${i}`, referenceId: `r${round}-${i}` });
          acknowledged.push(posted.id);
        } catch {
          await sleep(50); // met the stopping instance on its way out; not acknowledged
        }
      }
    })();
    const signalling = (async () => {
      for (let i = 0; busy; i++) {
        try {
          bob.send({
            type: 'signal',
            conversation: token,
            to: aliceSession,
            payload: { kind: 'description', description: { type: 'offer', sdp: `n=${i}` } },
          });
          signalsSent.push(i);
        } catch {
          // Bob's own socket was not up: not sent, so not expected either.
        }
        await sleep(20);
      }
    })();
    await until(() => acknowledged.length >= 10, '10 acknowledged messages', 30_000);
    watching = true;
    terminatedAt = Date.now();
    const exited = instances[homes[0]]!.terminate().then((code) => ({ code, at: Date.now() }));
    const { at, resumed } = await resumedAt;
    const count = acknowledged.length;
    await until(() => acknowledged.length >= count + 10, '10 more acknowledged messages', 30_000);
    busy = false;
    await Promise.all([posting, signalling]);
    const exit = await exited;

    // Alice, now on Bob's instance, offers anew; Bob answers.
    const answered = new Promise<boolean>((resolve) => {
      alice.on(
        ClientEvent.Signal,
        (m) => m.payload.kind === 'description' && m.payload.description.type === 'answer' && resolve(true),
      );
      setTimeout(() => resolve(false), 10_000);
    });
    bob.on(ClientEvent.Signal, (m) => {
      if (m.from === aliceSession && m.payload.kind === 'description' && m.payload.description.type === 'offer')
        bob.send({
          type: 'signal',
          conversation: token,
          to: aliceSession,
          payload: { kind: 'description', description: { type: 'answer', sdp: 'v=0 answer' } },
        });
    });
    alice.send({
      type: 'signal',
      conversation: token,
      to: bob.sessionId!,
      payload: { kind: 'description', description: { type: 'offer', sdp: 'v=0 after' } },
    });
    const answeredAfter = await answered;
    await until(
      () =>
        [receivedByAlice, receivedByBob].every((ids) => acknowledged.every((id) => ids.includes(id))) &&
        signalsSent.every((n) => signalsReceived.includes(n)),
      'every acknowledged message and every signal',
      10_000,
    ).catch(() => {}); // what is missing shows in the caller's assertions
    return {
      homes,
      handOverMs: at - terminatedAt,
      exitMs: exit.at - terminatedAt,
      exitCode: exit.code,
      resumed,
      sessionIds: [aliceSession, alice.sessionId],
      acknowledged,
      receivedByAlice,
      receivedByBob,
      signalsSent,
      signalsReceived,
      answeredAfter,
      leftSeenByBob,
      joinedSeenByBob,
      aliceInCallForBob: bob.sessions(token).some((s) => s.sessionId === aliceSession && s.inCall),
    };
  } finally {
    alice.close();
    bob.close();
  }
}
