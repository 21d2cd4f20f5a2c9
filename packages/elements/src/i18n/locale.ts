import { _installMsgImplementation } from '@lit/localize/init/install.js';
import { runtimeMsg } from '@lit/localize/internal/runtime-msg.js';
import type { LocaleModule, MsgFn, TemplateMap } from '@lit/localize/internal/types.js';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sourceLocale, targetLocales } from './locales/locale-codes.js';

/** A language the elements ship: English (the source) or one of the translations. */
export type LocaleCode = typeof sourceLocale | (typeof targetLocales)[number];

/** Each translation as its own module, so a bundler splits it off and a page loads only the one it shows. */
const loaders: Record<string, () => Promise<LocaleModule>> = {
  ar: () => import('./locales/ar.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
};

/** What the elements' `msg()` reads, and the translations loaded so far. */
interface Shared {
  installed: boolean;
  templates: TemplateMap | undefined;
  loaded: Map<string, Promise<TemplateMap>>;
}

const SHARED = Symbol.for('talk-elements.i18n');

/**
 * The page's one `Shared`, created on first use (importing this module changes nothing). It lives on `globalThis`
 * rather than in this module so that two bundles of the elements on one page, sharing one `@lit/localize`, also
 * share what the installed `msg()` reads.
 */
function shared(): Shared {
  const global = globalThis as { [SHARED]?: Shared };
  if (!global[SHARED]) global[SHARED] = { installed: false, templates: undefined, loaded: new Map() };
  return global[SHARED];
}

/**
 * Installs lit-localize's runtime `msg()` once per page, reading the shared templates. The elements do not call
 * `configureLocalization()`: it holds one locale for the whole page, and two elements may be in different languages.
 */
function install(): void {
  const slot = shared();
  if (slot.installed) return;
  slot.installed = true;
  try {
    _installMsgImplementation(((template, options) => runtimeMsg(slot.templates, template, options)) as MsgFn);
  } catch {
    // The page configured lit-localize itself; its msg() knows none of our ids, so the elements stay in English.
    console.warn('@talk/elements: lit-localize is already configured on this page; the elements show English');
  }
}

/** The shipped locale for a BCP 47 tag: `de-AT` → `de`, `ar-EG` → `ar`, anything unknown → English. */
export function resolveLocale(tag: string | null | undefined): LocaleCode {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (targetLocales as readonly string[]).includes(base) ? (base as LocaleCode) : sourceLocale;
}

/** The `lang` in effect at `element`: its own, the nearest ancestor's across shadow roots, then the document's. */
export function langOf(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const withLang: Element | null = node.closest('[lang]');
    if (withLang?.getAttribute('lang')) return withLang.getAttribute('lang')!;
    const root = (withLang ?? node).getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return element.ownerDocument.documentElement.lang || sourceLocale;
}

/** The templates of `locale`, loaded once per page; none for English, which `msg()` has in the source. */
function templatesOf(locale: LocaleCode): Promise<TemplateMap> | undefined {
  if (locale === sourceLocale) return undefined;
  const { loaded } = shared();
  let loading = loaded.get(locale);
  if (!loading) {
    loading = loaders[locale]!().then((module) => module.templates);
    loaded.set(locale, loading);
  }
  return loading;
}

/**
 * Renders its element in the language of the nearest `lang` and re-renders when any `lang` above it changes. Before
 * each render it points `msg()` at that language's templates; Lit renders synchronously, so no other element's
 * render can come between.
 */
export class LocaleController implements ReactiveController {
  /** The `lang` in effect, as written (`de-AT`); dates and numbers are formatted for it. */
  lang: string = sourceLocale;
  /** The shipped language the strings are in. */
  locale: LocaleCode = sourceLocale;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #templates: TemplateMap | undefined;
  #resolved: string | undefined;
  #observer: MutationObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    install();
    host.addController(this);
  }

  /** The CLDR plural category of `count` in the language the strings are in. */
  plural(count: number): Intl.LDMLPluralRule {
    return new Intl.PluralRules(this.locale).select(count);
  }

  hostConnected(): void {
    this.#observer = new MutationObserver(() => this.#resolve());
    // Any `lang` between the element and the document may change; observe each tree the element sits in.
    for (let root: Node = this.#host.getRootNode(); ; root = (root as ShadowRoot).host.getRootNode()) {
      const target = root instanceof Document ? root.documentElement : root;
      this.#observer.observe(target, { attributes: true, attributeFilter: ['lang'], subtree: true });
      if (!(root instanceof ShadowRoot)) break;
    }
    this.#resolve();
  }

  hostUpdate(): void {
    this.use();
  }

  /** Points `msg()` at this element's language; for templates rendered outside the host's update (virtual lists). */
  use(): void {
    shared().templates = this.#templates;
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  #resolve(): void {
    const lang = langOf(this.#host);
    if (lang === this.#resolved) return;
    const locale = resolveLocale(lang);
    this.#resolved = lang;
    this.lang = lang;
    const loading = templatesOf(locale);
    if (!loading) {
      this.locale = locale;
      this.#templates = undefined;
      this.#host.requestUpdate();
      return;
    }
    void loading.then(
      (templates) => {
        // A later change of `lang` wins over a slower load.
        if (this.#resolved !== lang) return;
        this.locale = locale;
        this.#templates = templates;
        this.#host.requestUpdate();
      },
      (error: unknown) => console.warn(`@talk/elements: could not load the ${locale} strings`, error),
    );
  }
}
