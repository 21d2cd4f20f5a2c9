import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient as Client } from '@talk/call-core';
import { freshConversation, until } from '../test-support/talk.js';
import { ALLOWED_TAGS } from './rich-text.js';
import type { TalkChat } from './talk-chat.js';
import './talk-chat.js';

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

/** Message texts that try to run script, load something, restyle the page or break out of the markup. */
const HOSTILE_TEXTS = [
  '<script>window.__pwned("script")</script>',
  '<img src=x onerror="window.__pwned(\'img\')">',
  '<svg onload="window.__pwned(\'svg\')"><circle r="10"/></svg>',
  '<svg><script>window.__pwned("svg-script")</script></svg>',
  '<svg><a xlink:href="javascript:window.__pwned(\'svg-a\')"><text>svg link</text></a></svg>',
  '[markdown js](javascript:window.__pwned("md-js"))',
  '[markdown data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZCgxKTwvc2NyaXB0Pg==)',
  '[spaced](  javascript:window.__pwned("spaced"))',
  '[tabbed](java\tscript:window.__pwned("tab"))',
  '[entity](&#106;avascript:window.__pwned("entity"))',
  '[vb](vbscript:msgbox(1))',
  '[file](file:///etc/passwd)',
  '[relative](//evil.example/x)',
  '<a href="javascript:window.__pwned(\'a\')">html js link</a>',
  '<a href="https://example.com" target="_self" rel="opener" onclick="window.__pwned(\'a-click\')">html link</a>',
  '![image](https://example.com/x.png)',
  '![image js](javascript:window.__pwned("img-md"))',
  '<iframe src="javascript:window.__pwned(\'iframe\')"></iframe>',
  '<object data="javascript:window.__pwned(\'object\')"></object>',
  '<embed src="javascript:window.__pwned(\'embed\')">',
  '<div style="background:url(javascript:window.__pwned(1))">styled div</div>',
  '<style>* { display: none }</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned(1)">',
  '<base href="https://evil.example/">',
  '<form><button formaction="javascript:window.__pwned(\'form\')">go</button></form>',
  '<input autofocus onfocus="window.__pwned(\'focus\')">',
  '<details open ontoggle="window.__pwned(\'details\')"><summary>s</summary></details>',
  '<video><source onerror="window.__pwned(\'video\')"></video>',
  '<template><img src=x onerror=window.__pwned("template")></template>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned("mxss")>',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned(\'noscript\')>">',
  '<<script>script>window.__pwned("nested")<</script>/script>',
  '"><img src=x onerror=window.__pwned("break-out")>',
  '</div></div></talk-chat><script>window.__pwned("close")</script>',
  '`<img src=x onerror=window.__pwned("inline-code")>`',
  '```\n<script>window.__pwned("code-block")</script>\n```',
  '> <img src=x onerror=window.__pwned("quote")>',
  '- <img src=x onerror=window.__pwned("list")>',
  '[<img src=x onerror=window.__pwned("link-text")>](https://example.com)',
  '[ok](https://example.com/"onmouseover="window.__pwned(1))',
  'https://example.com/"onmouseover="window.__pwned(1)',
  'javascript:window.__pwned("bare")',
  'www.example.com/path?q=<script>',
  'write to mailto:someone@example.com or someone@example.com',
  '<b>unclosed <i>markup',
  '\u202Egnp.exe\u202C a right-to-left override',
  '\u2066isolate\u2069 \u200Fmark \u061Carabic mark',
  '@"<img src=x onerror=window.__pwned(1)>" hi',
  '<x-evil onclick="window.__pwned(\'custom\')">custom element</x-evil>',
];

/** Display names that try the same through the author line, the avatar's initials and the system messages. */
const HOSTILE_NAMES = [
  '<img src=x onerror="window.__pwned(\'name\')">',
  '<script>window.__pwned("name-script")</script>',
  '\u202Eevil\u202C',
  '"><svg onload=window.__pwned("name-svg")>',
];

/** What the element's own templates make, besides the markdown tags; `input` is the composer's hidden file chooser. */
const SHELL_TAGS = ['div', 'span', 'time', 'button', 'textarea', 'form', 'slot', 'bdi', 'strong', 'input'];
// The chat's own dialog that creates a poll (closed, outside the list).
SHELL_TAGS.push('dialog', 'h2', 'label', 'fieldset', 'legend');
const SAFE_LINK = /^(?:https?:|mailto:)/i;

async function writer(userId: string, displayName: string, conversation: string): Promise<Client> {
  const response = await fetch('/api/v1/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, displayName }),
  });
  const { token } = (await response.json()) as { token: string };
  const client = new Client({ serverUrl: location.origin, token });
  await client.joinConversation(conversation);
  return client;
}

