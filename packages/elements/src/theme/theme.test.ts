import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { CSSResultGroup } from 'lit';
import { TalkCall } from '../talk-call/talk-call.js';
import { TalkChat } from '../talk-chat/talk-chat.js';
import { TalkConversationList } from '../talk-conversation-list/talk-conversation-list.js';
import '../talk-provider/talk-provider.js';
import { TalkScreenShare } from '../talk-screenshare/talk-screenshare.js';
import { DESIGN_TOKENS } from './tokens.js';

const root = document.documentElement;
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;
const colour = (el: Element, name: string, property: 'backgroundColor' | 'color' = 'backgroundColor') =>
  getComputedStyle(part(el, name))[property];

/** The CSS text of an element class's styles. */
function cssOf(styles: CSSResultGroup | undefined): string {
  if (Array.isArray(styles)) return styles.map((style) => cssOf(style as CSSResultGroup)).join('\n');
  return (styles as { cssText?: string } | undefined)?.cssText ?? '';
}

/** The CSS with every `var(--talk-…)` expression, fallbacks included, cut out. */
function withoutTokenReads(cssText: string): string {
  let out = '';
  for (let i = 0; i < cssText.length; ) {
    if (!cssText.startsWith('var(--talk-', i)) {
      out += cssText[i++];
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < cssText.length; j++) {
      if (cssText[j] === '(') depth++;
      else if (cssText[j] === ')' && --depth === 0) break;
    }
    out += 'TOKEN';
    i = j + 1;
  }
  return out;
}

const COLOUR_LITERAL =
  /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|light-dark)\(|(?<![\w-])(?:white|black|red|green|blue|gr[ae]y|silver|orange|yellow|purple|pink)(?![\w-])/i;

describe('theming', () => {
  afterEach(async () => {
    root.removeAttribute('style');
    await emulateMedia({ colorScheme: 'light' });
  });

  it('reads --talk-accent set on :root for the send button', async () => {
    root.style.setProperty('--talk-accent', 'rgb(1, 2, 3)');
    const el = await fixture<TalkChat>(html`<talk-chat></talk-chat>`);
    expect(colour(el, 'send')).to.equal('rgb(1, 2, 3)');
  });

  it("falls back to Nextcloud's variables, which a --talk-* on a closer ancestor overrides", async () => {
    root.style.setProperty('--color-primary-element', 'rgb(4, 5, 6)');
    root.style.setProperty('--color-primary-element-text', 'rgb(250, 250, 0)');
    root.style.setProperty('--color-main-background', 'rgb(7, 8, 9)');
    const wrapper = await fixture<HTMLDivElement>(html`<div><talk-chat></talk-chat></div>`);
    const el = wrapper.querySelector('talk-chat')!;
    expect(colour(el, 'send')).to.equal('rgb(4, 5, 6)');
    expect(colour(el, 'send', 'color')).to.equal('rgb(250, 250, 0)');
    expect(colour(el, 'base')).to.equal('rgb(7, 8, 9)');
    wrapper.style.setProperty('--talk-accent', 'rgb(10, 11, 12)');
    expect(colour(el, 'send')).to.equal('rgb(10, 11, 12)');
  });

  it('uses its built-in light colours when the page sets nothing', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat></talk-chat>`);
    expect(colour(el, 'send')).to.equal('rgb(0, 103, 158)');
    expect(colour(el, 'base')).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(el).color).to.equal('rgb(34, 34, 34)');
  });

  it('turns dark with theme="dark", and with the reader’s dark preference unless theme="light"', async () => {
    const dark = await fixture<TalkChat>(html`<talk-chat theme="dark"></talk-chat>`);
    expect(colour(dark, 'base')).to.equal('rgb(23, 23, 23)');
    expect(getComputedStyle(dark).color).to.equal('rgb(235, 235, 235)');

    await emulateMedia({ colorScheme: 'dark' });
    const following = await fixture<TalkChat>(html`<talk-chat></talk-chat>`);
    const light = await fixture<TalkChat>(html`<talk-chat theme="light"></talk-chat>`);
    expect(colour(following, 'base')).to.equal('rgb(23, 23, 23)');
    expect(colour(light, 'base')).to.equal('rgb(255, 255, 255)');
  });

  it('takes the scheme from --talk-color-scheme on the page, and from a provider’s theme', async () => {
    root.style.setProperty('--talk-color-scheme', 'dark');
    const el = await fixture<TalkChat>(html`<talk-chat></talk-chat>`);
    expect(colour(el, 'base')).to.equal('rgb(23, 23, 23)');
    root.style.removeProperty('--talk-color-scheme');
    const provider = await fixture(html`<talk-provider theme="dark"><talk-chat></talk-chat></talk-provider>`);
    expect(colour(provider.querySelector('talk-chat')!, 'base')).to.equal('rgb(23, 23, 23)');
  });

  it('documents in custom-elements.json every token and part each element styles', async () => {
    // The manifest is made by `npm run build`, from the classes' JSDoc.
    const manifest = (await (await fetch('/custom-elements.json')).json()) as {
      modules: {
        declarations?: { tagName?: string; cssProperties?: { name: string }[]; cssParts?: { name: string }[] }[];
      }[];
    };
    const declared = new Map(
      manifest.modules.flatMap((module) => module.declarations ?? []).map((entry) => [entry.tagName, entry]),
    );
    for (const [tag, element] of [
      ['talk-chat', TalkChat],
      ['talk-call', TalkCall],
      ['talk-screenshare', TalkScreenShare],
      ['talk-conversation-list', TalkConversationList],
    ] as const) {
      const cssText = cssOf(element.styles);
      const entry = declared.get(tag)!;
      const tokens = new Set([...cssText.matchAll(/var\((--talk-[\w-]+)/g)].map((match) => match[1]!));
      const parts = new Set([...cssText.matchAll(/\[part='([\w-]+)'\]/g)].map((match) => match[1]!));
      expect([...tokens].sort(), tag).to.deep.equal((entry.cssProperties ?? []).map((p) => p.name).sort());
      const documentedParts = new Set((entry.cssParts ?? []).map((p) => p.name));
      expect(
        [...parts].filter((name) => !documentedParts.has(name)),
        tag,
      ).to.deep.equal([]);
    }
  });

  for (const element of [TalkChat, TalkCall, TalkScreenShare, TalkConversationList]) {
    it(`${element.name}: no colour outside a token's fallback chain, no token declared on :host`, () => {
      const cssText = cssOf(element.styles);
      expect(cssText).to.include('var(--talk-accent, var(--color-primary-element, #00679e))');
      expect(cssText.match(/--talk-[\w-]+\s*:/g) ?? []).to.deep.equal([]);
      expect(withoutTokenReads(cssText).match(COLOUR_LITERAL)?.[0]).to.equal(undefined);
      const known = new Set<string>(Object.values(DESIGN_TOKENS).map((token) => token.name));
      const read = [...cssText.matchAll(/var\((--talk-[\w-]+)/g)].map((match) => match[1]!);
      expect(read.filter((name) => !known.has(name))).to.deep.equal([]);
    });
  }
});
