import type { CallSettings } from '@talk/protocol';
import type { Topology } from '../transport/CallTransport.js';

/** How a call picks its topology: as the server announces it (`auto`), or fixed. */
export type TopologyMode = Topology | 'auto';

/** What the server has said about a call's topology so far, most specific first. */
export interface TopologyHints {
  /** The call's settings as GET call answered them. */
  settings: Pick<CallSettings, 'joinTopology' | 'topology'>;
  /** The topology the last `call-topology` to this call asked for, or null. */
  wanted: Topology | null;
  /** The topology the conversation's `joined` (or a later `call-topology`) announced, if a call runs. */
  announced: Topology | undefined;
}

/**
 * The transport a join starts on. A fixed mode wins; in `auto` the server's answer for this join comes first,
 * since joining may take the call to the SFU and media must then start there, with no mesh to switch away from.
 */
export function joinTopology(mode: TopologyMode, { settings, wanted, announced }: TopologyHints): Topology {
  if (mode !== 'auto') return mode;
  return settings.joinTopology ?? wanted ?? announced ?? settings.topology ?? 'mesh';
}
