// Element tests run in Debian's Chromium with a fake camera and microphone, against a real Talk server that this
// config starts on a free port. The page reaches it on its own origin through http-proxy-middleware, as the demo does.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTalkServer, livekitAvailable, startLocalLivekit, TokenService } from '@talk/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@talk/testing';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { resultsReporter } from '../../scripts/wtr-results-reporter.mjs';

// A known secret, so this config can mint tokens that expire within seconds for the token-refresh tests; the dev
// endpoint only issues tokens that live for hours.
const JWT_SECRET = 'element-tests-secret-that-is-long-enough';
// A real livekit-server, so that `<talk-call topology="sfu">` is tested through the SFU (the call tests' badge).
const livekit = livekitAvailable() ? await startLocalLivekit() : undefined;
const talk = await createTalkServer({
  livekit: livekit && { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
  port: 0,
  storage: { kind: 'pglite', dataDir: 'memory://' },
  devMode: true,
  jwtSecret: JWT_SECRET,
  // Every element test posts and creates conversations through this one server, from one address.
  rateLimits: false,
  // The elements' typing line is tested here; the server's own hold on repeated typing notices (3 s by default)
  // is tested in the server's suite, and would delay the notices these tests wait for.
  signalingFlow: { repeatIntervalMs: 20 },
});
const tokens = new TokenService(JWT_SECRET);

/** GET /test/short-token?user=…&name=…&seconds=…: a token of the test server that lives only that long. */
async function shortToken(context, next) {
  if (context.path !== '/test/short-token') return next();
  const { user = 'alice', name = 'Alice', seconds = '61' } = context.query;
  context.body = await tokens.issue({ userId: String(user), displayName: String(name) }, Number(seconds));
}

/** Relays /api — HTTP requests and the signaling WebSocket, every header included — to the Talk server. */
const apiProxy = createProxyMiddleware({ target: talk.url, pathFilter: '/api/', ws: true });

/** Lets the proxy take WebSocket upgrades from the test server's start, before any HTTP request has passed. */
function talkServerPlugin() {
  return {
    name: 'talk-server',
    serverStart({ server }) {
      server.on('upgrade', apiProxy.upgrade);
    },
    async serverStop() {
      await talk.close();
      await livekit?.stop();
    },
  };
}

/** Koa middleware handing /api requests to the proxy, which writes the response itself. */
async function proxyApi(context, next) {
  if (!context.path.startsWith('/api/')) return next();
  context.respond = false;
  await apiProxy(context.req, context.res, next);
}

/** A port nobody listens on now: several runs of this suite (a developer's and a helper's) may share a machine. */
async function freePort() {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export default {
  port: await freePort(),
  files: ['src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    talkServerPlugin(),
  ],
  middleware: [shortToken, proxyApi],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS],
      },
    }),
  ],
  reporters: [defaultReporter(), resultsReporter()],
  testFramework: { config: { timeout: 20_000 } },
  testsFinishTimeout: 180_000,
};
