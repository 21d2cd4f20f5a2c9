#!/usr/bin/env node
import { readFile, rm } from 'node:fs/promises';
// A benchmark, not a test: <talk-chat> opening a conversation of 10,000 messages (the in-memory fixture client, so
// that the numbers are the element's and not the network's) in headless Chromium, with lit's production build.
// Reports the time to the first rendered message, the frame times while scrolling from the bottom to the very
// first message (every page loaded on the way up) with the renderer's main-thread time spent meanwhile, the DOM
// nodes in the element, the long tasks of the first second and the JS heap. Run with
// `npm run bench:chat -w @talk/elements`; MESSAGES=… changes the count, PROFILE=1 prints the functions with the
// most self time, TRACE=file.json records a Chromium trace of the run and prints what the frames over 50 ms of the
// scroll spent their time on (both build without minifying, so that functions keep their names).
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { launchChromium } from '@talk/testing';
import { bundlePage } from './served-page.mjs';

const COUNT = Number(process.env.MESSAGES ?? 10_000);

const page = `<!doctype html>
<html lang="en"><head><style>body { margin: 0 } talk-chat { height: 700px; width: 800px }</style></head>
<body><script type="module" src="./main.js"></script></body></html>`;

const main = `import '@talk/elements/talk-chat.js';
import { FixtureClient, people } from '@talk/call-core/testing';

const COUNT = ${COUNT};
const authors = Object.values(people);
const now = Date.now();
const texts = [
  (i) => 'Message number ' + i + ' of the benchmark',
  (i) => '**Bold** and _italic_ with a link https://example.com/' + i + ' and \`code\`',
  (i) => 'A longer one, so that rows differ in height: ' + 'lorem ipsum dolor sit amet '.repeat(1 + (i % 5)),
  (i) => 'Checklist ' + i + ':\\n- one\\n- two\\n- three',
];
const messages = Array.from({ length: COUNT }, (_, i) => {
  const author = authors[Math.floor(i / 3) % authors.length];
  return {
    id: i + 1,
    conversation: 'bench',
    actorId: author.userId,
    actorDisplayName: author.displayName,
    message: texts[i % texts.length](i),
    referenceId: null,
    createdAt: new Date(now - (COUNT - i) * 90_000).toISOString(),
  };
});
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

window.bench = async () => {
  const client = new FixtureClient({ latencyMs: 5, conversations: [{ token: 'bench', name: 'Bench', messages }] });
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => [Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask' });
  const chat = document.createElement('talk-chat');
  const started = performance.now();
  window.benchStarted = started;
  chat.client = client;
  chat.conversation = 'bench';
  document.body.append(chat);
  while (!(Number(chat.shadowRoot?.querySelector('[part="messages"]')?.dataset.count) > 0)) await frame();
  const storeLoaded = performance.now() - started;
  while (!chat.shadowRoot?.querySelector('[part="message"]')) await frame();
  await frame(); // painted
  const firstRender = performance.now() - started;
  const list = chat.shadowRoot.querySelector('[part="messages"]');
  while (!chat.shadowRoot.querySelector('[part="text"].rich')) await frame();
  const richAfter = performance.now() - started;
  const nodes = () => chat.shadowRoot.querySelectorAll('*').length;
  const nodesAtStart = nodes();

  const frames = [];
  // Which frames a page of older messages landed in (the list held more than in the frame before).
  const pageFrames = new Set();
  let last = performance.now();
  let held = Number(list.dataset.count);
  let scrolling = true;
  const tick = (t) => {
    frames.push(t - last);
    last = t;
    const now = Number(list.dataset.count);
    if (now !== held) pageFrames.add(frames.length - 1);
    held = now;
    performance.mark('bench-frame'); // frame boundaries in a trace (TRACE=…)
    if (scrolling) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const metricsBefore = await window.benchMetrics();
  const scrollStart = performance.now();
  let maxNodes = 0;
  // A reader flinging upwards: 1,000 pixels a frame, until the very first message is on screen.
  while (performance.now() - scrollStart < 150_000) {
    list.scrollTop = Math.max(0, list.scrollTop - 1000);
    await frame();
    maxNodes = Math.max(maxNodes, nodes());
    const first = chat.shadowRoot.querySelector('[part="message"][data-id="1"]');
    if (Number(list.dataset.count) === COUNT && first && list.scrollTop === 0) break;
  }
  scrolling = false;
  const scrollMs = performance.now() - scrollStart;
  const metricsAfter = await window.benchMetrics();
  const spent = (name) => Math.round((metricsAfter[name] - metricsBefore[name]) * 1000);
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    messages: COUNT,
    held: Number(list.dataset.count),
    firstPageInStoreMs: Math.round(storeLoaded),
    longTasksAtStart: longTasks.filter(([t]) => t < started + 1000).map(([t, d]) => [t - Math.round(started), d]),
    firstRenderMs: Math.round(firstRender),
    markdownReadyMs: Math.round(richAfter),
    scrollToTopMs: Math.round(scrollMs),
    frames: frames.length,
    // Main-thread time of the renderer while scrolling, by kind (Chromium's Performance.getMetrics); these are
    // wall-clock durations of its tasks, so on a loaded machine they include waiting for a core.
    scrollTaskMs: spent('TaskDuration'),
    scrollScriptMs: spent('ScriptDuration'),
    scrollLayoutMs: spent('LayoutDuration'),
    scrollStyleMs: spent('RecalcStyleDuration'),
    taskMsPerFrame: +(spent('TaskDuration') / frames.length).toFixed(1),
    // The renderer main thread's CPU time: what the element costs, whatever else the machine runs meanwhile.
    scrollCpuMs: spent('ThreadTime'),
    cpuMsPerFrame: +(spent('ThreadTime') / frames.length).toFixed(1),
    frameP50Ms: +pct(0.5).toFixed(1),
    frameP95Ms: +pct(0.95).toFixed(1),
    frameMaxMs: +sorted.at(-1).toFixed(1),
    framesOver50Ms: frames.filter((f) => f > 50).length,
    // A page lands in the frame after it arrives; both count as that page's.
    framesOver50MsWithPage: frames.filter((f, i) => f > 50 && (pageFrames.has(i) || pageFrames.has(i - 1))).length,
    domNodesAtStart: nodesAtStart,
    domNodesMaxWhileScrolling: maxNodes,
    domNodesAtTop: nodes(),
    jsHeapMB: performance.memory ? +(performance.memory.usedJSHeapSize / 1048576).toFixed(1) : null,
  };
};
`;

