#!/usr/bin/env node
// Pictures of <talk-call> with the fixture client's stand-up (six people, synthetic cameras): before joining in
// light, in the call in dark with the participants and statistics panels open, and in Arabic right to left in
// speaker view. `npm run screenshot:call` writes reports/talk-call-{prejoin-light,call-dark,speaker-ar}.png. Needs
// `npm run build` for the server, which only serves the page; the elements are bundled from their sources.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { reports, withServedPage } from './served-page.mjs';

const page = `<!doctype html>
<html lang="en">
  <head>
    <style>
      body { margin: 0; padding: 16px; display: grid; gap: 16px; background: #888; font-family: system-ui; }
      talk-call { height: 560px; inline-size: 960px; padding: 8px; }
      talk-call[theme='dark'] { background: #171717; color: #ebebeb; }
      talk-call[theme='light'] { background: #fff; color: #222; }
    </style>
  </head>
  <body>
    <talk-call id="prejoin-light" theme="light"></talk-call>
    <talk-call id="call-dark" theme="dark"></talk-call>
    <talk-call id="speaker-ar" theme="light" lang="ar" dir="rtl" view="speaker"></talk-call>
    <script type="module" src="./main.js"></script>
  </body>
</html>`;

const main = `import { conversations, FixtureClient } from '@talk/call-core/testing';
import '@talk/elements/talk-call.js';
const calls = [...document.querySelectorAll('talk-call')];
for (const call of calls) {
  call.client = new FixtureClient();
  call.conversation = conversations.standup;
}
window.shots = { calls };
`;

await withServedPage('talk-call-screenshot', { page, main }, {}, async ({ server, browser }) => {
  const tab = await browser.browser.newPage();
  tab.on('pageerror', (error) => console.error(`page error: ${String(error)}`));
  await tab.setViewport({ width: 1000, height: 1800 });
  await tab.goto(`http://localhost:${server.port}/`);
  const inShadow = (id, selector) =>
    tab.waitForFunction(
      (i, s) => !!document.getElementById(i)?.shadowRoot?.querySelector(s),
      { timeout: 15_000 },
      id,
      selector,
    );
  const click = (id, part) =>
    tab.evaluate((i, p) => document.getElementById(i).shadowRoot.querySelector(`[part="${p}"]`).click(), id, part);
  await inShadow('prejoin-light', '[part="call-status"][data-active="true"]');
  await inShadow('prejoin-light', '[part="level"]');
  for (const id of ['call-dark', 'speaker-ar']) {
    await inShadow(id, '[part="join"]:not([disabled])');
    await click(id, 'join');
    await inShadow(id, '[part="leave"]:not([disabled])');
  }
  await click('call-dark', 'participants-toggle');
  await click('call-dark', 'stats-toggle');
  await inShadow('call-dark', '[part="stats-row"]');
  await inShadow('speaker-ar', '[data-place="promoted"]');
  // A moment for the synthetic cameras to draw and the speaker to settle.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  await mkdir(reports, { recursive: true });
  for (const id of ['prejoin-light', 'call-dark', 'speaker-ar']) {
    const element = await tab.$(`#${id}`);
    const path = join(reports, `talk-call-${id}.png`);
    await element.screenshot({ path });
    console.log(`wrote ${path}`);
  }
});
