import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { LaunchedBrowser, LaunchOptions } from './browser.js';

/** Debian's Firefox ESR, unless FIREFOX_PATH names another build. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Preferences that let Firefox run headless on a machine without a network, with fake media devices that need
 * no permission prompt, the counterparts of {@link CHROMIUM_ARGS}.
 */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Firefox leaves loopback out of its ICE candidates by default; every call here runs on loopback.
  'media.peerconnection.ice.loopback': true,
  // Host candidates as addresses, not mDNS names: livekit-server does not resolve `.local` names.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // Background tabs keep their timers and decoding at full rate, as in Chromium with its switches.
  'dom.min_background_timeout_value': 0,
  'dom.timeout.enable_budget_timer_throttling': false,
  'network.proxy.type': 0,
  'app.update.auto': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
};

/** Launches Debian's Firefox ESR headless with fake camera and microphone; Puppeteer speaks WebDriver BiDi to it. */
export async function launchFirefox(options: Pick<LaunchOptions, 'handleSignals'> = {}): Promise<LaunchedBrowser> {
  const signals = options.handleSignals ?? true;
  const userDataDir = await mkdtemp(join(tmpdir(), 'talk-firefox-'));
  const browser = await puppeteer
    .launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir,
      extraPrefsFirefox: { ...FIREFOX_PREFS },
      handleSIGINT: signals,
      handleSIGTERM: signals,
      handleSIGHUP: signals,
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
