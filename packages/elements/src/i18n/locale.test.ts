import { expect, fixture, html } from '@open-wc/testing';
import { langOf, resolveLocale } from './locale.js';

describe('i18n/locale', () => {
  it('maps a language tag to a shipped locale, and anything else to English', () => {
    expect(resolveLocale('de-AT')).to.equal('de');
    expect(resolveLocale('ar_EG')).to.equal('ar');
    expect(resolveLocale('FR')).to.equal('fr');
    expect(resolveLocale('pt-BR')).to.equal('en');
    expect(resolveLocale('')).to.equal('en');
    expect(resolveLocale(undefined)).to.equal('en');
  });

  it("takes the element's own lang, then the nearest ancestor's across shadow roots, then the document's", async () => {
    const outer = await fixture<HTMLElement>(html`<div lang="es"><section><span></span></section></div>`);
    const span = outer.querySelector('span')!;
    expect(langOf(span)).to.equal('es');
    span.lang = 'fr-CA';
    expect(langOf(span)).to.equal('fr-CA');

    // Inside a shadow root without a lang of its own, the host's ancestors decide.
    const host = outer.querySelector('section')!;
    const inner = document.createElement('b');
    host.attachShadow({ mode: 'open' }).append(inner);
    expect(langOf(inner)).to.equal('es');

    const previous = document.documentElement.lang;
    outer.removeAttribute('lang');
    document.documentElement.lang = 'de';
    try {
      expect(langOf(inner)).to.equal('de');
    } finally {
      document.documentElement.lang = previous;
    }
  });
});
