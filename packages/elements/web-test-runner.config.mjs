// Element tests run in Debian's Chromium with a fake camera and microphone, against a real Talk server that this
// config starts on a free port. The page reaches it on its own origin through a small proxy, as the demo does.
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTalkServer, TokenService } from '@talk/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@talk/testing';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { resultsReporter } from '../../scripts/wtr-results-reporter.mjs';

// A known secret, so this config can mint tokens that expire within seconds for the token-refresh tests; the dev
// endpoint only issues tokens that live for hours.
const JWT_SECRET = 'element-tests-secret-that-is-long-enough';
const talk = await createTalkServer({
  port: 0,
  storage: { kind: 'pglite', dataDir: 'memory://' },
  devMode: true,
  jwtSecret: JWT_SECRET,
});
const tokens = new TokenService(JWT_SECRET);

/** GET /test/short-token?user=…&name=…&seconds=…: a token of the test server that lives only that long. */
async function shortToken(context, next) {
  if (context.path !== '/test/short-token') return next();
  const { user = 'alice', name = 'Alice', seconds = '61' } = context.query;
  context.body = await tokens.issue({ userId: String(user), displayName: String(name) }, Number(seconds));
}

/** Forwards /api (HTTP and the signaling WebSocket) to the Talk server, so tests use one origin. */
function talkServerPlugin() {
  return {
    name: 'talk-server',
    serverStart({ server }) {
      server.on('upgrade', (request, socket, head) => {
        if (!request.url?.startsWith('/api/')) return;
        const upstream = connect(talk.port, '127.0.0.1', () => {
          const headers = [];
          for (let i = 0; i < request.rawHeaders.length; i += 2) {
            headers.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
          }
          upstream.write(`${request.method} ${request.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
          upstream.write(head);
          socket.pipe(upstream).pipe(socket);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
    },
    serverStop() {
      return talk.close();
    },
  };
}

/** Koa middleware that relays /api HTTP requests to the Talk server. */
async function proxyApi(context, next) {
  if (!context.path.startsWith('/api/')) return next();
  const chunks = [];
  for await (const chunk of context.req) chunks.push(chunk);
  const headers = {};
  for (const name of ['authorization', 'content-type']) {
    if (context.get(name)) headers[name] = context.get(name);
  }
  const response = await fetch(talk.url + context.url, {
    method: context.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  context.status = response.status;
  const type = response.headers.get('content-type');
  if (type) context.set('content-type', type);
  context.body = Buffer.from(await response.arrayBuffer());
}

export default {
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
