// Test support for real-browser calls: the real Talk server (serving the test page) on a free port, optionally a
// real livekit-server, and one headless Chromium whose tabs are the participants.

import {
  createTalkServer,
  type LocalLivekit,
  type LocalService,
  startLocalLivekit,
  startLocalLivekitNodes,
  startRedis,
  type TalkServer,
} from '@talk/server';
import { type LaunchedBrowser, launchChromium, launchFirefox } from '@talk/testing';
import type { Page } from 'puppeteer-core';
import type { JoinOptions, PageSnapshot, TestPageApi } from './page/api.js';
import { TEST_PAGE_DIST } from './page/vite.config.js';

/** The server, maybe livekit-server, and the browser. */
export interface BrowserStack {
  server: TalkServer;
  livekit?: LocalLivekit;
  /** Every livekit-server node when the stack runs several (the first is `livekit`). */
  livekitNodes: LocalLivekit[];
  browser: LaunchedBrowser;
  /** Firefox beside Chromium, when the stack was asked for it. */
  firefox?: LaunchedBrowser;
  /** The page's origin, on localhost so that Chromium treats it as secure. */
  url: string;
  /** Whether each participant gets a window rather than a tab. */
  windows: boolean;
  stop(): Promise<void>;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Start livekit-server and configure the server with it. */
  sfu: boolean;
  /** With `sfu`: this many livekit-server nodes on one Redis (LiveKit's multi-node mode) instead of one. */
  livekitNodes?: number;
  /** The server's topology thresholds. */
  topology?: { sfuFrom: number; meshAtMost: number; downgradeDelayMs: number };
  /**
   * A window per participant, which presents (renders) every video it plays, as a participant's own screen would.
   * By default participants are tabs: all but one are in the background, where video is decoded but not drawn.
   */
  windows?: boolean;
  /** A TURN server whose REST secret the Talk server mints ICE credentials with. */
  turn?: { urls: string[]; secret: string; ttlSeconds: number };
  /** Start Debian's Firefox ESR too, for participants joined with `browser: 'firefox'`. */
  firefox?: boolean;
}

/** Starts livekit-server (if asked), the Talk server serving the test page, and Chromium. */
export async function startStack(options: StackOptions): Promise<BrowserStack> {
  const several = options.sfu && (options.livekitNodes ?? 1) > 1;
  const redis: LocalService | undefined = several ? await startRedis() : undefined;
  const livekitNodes = !options.sfu
    ? []
    : redis
      ? await startLocalLivekitNodes(options.livekitNodes!, redis.url)
      : [await startLocalLivekit()];
  const livekit = livekitNodes[0];
  const nodeUrls = livekitNodes.slice(1).map((node) => node.url);
  const server = await createTalkServer({
    port: 0,
    storage: { kind: 'pglite', dataDir: 'memory://' },
    devMode: true,
    staticDir: TEST_PAGE_DIST,
    livekit: livekit && {
      url: livekit.url,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      ...(nodeUrls.length > 0 ? { nodeUrls } : {}),
    },
    topology: options.topology,
    turn: options.turn,
    rateLimits: false,
  });
  const browser = await launchChromium();
  const firefox = options.firefox ? await launchFirefox() : undefined;
  return {
    server,
    livekit,
    livekitNodes,
    browser,
    firefox,
    url: `http://localhost:${server.port}/`,
    windows: options.windows ?? false,
    async stop() {
      await browser.close();
      await firefox?.close();
      await server.close();
      await Promise.all(livekitNodes.map((node) => node.stop()));
      await redis?.stop();
    },
  };
}

/** One participant: a tab of the stack's browser running call-core. */
export class TestParticipant {
  readonly page: Page;
  readonly user: string;
  sessionId = '';
  /** The token of the conversation whose call it joined. */
  conversation = '';
  /** Every WebSocket URL the page opened (signaling, LiveKit), as Chromium's DevTools saw them; empty in Firefox. */
  readonly webSockets: string[] = [];

