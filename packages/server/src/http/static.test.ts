import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, startTestServer } from '../testing/harness.js';

let server: TalkServer;
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

  it('answers a missing file with the shared 404 body', async () => {
    const answer = await call(server, 'GET', '/missing.css');
    expect(answer).toEqual({
      status: 404,
      body: { status: 404, code: ErrorCode.NotFound, message: expect.any(String) },
    });
  });
});
