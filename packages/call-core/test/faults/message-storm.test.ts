import type { TalkServer } from '@talk/server';
import { TcpProxy } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatStore } from '../../src/chat/ChatStore.js';
import { ClientEvent } from '../../src/client/events.js';
import type { TalkClient } from '../../src/client/TalkClient.js';
import { clientFor, demoConversation, startServer, until } from '../server.js';

const MESSAGES = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('1,000 messages while sockets are killed at random', () => {
  let server: TalkServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    server = await startServer();
    proxy = await TcpProxy.start(server.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('ends with every client holding each message exactly once, in order', { timeout: 120_000 }, async () => {
    // The readers' signaling goes through the proxy, which resets their TCP connections (no close frame) at
    // random; their REST catch-up goes straight to the server, as it would over a fresh connection.
    const readers = await Promise.all(
      ['alice', 'bob', 'carol'].map((user) =>
        clientFor(server, user, {
          createSocket: (url) => new WebSocket(url.replace(`:${server.port}/`, `:${proxy.port}/`)),
          backoff: { initialDelayMs: 5, maxDelayMs: 50 },
        }),
      ),
    );
    const poster = await clientFor(server, 'dave');
    const { token } = await demoConversation(poster, 'storm');
    for (const reader of readers) await demoConversation(reader, 'storm');
    const stores = readers.map((reader) => new ChatStore(reader, token));
    await Promise.all(stores.map((store) => store.start()));
    let resumes = 0;
    let rejoins = 0;
    for (const reader of readers) {
      reader.on(ClientEvent.Connected, (_s, { reconnected, resumed }) => {
        if (resumed) resumes++;
        else if (reconnected) rejoins++;
      });
    }

    let posting = true;
    const chaos = (async () => {
      while (posting) {
        await sleep(20 + Math.random() * 80);
        proxy.kill(Math.floor(Math.random() * Math.max(1, proxy.open)));
      }
    })();
    const posted: number[] = [];
    const started = performance.now();
    // Four posts in flight at a time; each is acknowledged with its stored message.
    for (let i = 0; i < MESSAGES; i += 4) {
      const batch = await Promise.all(
        [0, 1, 2, 3]
          .filter((k) => i + k < MESSAGES)
          .map((k) => poster.postMessage(token, { message: `m${i + k}`, referenceId: `m${i + k}` })),
      );
      posted.push(...batch.map((message) => message.id));
    }
    posting = false;
    await chaos;
    const postMs = performance.now() - started;

    const expected = [...posted].sort((a, b) => a - b);
    const idsOf = (store: ChatStore) => store.items.map((item) => item.id);
    await until(
      () => stores.every((store) => idsOf(store).length >= expected.length),
      'every reader to hold every message',
      20_000,
    ).catch(() => {}); // the assertion below says what is missing
    const held = stores.map(idsOf);
    const lost = held.map((ids) => expected.filter((id) => !ids.includes(id)).length);
    const doubled = held.map((ids) => ids.length - new Set(ids).size);
    console.info(`lost per reader ${lost}, doubled per reader ${doubled}, resumes ${resumes}, re-joins ${rejoins}`);
    for (const ids of held) expect(ids).toEqual(expected); // each once, in order, none missing
    console.info(
      `message storm: ${MESSAGES} messages in ${Math.round(postMs)} ms, ${proxy.killed} connections killed, ` +
        `${resumes} resumed and ${rejoins} re-joined reconnects; lost 0, doubled 0`,
    );
    expect(proxy.killed).toBeGreaterThan(10);
    for (const store of stores) store.close();
    for (const client of [...readers, poster] as TalkClient[]) client.close();
  });
});
