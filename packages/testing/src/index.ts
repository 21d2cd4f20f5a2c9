export type { LaunchedBrowser, LaunchOptions } from './browser.js';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser.js';
export type { LocalCoturn } from './coturn.js';
export { coturnAvailable, startCoturn, TURNSERVER_PATH } from './coturn.js';
export { FIREFOX_PATH, FIREFOX_PREFS, launchFirefox } from './firefox.js';
export { TcpProxy } from './tcp-proxy.js';
