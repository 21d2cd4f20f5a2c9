import type { Topology } from '@talk/protocol';
import type { Executor } from './database.js';
import type { TopologyReason } from './schema.js';

/** A call's topology state as kept between decisions. */
export interface CallRecord {
  startedAt: Date | null;
  topology: Topology;
  reason: TopologyReason;
  smallSince: Date | null;
  /** How many times the call moved onto the SFU; LiveKit tokens carry the epoch they are for. */
  sfuEpoch: number;
  /** When the current epoch on the SFU began; null while the call is not on it. */
  sfuSince: Date | null;
  sfuFrom: number | null;
  meshAtMost: number | null;
}

/** The part of a call's record that each decision writes; the thresholds are conversation settings. */
export type CallState = Pick<CallRecord, 'startedAt' | 'topology' | 'reason' | 'smallSince'> &
  Partial<Pick<CallRecord, 'sfuEpoch' | 'sfuSince'>>;

/** Calls: each conversation's call state and topology, kept on its conversation's row. */
export class CallRepository {
  constructor(private readonly db: Executor) {}

  /** A conversation's call state and topology thresholds. */
  async get(conversation: string): Promise<CallRecord | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .select([
        'call_started_at',
        'call_topology',
        'call_reason',
        'call_small_since',
        'call_sfu_epoch',
        'call_sfu_since',
        'sfu_from',
        'mesh_at_most',
      ])
      .where('token', '=', conversation)
      .executeTakeFirst();
    return (
      row && {
        startedAt: row.call_started_at,
        topology: row.call_topology,
        reason: row.call_reason,
        smallSince: row.call_small_since,
        sfuEpoch: row.call_sfu_epoch,
        sfuSince: row.call_sfu_since,
        sfuFrom: row.sfu_from,
        meshAtMost: row.mesh_at_most,
      }
    );
  }

  /** The conversations whose call is marked as running, to re-decide them after a restart. */
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
        ...(state.sfuEpoch === undefined ? {} : { call_sfu_epoch: state.sfuEpoch }),
        ...(state.sfuSince === undefined ? {} : { call_sfu_since: state.sfuSince }),
      })
      .where('token', '=', conversation)
      .execute();
  }
}
