import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TokenService } from '@talk/server';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatStore } from '../../src/chat/ChatStore.js';
import { ClientEvent } from '../../src/client/events.js';
import { TalkClient } from '../../src/client/TalkClient.js';
import { until } from '../server.js';

// The built server (turbo builds it before call-core's tests), run as a process of its own so it can be SIGKILLed.
const main = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));
const SECRET = 'a-secret-that-outlives-the-process-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server process on `port` with its PGlite data in `dataDir`; resolves once it listens. */
async function startProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // Not dev mode: its key dies with the process, and the clients' tokens must outlive it.
      TALK_DEV_MODE: '',
      TALK_JWT_SECRET: SECRET,
      TALK_DATA_DIR: dataDir,
      TALK_HEARTBEAT_MS: '200',
      TALK_LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
  return child;
}

describe.runIf(existsSync(main))('the server killed with SIGKILL mid-call', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'talk-killed-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged message, and the clients are back in the conversation and call once it restarts', {
    timeout: 120_000,
  }, async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    child = await startProcess(port, dataDir);
    const tokens = new TokenService(SECRET);
    const clientFor = async (user: string) =>
      new TalkClient({
        serverUrl: `http://127.0.0.1:${port}`,
        token: (await tokens.issue({ userId: user, displayName: user.toUpperCase() })).token,
        backoff: { initialDelayMs: 50, maxDelayMs: 250 },
      });
    const readers = await Promise.all(['alice', 'bob'].map(clientFor));
    const poster = await clientFor('carol');
    const participants = ['alice', 'bob'].map((userId) => ({ userId, displayName: userId.toUpperCase() }));
    const { token } = await poster.createConversation({ type: 'group', name: 'Killed', participants });
    const stores = readers.map((reader) => new ChatStore(reader, token));
    await Promise.all(stores.map((store) => store.start()));
    for (const client of readers)
      client.send({ type: 'call-join', conversation: token, media: { audio: true, video: false } });
    const [alice, bob] = readers as [(typeof readers)[0], (typeof readers)[0]];
    await until(() => alice.sessions(token).filter((s) => s.inCall).length === 2, 'both in the call');

    // Posts keep going while the server dies; only those it answered count as acknowledged.
    const acknowledged: number[] = [];
    let posting = true;
    const posts = (async () => {
      for (let i = 0; posting; i++) {
        try {
          acknowledged.push((await poster.postMessage(token, { message: `m${i}`, referenceId: `m${i}` })).id);
        } catch {
          await sleep(50); // the server is away; the message was not acknowledged
        }
      }
    })();
    await until(() => acknowledged.length >= 30, '30 acknowledged messages', 30_000);
    const rejoined = readers.map(
      (client) =>
        new Promise<void>((resolve) =>
          client.on(ClientEvent.ConversationJoined, (_c, _s, { rejoined }) => rejoined && resolve()),
        ),
    );
    child.kill('SIGKILL');
    await sleep(500);
    child = await startProcess(port, dataDir);
    await Promise.all(rejoined);
    for (const client of readers)
      client.send({ type: 'call-join', conversation: token, media: { audio: true, video: false } });
    await until(() => acknowledged.length >= 60, '30 more acknowledged messages after the restart', 30_000);
    posting = false;
    await posts;

    // Back in the call, and the sessions of the killed process reaped: two in the call, not four.
    await until(
      () => [alice, bob].every((c) => c.sessions(token).filter((s) => s.inCall).length === 2),
      'each to see the two new sessions in the call and no ghost',
      15_000,
    );
    await until(
      () => stores.every((store) => acknowledged.every((id) => store.items.some((item) => item.id === id))),
      'every acknowledged message at every reader',
      15_000,
    ).catch(() => {});
    for (const store of stores) {
      const ids = store.items.map((item) => item.id!);
      expect(acknowledged.filter((id) => !ids.includes(id))).toEqual([]); // none lost
      expect(new Set(ids).size).toBe(ids.length); // none doubled
      expect([...ids].sort((x, y) => x - y)).toEqual(ids); // in order
    }
    for (const store of stores) store.close();
    for (const client of [...readers, poster]) client.close();
  });
});
