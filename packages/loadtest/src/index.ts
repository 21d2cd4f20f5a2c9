export type { LaunchedBrowser, LaunchOptions } from './browser.js';
export { CHROMIUM_PATH, launchChromium } from './browser.js';
