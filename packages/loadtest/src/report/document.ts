import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { shapingLabel } from '../network/shaping.js';
import { mediaLabel, type RunResult } from '../run/types.js';

/** The summary of one k6 run, as the k6 runner writes it. */
export interface K6Result {
  /** What was asked for. */
  sessions: number;
  roomSize: number;
  messagesPerSecond: number;
  durationSeconds: number;
  /** Server instances behind haproxy, when more than the one server without a proxy. */
  instances?: number;
  /** Whether every threshold held. */
  passed: boolean;
  /** Thresholds that failed, by metric. */
  failedThresholds: string[];
  /** Signaling sockets that reached `joined`. */
  sessionsJoined: number;
  /** hello → welcome → joined, ms. */
  connectMs: { p50: number; p95: number; p99: number };
  /** POST of a message until a socket in the room receives it, ms. */
  fanoutMs: { p50: number; p95: number; p99: number; count: number };
  /** Messages posted and deliveries received. */
  messagesSent: number;
  deliveries: number;
  /** Failed connects, posts and socket errors over attempts. */
  errorRate: number;
  /**
   * The errors by kind (absent in older runs): sessions not joined by their deadline, joined sessions whose socket
   * closed before the run's end, socket errors and server `error` frames after joining, posts not stored.
   */
  errorsByKind?: { connect: number; lost: number; socket: number; frame: number; post: number };
  /** Posts sent a second time after their kept-alive connection was reset with no response. */
  postRetries?: number;
  /** Socket errors k6 reported while the run was closing its own sockets at the end; not in the error rate. */
  socketErrorsClosing?: number;
  /** CPU (% of one core) and memory (MiB) of the server during the run. */
  server?: { cpuPercent: number; memoryMiB: number };
  /** The server's storage; absent in runs from before it could be chosen (PGlite). */
  storage?: 'pglite' | 'postgres';
  /** When users became participants: before the ramp (`setup`), or as each connected (`ramp`, and older runs). */
  provision?: 'ramp' | 'setup';
  /** The server's memory before the first session and while all were held, from its /metrics. */
  memory?: {
    sessionsHeld: number;
    /** Resident memory before the first session connected, and while every session was held (medians), MiB. */
    baselineMiB: number;
    heldMiB: number;
    /** Resident memory per held session beyond the baseline, KiB; and the same for the V8 heap in use. */
    perSessionKiB: number;
    heapPerSessionKiB: number;
    /** How long every session was held, s. */
    holdSeconds: number;
    /** Resident memory's change from the first to the last fifth of the hold, as a fraction. */
    growth: number;
    /** Whether growth exceeded the run's --max-memory-growth. */
    growthFailed: boolean;
  };
}

/** The JSON file: every browser run and every k6 run, with what machine made them. */
export interface LoadtestDocument {
  generatedAt: string;
  machine: { cpus: number; model: string; memoryGiB: number; chromium: string };
  runs: RunResult[];
  k6: K6Result[];
}

/** Reads a document written before, or an empty one. */
export async function readDocument(path: string | undefined): Promise<LoadtestDocument | undefined> {
  if (!path || !existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as LoadtestDocument;
}

/**
 * The document as its file keeps it: every fraction rounded to three places, to keep the file readable. Rounding
 * again changes nothing, so what is rendered from the rounded document is what its file renders to.
 */
export function roundDocument(document: LoadtestDocument): LoadtestDocument {
  const rounded = JSON.stringify(document, (_key, value) =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value,
  );
  return JSON.parse(rounded) as LoadtestDocument;
}

/** Writes the document, rounded to keep it readable. */
export async function writeDocument(path: string, document: LoadtestDocument): Promise<void> {
  await writeFile(path, `${JSON.stringify(roundDocument(document), null, 1)}\n`);
}

/**
 * Replaces runs of the same topology, media, shaping and n, so re-running one cell updates it and runs under different
 * caps sit side by side. Sorted by topology, then unshaped before shaped, then n.
 */
export function mergeRuns(existing: readonly RunResult[], added: readonly RunResult[]): RunResult[] {
  const key = (run: RunResult) => `${run.topology}/${mediaLabel(run)}/${shapingLabel(run.shaping)}/${run.participants}`;
  const replaced = new Set(added.map(key));
  const shaping = (run: RunResult) => (run.shaping ? shapingLabel(run.shaping) : '');
  return [...existing.filter((run) => !replaced.has(key(run))), ...added].sort(
    (a, b) =>
      a.topology.localeCompare(b.topology) ||
      mediaLabel(a).localeCompare(mediaLabel(b)) ||
      shaping(a).localeCompare(shaping(b), 'en', { numeric: true }) ||
      a.participants - b.participants,
  );
}
