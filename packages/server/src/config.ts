import { existsSync, statSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the conversations live: embedded PGlite (a folder, or `memory://`) or a PostgreSQL server. */
export type StorageConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** A LiveKit server that calls can move to when they outgrow a mesh. */
export interface LivekitConfig {
  /** WebSocket URL clients connect to; the server's own API calls go there too. */
  url: string;
  /**
   * Further nodes of the same multi-node deployment (one Redis): participants are sent to `url` and these in
   * turn, and LiveKit routes each to the node that holds the room.
   */
  nodeUrls?: string[];
  /** API key that signs access tokens. */
  apiKey: string;
  /** API secret that signs access tokens. */
  apiSecret: string;
}

/** Everything the server needs to start; {@link loadConfig} builds it from the environment. */
export interface TalkConfig {
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** The data layer's backend. */
  storage: StorageConfig;
  /** Whether anyone may mint tokens for demo users; only on loopback, without production secrets or a database. */
  devMode: boolean;
  /**
   * One non-loopback address that dev mode may still listen on, named exactly, for a test harness whose browsers
   * sit behind a private bridge of this machine (the load test's shaped network); never a wildcard.
   */
  devModeAllowedHost?: string;
  /** HS256 secret for user and guest tokens; generated per start when absent in dev mode. */
  jwtSecret?: string;
  /** A PEM public key (SPKI) that host apps' RS256/ES256/EdDSA user tokens are checked with, besides the secret. */
  jwtPublicKey?: string;
  /** The `aud` every token must carry (and minted tokens carry); `talk` unless set. */
  jwtAudience?: string;
  /** The `iss` every token must carry, when set; minted tokens carry it too. */
  jwtIssuer?: string;
  /** The oldest token accepted, by its `iat`, in seconds; a day unless set. */
  jwtMaxAgeSeconds?: number;
  /** How far the host's clock and ours may disagree on `exp`/`iat`/`nbf`, in seconds; 30 unless set. */
  jwtClockToleranceSeconds?: number;
  /** HS256 secret of guest tokens only; derived from `jwtSecret` when absent, never equal to it. */
  guestJwtSecret?: string;
  /** Guest creation per client address: at most `max` guests per `windowMs`. */
  guestRate?: { max: number; windowMs: number };
  /** The SFU, if any. */
  livekit?: LivekitConfig;
  /** A folder served at `/`, so a built app and the API share one origin. */
  staticDir?: string;
  /** Who may show this server's pages in a frame (CSP `frame-ancestors` sources); `'self'` unless set. */
  frameAncestors?: string[];
  /** STUN server URLs handed to clients. */
  stunUrls?: string[];
  /** Per-stream video bitrate cap for mesh calls, in bits per second. */
  maxVideoBitrate?: number;
  /** What the server logs to stdout (pino JSON lines); silent unless set. */
  logLevel?: LogLevel;
  /**
   * Redis for pub/sub between instances and for the counters they share (rate limits, the password throttle, the
   * LiveKit webhook ledger); without it, one instance alone, counting in its own memory.
   */
  redisUrl?: string;
  /** Prepended to the counters' Redis keys, so that deployments (or test servers) can share one Redis. */
  redisKeyPrefix?: string;
  /** TURN servers with time-limited credentials (coturn's use-auth-secret). */
  turn?: TurnConfig;
  /** Call topology thresholds (a conversation may override the first two). */
  topology?: { sfuFrom: number; meshAtMost: number; downgradeDelayMs: number };
  /** How long a dropped signaling session waits for a resume, in ms. */
  resumeGraceMs?: number;
  /** Largest attachment, in bytes. */
  maxAttachmentBytes?: number;
  /** How often an instance records that it is alive, in ms (instances silent for 3 intervals are reaped). */
  heartbeatMs?: number;
  /** Signaling rate limit: sustained messages per second and burst, per session. */
  signalingRate?: { perSecond: number; burst: number };
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client's address (Fastify's `trustProxy`): `true` for any,
   * a hop count, or the proxies' addresses and CIDR ranges. Unset, the socket's peer is the client, so behind a
   * proxy every client would share the proxy's per-address limits.
   */
  trustProxy?: boolean | number | string[];
  /**
   * REST rate limits per action, per user and per address; unset actions keep {@link DEFAULT_RATE_LIMITS}.
   * `false` switches them off, for a deployment whose gateway limits already, or a test stack that posts in bulk.
   */
  rateLimits?: false | Partial<Record<RateLimitedAction, RateLimit>>;
  /** How many bytes of attachments one user, and one conversation, may keep; unset keeps the defaults. */
  attachmentQuota?: Partial<AttachmentQuota>;
  /** How many different reactions one user may give one message. */
  maxReactionsPerMessage?: number;
  /** Signaling flow control: sessions per user, unsent bytes, ping deadline; unset keeps the defaults. */
  signalingFlow?: Partial<SignalingFlowLimits>;
}

