import { expect, fixture, html } from '@open-wc/testing';
import { Call, CallState, type TalkClient } from '@talk/call-core';
import type { TalkCall } from '../talk-call/talk-call.js';
import type { TalkChat } from '../talk-chat/talk-chat.js';
import type { TalkConversationList } from '../talk-conversation-list/talk-conversation-list.js';
import type { TalkScreenShare } from '../talk-screenshare/talk-screenshare.js';
import { freshConversation, until } from '../test-support/talk.js';
import '../talk-call/talk-call.js';
import '../talk-chat/talk-chat.js';
import '../talk-conversation-list/talk-conversation-list.js';
import '../talk-screenshare/talk-screenshare.js';
import { allLocales, targetLocales } from './locales/locale-codes.js';

/** The generated locale modules, named statically so that the dev server maps them to their sources. */
const modules: Record<string, () => Promise<{ templates: Record<string, unknown> }>> = {
  ar: () => import('./locales/ar.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
};

/** The attributes that carry words a person reads or hears. */
const WORDY_ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt'];
const hasLetters = (text: string) => /\p{L}/u.test(text);

/**
 * Text no template wrote: what a user wrote, rendered from markdown into DOM nodes (`[part="text"].rich`), the
 * initials of a user's name, and the virtualizer's hidden sizer (`visibility: hidden`, never read out).
 */
const notFromTemplates = (node: Node) =>
  !!node.parentElement?.closest('[part="text"].rich, [part="avatar"], [virtualizer-sizer]');

/**
 * Text in a shadow root that a template wrote literally. Lit puts a `<!--?lit$…$-->` marker before each value it
 * renders, so a text node with letters and no such marker before it is part of the template itself, untranslated.
 */
function literalTexts(root: ShadowRoot): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    if (node.parentElement?.localName === 'style' || !hasLetters(text) || notFromTemplates(node)) continue;
    const before = node.previousSibling;
    const fromValue = before?.nodeType === Node.COMMENT_NODE && (before as Comment).data.startsWith('?lit$');
    if (!fromValue) found.push(text.trim());
  }
  return found;
}

/** Every wordy attribute in a shadow root, keyed by where it sits, so two renderings can be compared. */
function wordyAttributes(root: ShadowRoot): Map<string, string> {
  const found = new Map<string, string>();
  root.querySelectorAll('*').forEach((element, index) => {
    for (const name of WORDY_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value && hasLetters(value)) found.set(`${index}:${element.localName}[${name}]`, value);
    }
  });
  return found;
}

/** Every text with letters in a shadow root, keyed by its position, so two renderings can be compared. */
function texts(root: ShadowRoot): Map<string, string> {
  const found = new Map<string, string>();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let index = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode(), index++) {
    const text = node.textContent?.trim() ?? '';
    if (node.parentElement?.localName !== 'style' && hasLetters(text) && !notFromTemplates(node)) {
      found.set(`text ${index}`, text);
    }
  }
  return found;
}

/**
 * Texts and attributes equal in English and German, apart from what users wrote or are called: a string that went
 * through msg() but has no German translation (not extracted, or not built) shows up here.
 */
function untranslated(english: ShadowRoot, german: ShadowRoot, userData: readonly string[]): string[] {
  const same = (a: Map<string, string>, b: Map<string, string>) =>
    [...a].filter(([where, value]) => b.get(where) === value && !userData.includes(value));
  return [
    ...same(wordyAttributes(english), wordyAttributes(german)).map(([where, value]) => `${where}="${value}"`),
    ...same(texts(english), texts(german)).map(([where, value]) => `${where}: ${value}`),
  ];
}

