import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient } from '@talk/call-core';
import { tokenFor, until } from '../test-support/talk.js';
import type { TalkConversationList } from './talk-conversation-list.js';
import './talk-conversation-list.js';

/** Texts that try to run script, load something or break out of the markup, as names and as last messages. */
const HOSTILE = [
  '<script>window.__pwned("script")</script>',
  '<img src=x onerror="window.__pwned(\'img\')">',
  '<svg onload="window.__pwned(\'svg\')"><circle r="10"/></svg>',
  '<svg><a xlink:href="javascript:window.__pwned(\'svg-a\')"><text>svg link</text></a></svg>',
  '[markdown js](javascript:window.__pwned("md-js"))',
  '<a href="javascript:window.__pwned(\'a\')">html js link</a>',
  '<iframe src="javascript:window.__pwned(\'iframe\')"></iframe>',
  '<style>* { display: none }</style>',
  '<input autofocus onfocus="window.__pwned(\'focus\')">',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned("mxss")>',
  '"><img src=x onerror=window.__pwned("break-out")>',
  '</bdi></span></div><script>window.__pwned("close")</script>',
  'data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZCgxKTwvc2NyaXB0Pg==',
  '<b>unclosed <i>markup',
  '\u202Egnp.exe\u202C a right-to-left override',
  '\u2066isolate\u2069 \u200Fmark \u061Carabic mark',
  '<x-evil onclick="window.__pwned(\'custom\')">custom element</x-evil>',
];

/** What the list's own templates make. */
const SHELL_TAGS = [
  'div',
  'span',
  'time',
  'button',
  'input',
  'form',
  'fieldset',
  'legend',
  'label',
  'bdi',
  'p',
  'svg',
  'path',
];

describe('talk-conversation-list renders hostile content inert', () => {
  const pwned: string[] = [];
  before(() => {
    (window as unknown as { __pwned: (what: string) => void }).__pwned = (what) => pwned.push(what);
    window.alert = () => pwned.push('alert');
  });

  it('runs no script and makes no element of hostile conversation names, last messages and author names', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const alice = new TalkClient({ serverUrl: location.origin, token: await tokenFor(`alice-${suffix}`, 'Alice') });
    const writers: TalkClient[] = [];
    const made: string[] = [];
    for (const [index, text] of HOSTILE.entries()) {
      // Each writer is named hostile too, and names the conversation and writes its last message with another text.
      const writer = new TalkClient({
        serverUrl: location.origin,
        token: await tokenFor(`mallory-${suffix}-${index}`, HOSTILE[(index + 1) % HOSTILE.length]!),
      });
      writers.push(writer);
      const { token } = await writer.createConversation({
        type: 'group',
        name: text,
        participants: [{ userId: `alice-${suffix}` }],
      });
      await writer.postMessage(token, { message: HOSTILE[(index + 2) % HOSTILE.length]!, referenceId: `h${index}` });
      made.push(token);
    }
    const el = await fixture<TalkConversationList>(
      html`<talk-conversation-list style="block-size: 600px" .client=${alice}></talk-conversation-list>`,
    );
    const rows = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="conversation"]')];
    await until(() => rows().length === HOSTILE.length, 'every hostile conversation');
    await until(
      () => rows().every((row) => row.querySelector('[part="preview"]')!.textContent!.includes(':')),
      'previews',
    );
    // Error handlers of images would have fired by now, had any image been made.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const problems: string[] = [];
    for (const element of el.shadowRoot!.querySelectorAll('*')) {
      const tag = element.localName;
      if (tag === 'style' && element.parentNode === el.shadowRoot) continue; // the element's own styles
      if (!SHELL_TAGS.includes(tag)) problems.push(`unexpected <${tag}>`);
      for (const { name } of element.attributes) {
        if (name.startsWith('on') || name === 'src' || name === 'href' || name === 'srcset') {
          problems.push(`${name} on <${tag}>`);
        }
      }
    }
    // Names and previews are text nodes only, and read as what was written.
    for (const node of el.shadowRoot!.querySelectorAll('[part="name"], [part="preview"]')) {
      if ([...node.childNodes].some((child) => child.nodeType === Node.ELEMENT_NODE)) {
        problems.push(`an element inside ${node.getAttribute('part')}`);
      }
    }
    const names = rows().map((row) => row.querySelector('[part="name"]')!.textContent);
    const previews = rows().map((row) => row.querySelector('[part="preview"]')!.textContent);
    const isolated = (text: string) => `\u2068${text}\u2069`;

    expect(pwned, 'scripts that ran').to.deep.equal([]);
    expect([...new Set(problems)], 'elements and attributes outside the allowed set').to.deep.equal([]);
    expect([...names].sort()).to.deep.equal([...HOSTILE].sort());
    // The preview is "author: text" with both hostile (each a bidi isolate), whitespace and code marks folded.
    const folded = (text: string) => text.replace(/`+/g, '').replace(/\s+/g, ' ').trim();
    for (const [index, token] of made.entries()) {
      const row = el.shadowRoot!.querySelector(`[data-token="${token}"]`)!;
      const author = HOSTILE[(index + 1) % HOSTILE.length]!;
      const text = HOSTILE[(index + 2) % HOSTILE.length]!;
      expect(row.querySelector('[part="preview"]')!.textContent).to.equal(
        `${isolated(author)}: ${isolated(folded(text))}`,
      );
    }
    expect(previews).to.have.length(HOSTILE.length);
    await expect(el).to.be.accessible();
    alice.close();
    for (const writer of writers) writer.close();
  });
});
