import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, startTestServer } from '../testing/harness.js';

let server: TalkServer;

/** A Content-Security-Policy header as directive → sources. */
function directives(header: string | null): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const directive of (header ?? '').split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) parsed.set(name, sources);
  }
  return parsed;
}
beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'talk-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Talk demo</title>');
  writeFileSync(join(staticDir, 'app.js'), 'console.log("talk")');
  server = await startTestServer({ staticDir });
});
afterAll(() => server.close());

describe('static files', () => {
  it('serves index.html at / and files by name, next to the API on one origin', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('<title>Talk demo</title>');

    const script = await fetch(`${server.url}/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toBe('console.log("talk")');

    expect((await call(server, 'GET', Routes.health)).status).toBe(200);
  });

  it('serves the app with a CSP that runs no inline script and lets only this origin frame it', async () => {
    const index = await fetch(`${server.url}/`);
    const csp = directives(index.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
    expect(index.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    // The API's answers carry it too.
    expect((await fetch(`${server.url}${Routes.health}`)).headers.get('content-security-policy')).toContain(
      "script-src 'self'",
    );
  });

  it('lets the configured hosts frame it, and allows every SFU node as a connection target', async () => {
    const own = await startTestServer({
      frameAncestors: ['https://host.example', "'self'"],
      livekit: {
        url: 'ws://127.0.0.1:7880',
        nodeUrls: ['ws://127.0.0.1:7890'],
        apiKey: 'key',
        apiSecret: 'secret-that-is-long-enough',
      },
    });
    try {
      const answer = await fetch(`${own.url}${Routes.health}`);
      const csp = directives(answer.headers.get('content-security-policy'));
      expect(csp.get('frame-ancestors')).toEqual(['https://host.example', "'self'"]);
      // Every node of the SFU, since participants are sent to each in turn.
      expect(csp.get('connect-src')).toEqual([
        "'self'",
        'ws://127.0.0.1:7880',
        'http://127.0.0.1:7880',
        'ws://127.0.0.1:7890',
        'http://127.0.0.1:7890',
      ]);
      // X-Frame-Options knows only the same origin; it would contradict the configured host.
      expect(answer.headers.get('x-frame-options')).toBeNull();
    } finally {
      await own.close();
    }
  });

  it('answers a missing file with the shared 404 body', async () => {
    const answer = await call(server, 'GET', '/missing.css');
    expect(answer).toEqual({
      status: 404,
      body: { status: 404, code: ErrorCode.NotFound, message: expect.any(String) },
    });
  });
});