  constructor(page: Page, user: string) {
    this.page = page;
    this.user = user;
  }

  /** Runs one method of the page's API. */
  call<K extends keyof TestPageApi>(method: K, ...args: Parameters<TestPageApi[K]>): ReturnType<TestPageApi[K]> {
    return this.page.evaluate(
      (name, list) => {
        const talk = (window as unknown as { talk: Record<string, (...a: unknown[]) => unknown> }).talk;
        return talk[name]!(...list);
      },
      method,
      args as unknown[],
    ) as ReturnType<TestPageApi[K]>;
  }

  /** The call as this participant sees it. */
  snapshot(): Promise<PageSnapshot> {
    return this.call('snapshot');
  }

  /** Polls the snapshot until `check` holds; fails with `what` and the last snapshot after `timeoutMs`. */
  async until(check: (snapshot: PageSnapshot) => boolean, what: string, timeoutMs = 30_000): Promise<PageSnapshot> {
    const deadline = Date.now() + timeoutMs;
    let last: PageSnapshot | undefined;
    while (Date.now() < deadline) {
      last = await this.snapshot();
      if (check(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.user}: timed out waiting for ${what}; last saw ${JSON.stringify(last, null, 1)}`);
  }

  /** Closes the tab, which drops its signaling socket and media as a closed browser tab would. */
  async close(): Promise<void> {
    await this.page.close().catch(() => {});
  }
}

/** Which of the stack's browsers a participant runs in. */
export type BrowserName = 'chromium' | 'firefox';

/** Opens a tab of `browser`, loads the test page and joins the room's call. */
export async function join(
  stack: BrowserStack,
  options: JoinOptions,
  browser: BrowserName = 'chromium',
): Promise<TestParticipant> {
  const launched = browser === 'firefox' ? stack.firefox : stack.browser;
  if (!launched) throw new Error('the stack was started without Firefox: pass { firefox: true } to startStack');
  const page = await launched.browser.newPage({ type: stack.windows ? 'window' : 'tab' });
  // PAGE_LOG=1 shows the pages' console, for debugging a test.
  if (process.env.PAGE_LOG) page.on('console', (m) => console.log(`[${options.user}] ${m.text()}`));
  page.on('pageerror', (error) => console.error(`[${options.user}] page error: ${String(error)}`));
  const participant = new TestParticipant(page, options.user);
  if (browser === 'chromium') {
    const devtools = await page.createCDPSession();
    devtools.on('Network.webSocketCreated', ({ url }) => participant.webSockets.push(url));
    await devtools.send('Network.enable');
  }
  await page.goto(stack.url);
  await page.waitForFunction(() => 'talk' in window);
  const joined = await participant.call('join', options);
  participant.sessionId = joined.sessionId;
  participant.conversation = joined.conversation;
  return participant;
}

/** What a remote participant's media counters can be checked for. */
export type Counter = 'cameraFrames' | 'screenFrames' | 'audioPackets';

/**
 * Waits until `viewer` receives `counter` from every one of `others`: it must grow between two snapshots half a
 * second apart, so a frozen or a replaced-but-silent track does not count.
 */
export async function untilFlowing(
  viewer: TestParticipant,
  others: readonly TestParticipant[],
  counter: Counter = 'cameraFrames',
  timeoutMs = 30_000,
): Promise<PageSnapshot> {
  let previous: PageSnapshot | undefined;
  return viewer.until(
    (snapshot) => {
      const flowing = others.every((other) => {
        const now = snapshot.remotes.find((r) => r.sessionId === other.sessionId)?.[counter] ?? 0;
        const before = previous?.remotes.find((r) => r.sessionId === other.sessionId)?.[counter] ?? 0;
        return before > 0 && now > before;
      });
      previous = snapshot;
      return flowing;
    },
    `${counter} from ${others.map((o) => o.user).join(', ')}`,
    timeoutMs,
  );
}
