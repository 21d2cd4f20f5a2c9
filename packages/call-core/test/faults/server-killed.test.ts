import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenService } from '@talk/server';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatStore } from '../../src/chat/ChatStore.js';
import { ClientEvent } from '../../src/client/events.js';
import { TalkClient } from '../../src/client/TalkClient.js';
import { until } from '../server.js';
import { ServerProcess, serverBuilt } from './server-process.js';

const SECRET = 'a-secret-that-outlives-the-process-0123456789';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(serverBuilt())('the server killed with SIGKILL mid-call', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'talk-killed-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged message, and the clients are back in the conversation and call once it restarts', {
    timeout: 120_000,
  }, async () => {
    server = await ServerProcess.start({ dataDir, secret: SECRET });
    const { url } = server;
    const tokens = new TokenService(SECRET);
    const clientFor = async (user: string) =>
      new TalkClient({
        serverUrl: url,
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
    await server.kill();
    await sleep(500);
    await server.restart();
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
