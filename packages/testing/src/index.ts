export type { LaunchedBrowser, LaunchOptions } from './browser.js';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser.js';
export { TcpProxy } from './tcp-proxy.js';
