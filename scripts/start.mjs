#!/usr/bin/env node
// `npm start`: builds what changed, starts livekit-server when it is installed, then the server with the demo,
// and prints the URL. Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './tools.mjs';

function log(message) {
  console.log(`[start] ${message}`);
}

const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] the build failed; see the errors above');
  process.exit(1);
}

// Imported after the build: the server package is consumed from its compiled output.
const { livekitAvailable, startLocalLivekit } = await import('@talk/server');

const port = process.env.PORT ?? '8787';
const env = {
  ...process.env,
  PORT: port,
  TALK_DEV_MODE: process.env.TALK_DEV_MODE ?? '1',
  TALK_STATIC_DIR: process.env.TALK_STATIC_DIR ?? join(ROOT, 'apps', 'demo', 'dist'),
};

let livekit;
if (process.env.LIVEKIT_URL) {
  log(`using the SFU at ${process.env.LIVEKIT_URL}`);
} else if (livekitAvailable()) {
  livekit = await startLocalLivekit({ log: (line) => console.log(`[livekit] ${line}`) });
  Object.assign(env, {
    LIVEKIT_URL: livekit.url,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
  });
  log(`livekit-server (dev, loopback only) at ${livekit.url}`);
} else {
  log('livekit-server is not installed (set-up needs Go 1.26 to build it), so calls stay mesh-only');
}

const server = spawn(process.execPath, [join(ROOT, 'packages', 'server', 'dist', 'main.js')], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (server.exitCode === null) server.kill('SIGTERM');
  await livekit?.stop();
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
server.on('exit', (code) => stop(code ?? 0));

// localhost rather than 127.0.0.1: browsers treat it as a secure origin, which camera access needs.
const url = `http://localhost:${port}/`;
for (let attempt = 0; attempt < 300 && !stopping; attempt += 1) {
  const healthy = await fetch(new URL('/healthz', url)).then(
    (response) => response.ok,
    () => false,
  );
  if (healthy) {
    log(
      `the demo is ready at ${url}  (sign in as alice, bob, carol, dave, erin or frank; ${url}?user=bob opens it as bob)`,
    );
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
