// The server SIGKILLed in the middle of a three-way mesh call in real browsers: the media goes peer to peer, so it
// must not notice; once the server is back, call-core takes the call up again by itself, and the chat beside it
// has every message the server acknowledged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { TokenService } from '@talk/server';
import { type LaunchedBrowser, launchChromium } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TalkClient } from '../../src/client/TalkClient.js';
import { join, type PageHost, type TestParticipant } from '../browser/harness.js';
import type { PageSnapshot } from '../browser/page/api.js';
import { TEST_PAGE_DIST } from '../browser/page/vite.config.js';
import { until } from '../server.js';
import { ServerProcess, serverBuilt } from './server-process.js';

const SECRET = 'a-secret-the-browsers-tokens-outlive-the-process-with';
const ROOM = 'killed-mesh';
/** How long the server stays dead: long enough for every remote to decode a good many frames meanwhile. */
const OUTAGE_MS = 6_000;
const USERS = ['alice', 'bob', 'carol'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Frames decoded so far per remote display name, as one page sees them. */
const framesByName = (snapshot: PageSnapshot) =>
  Object.fromEntries(snapshot.remotes.map((remote) => [remote.displayName, remote.cameraFrames]));

describe.runIf(serverBuilt())('the server SIGKILLed mid mesh call, in real browsers', { timeout: 240_000 }, () => {
  const dataDir = mkdtempSync(joinPath(tmpdir(), 'talk-killed-mesh-'));
  let server: ServerProcess;
  let browser: LaunchedBrowser;
  const pages: TestParticipant[] = [];
  const clients: TalkClient[] = [];

  beforeAll(async () => {
    server = await ServerProcess.start({
      dataDir,
      secret: SECRET,
      env: {
        TALK_STATIC_DIR: TEST_PAGE_DIST,
        // As the browser stacks run theirs: the poster below posts faster than a person would.
        TALK_RATE_LIMITS_OFF: '1',
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const page of pages) await page.close();
    await browser?.close();
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the mesh media flowing through the outage, and resumes the same call after it, losing no message', async () => {
    const tokens = new TokenService(SECRET);
    const tokenOf = async (user: string) =>
      (
        await tokens.issue({
          userId: user,
          displayName: user.toUpperCase(),
          objects: [{ pattern: 'test:*', types: ['public'] }],
        })
      ).token;
    // On localhost, which Chromium treats as secure, as the browser stacks do.
    const host: PageHost = { browser, url: `http://localhost:${server.port}/`, windows: false };
    // A reconnect backoff capped at 1 s, so the time to resume measures call-core rather than the wait between tries.
    const backoff = { initialDelayMs: 200, maxDelayMs: 1_000 };
    for (const user of USERS) {
      pages.push(await join(host, { user, room: ROOM, topology: 'auto', token: await tokenOf(user), backoff }));
    }
    const others = (page: TestParticipant) => USERS.filter((user) => user !== page.user).map((u) => u.toUpperCase());
    /** Waits until `page` decodes a growing number of frames from each of the two others. */
    const flowingAtAll = async (page: TestParticipant, timeoutMs: number) => {
      let previous: Record<string, number> = {};
      return page.until(
        (snapshot) => {
          const now = framesByName(snapshot);
          const names = Object.keys(now).sort();
          const flowing =
            names.join() === others(page).sort().join() &&
            names.every((name) => (previous[name] ?? 0) > 0 && now[name]! > previous[name]!);
          previous = now;
          return flowing;
        },
        `frames from ${others(page).join(', ')}`,
        timeoutMs,
      );
    };
    for (const page of pages) await flowingAtAll(page, 45_000);
    for (const page of pages) await page.call('startChat');

    // A fourth user, not in the call, posts beside it the whole time; only what the server answered counts.
    const poster = new TalkClient({ serverUrl: server.url, token: await tokenOf('dave'), backoff });
    clients.push(poster);
    const { token: conversation } = await poster.createConversation({
      type: 'public',
      name: `Test ${ROOM}`,
      object: { type: 'test', id: ROOM },
    });
    await poster.join(conversation);
    await until(() => poster.sessions(conversation).filter((s) => s.inCall).length === 3, 'three in the call', 10_000);
    const acknowledged: number[] = [];
    let posting = true;
    const posts = (async () => {
      for (let i = 0; posting; i++) {
        try {
          acknowledged.push((await poster.postMessage(conversation, { message: `m${i}`, referenceId: `m${i}` })).id);
        } catch {
          // The server is away: this message was not acknowledged.
        }
        await sleep(100);
      }
    })();
    await until(() => acknowledged.length >= 10, '10 acknowledged messages', 30_000);

    // The outage.
    const atKill = await Promise.all(pages.map((page) => page.snapshot()));
    const killedAt = Date.now();
    await server.kill();
    // Each page keeps decoding from both others while signaling is gone (a growing count between two snapshots).
    for (const page of pages) await flowingAtAll(page, OUTAGE_MS);
    await sleep(Math.max(0, killedAt + OUTAGE_MS - Date.now()));
    const atRestart = await Promise.all(pages.map((page) => page.snapshot()));
    const restartedAt = Date.now();
    await server.restart();
    const listeningAt = Date.now();
    const outageMs = restartedAt - killedAt;

    const during: Record<string, Record<string, number>> = {};
    pages.forEach((page, i) => {
      const before = framesByName(atKill[i]!);
      const after = framesByName(atRestart[i]!);
      // The server was away for the page too, and the call stayed joined throughout.
      expect(atRestart[i]!.connection).not.toBe('connected');
      expect(atRestart[i]!.state).toBe('joined');
      during[page.user] = Object.fromEntries(others(page).map((name) => [name, after[name]! - before[name]!]));
      for (const name of others(page)) expect(during[page.user]![name]).toBeGreaterThan(0);
    });

    // Back: call-core re-joins the conversation and the call by itself (the test joins nothing again). Each page is
    // connected, shows as remotes exactly the other two sessions the server has in the call, and decodes both.
    const inCall = () => poster.sessions(conversation).filter((s) => s.inCall);
    await until(() => inCall().length === 3, 'the server to count three in the call again', 45_000);
    const resumeMs: Record<string, number> = {};
    for (const page of pages) {
      let previous: Record<string, number> = {};
      const snapshot = await page.until(
        (s) => {
          const expected = inCall()
            .map((session) => session.sessionId)
            .filter((id) => id !== s.localSessionId)
            .sort();
          const now = Object.fromEntries(s.remotes.map((remote) => [remote.sessionId, remote.cameraFrames]));
          const ok =
            s.connection === 'connected' &&
            Object.keys(now).sort().join() === expected.join() &&
            expected.length === 2 &&
            expected.every((id) => (previous[id] ?? 0) > 0 && now[id]! > previous[id]!);
          previous = now;
          return ok;
        },
        'the two other sessions in the call, decoded',
        45_000,
      );
      expect(snapshot.state).toBe('joined');
      expect(snapshot.remotes.map((remote) => remote.displayName).sort()).toEqual(others(page).sort());
      expect(snapshot.events.filter((event) => event.startsWith('error'))).toEqual([]);
      // The time to resume: from the server listening again to the last of the others' cameras shown once more
      // (call-core shows a track once it decodes).
      const shown = (await page.call('timeline')).filter((e) => e.at >= listeningAt && e.what.endsWith(' camera'));
      const firstShown = snapshot.remotes.map((r) => shown.find((e) => e.what === `shown ${r.sessionId} camera`)?.at);
      // The figure only: what the call must do is asserted above. In one fresh run of ten or so a page decoded a
      // new session's camera with no `shown` event for it since the restart; the timeline is printed to find why.
      if (firstShown.some((at) => at === undefined)) {
        console.warn(
          `${page.user}: a camera decoded with no shown event since ${listeningAt}: ` +
            JSON.stringify((await page.call('timeline')).slice(-40)),
        );
      }
      const times = firstShown.filter((at): at is number => at !== undefined);
      resumeMs[page.user] = times.length > 0 ? Math.max(...times) - listeningAt : Number.NaN;
    }
    // The server counts three in the call: the sessions of the killed process left no ghost.
    expect(inCall()).toHaveLength(3);

    await until(() => acknowledged.length >= 20, '10 more acknowledged messages after the restart', 30_000);
    posting = false;
    await posts;
    const lost: Record<string, number[]> = {};
    const deadline = Date.now() + 15_000;
    for (const page of pages) {
      let ids = await page.call('chatIds');
      while (acknowledged.some((id) => !ids.includes(id)) && Date.now() < deadline) {
        await sleep(250);
        ids = await page.call('chatIds');
      }
      lost[page.user] = acknowledged.filter((id) => !ids.includes(id));
      expect(new Set(ids).size).toBe(ids.length); // none doubled
      expect([...ids].sort((x, y) => x - y)).toEqual(ids); // in order
    }
    expect(lost).toEqual(Object.fromEntries(USERS.map((user) => [user, []])));
    console.info(
      `server SIGKILLed mid mesh call: down ${((listeningAt - killedAt) / 1000).toFixed(1)} s (dead ` +
        `${(outageMs / 1000).toFixed(1)} s, then starting); frames decoded while it was dead ` +
        `${JSON.stringify(during)}; media back after the server listened again, per page ` +
        `${JSON.stringify(resumeMs)} ms; ${acknowledged.length} acknowledged messages, none lost`,
    );
  });
});
