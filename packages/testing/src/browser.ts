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
  /**
   * Runs Chromium inside this network namespace through `ip netns exec`, which replaces itself with the browser:
   * the browser's pid stays the one started, so its process tree can be measured. DevTools then runs over a pipe,
   * since the browser's loopback is the namespace's.
   */
  namespace?: { name: string; ip: string };
  /**
   * Whether puppeteer closes the browser and exits the process on SIGINT, SIGTERM and SIGHUP (the default). A
   * caller with its own clean-up turns this off: puppeteer's handler would exit before that clean-up ran.
   */
  handleSignals?: boolean;
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
  const signals = options.handleSignals ?? true;
  const { namespace } = options;
  // In a namespace `ip` is the executable, so puppeteer's own switches are computed here to follow Chromium's path.
  const launch = namespace
    ? {
        executablePath: namespace.ip,
        ignoreDefaultArgs: true,
        pipe: true,
        args: [
          'netns',
          'exec',
          namespace.name,
          CHROMIUM_PATH,
          // Named: Puppeteer otherwise gives the switches of the browser it launched last, Firefox's after a
          // Firefox run, and Chromium would not start with them.
          ...(await puppeteer.defaultArgs({ browser: 'chrome', headless: true, userDataDir, args })),
        ],
      }
    : { executablePath: CHROMIUM_PATH, headless: true, userDataDir, args };
  const browser = await puppeteer
    .launch({ ...launch, browser: 'chrome', handleSIGINT: signals, handleSIGTERM: signals, handleSIGHUP: signals })
    .catch(async (error: unknown) => {
      await rm(userDataDir, { recursive: true, force: true });
      throw error;
    });
  return {
    browser,
    async close() {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
