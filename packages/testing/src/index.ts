export type { LaunchedBrowser, LaunchOptions } from './browser.js';
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './browser.js';
export type { LocalCoturn } from './coturn.js';
export { coturnAvailable, startCoturn, TURNSERVER_PATH } from './coturn.js';
export { FIREFOX_PATH, FIREFOX_PREFS, launchFirefox } from './firefox.js';
export type { HaproxyOptions, LocalHaproxy } from './haproxy.js';
export { HAPROXY_PATH, haproxyAvailable, haproxyConfig, startHaproxy } from './haproxy.js';
export { TcpProxy } from './tcp-proxy.js';
