#!/usr/bin/env node
// Runs every check and test suite of the repository one after another and ends with `N passed, N failed`.
// Suites run serially: the end-to-end ones start browsers and media servers, and the machine has two cores.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './tools.mjs';

const resultsDir = join(ROOT, 'reports', 'results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

/**
 * Workspaces with tests (or a root `script`), in dependency order; each writes `{ passed, failed, skipped }` to
 * TALK_TEST_RESULTS.
 */
const workspaces = [
  { name: 'protocol', workspace: '@talk/protocol', runner: 'vitest' },
  { name: 'server', workspace: '@talk/server', runner: 'vitest' },
  { name: 'call-core', workspace: '@talk/call-core', runner: 'vitest' },
  { name: 'elements', workspace: '@talk/elements', runner: 'web-test-runner' },
  { name: 'loadtest', workspace: '@talk/loadtest', runner: 'vitest' },
  { name: 'demo (end to end)', workspace: '@talk/demo', runner: 'vitest' },
  // The root's own suite: builds Storybook and opens every story in Chromium (one test per story).
  { name: 'catalog (storybook)', script: 'test:catalog', runner: 'vitest' },
];

/** Repository-wide checks; each counts as one test. */
const checks = [
  { name: 'format and lint (biome)', command: ['npx', 'biome', 'check', '.'] },
  { name: 'build', command: ['npx', 'turbo', 'run', 'build', '--concurrency=1', '--output-logs=errors-only'] },
  { name: 'typecheck', command: ['npx', 'turbo', 'run', 'typecheck', '--concurrency=1', '--output-logs=errors-only'] },
  // Storybook's config and the catalog test live outside the workspaces.
  { name: 'typecheck (.storybook)', command: ['npx', 'tsc', '-p', '.storybook/tsconfig.json'] },
];

const SUITE_TIMEOUT_MS = 25 * 60_000;

function run(command, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...env },
      detached: true,
    });
    const timer = setTimeout(() => {
      console.error(`[test] ${command.join(' ')} ran past ${SUITE_TIMEOUT_MS / 60_000} minutes; stopping it`);
      process.kill(-child.pid, 'SIGKILL');
    }, SUITE_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

function hasTestScript(workspace) {
  const dir = workspace.replace('@talk/', '');
  for (const base of ['packages', 'apps']) {
    const manifest = join(ROOT, base, dir, 'package.json');
    if (existsSync(manifest)) return Boolean(JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test);
  }
  return false;
}

function readCounts(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // Vitest's JSON reporter and the project's web-test-runner reporter both write these fields.
  return {
    passed: report.numPassedTests ?? report.passed ?? 0,
    failed: report.numFailedTests ?? report.failed ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) + (report.skipped ?? 0),
    failures: report.failures ?? vitestFailures(report),
  };
}

/** The failed tests of a vitest JSON report, named by file and full name, with the first line of their error. */
function vitestFailures(report) {
  return (report.testResults ?? []).flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => ({ name: `${relative(ROOT, file.name)} › ${test.fullName}`, message: test.failureMessages?.[0] })),
  );
}

/** The first line of an error message, short enough for the summary. */
function firstLine(message = '') {
  const line = message.split('\n').find((text) => text.trim()) ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

const rows = [];
for (const check of checks) {
  console.log(`\n[test] ── ${check.name}`);
  const code = await run(check.command);
  rows.push({ name: check.name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, failures: [] });
}

for (const suite of workspaces) {
  if (suite.workspace && !hasTestScript(suite.workspace)) continue;
  console.log(`\n[test] ── ${suite.name}`);
  const file = join(resultsDir, `${suite.workspace?.replace('@talk/', '') ?? suite.script}.json`);
  const args =
    suite.runner === 'vitest' ? ['--', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`] : [];
  const target = suite.workspace ? ['test', '--silent', '-w', suite.workspace] : [suite.script, '--silent'];
  const code = await run(['npm', 'run', ...target, ...args], { TALK_TEST_RESULTS: file });
  const counts = readCounts(file);
  if (!counts) {
    rows.push({ name: suite.name, passed: 0, failed: 1, skipped: 0, note: `exited ${code} without results` });
  } else if (code !== 0 && counts.failed === 0) {
    rows.push({ ...counts, name: suite.name, failed: 1, note: `exited ${code} with no failing test` });
  } else {
    rows.push({ ...counts, name: suite.name });
  }
}

const total = rows.reduce(
  (sum, row) => ({
    passed: sum.passed + row.passed,
    failed: sum.failed + row.failed,
    skipped: sum.skipped + row.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\n[test] summary');
for (const row of rows) {
  const note = row.note ? ` (${row.note})` : '';
  console.log(`  ${row.failed ? '✗' : '✓'} ${row.name}: ${row.passed} passed, ${row.failed} failed${note}`);
  for (const failure of row.failures ?? []) {
    console.log(`      ✗ ${failure.name}`);
    if (failure.message) console.log(`        ${firstLine(failure.message)}`);
  }
}
const skipped = total.skipped ? `, ${total.skipped} skipped` : '';
console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed === 0 ? 0 : 1);
