import type { Topology } from '@talk/protocol';
import type { Executor } from './database.js';
import type { TopologyReason } from './schema.js';

/** A call's topology state as kept between decisions. */
export interface CallRecord {
  startedAt: Date | null;
  topology: Topology;
  reason: TopologyReason;
  smallSince: Date | null;
  sfuFrom: number | null;
  meshAtMost: number | null;
}

/** The part of a call's record that each decision writes; the thresholds are conversation settings. */
export type CallState = Pick<CallRecord, 'startedAt' | 'topology' | 'reason' | 'smallSince'>;

/** Calls: each conversation's call state and topology, kept on its conversation's row. */
export class CallRepository {
  constructor(private readonly db: Executor) {}

  /** A conversation's call state and topology thresholds. */
  async get(conversation: string): Promise<CallRecord | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['call_started_at', 'call_topology', 'call_reason', 'call_small_since', 'sfu_from', 'mesh_at_most'])
      .where('token', '=', conversation)
      .executeTakeFirst();
    return (
      row && {
        startedAt: row.call_started_at,
        topology: row.call_topology,
        reason: row.call_reason,
        smallSince: row.call_small_since,
        sfuFrom: row.sfu_from,
        meshAtMost: row.mesh_at_most,
      }
    );
  }

  /** The conversations whose call is running. */
  async active(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select('token')
      .where('call_started_at', 'is not', null)
      .execute();
    return rows.map((row) => row.token);
  }

  /** Saves a conversation's call state. */
  async set(conversation: string, state: CallState): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({
        call_started_at: state.startedAt,
        call_topology: state.topology,
        call_reason: state.reason,
        call_small_since: state.smallSince,
      })
      .where('token', '=', conversation)
      .execute();
  }
}
