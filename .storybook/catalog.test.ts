// Opens every story of the built catalog in Debian's Chromium, one after another, and fails a story on any console
// error, page error, failed play function, element that rendered nothing, or axe violation.
import { createRequire } from 'node:module';
import { type LaunchedBrowser, launchChromium } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/** One entry of the build's index.json. */
interface IndexEntry {
  type: 'story' | 'docs';
  id: string;
  title: string;
  name: string;
  tags?: string[];
}

const base = inject('catalogUrl');
const index = (await (await fetch(new URL('index.json', base))).json()) as { entries: Record<string, IndexEntry> };
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
const docs = Object.values(index.entries).filter((entry) => entry.type === 'docs');
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** How long a story may take to render and play. */
const STORY_TIMEOUT_MS = 20_000;

let launched: LaunchedBrowser;
let page: Awaited<ReturnType<LaunchedBrowser['browser']['newPage']>>;
/** What went wrong on the page during the current story. */
let problems: string[] = [];

beforeAll(async () => {
  launched = await launchChromium();
  page = await launched.browser.newPage();
  await page.setViewport({ width: 1024, height: 768 });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : error}`));
});

afterAll(async () => {
  await launched?.close();
});

/** Opens a page of the catalog, forgetting the problems of the previous one. */
async function visit(path: string): Promise<void> {
  problems = [];
  await page.goto(new URL(path, base).href, { waitUntil: 'load' });
}

/** Waits until Storybook has rendered the story, run its play function and its after-each hooks; returns the phase. */
async function storyDone(): Promise<string> {
  const handle = await page.waitForFunction(
    () => {
      const preview = (window as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } })
        .__STORYBOOK_PREVIEW__;
      const phase = preview?.currentRender?.phase;
      const failed = document.body.classList.contains('sb-show-errordisplay');
      return failed ? 'errored' : phase && ['finished', 'errored', 'aborted'].includes(phase) ? phase : false;
    },
    { timeout: STORY_TIMEOUT_MS, polling: 50 },
  );
  return (await handle.jsonValue()) as string;
}

/** Why the story's elements count as empty, or null: each `talk-*` must have a non-empty, visible shadow root. */
function emptiness(): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.querySelector('#storybook-root');
    const elements = [...(root?.querySelectorAll('*') ?? [])].filter((element) =>
      element.localName.startsWith('talk-'),
    );
    if (elements.length === 0) return 'the story rendered no talk-* element';
    for (const element of elements) {
      const rendered = [...(element.shadowRoot?.children ?? [])].filter((child) => child.localName !== 'style');
      if (rendered.length === 0) return `<${element.localName}> rendered nothing in its shadow root`;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return `<${element.localName}> takes no space on the page`;
    }
    return null;
  });
}

/** The axe violations in the story's root, shadow roots included, one line each. */
async function axeViolations(): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  return page.evaluate(async () => {
    type Result = { violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Element): Promise<Result> } }).axe;
    const root = document.querySelector('#storybook-root');
    if (!root) return ['no #storybook-root to check'];
    const { violations } = await axe.run(root);
    return violations.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')})`,
    );
  });
}

describe('catalog', () => {
  it('has a story for every element', () => {
    const titles = new Set(stories.map((story) => story.title));
    // A part of an element may have its own file of stories, under the element's title (talk-chat's polls, pins, …).
    expect([...titles].sort()).toEqual([
      'Elements/talk-call',
      'Elements/talk-chat',
      'Elements/talk-chat/Files',
      'Elements/talk-chat/Pinned messages',
      'Elements/talk-chat/Polls',
      'Elements/talk-chat/Search',
      'Elements/talk-chat/Shared items',
      'Elements/talk-conversation-list',
      'Elements/talk-join',
      'Elements/talk-participants',
      'Elements/talk-screenshare',
    ]);
  });

  for (const docsPage of docs) {
    it(`${docsPage.title.replace('Elements/', '')} › autodocs page renders its stories cleanly`, async () => {
      await visit(`iframe.html?id=${docsPage.id}&viewMode=docs`);
      // Autodocs shows every story of the file, the first one twice (as the page's primary story).
      const count = stories.filter((story) => story.title === docsPage.title).length + 1;
      await expect
        .poll(() => page.$$eval('#storybook-docs [id^="story--"]:not([id$="-inner"])', (found) => found.length), {
          timeout: STORY_TIMEOUT_MS,
        })
        .toBe(count);
      // The argument table comes from custom-elements.json, which lists the `talk-error` event of every element.
      expect(await page.$eval('#storybook-docs', (root) => root.textContent ?? '')).toContain('talk-error');
      expect(problems).toEqual([]);
    });
  }

  for (const story of stories) {
    it(`${story.title.replace('Elements/', '')} › ${story.name} renders cleanly`, async () => {
      await visit(`iframe.html?id=${story.id}&viewMode=story`);
      const phase = await storyDone();
      const errorText = await page.evaluate(() =>
        document.body.classList.contains('sb-show-errordisplay')
          ? (document.querySelector('#error-message')?.textContent ?? 'the story failed')
          : '',
      );
      expect({ phase, errorText }).toEqual({ phase: 'finished', errorText: '' });
      expect(await emptiness()).toBeNull();
      if (story.tags?.includes('live')) {
        // No server in this test: a live story says so rather than failing.
        expect(await page.$eval('#storybook-root', (root) => root.textContent ?? '')).toContain('Talk server is off');
      }
      expect(await axeViolations()).toEqual([]);
      expect(problems).toEqual([]);
    });
  }
});
