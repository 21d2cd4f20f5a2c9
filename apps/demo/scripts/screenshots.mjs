#!/usr/bin/env node
// Pictures of the demo workspace for the README: Talk, Files and Calendar, light and dark, as Alice after Bob wrote
// to her. `npm run screenshots -w @talk/demo` (after `npm run build`) writes docs/{talk,files,calendar}-{light,dark}.png.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTalkServer } from '@talk/server';
import { launchChromium } from '@talk/testing';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const out = join(demoDir, 'docs');
await mkdir(out, { recursive: true });

const server = await createTalkServer({
  port: 0,
  storage: { kind: 'pglite', dataDir: 'memory://' },
  devMode: true,
  staticDir: join(demoDir, 'dist'),
  rateLimits: false,
});
const browser = await launchChromium();
try {
  const post = async (path, body, token) => {
    const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(server.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const page = await browser.browser.newPage();
  await page.setViewport({ width: 1440, height: 860 });
  await page.goto(`http://localhost:${server.port}/?user=alice&theme=light`);
  await page.waitForSelector('body[data-ready="true"]');

  // Bob, through the API as his own page would: into the demo room with a mention, and into a file's conversation.
  const objects = [{ pattern: 'demo:lobby', types: ['public'] }, 'file:*'];
  const { token: bob } = await post('/api/v1/dev/tokens', { userId: 'bob', displayName: 'Bob', objects });
  const room = await post(
    '/api/v1/conversations',
    { type: 'public', name: 'Demo room', object: { type: 'demo', id: 'lobby' } },
    bob,
  );
  await post(
    `/api/v1/conversations/${room.token}/messages`,
    { message: 'Morning! @alice, the roadmap is in Files.', referenceId: 's1' },
    bob,
  );
  const file = await post(
    '/api/v1/conversations',
    { type: 'group', name: 'Roadmap 2027.md', object: { type: 'file', id: '44' } },
    bob,
  );
  await post(
    `/api/v1/conversations/${file.token}/messages`,
    { message: 'Section 3 needs **dates**.', referenceId: 's2' },
    bob,
  );

  // And into the meeting with an external guest, which the host grants as public for its guest link.
  const meetingGrant = { pattern: 'event:customer-demo', types: ['public'] };
  const { token: bobInCalendar } = await post('/api/v1/dev/tokens', {
    userId: 'bob',
    displayName: 'Bob',
    objects: [meetingGrant],
  });
  const meeting = await post(
    '/api/v1/conversations',
    { type: 'public', name: 'Customer demo with Acme', object: { type: 'event', id: 'customer-demo' } },
    bobInCalendar,
  );
  await post(
    `/api/v1/conversations/${meeting.token}/messages`,
    { message: 'Grace confirmed. Could you send her the guest link?', referenceId: 's3' },
    bobInCalendar,
  );

  const shown = (scope, text) =>
    page.waitForFunction(
      (within, wanted) => document.querySelector(`${within} talk-chat`)?.shadowRoot?.textContent?.includes(wanted),
      { timeout: 15_000 },
      scope,
      text,
    );
  await shown('#talk', 'the roadmap is in Files');
  await (await page.waitForSelector('.top-bar [data-app="files"]')).click();
  await (await page.waitForSelector('#files [data-file-id="44"]')).click();
  await shown('#files', 'Section 3 needs');
  await (await page.waitForSelector('.top-bar [data-app="calendar"]')).click();
  await (await page.waitForSelector('#calendar [data-event-id="customer-demo"]')).click();
  await shown('#calendar', 'send her the guest link');

  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.click('.theme-switch');
    for (const app of ['talk', 'files', 'calendar']) {
      await page.click(`.top-bar [data-app="${app}"]`);
      // Two frames, so the switch and the elements' restyle are painted before the picture.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const path = join(out, `${app}-${theme}.png`);
      await page.screenshot({ path });
      console.log(`wrote ${path}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
