import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, type LaunchedBrowser, type LaunchOptions } from '@talk/testing';
import puppeteer from 'puppeteer-core';

/**
 * Launches Chromium as launchChromium does (the same switches), but inside a network namespace: `ip netns exec`
 * replaces itself with Chromium, so the browser's pid is the one puppeteer started and its process tree can be
 * measured as usual. DevTools runs over a pipe, since the browser's loopback is the namespace's, not ours.
 */
export async function launchChromiumIn(
  namespace: string,
  ip: string,
  options: LaunchOptions,
): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'talk-chromium-'));
  const switches = [...CHROMIUM_ARGS, ...(options.args ?? [])];
  if (options.fakeVideoFile) switches.push(`--use-file-for-fake-video-capture=${options.fakeVideoFile}`);
  // puppeteer puts its own switches after the executable; `ip` must come first, so they are computed here.
  const chromium = await puppeteer.defaultArgs({ headless: true, userDataDir, args: switches });
  const browser = await puppeteer
    .launch({
      executablePath: ip,
      ignoreDefaultArgs: true,
      pipe: true,
      // The run's Cleanup owns these signals: puppeteer's own SIGINT handler exits the process at once, before the
      // namespaces are removed.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: ['netns', 'exec', namespace, CHROMIUM_PATH, ...chromium],
    })
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
