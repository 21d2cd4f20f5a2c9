import type { Participant } from '@talk/call-core';

/** How the call's tiles are laid out: all alike in a grid, or one promoted over a strip of the others. */
export type CallView = 'grid' | 'speaker';

/** What a layout places: the participants shown, the one promoted (speaker view), and how many did not fit. */
export interface CallLayout {
  /** Speaker view: the tile shown large; null in the grid. */
  promoted: Participant | null;
  /** The other tiles, in order: the grid's cells, or the strip under the promoted one. */
  tiles: Participant[];
  /** Participants beyond the cap, shown as "+N". */
  hidden: number;
  /** Speaker view: this browser's own tile, floating over the promoted one in a corner; null in the grid. */
  self: Participant | null;
}

/** What a layout is computed from. */
export interface LayoutInput {
  /** Every participant, the local one first, as `Call.participants` gives them. */
  participants: readonly Participant[];
  /** The remote participant speaking (or who spoke last). */
  activeSpeaker: Participant | null;
  /** Grid or speaker view. */
  view: CallView;
  /** At most this many tiles (the "+N" cell counts as one); the strip too. */
  maxTiles: number;
  /** Whether this browser's own tile is shown. */
  selfView: boolean;
}

/**
 * Places the tiles. A shared screen comes first (it is what people look at), then the speaker, then everyone else in
 * the order they joined; the speaker view promotes the first of those, and whoever does not fit the cap is counted.
 */
export function layoutCall({ participants, activeSpeaker, view, maxTiles, selfView }: LayoutInput): CallLayout {
  const shown = participants.filter((participant) => selfView || !participant.isLocal);
  const rank = (participant: Participant) => {
    if (participant.screenTrack && !participant.isLocal) return 0;
    if (participant === activeSpeaker) return 1;
    return 2;
  };
  // A stable sort keeps the join order within a rank.
  const ordered = [...shown].sort((a, b) => rank(a) - rank(b));
  let promoted: Participant | null = null;
  if (view === 'speaker') {
    // The speaker view promotes someone else than oneself while anyone else is there.
    promoted = ordered.find((participant) => !participant.isLocal) ?? ordered[0] ?? null;
  }
  const cap = Math.max(1, maxTiles);
  // The grid keeps the join order (tiles that jump with every speaker are hard to follow); the strip is ranked.
  const self = view === 'speaker' ? (shown.find((p) => p.isLocal && p !== promoted) ?? null) : null;
  const rest = (view === 'grid' ? shown : ordered).filter((p) => p !== promoted && p !== self);
  if (rest.length <= cap) return { promoted, tiles: rest, hidden: 0, self };
  // One cell goes to "+N". Those who stay are picked by rank, this browser's own tile first, and keep their order.
  const picked = new Set(
    [...rest].sort((a, b) => (a.isLocal ? -1 : rank(a)) - (b.isLocal ? -1 : rank(b))).slice(0, cap - 1),
  );
  const tiles = rest.filter((participant) => picked.has(participant));
  return { promoted, tiles, hidden: rest.length - tiles.length, self };
}
