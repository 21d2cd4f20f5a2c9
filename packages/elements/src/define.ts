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