/** The REST actions that are rate-limited. */
export const RATE_LIMITED_ACTIONS = ['posts', 'edits', 'uploads', 'conversations', 'reactions', 'votes'] as const;
/** One of {@link RATE_LIMITED_ACTIONS}. */
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];

/** How many requests of one action fit in a window: per user, and per client address (many users behind one). */
export interface RateLimit {
  /** Requests one user may make per window. */
  perUser: number;
  /** Requests one address (an IPv6 /64) may make per window, whoever signs them. */
  perAddress: number;
  /** The window, in ms. */
  windowMs: number;
}

/** Default REST limits, per minute: roomy for people, tight for scripts. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitedAction, RateLimit> = {
  posts: { perUser: 120, perAddress: 600, windowMs: 60_000 },
  edits: { perUser: 60, perAddress: 300, windowMs: 60_000 },
  uploads: { perUser: 30, perAddress: 150, windowMs: 60_000 },
  conversations: { perUser: 30, perAddress: 150, windowMs: 60_000 },
  reactions: { perUser: 120, perAddress: 600, windowMs: 60_000 },
  votes: { perUser: 60, perAddress: 300, windowMs: 60_000 },
};

/** Attachment storage quotas, in bytes; 0 means no quota. */
export interface AttachmentQuota {
  /** All of one user's uploads, across conversations. */
  perUserBytes: number;
  /** All uploads in one conversation. */
  perConversationBytes: number;
}

/** Default quotas: 1 GiB per user, 5 GiB per conversation. */
export const DEFAULT_ATTACHMENT_QUOTA: AttachmentQuota = {
  perUserBytes: 1024 * 1024 * 1024,
  perConversationBytes: 5 * 1024 * 1024 * 1024,
};

/** Default cap on the different reactions one user gives one message. */
export const DEFAULT_MAX_REACTIONS_PER_MESSAGE = 20;

/** Limits that keep one signaling client from holding the server's memory or sockets. */
export interface SignalingFlowLimits {
  /** Sessions one user may have open at once on an instance; the oldest beyond it is closed. */
  maxSessionsPerUser: number;
  /** Bytes a socket may have queued unsent before the server closes it as a slow consumer. */
  maxBufferedBytes: number;
  /** How often the server pings each socket; a socket that has not answered by the next ping is cut. */
  pingIntervalMs: number;
  /** The shortest gap between two forwarded `typing` messages of a session, or two identical announcements. */
  repeatIntervalMs: number;
}

/** Default signaling flow limits. */
export const DEFAULT_SIGNALING_FLOW: SignalingFlowLimits = {
  maxSessionsPerUser: 16,
  maxBufferedBytes: 4 * 1024 * 1024,
  pingIntervalMs: 30_000,
  repeatIntervalMs: 3_000,
};

/** TURN with the REST-API credential scheme: username `<expiry>:<user>`, password HMAC-SHA1 of a shared secret. */
export interface TurnConfig {
  /** turn: / turns: URLs. */
  urls: string[];
  /** The secret shared with the TURN server (coturn's static-auth-secret). */
  secret: string;
  /** How long credentials last, in seconds. */
  ttlSeconds: number;
}

