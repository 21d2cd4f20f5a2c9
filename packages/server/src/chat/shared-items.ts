import type { MessagePage, SharedItemsQuery, SharedOverview } from '@talk/protocol';
import type { Store } from '../store/store.js';

/** The page size of a listing that names none. */
const DEFAULT_LIMIT = 20;

/** A conversation's shared items: images and other files by their sniffed type, messages with links, polls. */
export class SharedItems {
  constructor(private readonly store: Store) {}

  /** One page of one type, newest first. */
  list(token: string, { type, before, limit = DEFAULT_LIMIT }: SharedItemsQuery): Promise<MessagePage> {
    return this.store.sharedItems.list(token, type, { before, limit });
  }

  /** The newest `limit` items of every type, for the overview a conversation's side panel shows. */
  async overview(token: string, limit: number): Promise<SharedOverview> {
    const [image, file, link, poll] = await Promise.all(
      (['image', 'file', 'link', 'poll'] as const).map((type) => this.store.sharedItems.list(token, type, { limit })),
    );
    return { image: image!.messages, file: file!.messages, link: link!.messages, poll: poll!.messages };
  }
}
