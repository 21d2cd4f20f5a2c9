#!/usr/bin/env node
// `npm run storybook`: the catalog at http://localhost:6006 with a Talk server in development mode beside it (and
// livekit-server when it is installed), so that the live stories join a real conversation. The fixture stories
// need neither; if the server cannot start, Storybook starts anyway and the live stories say the server is off.
// Extra arguments go to `storybook dev` (a later `-p` wins over 6006). Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from './tools.mjs';

function log(message) {
  console.log(`[storybook] ${message}`);
}

// The manifest that autodocs read, and the server's compiled output.
const build = spawnSync(
  'npx',
  ['turbo', 'run', 'build', '--filter=@talk/elements...', '--filter=@talk/server...', '--output-logs=errors-only'],
  { cwd: ROOT, stdio: 'inherit' },
);

let talk;
let livekit;
if (build.status !== 0) {
  log('the build failed (see above); starting Storybook without the Talk server');
} else {
  try {
    // Imported after the build: the server package is consumed from its compiled output.
    const { createTalkServer, livekitAvailable, startLocalLivekit } = await import('@talk/server');
    if (livekitAvailable()) livekit = await startLocalLivekit({ log: () => {} });
    talk = await createTalkServer({
      port: 0,
      storage: { kind: 'pglite', dataDir: 'memory://' },
      devMode: true,
      livekit: livekit && { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret },
    });
    log(`Talk server in development mode at ${talk.url}${livekit ? `, SFU at ${livekit.url}` : ' (no SFU)'}`);
  } catch (error) {
    log(`the Talk server did not start (${error instanceof Error ? error.message : error}); live stories will say so`);
  }
}

const storybook = spawn('npx', ['storybook', 'dev', '-p', '6006', '--no-open', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, TALK_SERVER_URL: talk?.url ?? '' },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (storybook.exitCode === null) storybook.kill('SIGTERM');
  await talk?.close();
  await livekit?.stop();
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
storybook.on('exit', (code) => stop(code ?? 0));