describe('talk-chat renders hostile content inert', () => {
  const pwned: string[] = [];
  before(() => {
    (window as unknown as { __pwned: (what: string) => void }).__pwned = (what) => pwned.push(what);
    window.alert = () => pwned.push('alert');
  });

  it('runs no script and creates no element outside the allowed set, for texts, names and links', async function () {
    // Fourteen writers post 54 messages before the walk: more work than the suite's 20 s budget for one test.
    this.timeout(60_000);
    const { client, conversation } = await freshConversation();
    const eve = await writer('eve', 'Eve', conversation);
    const posted: number[] = [];
    for (const [index, text] of HOSTILE_TEXTS.entries()) {
      posted.push((await eve.postMessage(conversation, { message: text, referenceId: `t${index}` })).id);
    }
    const named: Client[] = [];
    for (const [index, name] of HOSTILE_NAMES.entries()) {
      const author = await writer(`mallory${index}`, name, conversation);
      named.push(author);
      const message = await author.postMessage(conversation, {
        message: `from @eve, name ${index}`,
        referenceId: `n${index}`,
      });
      posted.push(message.id);
    }
    const el = await fixture<TalkChat>(
      html`<talk-chat style="block-size: 600px" .client=${client} conversation=${conversation}></talk-chat>`,
    );
    const list = el.shadowRoot!.querySelector<HTMLElement>('[part="messages"]')!;
    const total = HOSTILE_TEXTS.length + HOSTILE_NAMES.length;
    await until(() => Number(list.dataset.count) >= total, 'the history');
    await until(() => !!el.shadowRoot!.querySelector('[part="text"].rich'), 'the markdown renderer');

    // Walk the whole list, so that every row is rendered once, and check what each frame holds.
    const seen = new Set<string>();
    const shownTexts = new Set<string>();
    const authors = new Set<string>();
    const problems: string[] = [];
    const inspect = () => {
      for (const element of el.shadowRoot!.querySelectorAll('*')) {
        const tag = element.localName;
        const inText = element.closest('[part="text"]');
        const where = `${tag} in ${(element.closest('[data-key]') as HTMLElement | null)?.dataset.key ?? 'shell'}`;
        if (tag === 'style' && element.parentNode === el.shadowRoot) continue; // the element's own styles
        if (!SHELL_TAGS.includes(tag) && !ALLOWED_TAGS.includes(tag)) problems.push(`unexpected <${where}>`);
        if (inText && inText !== element && !ALLOWED_TAGS.includes(tag) && !element.matches('span.mention')) {
          problems.push(`<${where}> inside a message text`);
        }
        for (const { name, value } of element.attributes) {
          if (name.startsWith('on')) problems.push(`${name} on <${where}>`);
          if (inText && inText !== element && !['href', 'target', 'rel', 'class', 'data-self'].includes(name)) {
            problems.push(`${name}="${value}" on <${where}>`);
          }
          if (name === 'src' || name === 'srcset' || name === 'formaction') problems.push(`${name} on <${where}>`);
        }
        if (tag === 'a') {
          const a = element as HTMLAnchorElement;
          if (!SAFE_LINK.test(a.getAttribute('href') ?? '')) problems.push(`href ${a.getAttribute('href')}`);
          if (a.rel !== 'noopener noreferrer' || a.target !== '_blank') problems.push(`rel/target on ${a.href}`);
        }
      }
      for (const row of el.shadowRoot!.querySelectorAll<HTMLElement>('[part="message"][data-id]'))
        seen.add(row.dataset.id!);
      for (const text of el.shadowRoot!.querySelectorAll('[part="text"]')) shownTexts.add(text.textContent ?? '');
      for (const author of el.shadowRoot!.querySelectorAll('[part="author"]')) authors.add(author.textContent ?? '');
    };
    // The virtualizer renders a scroll position in its own frames, later on a busy machine: a step inspects only once
    // rows cover the viewport's top and bottom edges, or a row that was scrolled past unrendered is never inspected.
    const covers = (y: number) =>
      [...el.shadowRoot!.querySelectorAll<HTMLElement>('.row')].some((row) => {
        const box = row.getBoundingClientRect();
        return box.top <= y + 12 && box.bottom >= y - 12; // a row's margin may leave a gap at the edge
      });
    const rendered = () => {
      const box = list.getBoundingClientRect();
      return covers(box.top + 1) && covers(Math.min(box.bottom, box.top + list.scrollHeight - list.scrollTop) - 1);
    };
    list.scrollTop = 0;
    let endSteps = 0;
    for (let step = 0; step < 200; step++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await until(rendered, `the rows at ${list.scrollTop} px`);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      inspect();
      // The list's height is an estimate until every row was measured: at its apparent end, rows may still follow.
      const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
      endSteps = atEnd ? endSteps + 1 : 0;
      if (atEnd && (seen.size >= total || endSteps > 10)) break;
      if (!atEnd) list.scrollTop += list.clientHeight / 2;
    }
    // A row the walk scrolled past while the virtualizer was still re-measuring the rows above it is opened in
    // context, as a search result is, so that every message is inspected as rendered.
    const skipped = posted.filter((id) => !seen.has(String(id)));
    for (const id of skipped) {
      expect(await el.showMessage(id), `message ${id} opened`).to.equal(true);
      await until(() => !!el.shadowRoot!.querySelector(`[part="message"][data-id="${id}"]`), `message ${id}`);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      inspect();
    }
    if (skipped.length > 0) console.info(`inert walk: ${skipped.length} rows opened after the scroll`);
    // Error handlers of images would have fired by now, had any image been made.
    await new Promise((resolve) => setTimeout(resolve, 500));
    inspect();

    expect(pwned, 'scripts that ran').to.deep.equal([]);
    expect([...new Set(problems)], 'elements and attributes outside the allowed set').to.deep.equal([]);
    expect(
      posted.filter((id) => !seen.has(String(id))),
      'messages never inspected',
    ).to.deep.equal([]);
    expect(seen.size, 'messages inspected').to.equal(total);
    // Shown, not dropped: typed markup reads as the text it is.
    expect([...shownTexts].some((t) => t.includes('<b>unclosed <i>markup'))).to.equal(true);
    expect([...authors]).to.include(HOSTILE_NAMES[0]);
    await expect(el).to.be.accessible();
    client.close();
    eve.close();
    for (const author of named) author.close();
  });
});
