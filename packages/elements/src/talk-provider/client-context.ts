import { createContext } from '@lit/context';
import type { TalkClientLike } from '@talk/call-core';

/**
 * The TalkClient a `<talk-provider>` shares with the elements inside it. The key is a registered symbol, so a
 * provider and an element from two bundles of `@talk/elements` on one page still find each other.
 */
export const talkClientContext = createContext<TalkClientLike | undefined>(Symbol.for('@talk/elements:client'));
