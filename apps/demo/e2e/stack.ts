import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTalkServer, type LocalLivekit, startLocalLivekit, type TalkServer } from '@talk/server';
import { type LaunchedBrowser, launchChromium } from '@talk/testing';
import type { Page } from 'puppeteer-core';

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