const root = await bundlePage('talk-chat-bench', {
  page,
  main,
  mode: 'production',
  minify: !process.env.PROFILE && !process.env.TRACE,
});
try {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    try {
      const body = await readFile(join(root, 'dist', path === '/' ? 'index.html' : path));
      response.writeHead(200, { 'content-type': types[extname(path) || '.html'] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium({ args: ['--enable-precise-memory-info'] });
  browser.browser.setDefaultTimeout?.(0);
  try {
    const tab = await browser.browser.newPage();
    await tab.setViewport({ width: 820, height: 720 });
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => typeof window.bench === 'function');
    tab.on('console', (message) => console.error(message.text()));
    const metrics = await tab.createCDPSession();
    await metrics.send('Performance.enable');
    await tab.exposeFunction('benchMetrics', async () => {
      const { metrics: list } = await metrics.send('Performance.getMetrics');
      return Object.fromEntries(list.map(({ name, value }) => [name, value]));
    });
    const cdp = process.env.PROFILE ? await tab.createCDPSession() : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (process.env.TRACE) {
      await tab.tracing.start({
        path: process.env.TRACE,
        categories: [
          '-*',
          'toplevel',
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'blink.user_timing',
          'v8.execute',
          'disabled-by-default-v8.cpu_profiler',
        ],
      });
    }
    const result = await tab.evaluate(() => window.bench());
    if (process.env.TRACE) {
      await tab.tracing.stop();
      console.error(await longFrames(process.env.TRACE));
    }
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const dt = profile.timeDeltas;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, i) => {
        const n = byId.get(id);
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      console.error(
        [...self]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([k, v]) => `${v.toFixed(0)}ms ${k}`)
          .join('\n'),
      );
    }
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

/**
 * What the frames over 50 ms spent their time on, from a trace: the renderer main thread's events between two
 * `bench-frame` marks, as self time by event name (a parent's time less its children's), and the JavaScript
 * functions the sampling profiler saw in them.
 */
async function longFrames(path) {
  const { traceEvents } = JSON.parse(await readFile(path, 'utf8'));
  // The renderer that drew the bench: the one with its frame marks (an earlier one may have shown the blank page).
  const main = traceEvents.find((e) => e.name === 'bench-frame');
  const onMain = traceEvents.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const marks = onMain
    .filter((e) => e.name === 'bench-frame')
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const windows = [];
  for (let i = 1; i < marks.length; i++) if (marks[i] - marks[i - 1] > 50_000) windows.push([marks[i - 1], marks[i]]);
  const inLong = (ts) => windows.some(([from, to]) => ts >= from && ts < to);
  // Self time of complete events, nested by their times.
  const spans = onMain.filter((e) => e.ph === 'X' && e.dur !== undefined && inLong(e.ts)).sort((a, b) => a.ts - b.ts);
  const self = new Map();
  const stack = [];
  const close = (until) => {
    while (stack.length && stack.at(-1).end <= until) stack.pop();
  };
  for (const event of spans) {
    close(event.ts);
    const name = event.name === 'FunctionCall' ? `FunctionCall ${event.args?.data?.functionName || ''}` : event.name;
    self.set(name, (self.get(name) ?? 0) + event.dur);
    if (stack.length) {
      const parent = stack.at(-1);
      self.set(parent.name, (self.get(parent.name) ?? 0) - event.dur);
    }
    stack.push({ name, end: event.ts + event.dur });
  }
  // JavaScript self time from the profiler's samples.
  const profile = onMain.find((e) => e.name === 'Profile');
  const nodes = new Map();
  const js = new Map();
  let ts = profile?.args.data.startTime ?? 0;
  for (const chunk of traceEvents.filter((e) => e.name === 'ProfileChunk' && e.id === profile?.id)) {
    const data = chunk.args.data;
    for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      ts += deltas[i] ?? 0;
      const node = nodes.get(samples[i]);
      if (!node || !inLong(ts)) continue;
      const frame = node.callFrame;
      const key = `${frame.functionName || '(anon)'} ${(frame.url ?? '').split('/').pop()}:${frame.lineNumber}`;
      js.set(key, (js.get(key) ?? 0) + (deltas[i + 1] ?? 0));
    }
  }
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`)
      .join('\n');
  const total = windows.reduce((sum, [from, to]) => sum + (to - from), 0);
  return [
    `${windows.length} frames over 50 ms, ${(total / 1000).toFixed(0)} ms in all; by trace event (self time):`,
    top(self, 30),
    'JavaScript (sampled self time):',
    top(js, 30),
  ].join('\n');
}
