export type { LaunchedBrowser, LaunchOptions } from './browser.js';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser.js';
