/**
 * Removes the empty comment markers that lit-html 3.3.1 to 3.3.3 leaves in `list` each time a keyed `repeat` drops
 * an item (lit/lit#5298: `removePart()` takes out a part's start marker but not its end marker). The virtualizer
 * drops rows at one edge on every scroll, so the list gained a comment per row ever scrolled past, and every
 * update of the virtualizer walks its children: frames grew with the history read, to seconds at 10,000 messages.
 *
 * Each row of `list` renders one element, so a live row is always `<!----> <div> <!---->` (its part's own start and
 * end markers, which nothing else refers to); a leftover sits after another comment (a row's end marker, another
 * leftover, or the list's own `<!--?lit$…-->`) with no element on either side. The list's outer markers never match:
 * its start marker is not empty and its end is a text node. Returns how many it removed.
 */
export function sweepOrphanMarkers(list: Element): number {
  let removed = 0;
  let node = list.firstChild;
  while (node) {
    const next = node.nextSibling;
    if (
      node.nodeType === Node.COMMENT_NODE &&
      (node as Comment).data === '' &&
      node.previousSibling?.nodeType === Node.COMMENT_NODE &&
      next?.nodeType !== Node.ELEMENT_NODE
    ) {
      node.remove();
      removed++;
    }
    node = next;
  }
  return removed;
}