describe('no user-facing English outside msg()', () => {
  let client: TalkClient;
  let conversation: string;
  beforeEach(async () => {
    ({ client, conversation } = await freshConversation());
  });
  afterEach(() => client.close());

  it('ships every string in every locale: the XLIFF files are complete and built into the locale modules', async () => {
    expect([...allLocales]).to.deep.equal(['ar', 'de', 'en', 'es', 'fr']);
    const idsOf = async (locale: string) => {
      const xliff = new DOMParser().parseFromString(await (await fetch(`/xliff/${locale}.xlf`)).text(), 'text/xml');
      const units = [...xliff.querySelectorAll('trans-unit')];
      const empty = units.filter((unit) => !unit.querySelector('target')?.textContent?.trim()).map((unit) => unit.id);
      expect(empty, `${locale} units without a translation`).to.deep.equal([]);
      return units.map((unit) => unit.id).sort();
    };
    const reference = await idsOf('de');
    expect(reference.length).to.be.greaterThan(60);
    for (const locale of targetLocales) {
      expect(await idsOf(locale), `${locale}.xlf ids`).to.deep.equal(reference);
      const module = await modules[locale]!();
      expect(Object.keys(module.templates).sort(), `${locale} built from its XLIFF`).to.deep.equal(reference);
    }
  });

  it('renders talk-chat with messages, a failed one and a system note from msg() alone', async () => {
    await client.postMessage(conversation, { message: 'written by a user', referenceId: 'u1' });
    const render = async (lang: string) => {
      const el = await fixture<TalkChat>(
        html`<talk-chat lang=${lang} .client=${client} conversation=${conversation}></talk-chat>`,
      );
      await until(() => !!el.shadowRoot!.querySelector('[part="system"]'), 'the history');
      await el.send('x'.repeat(40_000)).catch(() => {});
      await until(() => !!el.shadowRoot!.querySelector('[part="retry"]'), 'the failed message');
      await until(
        () =>
          el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part="input"]')!.placeholder !== 'Write a message…' ||
          lang === 'en',
        lang,
      );
      return el.shadowRoot!;
    };
    const [english, german] = [await render('en'), await render('de')];
    expect(literalTexts(english)).to.deep.equal([]);
    expect(literalTexts(german)).to.deep.equal([]);
    expect(untranslated(english, german, ['Alice', 'alice', 'written by a user', 'x'.repeat(40_000)])).to.deep.equal(
      [],
    );
  });

  it('renders talk-call idle and joined with the emoji open from msg() alone', async () => {
    const render = async (lang: string, joined: boolean) => {
      const el = await fixture<TalkCall>(
        html`<talk-call lang=${lang} .client=${client} conversation=${conversation}></talk-call>`,
      );
      await until(() => !!el.call, 'the call');
      if (joined) {
        await el.join();
        await until(() => !!el.shadowRoot!.querySelector('[part="device-picker"]'), 'the pickers');
        el.shadowRoot!.querySelector<HTMLButtonElement>('[part="react"]')!.click();
        await until(() => !!el.shadowRoot!.querySelector('[part="reactions"]'), 'the emoji');
      }
      await until(
        () => el.shadowRoot!.querySelector('[part="camera"]')!.textContent!.trim() !== 'Camera' || lang === 'en',
        lang,
      );
      return el;
    };
    for (const joined of [false, true]) {
      const english = await render('en', joined);
      expect(literalTexts(english.shadowRoot!)).to.deep.equal([]);
      // Device names come from the browser, not from us.
      const devices = [...english.shadowRoot!.querySelectorAll('option')].map((option) => option.textContent!.trim());
      const german = await render('de', joined);
      expect(literalTexts(german.shadowRoot!)).to.deep.equal([]);
      expect(untranslated(english.shadowRoot!, german.shadowRoot!, devices)).to.deep.equal([]);
      if (joined) {
        await english.leave();
        await german.leave();
      }
    }
  });

  it('renders talk-conversation-list with a row and its create form from msg() alone', async () => {
    // A user of its own: alice's conversations of other test files would be listed too, and a preview such as
    // "Bob: hi" reads the same in German, which took it for an untranslated string whenever those files ran first.
    const { client: lister, conversation: room } = await freshConversation(
      `lister-${Math.random().toString(36).slice(2)}`,
    );
    await lister.postMessage(room, { message: 'written by a user', referenceId: 'u1' });
    const names = (await lister.listConversations()).map((c) => c.name);
    expect(names).to.have.length(1);
    const render = async (lang: string) => {
      const el = await fixture<TalkConversationList>(
        html`<talk-conversation-list lang=${lang} .client=${lister}></talk-conversation-list>`,
      );
      await until(() => !!el.shadowRoot!.querySelector('[part="conversation"]'), 'the row');
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="create-button"]')!.click();
      await until(() => !!el.shadowRoot!.querySelector('[part="create"]'), 'the form');
      await until(
        () =>
          el.shadowRoot!.querySelector('[part="filter"]')!.getAttribute('aria-label') !== 'Filter conversations' ||
          lang === 'en',
        lang,
      );
      return el.shadowRoot!;
    };
    const [english, german] = [await render('en'), await render('de')];
    expect(literalTexts(english)).to.deep.equal([]);
    expect(literalTexts(german)).to.deep.equal([]);
    // "Name" is German for "Name" too.
    expect(untranslated(english, german, [...names, 'written by a user', 'Name'])).to.deep.equal([]);
    lister.close();
  });

  it('renders talk-screenshare empty and in the call from msg() alone', async () => {
    const call = new Call(client, conversation, { topology: 'mesh' });
    const render = async (lang: string) => {
      const el = await fixture<TalkScreenShare>(html`<talk-screenshare lang=${lang} .call=${call}></talk-screenshare>`);
      await el.updateComplete;
      return el.shadowRoot!;
    };
    expect(literalTexts(await render('en'))).to.deep.equal([]);
    await call.join();
    await until(() => call.state === CallState.Joined, 'joined');
    const english = await render('en');
    const german = await render('de');
    await until(
      () => !!german.querySelector('[part="toggle"]') && !!english.querySelector('[part="toggle"]'),
      'the buttons',
    );
    await until(() => german.querySelector('[part="toggle"]')!.textContent!.trim() === 'Bildschirm teilen', 'German');
    expect(literalTexts(english)).to.deep.equal([]);
    expect(literalTexts(german)).to.deep.equal([]);
    expect(untranslated(english, german, [])).to.deep.equal([]);
    await call.leave();
    call.close();
  });
});
