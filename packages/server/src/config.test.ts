import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTalkServer } from './app.js';
import {
  ConfigError,
  DEFAULT_MAX_VIDEO_BITRATE,
  defaultDataDir,
  describeConfig,
  isLoopbackHost,
  loadConfig,
} from './config.js';

const secret = 'x'.repeat(40);

describe('loadConfig', () => {
  it('defaults to loopback, port 8787 and PGlite in the repo’s .data folder', () => {
    const config = loadConfig({ TALK_JWT_SECRET: secret });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      devMode: false,
      storage: { kind: 'pglite', dataDir: defaultDataDir },
      stunUrls: [],
      maxVideoBitrate: DEFAULT_MAX_VIDEO_BITRATE,
      logLevel: 'warn',
    });
    expect(config.livekit).toBeUndefined();
    expect(defaultDataDir.endsWith(join('.data', 'pglite'))).toBe(true);
  });

  it('reads every variable', () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'talk-static-'));
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '9000',
      DATABASE_URL: 'postgres://talk:pw@db/talk',
      TALK_JWT_SECRET: secret,
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'key',
      LIVEKIT_API_SECRET: 'livekit-secret',
      LIVEKIT_NODE_URLS: 'ws://127.0.0.1:7890, ws://127.0.0.1:7900',
      TALK_STATIC_DIR: staticDir,
      TALK_STUN_URLS: 'stun:a.example:3478, stun:b.example:3478',
      TALK_MAX_VIDEO_BITRATE: '500000',
      TALK_LOG_LEVEL: 'INFO',
      TALK_FRAME_ANCESTORS: "https://host.example, 'self'",
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      devMode: false,
      storage: { kind: 'postgres', url: 'postgres://talk:pw@db/talk' },
      livekit: {
        url: 'ws://127.0.0.1:7880',
        nodeUrls: ['ws://127.0.0.1:7890', 'ws://127.0.0.1:7900'],
        apiKey: 'key',
        apiSecret: 'livekit-secret',
      },
      staticDir,
      stunUrls: ['stun:a.example:3478', 'stun:b.example:3478'],
      maxVideoBitrate: 500_000,
      logLevel: 'info',
      frameAncestors: ['https://host.example', "'self'"],
    });
  });

  it('keeps memory:// as an in-memory PGlite', () => {
    expect(loadConfig({ TALK_DEV_MODE: '1', TALK_DATA_DIR: 'memory://' }).storage).toEqual({
      kind: 'pglite',
      dataDir: 'memory://',
    });
  });

  it.each([
    [{}, 'TALK_JWT_SECRET'],
    [{ TALK_DEV_MODE: 'yes' }, 'TALK_DEV_MODE'],
    [{ TALK_JWT_SECRET: 'short' }, 'TALK_JWT_SECRET'],
    [{ TALK_JWT_SECRET: secret, PORT: 'eighty' }, 'PORT'],
    [{ TALK_JWT_SECRET: secret, LIVEKIT_URL: 'ws://x' }, 'LIVEKIT_API_KEY'],
    [
      {
        TALK_JWT_SECRET: secret,
        LIVEKIT_URL: 'ws://a',
        LIVEKIT_API_KEY: 'k',
        LIVEKIT_API_SECRET: 's',
        LIVEKIT_NODE_URLS: 'http://b',
      },
      'LIVEKIT_NODE_URLS',
    ],
    [{ TALK_JWT_SECRET: secret, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TALK_JWT_SECRET: secret, TALK_STATIC_DIR: '/does/not/exist' }, 'TALK_STATIC_DIR'],
    [{ TALK_JWT_SECRET: secret, TALK_STUN_URLS: 'http://x' }, 'TALK_STUN_URLS'],
    [{ TALK_JWT_SECRET: secret, TALK_LOG_LEVEL: 'loud' }, 'TALK_LOG_LEVEL'],
    [
      { TALK_JWT_SECRET: secret, TALK_FRAME_ANCESTORS: "https://a.example; script-src 'unsafe-inline'" },
      'TALK_FRAME_ANCESTORS',
    ],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}: `));
  });
});

describe('dev mode', () => {
  const dev = { TALK_DEV_MODE: '1' };
  const publicKey = '-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA\\n-----END PUBLIC KEY-----';

  it.each([undefined, '127.0.0.1', '127.8.9.10', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost'])(
    'starts on loopback (HOST=%s) with no secret or database',
    (host) => {
      const config = loadConfig({ ...dev, ...(host && { HOST: host }) });
      expect(config.devMode).toBe(true);
      expect(isLoopbackHost(config.host!)).toBe(true);
    },
  );

  it.each(['0.0.0.0', '::', '[::]', '192.168.1.20', '10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', 'talk.example.org'])(
    'refuses to listen on %s, naming HOST and what to set',
    (host) => {
      expect(() => loadConfig({ ...dev, HOST: host })).toThrow(ConfigError);
      expect(() => loadConfig({ ...dev, HOST: host })).toThrow(/^HOST: .*loopback.*set HOST=127\.0\.0\.1/);
    },
  );

  it.each([
    [{ TALK_JWT_SECRET: secret }, 'TALK_JWT_SECRET'],
    [{ TALK_JWT_PUBLIC_KEY: publicKey }, 'TALK_JWT_PUBLIC_KEY'],
    [{ DATABASE_URL: 'postgres://talk:pw@127.0.0.1/talk' }, 'DATABASE_URL'],
  ])('refuses a production setting %j on loopback too, naming %s and saying to unset it', (env, variable) => {
    expect(() => loadConfig({ ...dev, ...env })).toThrow(new RegExp(`^${variable}: .*unset ${variable}`));
    // Without dev mode the same setting is the ordinary production configuration.
    expect(loadConfig({ TALK_JWT_SECRET: secret, ...env }).devMode).toBe(false);
  });

  it('listens on the one non-loopback address TALK_DEV_MODE_ALLOWED_HOST names, and on nothing wider', () => {
    const bridge = { ...dev, HOST: '198.18.7.1', TALK_DEV_MODE_ALLOWED_HOST: '198.18.7.1' };
    expect(loadConfig(bridge)).toMatchObject({ devMode: true, host: '198.18.7.1' });
    expect(() => loadConfig({ ...bridge, HOST: '198.18.8.1' })).toThrow(/^TALK_DEV_MODE_ALLOWED_HOST: .*must match/);
    for (const wildcard of ['0.0.0.0', '::', '0:0::0']) {
      expect(() => loadConfig({ ...dev, HOST: wildcard, TALK_DEV_MODE_ALLOWED_HOST: wildcard })).toThrow(
        /^TALK_DEV_MODE_ALLOWED_HOST: .*wildcard/,
      );
    }
    expect(() => loadConfig({ ...dev, HOST: 'example.org', TALK_DEV_MODE_ALLOWED_HOST: 'example.org' })).toThrow(
      /^TALK_DEV_MODE_ALLOWED_HOST: /,
    );
    expect(() => loadConfig({ ...bridge, DATABASE_URL: 'postgres://db/talk' })).toThrow(/^DATABASE_URL: /);
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_DEV_MODE_ALLOWED_HOST: '198.18.7.1' })).toThrow(
      /^TALK_DEV_MODE_ALLOWED_HOST: /,
    );
  });

  it('is refused a public address by createTalkServer as well, before anything is opened', async () => {
    await expect(
      createTalkServer({ port: 0, host: '0.0.0.0', devMode: true, storage: { kind: 'pglite', dataDir: 'memory://' } }),
    ).rejects.toThrow(/^HOST: /);
  });
});

describe('describeConfig', () => {
  it('mentions what matters and masks every secret', () => {
    const summary = describeConfig(
      loadConfig({
        TALK_JWT_SECRET: secret,
        DATABASE_URL: 'postgres://talk:hunter2@db/talk',
        LIVEKIT_URL: 'ws://127.0.0.1:7880',
        LIVEKIT_API_KEY: 'key',
        LIVEKIT_API_SECRET: 'livekit-api-secret',
      }),
    );
    expect(summary).toContain('127.0.0.1:8787');
    expect(summary).toContain('ws://127.0.0.1:7880');
    for (const hidden of [secret, 'hunter2', 'livekit-api-secret']) expect(summary).not.toContain(hidden);
  });
});

describe('loadConfig for scale, TURN, topology and limits', () => {
  it('reads REDIS_URL, TURN, topology thresholds, resume grace, rate and attachment limits', () => {
    const config = loadConfig({
      TALK_JWT_SECRET: secret,
      // The default data folder is under the checkout, whose path may hold the word the summary must not show.
      TALK_DATA_DIR: 'memory://',
      REDIS_URL: 'redis://127.0.0.1:6379',
      TALK_TURN_URLS: 'turn:turn.example:3478, turns:turn.example:5349',
      TALK_TURN_SECRET: 'shared',
      TALK_TURN_TTL: '600',
      TALK_SFU_FROM: '6',
      TALK_MESH_AT_MOST: '2',
      TALK_SFU_DOWNGRADE_DELAY_MS: '5000',
      TALK_RESUME_GRACE_MS: '1000',
      TALK_SIGNALING_RATE: '10',
      TALK_SIGNALING_BURST: '20',
      TALK_MAX_ATTACHMENT_BYTES: '1024',
    });
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      turn: { urls: ['turn:turn.example:3478', 'turns:turn.example:5349'], secret: 'shared', ttlSeconds: 600 },
      topology: { sfuFrom: 6, meshAtMost: 2, downgradeDelayMs: 5000 },
      resumeGraceMs: 1000,
      signalingRate: { perSecond: 10, burst: 20 },
      maxAttachmentBytes: 1024,
    });
    const summary = describeConfig(config);
    expect(summary).toContain('pub/sub over Redis');
    expect(summary).not.toContain('shared');
  });

  it('reads rate limits, the trusted proxies, quotas and signaling flow limits, and refuses malformed ones', () => {
    const config = loadConfig({
      TALK_JWT_SECRET: secret,
      TALK_RATE_LIMIT_POSTS: '10/50',
      TALK_TRUST_PROXY: '10.0.0.0/8, 192.0.2.7',
      TALK_ATTACHMENT_QUOTA_USER_BYTES: '1000',
      TALK_MAX_REACTIONS_PER_MESSAGE: '3',
      TALK_MAX_SESSIONS_PER_USER: '4',
    });
    expect(config).toMatchObject({
      rateLimits: { posts: { perUser: 10, perAddress: 50, windowMs: 60_000 } },
      trustProxy: ['10.0.0.0/8', '192.0.2.7'],
      attachmentQuota: { perUserBytes: 1000 },
      maxReactionsPerMessage: 3,
      signalingFlow: { maxSessionsPerUser: 4 },
    });
    expect(loadConfig({ TALK_JWT_SECRET: secret, TALK_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TALK_JWT_SECRET: secret, TALK_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TALK_JWT_SECRET: secret }).trustProxy).toBeUndefined();
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_RATE_LIMIT_POSTS: '10' })).toThrow(/TALK_RATE_LIMIT_POSTS/);
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_TRUST_PROXY: 'proxy.example' })).toThrow(
      /TALK_TRUST_PROXY/,
    );
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_MAX_ATTACHMENT_BYTES: String(64 * 1024 * 1024) })).toThrow(
      /TALK_MAX_ATTACHMENT_BYTES/,
    );
  });

  it('refuses TURN without its secret, a mesh threshold at or above the SFU one, and a non-Redis URL', () => {
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_TURN_URLS: 'turn:x:3478' })).toThrow(/TALK_TURN_SECRET/);
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_TURN_URLS: 'stun:x', TALK_TURN_SECRET: 's' })).toThrow(
      /TALK_TURN_URLS/,
    );
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, TALK_SFU_FROM: '4', TALK_MESH_AT_MOST: '4' })).toThrow(
      /TALK_MESH_AT_MOST/,
    );
    expect(() => loadConfig({ TALK_JWT_SECRET: secret, REDIS_URL: 'http://x' })).toThrow(ConfigError);
  });
});

describe('loadConfig for tokens and guests', () => {
  it('defaults the token policy and reads its variables', () => {
    expect(loadConfig({ TALK_JWT_SECRET: secret })).toMatchObject({
      jwtAudience: 'talk',
      jwtIssuer: undefined,
      jwtMaxAgeSeconds: 86_400,
      jwtClockToleranceSeconds: 30,
      guestJwtSecret: undefined,
      guestRate: { max: 10, windowMs: 60_000 },
    });
    const guestSecret = 'g'.repeat(40);
    expect(
      loadConfig({
        TALK_JWT_SECRET: secret,
        TALK_JWT_AUDIENCE: 'chat.example',
        TALK_JWT_ISSUER: 'https://host.example',
        TALK_JWT_MAX_AGE: '3600',
        TALK_JWT_CLOCK_TOLERANCE: '5',
        TALK_GUEST_JWT_SECRET: guestSecret,
        TALK_GUEST_RATE: '3',
        TALK_GUEST_RATE_WINDOW_MS: '10000',
      }),
    ).toMatchObject({
      jwtAudience: 'chat.example',
      jwtIssuer: 'https://host.example',
      jwtMaxAgeSeconds: 3600,
      jwtClockToleranceSeconds: 5,
      guestJwtSecret: guestSecret,
      guestRate: { max: 3, windowMs: 10_000 },
    });
  });

  it('refuses a guest secret that is short, equals the user secret or comes with dev mode, and odd ages', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return 'accepted';
      } catch (error) {
        return error instanceof ConfigError ? error.variable : String(error);
      }
    };
    expect([
      refused({ TALK_JWT_SECRET: secret, TALK_GUEST_JWT_SECRET: 'short' }),
      refused({ TALK_JWT_SECRET: secret, TALK_GUEST_JWT_SECRET: secret }),
      refused({ TALK_DEV_MODE: '1', TALK_GUEST_JWT_SECRET: 'g'.repeat(40) }),
      refused({ TALK_JWT_SECRET: secret, TALK_JWT_MAX_AGE: '10' }),
      refused({ TALK_JWT_SECRET: secret, TALK_JWT_CLOCK_TOLERANCE: '3600' }),
    ]).toEqual([
      'TALK_GUEST_JWT_SECRET',
      'TALK_GUEST_JWT_SECRET',
      'TALK_GUEST_JWT_SECRET',
      'TALK_JWT_MAX_AGE',
      'TALK_JWT_CLOCK_TOLERANCE',
    ]);
  });
});