/** Default largest attachment: 10 MiB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * The largest attachment the server may be configured to take: the size its tests upload and download on both
 * storage backends (an attachment is one bytea value, held in memory while it is written).
 */
export const MAX_ATTACHMENT_BYTES_CAP = 16 * 1024 * 1024;

/** Levels of TALK_LOG_LEVEL; `info` logs every request. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A setting in the environment that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** The repository root, for defaults that live in it (the same from src/ and dist/). */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The default PGlite folder: `<repo>/.data/pglite`. */
export const defaultDataDir = join(repoRoot, '.data', 'pglite');

/** Default per-stream video bitrate cap, in bits per second. */
export const DEFAULT_MAX_VIDEO_BITRATE = 1_000_000;

/** Reads and validates the server's configuration from environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TalkConfig {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const devMode = parseFlag('TALK_DEV_MODE', value('TALK_DEV_MODE'));
  const jwtSecret = value('TALK_JWT_SECRET');
  if (!jwtSecret && !devMode) {
    throw new ConfigError('TALK_JWT_SECRET', 'required unless TALK_DEV_MODE=1 (then a random one is made per start)');
  }
  // RFC 7518 §3.2: an HS256 key must be at least as long as the hash.
  if (jwtSecret && jwtSecret.length < 32) throw new ConfigError('TALK_JWT_SECRET', 'must be at least 32 characters');

  const jwtPublicKey = value('TALK_JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  if (jwtPublicKey && !jwtPublicKey.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new ConfigError('TALK_JWT_PUBLIC_KEY', 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }
  const guestJwtSecret = value('TALK_GUEST_JWT_SECRET');
  if (guestJwtSecret && guestJwtSecret.length < 32) {
    throw new ConfigError('TALK_GUEST_JWT_SECRET', 'must be at least 32 characters');
  }
  if (guestJwtSecret && guestJwtSecret === jwtSecret) {
    throw new ConfigError(
      'TALK_GUEST_JWT_SECRET',
      'must differ from TALK_JWT_SECRET: guest tokens have a key of their own',
    );
  }
  if (guestJwtSecret && devMode) {
    throw new ConfigError('TALK_GUEST_JWT_SECRET', 'TALK_DEV_MODE=1 runs with random keys only; unset one of them');
  }
  const jwtAudience = value('TALK_JWT_AUDIENCE') ?? 'talk';
  const jwtIssuer = value('TALK_JWT_ISSUER');
  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const host = value('HOST') ?? '127.0.0.1';
  const devModeAllowedHost = value('TALK_DEV_MODE_ALLOWED_HOST');
  if (devMode) {
    checkDevMode({ host, devModeAllowedHost, jwtSecret, jwtPublicKey, databaseUrl });
  } else if (devModeAllowedHost) {
    throw new ConfigError('TALK_DEV_MODE_ALLOWED_HOST', 'only means something with TALK_DEV_MODE=1; unset it');
  }
  const dataDir = value('TALK_DATA_DIR');
  const storage: StorageConfig = databaseUrl
    ? { kind: 'postgres', url: databaseUrl }
    : { kind: 'pglite', dataDir: dataDir === 'memory://' ? dataDir : resolve(dataDir ?? defaultDataDir) };

  const livekitVars = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const;
  const [url, apiKey, apiSecret] = livekitVars.map(value);
  let livekit: LivekitConfig | undefined;
  if (url && apiKey && apiSecret) {
    if (!/^wss?:\/\//.test(url)) throw new ConfigError('LIVEKIT_URL', 'must be a ws:// or wss:// URL');
    const nodeUrls = (value('LIVEKIT_NODE_URLS') ?? '')
      .split(',')
      .map((node) => node.trim())
      .filter(Boolean);
    const bad = nodeUrls.find((node) => !/^wss?:\/\//.test(node));
    if (bad) throw new ConfigError('LIVEKIT_NODE_URLS', `${bad} is not a ws:// or wss:// URL`);
    livekit = { url, apiKey, apiSecret, ...(nodeUrls.length > 0 ? { nodeUrls } : {}) };
  } else if (url || apiKey || apiSecret) {
    const missing = livekitVars.filter((name) => !value(name));
    throw new ConfigError(
      missing[0]!,
      `LiveKit needs all of ${livekitVars.join(', ')} or none; missing ${missing.join(', ')}`,
    );
  }

  const staticDir = value('TALK_STATIC_DIR');
  if (staticDir && !(existsSync(staticDir) && statSync(staticDir).isDirectory())) {
    throw new ConfigError('TALK_STATIC_DIR', `${staticDir} is not a folder`);
  }
  const frameAncestors = (value('TALK_FRAME_ANCESTORS') ?? '').split(/[\s,]+/).filter(Boolean);
  for (const source of frameAncestors) {
    // A source or a keyword; a semicolon or quote inside one would inject another directive.
    if (!/^('self'|'none'|(https?:\/\/)?(\*\.)?[A-Za-z0-9.-]+(:(\d+|\*))?|https?:)$/.test(source)) {
      throw new ConfigError('TALK_FRAME_ANCESTORS', `${source} is not an origin, a scheme, 'self' or 'none'`);
    }
  }
  const stunUrls = (value('TALK_STUN_URLS') ?? '').split(/[\s,]+/).filter(Boolean);
  for (const stun of stunUrls) {
    if (!/^stuns?:/.test(stun)) throw new ConfigError('TALK_STUN_URLS', `${stun} is not a stun: or stuns: URL`);
  }

  const redisUrl = value('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  const turnUrls = (value('TALK_TURN_URLS') ?? '').split(/[\s,]+/).filter(Boolean);
  for (const turn of turnUrls) {
    if (!/^turns?:/.test(turn)) throw new ConfigError('TALK_TURN_URLS', `${turn} is not a turn: or turns: URL`);
  }
  const turnSecret = value('TALK_TURN_SECRET');
  if (turnUrls.length > 0 !== (turnSecret !== undefined)) {
    throw new ConfigError(
      turnSecret ? 'TALK_TURN_URLS' : 'TALK_TURN_SECRET',
      'TURN needs both TALK_TURN_URLS and TALK_TURN_SECRET',
    );
  }
  const turn = turnSecret
    ? {
        urls: turnUrls,
        secret: turnSecret,
        ttlSeconds: parseInteger('TALK_TURN_TTL', value('TALK_TURN_TTL'), 86_400, 60, 604_800),
      }
    : undefined;
  const rateLimits: Partial<Record<RateLimitedAction, RateLimit>> = {};
  const limitsOff = parseFlag('TALK_RATE_LIMITS_OFF', value('TALK_RATE_LIMITS_OFF'));
  for (const action of RATE_LIMITED_ACTIONS) {
    const name = `TALK_RATE_LIMIT_${action.toUpperCase()}`;
    const raw = value(name);
    if (raw !== undefined) rateLimits[action] = parseRateLimit(name, raw);
  }
  const sfuFrom = parseInteger('TALK_SFU_FROM', value('TALK_SFU_FROM'), 5, 2, 1000);
  const meshAtMost = parseInteger('TALK_MESH_AT_MOST', value('TALK_MESH_AT_MOST'), 3, 1, 999);
  if (meshAtMost >= sfuFrom) throw new ConfigError('TALK_MESH_AT_MOST', `must be below TALK_SFU_FROM (${sfuFrom})`);
  return {
    host,
    port: parseInteger('PORT', value('PORT'), 8787, 0, 65_535),
    storage,
    devMode,
    devModeAllowedHost,
    jwtSecret,
    jwtPublicKey,
    jwtAudience,
    jwtIssuer,
    jwtMaxAgeSeconds: parseInteger('TALK_JWT_MAX_AGE', value('TALK_JWT_MAX_AGE'), 86_400, 60, 604_800),
    jwtClockToleranceSeconds: parseInteger('TALK_JWT_CLOCK_TOLERANCE', value('TALK_JWT_CLOCK_TOLERANCE'), 30, 0, 300),
    guestJwtSecret,
    guestRate: {
      max: parseInteger('TALK_GUEST_RATE', value('TALK_GUEST_RATE'), 10, 1, 100_000),
      windowMs: parseInteger('TALK_GUEST_RATE_WINDOW_MS', value('TALK_GUEST_RATE_WINDOW_MS'), 60_000, 1000, 86_400_000),
    },
    livekit,
    staticDir: staticDir ? resolve(staticDir) : undefined,
    frameAncestors: frameAncestors.length > 0 ? frameAncestors : undefined,
    stunUrls,
    maxVideoBitrate: parseInteger(
      'TALK_MAX_VIDEO_BITRATE',
      value('TALK_MAX_VIDEO_BITRATE'),
      DEFAULT_MAX_VIDEO_BITRATE,
      10_000,
      100_000_000,
    ),
    logLevel: parseLogLevel(value('TALK_LOG_LEVEL')),
    redisUrl,
    turn,
    topology: {
      sfuFrom,
      meshAtMost,
      downgradeDelayMs: parseInteger(
        'TALK_SFU_DOWNGRADE_DELAY_MS',
        value('TALK_SFU_DOWNGRADE_DELAY_MS'),
        10_000,
        0,
        3_600_000,
      ),
    },
    heartbeatMs: parseInteger('TALK_HEARTBEAT_MS', value('TALK_HEARTBEAT_MS'), 10_000, 100, 600_000),
    resumeGraceMs: parseInteger('TALK_RESUME_GRACE_MS', value('TALK_RESUME_GRACE_MS'), 30_000, 0, 600_000),
    maxAttachmentBytes: parseInteger(
      'TALK_MAX_ATTACHMENT_BYTES',
      value('TALK_MAX_ATTACHMENT_BYTES'),
      DEFAULT_MAX_ATTACHMENT_BYTES,
      1,
      MAX_ATTACHMENT_BYTES_CAP,
    ),
    signalingRate: {
      perSecond: parseInteger('TALK_SIGNALING_RATE', value('TALK_SIGNALING_RATE'), 50, 1, 100_000),
      burst: parseInteger('TALK_SIGNALING_BURST', value('TALK_SIGNALING_BURST'), 200, 1, 100_000),
    },
    trustProxy: parseTrustProxy(value('TALK_TRUST_PROXY')),
    rateLimits: limitsOff ? false : rateLimits,
    attachmentQuota: {
      perUserBytes: parseInteger(
        'TALK_ATTACHMENT_QUOTA_USER_BYTES',
        value('TALK_ATTACHMENT_QUOTA_USER_BYTES'),
        DEFAULT_ATTACHMENT_QUOTA.perUserBytes,
        0,
        Number.MAX_SAFE_INTEGER,
      ),
      perConversationBytes: parseInteger(
        'TALK_ATTACHMENT_QUOTA_CONVERSATION_BYTES',
        value('TALK_ATTACHMENT_QUOTA_CONVERSATION_BYTES'),
        DEFAULT_ATTACHMENT_QUOTA.perConversationBytes,
        0,
        Number.MAX_SAFE_INTEGER,
      ),
    },
    maxReactionsPerMessage: parseInteger(
      'TALK_MAX_REACTIONS_PER_MESSAGE',
      value('TALK_MAX_REACTIONS_PER_MESSAGE'),
      DEFAULT_MAX_REACTIONS_PER_MESSAGE,
      1,
      1000,
    ),
    signalingFlow: {
      maxSessionsPerUser: parseInteger(
        'TALK_MAX_SESSIONS_PER_USER',
        value('TALK_MAX_SESSIONS_PER_USER'),
        DEFAULT_SIGNALING_FLOW.maxSessionsPerUser,
        1,
        10_000,
      ),
      maxBufferedBytes: parseInteger(
        'TALK_SIGNALING_MAX_BUFFERED_BYTES',
        value('TALK_SIGNALING_MAX_BUFFERED_BYTES'),
        DEFAULT_SIGNALING_FLOW.maxBufferedBytes,
        64 * 1024,
        1024 * 1024 * 1024,
      ),
      pingIntervalMs: parseInteger(
        'TALK_SIGNALING_PING_MS',
        value('TALK_SIGNALING_PING_MS'),
        DEFAULT_SIGNALING_FLOW.pingIntervalMs,
        100,
        600_000,
      ),
    },
  };
}

/** `perUser/perAddress` requests per minute, e.g. `120/600`. */
function parseRateLimit(name: string, raw: string): RateLimit {
  const match = /^(\d+)\/(\d+)$/.exec(raw);
  const [perUser, perAddress] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || perUser < 1 || perAddress < 1) {
    throw new ConfigError(name, `expected <per user>/<per address> requests per minute, e.g. 120/600; got "${raw}"`);
  }
  return { perUser, perAddress, windowMs: 60_000 };
}

