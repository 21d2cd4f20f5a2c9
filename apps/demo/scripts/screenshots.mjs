#!/usr/bin/env node
// Pictures of the demo workspace for the README: every app in light, dark and Arabic right to left, as Alice after
// Bob wrote to her. `npm run screenshots -w @talk/demo` (after `npm run build`) writes docs/<app>-<look>.png.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTalkServer } from '@talk/server';
import { launchChromium } from '@talk/testing';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const out = join(demoDir, 'docs');
await mkdir(out, { recursive: true });

/** The looks: a theme, and a language for the elements (Arabic also turns the page right to left). */
const LOOKS = [
  { name: 'light', query: { theme: 'light' } },
  { name: 'dark', query: { theme: 'dark' } },
  { name: 'rtl', query: { theme: 'light', lang: 'ar' } },
];

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
  const open = async (query) => {
    await page.goto(`http://localhost:${server.port}/?${new URLSearchParams({ user: 'alice', ...query })}`);
    await page.waitForSelector('body[data-ready="true"]');
  };
  await open(LOOKS[0].query);

  // Bob, through the API as his own page would: into the demo room with a mention, a file's and a card's chats.
  const objects = [{ pattern: 'demo:lobby', types: ['public'] }, 'file:*', 'card:*'];
  const { token: bob } = await post('/api/v1/dev/tokens', { userId: 'bob', displayName: 'Bob', objects });
  const say = (conversation, message, referenceId) =>
    post(`/api/v1/conversations/${conversation.token}/messages`, { message, referenceId }, bob);
  const room = await post(
    '/api/v1/conversations',
    { type: 'public', name: 'Demo room', object: { type: 'demo', id: 'lobby' } },
    bob,
  );
  await say(room, 'Morning! @alice, the roadmap is in Files.', 's1');
  const file = await post(
    '/api/v1/conversations',
    { type: 'group', name: 'Roadmap 2027.md', object: { type: 'file', id: '44' } },
    bob,
  );
  await say(file, 'Section 3 needs **dates**.', 's2');
  const card = await post(
    '/api/v1/conversations',
    {
      type: 'group',
      name: 'Landing page copy',
      object: { type: 'card', id: 'c1' },
      participants: [{ userId: 'alice' }],
    },
    bob,
  );
  await say(card, '@alice I drafted the hero text, the blurbs are next.', 's3');

  // And into the meeting with an external guest, which the host grants as public for its guest link.
  const { token: bobInCalendar } = await post('/api/v1/dev/tokens', {
    userId: 'bob',
    displayName: 'Bob',
    objects: [{ pattern: 'event:customer-demo', types: ['public'] }],
  });
  const meeting = await post(
    '/api/v1/conversations',
    { type: 'public', name: 'Customer demo with Acme', object: { type: 'event', id: 'customer-demo' } },
    bobInCalendar,
  );
  await post(
    `/api/v1/conversations/${meeting.token}/messages`,
    { message: 'Grace confirmed. Could you send her the guest link?', referenceId: 's4' },
    bobInCalendar,
  );

  const shown = (scope, text) =>
    page.waitForFunction(
      (within, wanted) => document.querySelector(`${within} talk-chat`)?.shadowRoot?.textContent?.includes(wanted),
      { timeout: 15_000 },
      scope,
      text,
    );
  const click = async (selector) => (await page.waitForSelector(selector)).click();

  // Alice shares the team photo from Files into the demo room, through the Files app.
  await click('.top-bar [data-app="files"]');
  await click('#files [data-file-id="43"]');
  await click('#files .share-file');
  await click(`#files .share-dialog [data-token="${room.token}"]`);
  await page.waitForFunction(() => !document.querySelector('#files .share-dialog')?.open, { timeout: 15_000 });

  for (const look of LOOKS) {
    await open(look.query);
    await shown('#talk', 'the roadmap is in Files');
    await click('.top-bar [data-app="files"]');
    await click('#files [data-file-id="44"]');
    await shown('#files', 'Section 3 needs');
    await click('.top-bar [data-app="deck"]');
    await click('#deck [data-card-id="c1"]');
    await shown('#deck', 'I drafted the hero text');
    await click('.top-bar [data-app="calendar"]');
    await click('#calendar [data-event-id="customer-demo"]');
    await shown('#calendar', 'send her the guest link');
    const apps = ['talk', 'files', 'calendar', 'deck'];
    for (const app of apps) {
      await click(`.top-bar [data-app="${app}"]`);
      // Until the images in view have loaded and a call's camera preview shows a frame (the preview starts again when
      // its app is shown), then two frames, so the switch and the restyle are painted.
      await page.waitForFunction(
        (within) =>
          [...(document.querySelector(within)?.querySelectorAll('talk-chat') ?? [])].every((chat) =>
            [...(chat.shadowRoot?.querySelectorAll('img') ?? [])].every((image) => image.complete),
          ) &&
          [...(document.querySelector(within)?.querySelectorAll('talk-call') ?? [])].every((call) => {
            const preview = call.shadowRoot?.querySelector('[part="preview"]');
            return !preview || preview.readyState >= 2;
          }),
        { timeout: 15_000 },
        `#${app}`,
      );
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      const path = join(out, `${app}-${look.name}.png`);
      await page.screenshot({ path });
      console.log(`wrote ${path}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
