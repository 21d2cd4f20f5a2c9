#!/usr/bin/env node
// Installs whatever `npm start` or `npm test` needs and is missing, and nothing else.
// Plain Node with no dependencies: it runs before the npm install, on whatever Node the machine has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH, GO_TOOLS, ROOT, TOOLS_BIN } from './tools.mjs';

const { values } = parseArgs({ options: { for: { type: 'string', default: 'test' } } });
const purpose = values.for;
if (purpose !== 'start' && purpose !== 'test') fail(`--for must be "start" or "test", not "${purpose}"`);

const cacheDir = process.env.TALK_CACHE_DIR ?? join(homedir(), '.cache', 'talk-elements');

function log(message) {
  console.log(`[setup] ${message}`);
}

function fail(message) {
  console.error(`[setup] ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) return { ok: false, why: result.error.message };
  return { ok: result.status === 0, why: `${command} exited with ${result.status}` };
}

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(join(ROOT, 'package-lock.json')))
    .digest('hex');
}

function ensureNodeModules() {
  const stamp = join(ROOT, 'node_modules', '.talk-lock-hash');
  const wanted = lockHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  // Not `npm ci`: the registry this project installs from serves only this platform's builds of packages such as
  // biome, rollup and turbo, so the lockfile cannot list the other platforms' optional binaries and `npm ci`
  // refuses it as out of sync. `npm install --no-save` installs the lockfile's exact versions and writes nothing.
  log('installing npm dependencies at the versions of package-lock.json');
  const result = run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error']);
  if (!result.ok) fail(`npm install failed (${result.why}); check that the npm registry is reachable.`);
  writeFileSync(stamp, wanted);
}

function ensureProjectNode() {
  const node = join(ROOT, 'node_modules', '.bin', 'node');
  const probe = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const major = Number(probe.stdout?.split('.')[0]);
  if (!(major >= 22)) {
    fail(
      `the project's Node (${node}) is missing or older than 22; run "npm install" and check the "node" devDependency.`,
    );
  }
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function ensureDebianPackages() {
  const wanted = [{ name: 'chromium', present: existsSync(CHROMIUM_PATH) }];
  if (purpose === 'test') {
    wanted.push(
      { name: 'postgresql', present: existsSync('/usr/lib/postgresql') },
      { name: 'redis-server', present: existsSync('/usr/bin/redis-server') },
      // Several server instances are tested behind a real reverse proxy that the tests start on loopback.
      { name: 'haproxy', present: existsSync('/usr/sbin/haproxy') },
      // The relay-only call test starts its own coturn on loopback; Debian's package also enables a system
      // service, which stays unused (no configuration) and is not started in containers without systemd.
      { name: 'coturn', present: existsSync('/usr/bin/turnserver') },
      // Calls between Chromium and Firefox are tested; Puppeteer drives Firefox over WebDriver BiDi.
      { name: 'firefox-esr', present: existsSync('/usr/bin/firefox-esr') },
    );
  }
  const missing = wanted.filter((pkg) => !pkg.present).map((pkg) => pkg.name);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot()) fail(`missing Debian packages; install them with: sudo ${command}`);
  log(`installing ${missing.join(', ')} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!run('apt-get', ['update', '-qq'], { env }).ok) fail('apt-get update failed; check the Debian mirror.');
  const result = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  if (!result.ok) fail(`${command} failed (${result.why}).`);
}

function goVersionOk() {
  const probe = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ok: false, why: 'Go is not installed' };
  const [major, minor] = probe.stdout.trim().replace(/^go/, '').split('.').map(Number);
  if (major > 1 || minor >= 26) return { ok: true };
  return { ok: false, why: `Go ${probe.stdout.trim()} is older than the 1.26 that livekit-server needs` };
}

// Builds a pinned Go tool once per machine into the cache, then copies it into the git-ignored tools folder.
function ensureGoTool(tool) {
  const target = join(TOOLS_BIN, tool.binary);
  const stampFile = `${target}.version`;
  if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === tool.version)
    return { ok: true };
  const cached = join(cacheDir, 'tools', `${tool.binary}@${tool.version}`);
  if (!existsSync(cached)) {
    const go = goVersionOk();
    if (!go.ok) return go;
    log(`building ${tool.binary} ${tool.version} with go install (once per machine)`);
    const gobin = join(cacheDir, 'gobin', tool.version);
    mkdirSync(gobin, { recursive: true });
    const result = run('go', ['install', `${tool.module}@${tool.version}`], {
      env: { ...process.env, GOBIN: gobin },
    });
    if (!result.ok) return { ok: false, why: `go install ${tool.module}@${tool.version} failed (${result.why})` };
    mkdirSync(join(cacheDir, 'tools'), { recursive: true });
    copyFileSync(join(gobin, tool.builtName), cached);
  }
  mkdirSync(TOOLS_BIN, { recursive: true });
  copyFileSync(cached, target);
  spawnSync('chmod', ['+x', target]);
  writeFileSync(stampFile, tool.version);
  return { ok: true };
}

function ensureGoTools() {
  for (const tool of GO_TOOLS) {
    const result = ensureGoTool(tool);
    if (result.ok) continue;
    // The demo still works without an SFU (calls stay mesh); the test suite needs every tool.
    if (purpose === 'start') log(`${tool.binary} unavailable: ${result.why}`);
    else fail(`${tool.binary} is required by the tests: ${result.why}. Install Go 1.26 or later and run again.`);
  }
}

if (!existsSync(join(ROOT, 'package-lock.json'))) fail('package-lock.json is missing; this checkout is incomplete.');
ensureNodeModules();
ensureProjectNode();
ensureDebianPackages();
ensureGoTools();
log('ready');
