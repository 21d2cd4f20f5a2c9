#!/usr/bin/env node
// Pictures of <talk-conversation-list> against a real server, for a user with a handful of conversations: unread
// and mention badges, a call running, an Arabic name, a one-to-one, a system message as the newest line.
// `npm run screenshot:list` writes reports/talk-conversation-list-{light,dark,arabic}{,-search}.png and -create.png. Needs
// `npm run build` for the server; the elements are bundled from their sources.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOOKS, openTab, reports, withServedPage } from './served-page.mjs';

const page = `<!doctype html>
<html lang="en">
  <head>
    <style>
      body { margin: 0; padding: 16px; background: #888; }
      body[data-theme='dark'] { background: #333; }
      talk-conversation-list { block-size: 520px; max-inline-size: 400px; }
    </style>
  </head>
  <body>
    <talk-provider><talk-conversation-list></talk-conversation-list></talk-provider>
    <script type="module" src="./main.js"></script>
  </body>
</html>`;

const main = `import '@talk/elements/talk-provider.js';
import '@talk/elements/talk-conversation-list.js';
const params = new URLSearchParams(location.search);
document.querySelector('talk-provider').token = params.get('token');
const list = document.querySelector('talk-conversation-list');
list.users = [{ userId: 'bob', displayName: 'Bob Stone' }, { userId: 'layla', displayName: 'ليلى حداد' }];
list.selected = params.get('selected');
if (params.get('theme')) { list.theme = params.get('theme'); document.body.dataset.theme = params.get('theme'); }
if (params.get('lang')) { document.documentElement.lang = params.get('lang'); document.documentElement.dir = params.get('dir') ?? 'ltr'; }
`;

await withServedPage('talk-list-shots', { page, main }, { rateLimits: false }, async ({ server, browser, post }) => {
  const tokenOf = async (userId, displayName) => (await post('/api/v1/dev/tokens', { userId, displayName })).token;
  const alice = await tokenOf('alice', 'Alice Martin');
  const bob = await tokenOf('bob', 'Bob Stone');
  const layla = await tokenOf('layla', 'ليلى حداد');
  const group = (owner, name, members) =>
    post('/api/v1/conversations', { type: 'group', name, participants: members.map((userId) => ({ userId })) }, owner);
  let n = 0;
  const say = (token, conversation, message) =>
    post(`/api/v1/conversations/${conversation}/messages`, { message, referenceId: `r${n++}` }, token);

  const quiet = await group(alice, 'Quarterly report', ['bob']);
  await say(alice, quiet.token, 'Draft is in the shared folder.');
  const design = await group(bob, 'Design team', ['alice', 'layla']);
  await say(layla, design.token, 'صباح الخير! سأراجع الألوان الداكنة بعد الظهر.');
  await say(bob, design.token, '@alice could you review the new icons?');
  await say(bob, design.token, 'They are in the **shared folder** 🎨');
  await post(
    '/api/v1/conversations',
    { type: 'one-to-one', name: 'Layla', participants: [{ userId: 'layla' }] },
    alice,
  );
  const direct = await post(
    '/api/v1/conversations',
    { type: 'one-to-one', name: 'Bob', participants: [{ userId: 'bob' }] },
    alice,
  );
  await say(bob, direct.token, 'Lunch at 12:30?');
  const standup = await group(layla, 'Daily stand-up', ['alice', 'bob']);
  await group(bob, 'Release planning', ['alice']);
  // A call runs in the stand-up: Layla joined it over signaling.
  const ws = new WebSocket(`ws://localhost:${server.port}/api/v1/signaling`);
  await new Promise((resolve) => ws.addEventListener('open', resolve));
  ws.send(JSON.stringify({ type: 'hello', token: layla }));
  await new Promise((resolve) => setTimeout(resolve, 200));
  ws.send(JSON.stringify({ type: 'join', conversation: standup.token }));
  await new Promise((resolve) => setTimeout(resolve, 200));
  ws.send(JSON.stringify({ type: 'call-join', conversation: standup.token, media: { audio: true, video: false } }));
  await new Promise((resolve) => setTimeout(resolve, 500));

  await mkdir(reports, { recursive: true });
  for (const [name, query] of LOOKS) {
    const tab = await openTab(
      browser,
      server,
      { width: 440, height: 560 },
      `token=${alice}&selected=${quiet.token}&${query}`,
    );
    await tab.waitForFunction(
      () =>
        document.querySelector('talk-conversation-list')?.shadowRoot?.querySelectorAll('[part="conversation"]')
          .length >= 6,
      { timeout: 15_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tab.screenshot({ path: join(reports, `talk-conversation-list-${name}.png`) });
    console.log(`wrote reports/talk-conversation-list-${name}.png`);
    // The filter searching messages too: "shared" names no conversation, two messages hold it.
    await tab.evaluate(() => {
      const filter = document.querySelector('talk-conversation-list').shadowRoot.querySelector('[part="filter"]');
      filter.focus();
    });
    await tab.keyboard.type('shared');
    await tab.waitForFunction(
      () =>
        document.querySelector('talk-conversation-list').shadowRoot.querySelectorAll('[part="message-result"]')
          .length >= 2,
      { timeout: 15_000 },
    );
    await tab.screenshot({ path: join(reports, `talk-conversation-list-${name}-search.png`) });
    console.log(`wrote reports/talk-conversation-list-${name}-search.png`);
    await tab.evaluate(() => {
      const filter = document.querySelector('talk-conversation-list').shadowRoot.querySelector('[part="filter"]');
      filter.value = '';
      filter.dispatchEvent(new Event('input'));
    });
    if (name === 'light') {
      // The form for a new one-to-one, with the people the host offers.
      await tab.evaluate(async () => {
        const list = document.querySelector('talk-conversation-list');
        list.shadowRoot.querySelector('[part="create-button"]').click();
        await list.updateComplete;
        list.shadowRoot.querySelector('input[value="one-to-one"]').click();
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tab.screenshot({ path: join(reports, 'talk-conversation-list-create.png') });
      console.log('wrote reports/talk-conversation-list-create.png');
    }
    await tab.close();
  }
});