/** `true`, `false`, a hop count, or a comma-separated list of proxy addresses and CIDR ranges. */
function parseTrustProxy(raw: string | undefined): TalkConfig['trustProxy'] {
  if (raw === undefined || raw.toLowerCase() === 'false') return undefined;
  if (raw.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const proxies = raw.split(/[\s,]+/).filter(Boolean);
  for (const proxy of proxies) {
    const [address = '', bits] = proxy.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    if (family === 0 || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new ConfigError('TALK_TRUST_PROXY', `${proxy} is not an address or CIDR range (or true, false, a count)`);
    }
  }
  return proxies;
}

/** Why dev mode is confined, the start of each refusal. */
const DEV_MODE_RISK = 'TALK_DEV_MODE=1 lets anyone mint a token for any user';

/** The machine itself: 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** The wildcard addresses, which listen on every interface. */
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addAddress('0.0.0.0', 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

/** Whether `host` (an address, `[v6]`, or `localhost`) is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1');
  if (address.toLowerCase() === 'localhost') return true;
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** What dev mode must not run with; {@link checkDevMode} reads it. */
export interface DevModeSetting {
  /** The listen address (HOST). */
  host: string;
  /** TALK_DEV_MODE_ALLOWED_HOST, if set. */
  devModeAllowedHost?: string;
  /** TALK_JWT_SECRET, if set. */
  jwtSecret?: string;
  /** TALK_JWT_PUBLIC_KEY, if set. */
  jwtPublicKey?: string;
  /** DATABASE_URL, if set. */
  databaseUrl?: string;
}

/**
 * Refuses dev mode anywhere it could do harm. Anyone who reaches a dev-mode server can mint a token for any user
 * id, so it may listen on loopback only (or on the one address TALK_DEV_MODE_ALLOWED_HOST names), and it must not
 * hold what a production deployment has: the host app's signing secret or public key (minted tokens, or tokens
 * the host signed, would then open real accounts) or a PostgreSQL database (real users' conversations).
 */
export function checkDevMode(setting: DevModeSetting): void {
  checkDevModeHost(setting.host, setting.devModeAllowedHost);
  if (setting.jwtSecret) {
    throw new ConfigError(
      'TALK_JWT_SECRET',
      `${DEV_MODE_RISK}, so it runs with its own random key, never a configured secret; unset TALK_JWT_SECRET or TALK_DEV_MODE`,
    );
  }
  if (setting.jwtPublicKey) {
    throw new ConfigError(
      'TALK_JWT_PUBLIC_KEY',
      `${DEV_MODE_RISK}, so it does not also accept the host app's tokens; unset TALK_JWT_PUBLIC_KEY or TALK_DEV_MODE`,
    );
  }
  if (setting.databaseUrl) {
    throw new ConfigError(
      'DATABASE_URL',
      `${DEV_MODE_RISK}, so it keeps its data in PGlite (TALK_DATA_DIR), never a PostgreSQL database; unset DATABASE_URL or TALK_DEV_MODE`,
    );
  }
}

/**
 * Refuses a dev-mode listen address that others can reach: loopback, or exactly the address `allowed` names.
 * {@link createTalkServer} checks this too, for servers embedded without {@link loadConfig}.
 */
export function checkDevModeHost(host: string, allowed?: string): void {
  if (allowed !== undefined) {
    const address = allowed.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(address);
    if (family === 0 || UNSPECIFIED.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
      throw new ConfigError(
        'TALK_DEV_MODE_ALLOWED_HOST',
        `must be one address, not a wildcard or a name; got "${allowed}"`,
      );
    }
    if (allowed !== host) {
      throw new ConfigError('TALK_DEV_MODE_ALLOWED_HOST', `names ${allowed} but HOST is ${host}; they must match`);
    }
  } else if (!isLoopbackHost(host)) {
    throw new ConfigError(
      'HOST',
      `${DEV_MODE_RISK}, so it listens on loopback only (127.0.0.1, ::1 or localhost), not ${host}; set HOST=127.0.0.1, or unset TALK_DEV_MODE and set TALK_JWT_SECRET`,
    );
  }
}

/** One paragraph that says how the server is set up, with secrets masked, for the start-up log. */
export function describeConfig(config: TalkConfig): string {
  const storage =
    config.storage.kind === 'postgres'
      ? `PostgreSQL at ${maskUrl(config.storage.url)}`
      : config.storage.dataDir === 'memory://'
        ? 'in-memory PGlite (nothing is kept)'
        : `PGlite in ${config.storage.dataDir}`;
  const parts = [
    `Talk server on ${config.host ?? '127.0.0.1'}:${config.port}`,
    `storing in ${storage}`,
    config.devMode
      ? 'DEV MODE: anyone may mint demo-user tokens'
      : `tokens signed with TALK_JWT_SECRET (${mask(config.jwtSecret)})${config.jwtPublicKey ? ' or the key of TALK_JWT_PUBLIC_KEY' : ''}`,
    config.livekit
      ? `SFU at ${config.livekit.url} (key ${config.livekit.apiKey}, secret ${mask(config.livekit.apiSecret)})`
      : 'no SFU, calls stay mesh',
    config.stunUrls?.length ? `STUN ${config.stunUrls.join(' ')}` : 'no STUN servers',
    `video capped at ${config.maxVideoBitrate ?? DEFAULT_MAX_VIDEO_BITRATE} bit/s per mesh stream`,
    config.staticDir ? `serving ${config.staticDir} at /` : 'no static files',
    `logging at ${config.logLevel ?? 'silent'}`,
    config.redisUrl ? `pub/sub over Redis at ${maskUrl(config.redisUrl)}` : 'single instance (no REDIS_URL)',
    config.turn
      ? `TURN ${config.turn.urls.join(' ')} (secret ${mask(config.turn.secret)}, ${config.turn.ttlSeconds} s)`
      : 'no TURN',
    config.topology
      ? `SFU from ${config.topology.sfuFrom} in call, mesh again at ${config.topology.meshAtMost} after ${config.topology.downgradeDelayMs} ms`
      : 'default topology thresholds',
    `attachments up to ${config.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES} bytes, kept in the database`,
  ];
  return `${parts.join('; ')}.`;
}

function parseFlag(name: string, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (lower === '1' || lower === 'true') return true;
  if (lower === '0' || lower === 'false') return false;
  throw new ConfigError(name, `expected 1, true, 0 or false, got "${raw}"`);
}

function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return 'warn';
  const level = LOG_LEVELS.find((known) => known === raw.toLowerCase());
  if (!level) throw new ConfigError('TALK_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return parsed;
}

function mask(secret: string | undefined): string {
  if (!secret) return 'unset';
  return secret.length <= 8 ? '****' : `${secret.slice(0, 2)}****${secret.slice(-2)}`;
}

function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '****';
  }
}
