import {
  asTalkError,
  type ChatMessage,
  type SharedItemType,
  type TalkClientLike,
  TalkErrorCode,
} from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TalkErrorEvent } from '../../events/talk-error.js';

/** The client methods the panel needs; a stand-in client without them offers no shared-items panel. */
export type SharedItemsClient = Required<Pick<TalkClientLike, 'listSharedItems' | 'getSharedOverview'>>;

/** The types in the order the panel shows them, as Nextcloud Talk's sidebar does. */
export const SHARED_TYPES: readonly SharedItemType[] = ['image', 'file', 'link', 'poll'];

/** How many items of each type the panel shows when it opens. */
export const SHARED_FIRST_PAGE = 6;
/** How many more a "show more" brings. */
export const SHARED_MORE_PAGE = 20;

/** One type's items as far as they are loaded. */
export interface SharedSection {
  /** Newest first. */
  readonly items: readonly ChatMessage[];
  /** Whether older items of this type exist. */
  readonly more: boolean;
  /** Whether a "show more" is on its way. */
  readonly loading: boolean;
}

const EMPTY: SharedSection = { items: [], more: false, loading: false };

/** The client as a shared-items client, when it has the methods. */
export function sharedItemsClientOf(client: TalkClientLike): SharedItemsClient | null {
  const { listSharedItems, getSharedOverview } = client;
  if (!listSharedItems || !getSharedOverview) return null;
  return { listSharedItems: listSharedItems.bind(client), getSharedOverview: getSharedOverview.bind(client) };
}

/**
 * The shared-items panel's state: open or not, and per type the items loaded so far. Opening loads the newest few of
 * every type in one request (one more than shown, which says whether there are older ones); "show more" pages one
 * type back from its oldest item. Closing, or another conversation, drops the answers still on their way.
 */
export class SharedItemsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #source: () => { client: TalkClientLike; conversation: string } | null;
  /** Bumped whenever what is loaded becomes stale, so that late answers are dropped. */
  #generation = 0;

  /** Whether the panel is open. */
  open = false;
  /** Whether the first answer is on its way. */
  loading = false;
  /** The items by type. */
  sections: Readonly<Record<SharedItemType, SharedSection>> = emptySections();

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    source: () => { client: TalkClientLike; conversation: string } | null,
  ) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.hide();
  }

  /** Whether the panel works with this client. */
  get available(): boolean {
    const source = this.#source();
    return source !== null && sharedItemsClientOf(source.client) !== null;
  }

  /** Whether nothing at all has been shared (once loaded). */
  get empty(): boolean {
    return !this.loading && SHARED_TYPES.every((type) => this.sections[type].items.length === 0);
  }

  /** Opens the panel and loads the newest items of every type. */
  show(): Promise<void> {
    this.open = true;
    this.sections = emptySections();
    return this.#load();
  }

  /** While open: loads the newest items again (something was shared), keeping what shows until they come. */
  refresh(): Promise<void> {
    return this.open ? this.#load() : Promise.resolve();
  }

  async #load(): Promise<void> {
    const source = this.#source();
    const client = source && sharedItemsClientOf(source.client);
    if (!source || !client) return;
    const generation = ++this.#generation;
    this.loading = true;
    this.#host.requestUpdate();
    try {
      const overview = await client.getSharedOverview(source.conversation, SHARED_FIRST_PAGE + 1);
      if (generation !== this.#generation) return;
      const section = (items: readonly ChatMessage[]): SharedSection => ({
        items: items.slice(0, SHARED_FIRST_PAGE),
        more: items.length > SHARED_FIRST_PAGE,
        loading: false,
      });
      this.sections = {
        image: section(overview.image),
        file: section(overview.file),
        link: section(overview.link),
        poll: section(overview.poll),
      };
    } catch (error) {
      if (generation === this.#generation) this.#fail(error);
    } finally {
      if (generation === this.#generation) {
        this.loading = false;
        this.#host.requestUpdate();
      }
    }
  }

  /** Closes the panel and forgets what it held. */
  hide(): void {
    this.#generation++;
    this.open = false;
    this.loading = false;
    this.sections = emptySections();
    this.#host.requestUpdate();
  }

  /** Loads the next older page of one type. */
  async more(type: SharedItemType): Promise<void> {
    const source = this.#source();
    const client = source && sharedItemsClientOf(source.client);
    const section = this.sections[type];
    const oldest = section.items.at(-1);
    if (!source || !client || !oldest || section.loading || !section.more) return;
    const generation = this.#generation;
    this.#set(type, { ...section, loading: true });
    try {
      const page = await client.listSharedItems(source.conversation, {
        type,
        before: oldest.id,
        limit: SHARED_MORE_PAGE,
      });
      if (generation !== this.#generation) return;
      const known = new Set(section.items.map((item) => item.id));
      this.#set(type, {
        items: [...section.items, ...page.messages.filter((item) => !known.has(item.id))],
        more: page.nextBefore !== null,
        loading: false,
      });
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#set(type, { ...section, loading: false });
      this.#fail(error);
    }
  }

  #set(type: SharedItemType, section: SharedSection): void {
    this.sections = { ...this.sections, [type]: section };
    this.#host.requestUpdate();
  }

  #fail(error: unknown): void {
    this.#host.dispatchEvent(new TalkErrorEvent(asTalkError(error, TalkErrorCode.Network)));
  }
}

function emptySections(): Record<SharedItemType, SharedSection> {
  return { image: EMPTY, file: EMPTY, link: EMPTY, poll: EMPTY };
}
