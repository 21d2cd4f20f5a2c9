import { ContextRoot } from '@lit/context';

/** An element class that says which version of `@talk/elements` it comes from. */
interface VersionedElement extends CustomElementConstructor {
  readonly version: string;
}

/**
 * Registers `element` as `tag` unless the tag is taken. A page can load `@talk/elements` twice (two bundles that
 * each include it); the first registration wins, since the registry cannot replace it, and a second one of
 * another version warns so the host can see why an element behaves as the older one.
 */
export function defineElement(tag: string, element: VersionedElement): void {
  attachContextRoot();
  const existing = customElements.get(tag) as Partial<VersionedElement> | undefined;
  if (!existing) {
    customElements.define(tag, element);
    return;
  }
  if (existing !== element && existing.version !== element.version) {
    console.warn(
      `<${tag}> is already defined by @talk/elements ${existing.version ?? '(unknown version)'}; ` +
        `keeping it and ignoring ${element.version}.`,
    );
  }
}

/** Marks the page once one bundle has attached its ContextRoot, so a second bundle does not attach another. */
const CONTEXT_ROOT = Symbol.for('@talk/elements:context-root');

/**
 * An element may ask for its `<talk-provider>`'s client before the provider is defined (define modules load in
 * any order); a ContextRoot on the document keeps such requests and replays them when a provider appears.
 */
function attachContextRoot(): void {
  const page = globalThis as { [CONTEXT_ROOT]?: true };
  if (page[CONTEXT_ROOT] || typeof document === 'undefined') return;
  page[CONTEXT_ROOT] = true;
  new ContextRoot().attach(document.documentElement);
}
