// Loaded lazily by <talk-chat>: markdown, sanitising and linkifying are most of its weight, and a message shows as
// plain text (with its mentions) in the moment before this arrives.
import type { Mention } from '@talk/call-core';
import DOMPurify from 'dompurify';
import { find } from 'linkifyjs';
import { Marked, type Tokens } from 'marked';

/** The elements a rendered message may contain; anything else the sanitiser drops, keeping its text. */
export const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'];

/** Links that may be followed; anything else (`javascript:`, `data:`, relative) loses its link and stays text. */
const SAFE_URL = /^(?:https?:|mailto:)/i;

/** Marks a mention in the text between parsing and the DOM; private-use characters, which no markdown rule reads. */
const MENTION = /\uE000(\d+)\uE001/g;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // HTML someone typed is shown as they typed it, not interpreted.
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    // Talk shows no images from messages (they would load from anywhere): the link stays, as text.
    image: ({ text, href }: Tokens.Image) => escapeHtml(text ? `${text} (${href})` : href),
    // Headings read as bold lines, as in Talk's chat.
    heading({ tokens }: Tokens.Heading) {
      return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>`;
    },
  },
});

/** The parts of the HTML Sanitizer API used here; TypeScript's DOM lib does not declare them yet. */
type NativeSanitizer = object;
type SanitizerConstructor = new (config: {
  elements: readonly string[];
  attributes: readonly string[];
  replaceWithChildrenElements: readonly string[];
}) => NativeSanitizer;
type SetHTML = (this: Element, html: string, options: { sanitizer: NativeSanitizer }) => void;

/**
 * Elements marked may write that are not allowed: they go, their text stays, as DOMPurify keeps it. Any other goes
 * with its text, as DOMPurify drops a table's head with its text (`thead` is among its FORBID_CONTENTS).
 */
const UNWRAPPED = ['table', 'tbody', 'tr', 'th', 'td'];

let native: NativeSanitizer | null | undefined;
/** The browser's own sanitiser (for `Element.setHTML`), made once; null where the browser has none. */
function nativeSanitizer(): NativeSanitizer | null {
  if (native === undefined) {
    const Sanitizer = (globalThis as { Sanitizer?: SanitizerConstructor }).Sanitizer;
    native =
      Sanitizer && 'setHTML' in Element.prototype
        ? new Sanitizer({ elements: ALLOWED_TAGS, attributes: ['href'], replaceWithChildrenElements: UNWRAPPED })
        : null;
  }
  return native;
}

let purify: ReturnType<typeof DOMPurify> | undefined;
/**
 * DOMPurify configured once: given options per call it builds its allow-lists again for every message, which was
 * half the cost of sanitising one. (Sanitising in place in one shared inert document, to save the document it
 * parses each string into, was slower still: every node iterator it leaves on that document until a collection is
 * updated on each node moved, so rows cost more the longer one scrolled.)
 */
function purifier(): ReturnType<typeof DOMPurify> {
  if (!purify) {
    purify = DOMPurify(window);
    purify.setConfig({ ALLOWED_TAGS, ALLOWED_ATTR: ['href'], ALLOWED_URI_REGEXP: SAFE_URL, RETURN_DOM_FRAGMENT: true });
  }
  return purify;
}

/**
 * `html` as nodes of `ALLOWED_TAGS` with no attribute but `href`: through the browser's sanitiser where there is
 * one (a third of DOMPurify's time for a message here, and rendering rows while scrolling a long history is mostly
 * this), else DOMPurify; both keep the text of what they drop. `useNative` false picks DOMPurify, for tests.
 */
export function sanitise(html: string, useNative = true): DocumentFragment {
  const sanitizer = useNative ? nativeSanitizer() : null;
  if (!sanitizer) {
    // The configuration set returns a fragment; the typings know only the options passed per call.
    return purifier().sanitize(html) as unknown as DocumentFragment;
  }
  const box = document.createElement('div');
  (Element.prototype as unknown as { setHTML: SetHTML }).setHTML.call(box, html, { sanitizer });
  const fragment = document.createDocumentFragment();
  fragment.append(...box.childNodes);
  return fragment;
}

/** One character that neither markdown nor the link finder reads: letters, digits, emoji and quiet punctuation. */
const QUIET = '\\p{L}\\p{M}\\p{N}\\p{Extended_Pictographic}\\u200d\\ufe0f,;?!\'"%';
/** Text that renders as one paragraph of itself: quiet characters, single spaces inside, nothing else. */
const PLAIN = new RegExp(`^[${QUIET}](?:[ ${QUIET}]*[${QUIET}])?$`, 'u');

/**
 * Renders a message's markdown as Talk does (bold, italic, code, code blocks, quotes, lists, links), sanitised to
 * `ALLOWED_TAGS` with only http(s) and mailto links, bare URLs and e-mail addresses made links, every link opening
 * in a new tab without an opener or referrer, and the server's mentions as chips (`data-self` on the user's own).
 */
export function renderRichText(text: string, mentions: readonly Mention[], userId: string | null): DocumentFragment {
  // Most chat lines are plain words: the paragraph marked would make of them, without parsing and sanitising (the
  // largest cost of a row while scrolling a long history).
  if (mentions.length === 0 && PLAIN.test(text)) return plainParagraph(text);
  return renderMarkdown(text, mentions, userId);
}

/** What `renderRichText` makes of plain text: one paragraph holding it. */
function plainParagraph(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const paragraph = document.createElement('p');
  paragraph.textContent = text;
  fragment.append(paragraph);
  return fragment;
}

/** The full path: markdown, sanitised, linkified, with mention chips. Exported so tests can compare the fast one. */
export function renderMarkdown(text: string, mentions: readonly Mention[], userId: string | null): DocumentFragment {
  const found: Mention[] = [];
  const marked = mentions.length === 0 ? text : markMentions(text, mentions, found);
  const html = markdown.parse(marked) as string;
  const fragment = sanitise(html);
  for (const anchor of fragment.querySelectorAll('a')) {
    const href = anchor.getAttribute('href');
    if (href && SAFE_URL.test(href)) secureLink(anchor, href);
    else anchor.replaceWith(...anchor.childNodes);
  }
  linkifyAndChip(fragment, found, userId);
  trimEdges(fragment);
  return fragment;
}

/** Replaces each recognised mention by a marker, remembering which mention it stands for. */
function markMentions(text: string, mentions: readonly Mention[], found: Mention[]): string {
  const forms = new Map<string, Mention>();
  for (const mention of mentions) {
    forms.set(`@"${mention.name}"`, mention);
    forms.set(`@"${mention.id}"`, mention);
    forms.set(`@${mention.id}`, mention);
  }
  const sorted = [...forms.keys()].sort((a, b) => b.length - a.length);
  let out = '';
  let i = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', i)) {
    const before = at > 0 ? text[at - 1]! : '';
    const form = /[\w@"]/.test(before) ? undefined : sorted.find((f) => text.startsWith(f, at));
    const next = form ? (text[at + form.length] ?? '') : '';
    if (form && (form.endsWith('"') || !/[\w-]/.test(next))) {
      out += `${text.slice(i, at)}\uE000${found.length}\uE001`;
      found.push(forms.get(form)!);
      i = at + form.length;
    } else {
      out += text.slice(i, at + 1);
      i = at + 1;
    }
  }
  return out + text.slice(i);
}

function secureLink(anchor: HTMLAnchorElement, href: string): void {
  anchor.setAttribute('href', href);
  anchor.setAttribute('target', '_blank');
  anchor.setAttribute('rel', 'noopener noreferrer');
}

/** In text outside links and code: URLs and addresses become links, mention markers become chips. */
function linkifyAndChip(root: DocumentFragment, mentions: readonly Mention[], userId: string | null): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  for (const node of nodes) {
    const inLink = node.parentElement?.closest('a');
    const inCode = node.parentElement?.closest('code, pre');
    const parts: Node[] = [];
    const text = node.data;
    let last = 0;
    const pieces: { start: number; end: number; make: () => Node }[] = [];
    for (const match of text.matchAll(MENTION)) {
      const mention = mentions[Number(match[1])];
      const start = match.index ?? 0;
      pieces.push({
        start,
        end: start + match[0].length,
        make: () => (mention ? chip(mention, userId) : document.createTextNode('')),
      });
    }
    if (!inLink && !inCode) {
      for (const link of find(text)) {
        if (link.type !== 'url' && link.type !== 'email') continue;
        if (!SAFE_URL.test(link.href) || pieces.some((p) => p.start < link.end && link.start < p.end)) continue;
        pieces.push({
          start: link.start,
          end: link.end,
          make: () => {
            const anchor = document.createElement('a');
            anchor.textContent = link.value;
            secureLink(anchor, link.href);
            return anchor;
          },
        });
      }
    }
    if (pieces.length === 0) continue;
    pieces.sort((a, b) => a.start - b.start);
    for (const piece of pieces) {
      if (piece.start > last) parts.push(document.createTextNode(text.slice(last, piece.start)));
      parts.push(piece.make());
      last = piece.end;
    }
    if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
    node.replaceWith(...parts);
  }
}

function chip(mention: Mention, userId: string | null): HTMLElement {
  const span = document.createElement('span');
  span.className = 'mention';
  span.textContent = `@${mention.name}`;
  if (mention.type === 'all' || mention.id === userId) span.dataset.self = '';
  return span;
}

/** Drops the newlines marked puts between blocks at the edges, so the text reads the same as what was typed. */
function trimEdges(fragment: DocumentFragment): void {
  while (fragment.firstChild?.nodeType === Node.TEXT_NODE && !fragment.firstChild.textContent?.trim()) {
    fragment.firstChild.remove();
  }
  while (fragment.lastChild?.nodeType === Node.TEXT_NODE && !fragment.lastChild.textContent?.trim()) {
    fragment.lastChild.remove();
  }
}
