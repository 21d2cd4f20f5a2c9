#!/usr/bin/env node
// A picture of <talk-chat> in both schemes with an accent the page sets on :root, against a real server with two
// messages in it: `node scripts/screenshot.mjs` writes reports/talk-chat-themes.png. Needs `npm run build` for
// the server; the elements are bundled from their sources.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openTab, reports, withServedPage } from './served-page.mjs';

const output = join(reports, 'talk-chat-themes.png');

const page = `<!doctype html>
<html lang="en">
  <head>
    <style>
      :root { --talk-accent: #8e44ad; }
      body { margin: 0; display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px; background: #888; }
      talk-chat { height: 320px; }
    </style>
  </head>
  <body>
    <talk-provider>
      <talk-chat theme="light"></talk-chat>
      <talk-chat theme="dark"></talk-chat>
    </talk-provider>
    <script type="module" src="./main.js"></script>
  </body>
</html>`;

const main = `import '@talk/elements/talk-provider.js';
import '@talk/elements/talk-chat.js';
const params = new URLSearchParams(location.search);
document.querySelector('talk-provider').token = params.get('token');
for (const chat of document.querySelectorAll('talk-chat')) chat.conversation = params.get('conversation');
`;

await withServedPage('talk-screenshot', { page, main }, {}, async ({ server, browser, post }) => {
  // The host vouches for the screenshot room: an object grant in the token (see the server README).
  const objects = [{ pattern: 'shot:1', types: ['public'] }];
  const { token } = await post('/api/v1/dev/tokens', { userId: 'alice', displayName: 'Alice', objects });
  const { token: bob } = await post('/api/v1/dev/tokens', { userId: 'bob', displayName: 'Bob' });
  const room = await post(
    '/api/v1/conversations',
    { type: 'public', name: 'Themes', object: { type: 'shot', id: '1' } },
    token,
  );
  await post(`/api/v1/conversations/${room.token}/participants/self`, {}, bob);
  await post(
    `/api/v1/conversations/${room.token}/messages`,
    { message: 'The accent is set on :root', referenceId: 'a' },
    token,
  );
  await post(
    `/api/v1/conversations/${room.token}/messages`,
    { message: 'Purple here, in both schemes.', referenceId: 'b' },
    bob,
  );

  const tab = await openTab(browser, server, { width: 900, height: 360 }, `token=${token}&conversation=${room.token}`);
  await tab.waitForFunction(
    () =>
      [...document.querySelectorAll('talk-chat')].every(
        (chat) => chat.shadowRoot?.querySelectorAll('[part="message"]').length === 2,
      ),
    { timeout: 15_000 },
  );
  await mkdir(reports, { recursive: true });
  await tab.screenshot({ path: output });
  console.log(`wrote ${output}`);
});
