// Server instances as processes of their own on one PostgreSQL and one Redis, behind Debian's haproxy on loopback,
// with call-core clients that know only the proxy's address: what a scaled deployment looks like to them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Routes } from '@talk/protocol';
import { type LocalService, startPostgres, startRedis, TokenService } from '@talk/server';
import { haproxyAvailable, type LocalHaproxy, startHaproxy } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../src/client/events.js';
import { TalkClient } from '../../src/client/TalkClient.js';
import { ServerProcess, serverBuilt } from '../faults/server-process.js';
import { until } from '../server.js';

const SECRET = 'a-secret-every-instance-shares-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The signaling sessions an instance holds, from its metrics. */
async function sessionsOn(instance: ServerProcess): Promise<number> {
  const text = await (await fetch(instance.url + Routes.metrics)).text();
  return Number(/^talk_signaling_sessions (\d+)/m.exec(text)?.[1] ?? 0);
}

describe.runIf(serverBuilt() && haproxyAvailable())('server instances behind haproxy', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'talk-haproxy-'));
  const tokens = new TokenService(SECRET);
  const instances: ServerProcess[] = [];
  const proxies: LocalHaproxy[] = [];
  const clients: TalkClient[] = [];
  let postgres: LocalService;
  let redis: LocalService;
  let env: Record<string, string>;

  const instance = async () => {
    // Reaping a dead instance's presence waits three beats: longer than its clients take to come back elsewhere.
    const started = await ServerProcess.start({ dataDir, secret: SECRET, env: { ...env, TALK_HEARTBEAT_MS: '2000' } });
    instances.push(started);
    return started;
  };
  const clientOf = async (proxy: LocalHaproxy, userId: string) => {
    const { token } = await tokens.issue({ userId, displayName: userId.toUpperCase() });
    const client = new TalkClient({ serverUrl: proxy.url, token, backoff: { initialDelayMs: 50, maxDelayMs: 250 } });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      TALK_RESUME_GRACE_MS: '30000',
      TALK_RATE_LIMITS_OFF: '1',
    };
    await instance(); // the first migrates the database; the others find it ready
    await Promise.all([instance(), instance()]);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await Promise.all(instances.map((started) => started.kill()));
    await Promise.all([postgres?.stop(), redis?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("carries chat, presence, typing and a mesh call's signaling between clients on two instances", async () => {
    const two = instances.slice(0, 2);
    const proxy = await startHaproxy({ backends: two.map((started) => started.port) });
    proxies.push(proxy);
    const [alice, bob] = [await clientOf(proxy, 'alice'), await clientOf(proxy, 'bob')];
    await alice.connect();
    await bob.connect();
    // Least connections: the two sockets are on different instances.
    expect(await Promise.all(two.map(sessionsOn))).toEqual([1, 1]);
    const { token } = await alice.createConversation({
      type: 'group',
      name: 'Across',
      participants: [{ userId: 'bob', displayName: 'BOB' }],
    });
    await alice.join(token);
    await bob.join(token);
    await until(() => alice.sessions(token).some((s) => s.sessionId === bob.sessionId), 'alice to see bob');

    const typing = new Promise((resolve) => alice.on(ClientEvent.Typing, (m) => m.typing && resolve(m.userId)));
    bob.send({ type: 'typing', conversation: token, typing: true });
    expect(await typing).toBe('bob');

    const heard = new Promise((resolve) => bob.on(ClientEvent.ChatMessage, (m) => resolve(m.message.message)));
    await alice.postMessage(token, { message: 'across instances', referenceId: 'across' });
    expect(await heard).toBe('across instances');

    for (const client of [alice, bob])
      client.send({ type: 'call-join', conversation: token, media: { audio: true, video: false } });
    await until(() => alice.sessions(token).filter((s) => s.inCall).length === 2, 'both in the call');
    const offered = new Promise((resolve) => bob.on(ClientEvent.Signal, (m) => resolve(m)));
    alice.send({
      type: 'signal',
      conversation: token,
      to: bob.sessionId!,
      payload: { kind: 'description', description: { type: 'offer', sdp: 'v=0 offer' } },
    });
    expect(await offered).toMatchObject({ from: alice.sessionId, payload: { kind: 'description' } });
    const answered = new Promise((resolve) => alice.on(ClientEvent.Signal, (m) => resolve(m)));
    bob.send({
      type: 'signal',
      conversation: token,
      to: alice.sessionId!,
      payload: { kind: 'description', description: { type: 'answer', sdp: 'v=0 answer' } },
    });
    expect(await answered).toMatchObject({ from: bob.sessionId });
    alice.close();
    bob.close();
  });

  it('resumes the clients of a SIGKILLed instance on the others, with every acknowledged message once, in order', async () => {
    const proxy = await startHaproxy({ backends: instances.map((started) => started.port) });
    proxies.push(proxy);
    const poster = await clientOf(proxy, 'dave');
    const readerIds = ['alice', 'bob', 'carol'];
    const participants = readerIds.map((userId) => ({ userId, displayName: userId.toUpperCase() }));
    const { token } = await poster.createConversation({ type: 'group', name: 'Killed', participants });
    // One reader per instance; each one's instance is found from the session counts as it connects.
    const readers: TalkClient[] = [];
    const homes: ServerProcess[] = [];
    for (const userId of readerIds) {
      const before = await Promise.all(instances.map(sessionsOn));
      const reader = await clientOf(proxy, userId);
      await reader.connect();
      const after = await Promise.all(instances.map(sessionsOn));
      const home = instances.find((_, i) => after[i]! > before[i]!);
      expect(home).toBeDefined();
      readers.push(reader);
      homes.push(home!);
      await reader.join(token);
    }
    const [victim] = readers as [TalkClient];
    const victimSession = victim.sessionId;
    const received = readers.map(() => [] as number[]);
    readers.forEach((reader, i) => {
      reader.on(ClientEvent.ChatMessage, (m) => received[i]!.push(m.message.id));
    });
    const left: string[] = [];
    for (const reader of readers.slice(1)) reader.on(ClientEvent.SessionLeft, (_c, sessionId) => left.push(sessionId));
    const resumed = new Promise<boolean | undefined>((resolve) =>
      victim.on(ClientEvent.Connected, (_id, info) => info.reconnected && resolve(info.resumed)),
    );

    const acknowledged: number[] = [];
    let posting = true;
    const posts = (async () => {
      for (let i = 0; posting; i++) {
        try {
          acknowledged.push((await poster.postMessage(token, { message: `m${i}`, referenceId: `m${i}` })).id);
        } catch {
          await sleep(50); // the request met the dying instance; not acknowledged
        }
      }
    })();
    await until(() => acknowledged.length >= 20, '20 acknowledged messages', 30_000);
    await homes[0]!.kill();
    expect(await resumed).toBe(true);
    expect(victim.sessionId).toBe(victimSession);
    const count = acknowledged.length;
    await until(() => acknowledged.length >= count + 20, '20 more acknowledged messages after the kill', 30_000);
    posting = false;
    await posts;
    await until(
      () => received.every((ids) => acknowledged.every((id) => ids.includes(id))),
      'every acknowledged message at every reader',
      15_000,
    ).catch(() => {});
    for (const ids of received) {
      expect(acknowledged.filter((id) => !ids.includes(id))).toEqual([]); // none lost
      expect(new Set(ids).size).toBe(ids.length); // none doubled
      expect([...ids].sort((x, y) => x - y)).toEqual(ids); // in order
    }
    // Nobody saw the resumed session go.
    expect(left.filter((id) => id === victimSession)).toEqual([]);
  });
});
