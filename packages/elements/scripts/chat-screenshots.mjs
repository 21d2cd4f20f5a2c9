#!/usr/bin/env node
// Pictures of <talk-chat> against a real server with a conversation that uses what the chat shows: markdown,
// links, mentions, a reply, reactions, an edit, a deletion, a poll with votes, someone typing. `npm run screenshot:chat` writes
// reports/talk-chat-{light,dark,arabic,menu}.png. Needs `npm run build` for the server; the elements are bundled
// from their sources.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTalkServer } from '@talk/server';
import { launchChromium } from '@talk/testing';
import { build, defaultClientConditions } from 'vite';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const reports = join(packageDir, 'reports');

const page = `<!doctype html>
<html lang="en">
  <head>
    <style>
      body { margin: 0; padding: 16px; background: #888; }
      body[data-theme='dark'] { background: #333; }
      talk-chat { height: 640px; }
    </style>
  </head>
  <body>
    <talk-provider><talk-chat></talk-chat></talk-provider>
    <script type="module" src="./main.js"></script>
  </body>
</html>`;

const main = `import '@talk/elements/talk-provider.js';
import '@talk/elements/talk-chat.js';
const params = new URLSearchParams(location.search);
document.querySelector('talk-provider').token = params.get('token');
const chat = document.querySelector('talk-chat');
if (params.get('theme')) { chat.theme = params.get('theme'); document.body.dataset.theme = params.get('theme'); }
if (params.get('lang')) { document.documentElement.lang = params.get('lang'); document.documentElement.dir = params.get('dir') ?? 'ltr'; }
chat.conversation = params.get('conversation');
`;

const root = await mkdtemp(join(tmpdir(), 'talk-chat-shots-'));
try {
  await writeFile(join(root, 'index.html'), page);
  await writeFile(join(root, 'main.js'), main);
  await symlink(join(packageDir, '..', '..', 'node_modules'), join(root, 'node_modules'));
  await build({
    configFile: false,
    logLevel: 'silent',
    root,
    resolve: { conditions: ['source', ...defaultClientConditions] },
    build: { outDir: 'dist', target: 'es2022' },
  });
  const server = await createTalkServer({
    port: 0,
    storage: { kind: 'pglite', dataDir: 'memory://' },
    devMode: true,
    staticDir: join(root, 'dist'),
  });
  const call = async (method, path, body, token) => {
    const headers = {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const response = await fetch(server.url + path, { method, headers, body: body && JSON.stringify(body) });
    return response.status === 204 ? null : response.json();
  };
  const post = (path, body, token) => call('POST', path, body, token);
  const { token: alice } = await post('/api/v1/dev/tokens', {
    userId: 'alice',
    displayName: 'Alice Martin',
    // The host vouches for the object the conversation belongs to.
    objects: [{ pattern: 'shot:*', types: ['public'] }],
  });
  const { token: bob } = await post('/api/v1/dev/tokens', { userId: 'bob', displayName: 'Bob Stone' });
  const { token: layla } = await post('/api/v1/dev/tokens', { userId: 'layla', displayName: 'ليلى حداد' });
  const room = await post(
    '/api/v1/conversations',
    { type: 'public', name: 'Design team', object: { type: 'shot', id: '1' } },
    alice,
  );
  const base = `/api/v1/conversations/${room.token}`;
  await post(`${base}/participants/self`, {}, bob);
  await post(`${base}/participants/self`, {}, layla);
  let n = 0;
  const say = (token, message, extra = {}) =>
    post(`${base}/messages`, { message, referenceId: `r${n++}`, ...extra }, token);
  const first = await say(bob, 'Morning all! The new icons landed in the **shared folder** 🎨');
  await say(bob, 'Have a look at https://example.com/icons when you can');
  await say(alice, 'Thanks @bob, they look _great_.', { replyTo: first.id });
  const arabic = await say(layla, 'صباح الخير! سأراجع الألوان الداكنة بعد الظهر.');
  await post(`${base}/messages/${arabic.id}/reactions`, { reaction: '👍' }, alice);
  await post(`${base}/messages/${arabic.id}/reactions`, { reaction: '👍' }, bob);
  await post(`${base}/messages/${arabic.id}/reactions`, { reaction: '🎉' }, bob);
  const typo = await say(bob, 'Checklist:\n- icons ✅\n- dark theme ✅\n- `talk-chat` bundle sise');
  await call(
    'PATCH',
    `${base}/messages/${typo.id}`,
    { message: 'Checklist:\n- icons ✅\n- dark theme ✅\n- `talk-chat` bundle size' },
    bob,
  );
  const oops = await say(bob, 'wrong room, sorry');
  await call('DELETE', `${base}/messages/${oops.id}`, undefined, bob);
  await say(bob, '@alice could you review the release notes?\n> They are in the wiki');
  await say(alice, 'Sure, on it 👍');
  const poll = await post(
    `${base}/polls`,
    { question: 'Which day for the review?', options: ['Tuesday', 'Wednesday'], referenceId: 'poll' },
    alice,
  );
  await post(`${base}/polls/${poll.id}/votes`, { optionIds: [1] }, bob);
  await post(`${base}/polls/${poll.id}/votes`, { optionIds: [0] }, layla);

  const browser = await launchChromium();
  try {
    await mkdir(reports, { recursive: true });
    const shots = [
      ['light', 'theme=light'],
      ['dark', 'theme=dark'],
      ['arabic', 'theme=light&lang=ar&dir=rtl'],
    ];
    for (const [name, query] of shots) {
      const tab = await browser.browser.newPage();
      await tab.setViewport({ width: 720, height: 680 });
      await tab.goto(`http://localhost:${server.port}/?token=${alice}&conversation=${room.token}&${query}`);
      await tab.waitForFunction(
        () =>
          document.querySelector('talk-chat')?.shadowRoot?.querySelector('[part="messages"]')?.dataset.count >= 10 &&
          document.querySelector('talk-chat').shadowRoot.querySelector('[part="poll-result"]'),
        { timeout: 15_000 },
      );
      // Bob types, so the typing line shows.
      const ws = new WebSocket(`ws://localhost:${server.port}/api/v1/signaling`);
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      ws.send(JSON.stringify({ type: 'hello', token: bob }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      ws.send(JSON.stringify({ type: 'join', conversation: room.token }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      ws.send(JSON.stringify({ type: 'typing', conversation: room.token, typing: true }));
      await new Promise((resolve) => setTimeout(resolve, 800));
      await tab.screenshot({ path: join(reports, `talk-chat-${name}.png`) });
      console.log(`wrote reports/talk-chat-${name}.png`);
      if (name === 'light') {
        // The actions menu of Alice's reply, opened from the keyboard.
        await tab.evaluate(() => {
          const chat = document.querySelector('talk-chat');
          const mine = [...chat.shadowRoot.querySelectorAll('[part="message"][data-mine]')][0];
          mine.focus();
          mine.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tab.screenshot({ path: join(reports, 'talk-chat-menu.png') });
        console.log('wrote reports/talk-chat-menu.png');
      }
      ws.close();
      await tab.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
