import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's Chromium, unless CHROMIUM_PATH names another build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Options for {@link launchChromium}. */
export interface LaunchOptions {
  /** A .y4m or .mjpeg clip that replaces the fake camera's test pattern. */
  fakeVideoFile?: string;
  /** Extra command-line switches. */
  args?: string[];
}

/** A headless Chromium with its own throw-away profile. */
export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

// Switches that let Chromium run headless as root on a machine without a network, with fake media devices
// that need no permission prompt.
/** The switches every headless Chromium of the project starts with. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Background tabs and occluded windows must keep decoding video at full rate during measurements.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches Debian's Chromium headless with fake camera and microphone. */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'talk-chromium-'));
  const args = [...CHROMIUM_ARGS, ...(options.args ?? [])];
  if (options.fakeVideoFile) args.push(`--use-file-for-fake-video-capture=${options.fakeVideoFile}`);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    userDataDir,
    args,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
