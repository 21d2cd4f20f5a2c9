import { readdir, readFile } from 'node:fs/promises';

/** CPU time and memory of one process tree at one moment. */
export interface TreeUsage {
  /** User plus system CPU time of every live process in the tree, in seconds. */
  cpuSeconds: number;
  /** Proportional set size summed over the tree (shared pages split between sharers), in MiB. */
  memoryMiB: number;
  /** How many processes the tree holds. */
  processes: number;
}

/** Linux's clock ticks per second for /proc times; 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number;
}

/** Every process's parent and CPU ticks, from /proc/<pid>/stat. */
async function readProcessTable(): Promise<Map<number, ProcStat>> {
  const table = new Map<number, ProcStat>();
  const names = await readdir('/proc');
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const text = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
        const parsed = parseStat(text);
        if (parsed) table.set(parsed.pid, parsed);
      }),
  );
  return table;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields count from the last `)`. */
export function parseStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number.parseInt(text, 10);
  // After ") ": state(3) ppid(4) … utime(14) stime(15); index 0 here is field 3.
  const fields = text.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(pid) && Number.isFinite(ticks) ? { pid, ppid, ticks } : null;
}

async function pssKiB(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const match = /^Pss:\s+(\d+) kB/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * Measures process trees, one per root pid: a browser with its renderer, GPU and utility processes; the server;
 * livekit-server. Exited processes drop out, so a tree's CPU time can shrink; callers take rates between samples
 * and ignore negative ones.
 */
export async function measureTrees(roots: readonly number[]): Promise<TreeUsage[]> {
  const table = await readProcessTable();
  const children = new Map<number, number[]>();
  for (const stat of table.values()) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
  return Promise.all(
    roots.map(async (root) => {
      const members: number[] = [];
      const queue = table.has(root) ? [root] : [];
      while (queue.length) {
        const pid = queue.pop()!;
        members.push(pid);
        queue.push(...(children.get(pid) ?? []));
      }
      const memory = await Promise.all(members.map(pssKiB));
      return {
        cpuSeconds: members.reduce((sum, pid) => sum + (table.get(pid)?.ticks ?? 0), 0) / TICKS_PER_SECOND,
        memoryMiB: memory.reduce((sum, kib) => sum + kib, 0) / 1024,
        processes: members.length,
      };
    }),
  );
}

/** CPU use between two measurements of a tree, as a percentage of one core. */
export function cpuPercent(before: TreeUsage, after: TreeUsage, seconds: number): number {
  return Math.max(0, ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100);
}
