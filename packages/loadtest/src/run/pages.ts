// The participants' browsers and pages, launched and driven the same way by the local harness and by an agent: the
// fake camera's clip, a browser of either kind, a window per participant with the harness page, and the page's API.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LaunchedBrowser, type LaunchOptions, launchChromium, launchFirefox } from '@talk/testing';
import type { Page } from 'puppeteer-core';
import { type ClipFormat, clipFileName, writeNoiseClip } from '../media/noise-clip.js';
import type { JoinRequest, JoinResult, PageApi, PageSample } from '../page-api.js';
import type { BrowserName } from './call-run.js';

/** Where generated clips are kept between runs (git-ignored). */
const CACHE_DIR = fileURLToPath(new URL('../../.cache', import.meta.url));

/** Writes (or finds from an earlier run) the noise clip that Chromium's fake camera plays; answers its path. */
export function harnessClip(video: Omit<ClipFormat, 'seconds'>): Promise<string> {
  const clip: ClipFormat = { ...video, seconds: 4 };
  return writeNoiseClip(join(CACHE_DIR, clipFileName(clip)), clip);
}

/** How to launch one of the participants' browsers. */
export interface ParticipantBrowserOptions {
  browser?: BrowserName;
  /** The clip Chromium's fake camera plays; Firefox plays its own pattern. */
  clipPath: string;
  /** The server's URL when it is not on localhost: getUserMedia needs a secure context, and only localhost is one. */
  insecureOrigin?: string;
  /** Chromium only: the network namespace it runs in. */
  namespace?: LaunchOptions['namespace'];
}

/** Launches a browser for participants. The run's clean-up owns the signals: it must get to remove what it started. */
export function launchParticipantBrowser(options: ParticipantBrowserOptions): Promise<LaunchedBrowser> {
  if (options.browser === 'firefox') return launchFirefox({ handleSignals: false });
  return launchChromium({
    fakeVideoFile: options.clipPath,
    handleSignals: false,
    ...(options.insecureOrigin && { args: [`--unsafely-treat-insecure-origin-as-secure=${options.insecureOrigin}`] }),
    ...(options.namespace && { namespace: options.namespace }),
  });
}

/** Where and how one participant's page opens. */
export interface ParticipantPageOptions {
  /** The server that serves the harness page. */
  serverUrl: string;
  /** Names the participant in the page's errors, e.g. `p3`. */
  label: string;
  /** The size of the window: every remote video must be on screen at once. */
  viewport: { width: number; height: number };
  /** Runs on the page before it loads (e.g. to watch its sockets). */
  beforeLoad?: (page: Page) => Promise<void>;
}

/** Opens the harness page for one participant in `browser` and waits until it offers its API. */
export async function openParticipantPage(browser: LaunchedBrowser, options: ParticipantPageOptions): Promise<Page> {
  // A window each, not a tab: a background tab is hidden, presents no video, and the SFU pauses its videos.
  const page = await browser.browser.newPage({ type: 'window' });
  // The SFU's adaptive stream pauses video whose element is not visible.
  await page.setViewport(options.viewport);
  page.on('pageerror', (error) => process.stderr.write(`[${options.label}] page error: ${String(error)}\n`));
  await options.beforeLoad?.(page);
  await page.goto(`${options.serverUrl}/index.html`);
  // The page defines window.loadtest once call-core has loaded; a string, since this side has no DOM types.
  await page.waitForFunction('window.loadtest !== undefined', { timeout: 20_000 });
  return page;
}

/** Has the participant's page join the call. */
export function joinPage(page: Page, request: JoinRequest): Promise<JoinResult> {
  return page.evaluate((asked) => (globalThis as unknown as { loadtest: PageApi }).loadtest.join(asked), request);
}

/** The page's counters now. */
export function samplePage(page: Page): Promise<PageSample> {
  return page.evaluate(() => (globalThis as unknown as { loadtest: PageApi }).loadtest.sample());
}

/** Leaves the call in the page; a page that fails to is no error, since its browser closes next. */
export async function leavePage(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { loadtest: PageApi }).loadtest.leave()).catch(() => {});
}
