import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTalkServer, type LocalLivekit, startLocalLivekit, type TalkServer } from '@talk/server';
import { type LaunchedBrowser, launchChromium } from '@talk/testing';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';

const demoDist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** The real server serving the built demo, optionally with a real livekit-server beside it. */
export interface Stack {
  server: TalkServer;
  livekit?: LocalLivekit;
  /** The demo's URL on localhost, a secure origin for camera access. */
  url: string;
  stop(): Promise<void>;
}

/** Starts the server on a free port with in-memory storage, serving the demo that `npm run build` made. */
export async function startStack(options: { sfu: boolean }): Promise<Stack> {
  if (!existsSync(join(demoDist, 'index.html'))) {
    throw new Error(`the demo is not built (${demoDist}); run "npm run build" first`);
  }
  const livekit = options.sfu ? await startLocalLivekit() : undefined;
  const server = await createTalkServer({
    port: 0,
    storage: { kind: 'pglite', dataDir: 'memory://' },
    devMode: true,
    staticDir: demoDist,
    rateLimits: false,
    livekit: livekit && { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
  });
  return {
    server,
    livekit,
    url: `http://localhost:${server.port}/`,
    async stop() {
      await server.close();
      await livekit?.stop();
    },
  };
}

/** One demo user in a browser of their own. */
export interface DemoUser {
  browser: LaunchedBrowser;
  page: Page;
}

/** The Talk app's section of the workspace, where the tests' chat and call are unless they say otherwise. */
const TALK = '#talk';

/** Opens the demo as `user` in a fresh headless Chromium with a fake camera and microphone, on the Talk app. */
export async function openDemo(stack: Stack, user: string, query: Record<string, string> = {}): Promise<DemoUser> {
  const browser = await launchChromium();
  const page = await browser.browser.newPage();
  page.on('pageerror', (error) => console.error(`[${user}] page error: ${String(error)}`));
  const url = new URL(stack.url);
  url.search = new URLSearchParams({ user, ...query }).toString();
  await page.goto(url.toString());
  await page.waitForSelector(`${TALK} talk-chat >>> [part="input"]`);
  return { browser, page };
}

/** What {@link signedInPages} gives a suite: its stack, and a page for each user, once `beforeAll` has run. */
export type SignedInPages<User extends string> = { stack: Stack } & Record<User, DemoUser>;

/**
 * The suite's set-up: a stack, and each user signed in on the demo in a browser of their own, opened one after
 * another (the first creates the demo room); all closed after the suite. `users` names each user with the query
 * their page opens with, or lists them to open every page on the Talk app.
 */
export function signedInPages<User extends string>(
  users: readonly User[] | Readonly<Record<User, Record<string, string>>>,
  options: {
    /** With a real livekit-server beside the server. */
    sfu?: boolean;
    /** Runs once the stack is up, before any page opens: what the pages should find there when they load. */
    prepare?: (stack: Stack) => Promise<void>;
  } = {},
): SignedInPages<User> {
  const queries: [User, Record<string, string>][] = Array.isArray(users)
    ? users.map((user) => [user, {}])
    : (Object.entries(users) as [User, Record<string, string>][]);
  const pages = {} as SignedInPages<User>;
  beforeAll(async () => {
    pages.stack = await startStack({ sfu: options.sfu ?? false });
    await options.prepare?.(pages.stack);
    for (const [user, query] of queries)
      (pages as Record<string, unknown>)[user] = await openDemo(pages.stack, user, query);
  });
  afterAll(async () => {
    await Promise.all(queries.map(([user]) => (pages[user] as DemoUser | undefined)?.browser.close()));
    await pages.stack?.stop();
  });
  return pages;
}

/** Types a message into the composer of the user's chat in `scope` (a selector) and sends it with Enter. */
export async function sendChat(user: DemoUser, text: string, scope = TALK): Promise<void> {
  const input = await user.page.waitForSelector(`${scope} talk-chat >>> [part="input"]`);
  await input!.type(text);
  await input!.press('Enter');
}

/** Waits until the chat in `scope` (a selector) shows a message with this text. */
export async function waitForChat(user: DemoUser, text: string, scope = TALK): Promise<void> {
  await user.page.waitForFunction(
    (wanted, within) => {
      const chat = document.querySelector(`${within} talk-chat`);
      const messages = chat?.shadowRoot?.querySelectorAll('[part~="message"]') ?? [];
      return [...messages].some((message) => message.textContent?.includes(wanted));
    },
    { timeout: 15_000 },
    text,
    scope,
  );
}

/** Clicks the call element's join button. */
export async function joinCall(user: DemoUser): Promise<void> {
  const join = await user.page.waitForSelector(`${TALK} talk-call >>> [part~="join"]`);
  await join!.click();
}

/** Both users join the Talk app's call; answers what each then receives from the other, as {@link waitForRemoteVideo}. */
export async function callEachOther(first: DemoUser, second: DemoUser): Promise<[RemoteVideo, RemoteVideo]> {
  await joinCall(first);
  await joinCall(second);
  const [seenByFirst, seenBySecond] = await Promise.all([waitForRemoteVideo(first, 1), waitForRemoteVideo(second, 1)]);
  return [seenByFirst[0]!, seenBySecond[0]!];
}

/**
 * How many mentions the user's bell counts, from its label: the number on the bell adds unread messages, which an
 * open chat reads meanwhile, so only the mentions are sure to rise with a new one.
 */
export function bellMentions(user: DemoUser): Promise<number> {
  return user.page.$eval('.bell-button', (bell) =>
    Number(/(\d+) mentions/.exec(bell.getAttribute('aria-label') ?? '')?.[1]),
  );
}

/** Waits until the user's bell counts more mentions than `before`, then opens it; answers its newest entry. */
export async function openNewMention(user: DemoUser, before: number): Promise<ElementHandle<HTMLButtonElement>> {
  await user.page.waitForFunction(
    (was) =>
      Number(/(\d+) mentions/.exec(document.querySelector('.bell-button')?.getAttribute('aria-label') ?? '')?.[1]) >
      was,
    { timeout: 15_000 },
    before,
  );
  await (await user.page.waitForSelector('.bell-button'))!.click();
  return (await user.page.waitForSelector('#bell-panel .bell-item')) as ElementHandle<HTMLButtonElement>;
}

/** What a page sees of the remote video it receives. */
export interface RemoteVideo {
  sessionId: string;
  framesDecoded: number;
  width: number;
  height: number;
}

/**
 * Waits until the page decodes video from `count` remote participants, measured twice: frames decoded in
 * getStats (through the call's stats) and a non-zero size on the tile's video element.
 */
export async function waitForRemoteVideo(user: DemoUser, count: number): Promise<RemoteVideo[]> {
  const handle = await user.page.waitForFunction(
    async (wanted, within) => {
      const element = document.querySelector(`${within} talk-call`) as (HTMLElement & { call?: unknown }) | null;
      // Typed structurally: the page holds call-core's Call, whose CallStats this reads.
      const call = element?.call as
        | {
            getStats(): Promise<{ remote: { sessionId: string; tracks: { kind: string; framesDecoded: number }[] }[] }>;
          }
        | undefined;
      if (!call) return false;
      const stats = await call.getStats();
      const videos = [...(element!.shadowRoot?.querySelectorAll('[part~="tile"]:not([data-local])') ?? [])];
      const seen = stats.remote
        .map((participant) => {
          const tile = videos.find(
            (candidate) => (candidate as HTMLElement).dataset.sessionId === participant.sessionId,
          );
          const video = tile?.querySelector('video');
          return {
            sessionId: participant.sessionId,
            framesDecoded: participant.tracks.find((track) => track.kind === 'video')?.framesDecoded ?? 0,
            width: video?.videoWidth ?? 0,
            height: video?.videoHeight ?? 0,
          };
        })
        .filter((remote) => remote.framesDecoded > 0 && remote.width > 0 && remote.height > 0);
      return seen.length >= wanted ? seen : false;
    },
    { timeout: 30_000, polling: 500 },
    count,
    TALK,
  );
  return (await handle.jsonValue()) as RemoteVideo[];
}
