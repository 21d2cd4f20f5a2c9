export type { TalkServer, TalkServerOptions } from './app.js';
export { CloseCode, createTalkServer } from './app.js';
export type { Identity } from './auth/tokens.js';
export { TokenService } from './auth/tokens.js';
export type { LivekitConfig, LogLevel, StorageConfig, TalkConfig } from './config.js';
export { ConfigError, DEFAULT_MAX_VIDEO_BITRATE, defaultDataDir, describeConfig, loadConfig } from './config.js';
export { TalkServerError } from './errors.js';
export type { LocalLivekit, LocalLivekitOptions } from './livekit/local-server.js';
export { freePort, livekitAvailable, startLocalLivekit } from './livekit/local-server.js';
