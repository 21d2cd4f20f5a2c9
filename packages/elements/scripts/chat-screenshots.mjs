#!/usr/bin/env node
// Pictures of <talk-chat> against a real server with a conversation that uses what the chat shows: markdown,
// links, mentions, a reply, reactions, an edit, a deletion, an image file, a poll with votes, someone typing; and its composer with
// the @ autocomplete and the emoji picker open. `npm run screenshot:chat` writes
// reports/talk-chat-{light,dark,arabic}{,-mention,-emoji,-shared}.png and reports/talk-chat-menu.png. Needs `npm run build` for the server; the elements are bundled
// from their sources.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { LOOKS, openTab, reports, withServedPage } from './served-page.mjs';

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

/** A PNG of `width`×`height` in two colours, for the image preview. */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])));
    return Buffer.concat([head, data, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(x < width / 2 ? [0x00, 0x67, 0x9e] : [0xc2, 0x41, 0x0c], 1 + x * 3);
    rows.push(row);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

await withServedPage('talk-chat-shots', { page, main }, {}, async ({ server, browser, call, post }) => {
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
  const upload = await fetch(`${server.url}${base}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bob}`, 'content-type': 'application/octet-stream', 'x-file-name': 'icons.png' },
    body: png(160, 90),
  }).then((response) => response.json());
  await say(bob, 'icons.png', { attachmentId: upload.id });
  const notes = await fetch(`${server.url}${base}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'text/plain', 'x-file-name': 'review-notes.txt' },
    body: 'Review notes: icons, dark theme, bundle size.',
  }).then((response) => response.json());
  await say(alice, 'review-notes.txt', { attachmentId: notes.id });
  const poll = await post(
    `${base}/polls`,
    { question: 'Which day for the review?', options: ['Tuesday', 'Wednesday'], referenceId: 'poll' },
    alice,
  );
  await post(`${base}/polls/${poll.id}/votes`, { optionIds: [1] }, bob);
  await post(`${base}/polls/${poll.id}/votes`, { optionIds: [0] }, layla);

  await mkdir(reports, { recursive: true });
  for (const [name, query] of LOOKS) {
    const tab = await openTab(
      browser,
      server,
      { width: 720, height: 680 },
      `token=${alice}&conversation=${room.token}&${query}`,
    );
    await tab.waitForFunction(
      () =>
        document.querySelector('talk-chat')?.shadowRoot?.querySelector('[part="messages"]')?.dataset.count >= 11 &&
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
    // The composer: the @ autocomplete, then the emoji picker.
    await tab.evaluate(() => document.querySelector('talk-chat').shadowRoot.querySelector('[part="input"]').focus());
    await tab.keyboard.type('@b');
    await tab.waitForFunction(
      () => document.querySelector('talk-chat').shadowRoot.querySelector('[part="mentions"] [role="option"]'),
      { timeout: 10_000 },
    );
    await tab.screenshot({ path: join(reports, `talk-chat-${name}-mention.png`) });
    console.log(`wrote reports/talk-chat-${name}-mention.png`);
    await tab.keyboard.press('Escape');
    await tab.evaluate(() =>
      document.querySelector('talk-chat').shadowRoot.querySelector('[part="emoji-button"]').click(),
    );
    await tab.waitForFunction(
      () =>
        document
          .querySelector('talk-chat')
          .shadowRoot.querySelector('[part="emoji-picker"] emoji-picker')
          ?.shadowRoot?.querySelector('[role="tabpanel"] [role="menuitem"]'),
      { timeout: 10_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tab.screenshot({ path: join(reports, `talk-chat-${name}-emoji.png`) });
    console.log(`wrote reports/talk-chat-${name}-emoji.png`);
    await tab.keyboard.press('Escape');
    // The shared-items panel: the image's thumbnail, the file, the links and the poll.
    await tab.evaluate(() =>
      document.querySelector('talk-chat').shadowRoot.querySelector('[part="shared-button"]').click(),
    );
    await tab.waitForFunction(
      () => {
        const panel = document.querySelector('talk-chat').shadowRoot.querySelector('[part="shared"]');
        const image = panel?.querySelector('[part="shared-thumbnail"]');
        return panel?.getAttribute('aria-busy') === 'false' && image?.complete && image.naturalWidth > 0;
      },
      { timeout: 10_000 },
    );
    await tab.screenshot({ path: join(reports, `talk-chat-${name}-shared.png`) });
    console.log(`wrote reports/talk-chat-${name}-shared.png`);
    await tab.keyboard.press('Escape');
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
});
