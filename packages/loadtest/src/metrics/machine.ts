import { readFile } from 'node:fs/promises';

/** Busy and total jiffies of all cores, from /proc/stat. */
export interface MachineTimes {
  busy: number;
  total: number;
}

/** Reads the aggregate `cpu` line of /proc/stat. */
export async function readMachineTimes(): Promise<MachineTimes> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  // idle and iowait are the 4th and 5th values.
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** The share of all cores that was busy between two readings, in %. */
export function machineBusyPercent(before: MachineTimes, after: MachineTimes): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : 0;
}
