// Builds the catalog once per run (`storybook build`, quietly, with no live server) and serves the static build on
// loopback for the catalog test.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the static catalog is served, ending in a slash. */
    catalogUrl: string;
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Runs `storybook build` into `out`; its output is shown only if it fails. */
function buildCatalog(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['storybook', 'build', '--quiet', '--disable-telemetry', '-o', out], {
      cwd: ROOT,
      // The live stories must not expect a server: the test opens them to check that they say it is off.
      env: { ...process.env, TALK_SERVER_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`storybook build exited with ${code}:\n${output}`)),
    );
  });
}

/** A static file server for `dir` on 127.0.0.1 and a free port. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://catalog').pathname);
    if (path === '/favicon.ico') {
      // Chromium asks for it by itself; the build has an SVG one, and a 404 would count as a console error.
      response.writeHead(204).end();
      return;
    }
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    const found = file.startsWith(dir + sep) && (await stat(file).catch(() => null))?.isFile();
    if (!found) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The catalog server has no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const out = await mkdtemp(join(tmpdir(), 'talk-catalog-'));
  await buildCatalog(out);
  const { server, url } = await serve(out);
  project.provide('catalogUrl', url);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(out, { recursive: true, force: true });
  };
}
