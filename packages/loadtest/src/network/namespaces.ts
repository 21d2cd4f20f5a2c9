import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Cleanup } from '../stack/cleanup.js';
import { type NetworkShaping, pickSubnet, qdiscCommands } from './shaping.js';

const exec = promisify(execFile);

/**
 * A bridge in the root namespace and one network namespace per participant, each joined to the bridge by a veth
 * pair and shaped on its way out. The participants reach the bridge's address and each other, nothing else: the
 * namespaces have no default route and the bridge is not forwarded anywhere.
 */
export interface TestNetwork {
  /** The bridge's address, where the Talk server listens: the one host the participants can reach. */
  hostAddress: string;
  /** Each participant's namespace, in order. */
  namespaces: string[];
  /** Each participant's address in its namespace. */
  addresses: string[];
  /** The `ip` binary, which runs a program inside a namespace (`ip netns exec`). */
  ip: string;
}

/** Names this process gives its namespaces (`talk-lt-<pid>-<i>`) and links (`tlt-<pid>`, `tlt-<pid>-<i>`). */
export function networkNames(pid: number, participants: number) {
  return {
    bridge: `tlt-${pid}`,
    // Interface names hold at most 15 characters: `tlt-` + a 7-digit pid + `-` + 2 digits fits.
    veths: Array.from({ length: participants }, (_, i) => `tlt-${pid}-${i}`),
    namespaces: Array.from({ length: participants }, (_, i) => `talk-lt-${pid}-${i}`),
  };
}

/** Where `ip` and `tc` usually live when they are not on PATH (they are root's tools). */
const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** The absolute path of a tool on PATH or in the sbin folders, or undefined. */
function findTool(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  for (const folder of folders) {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return join(folder, name);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Why this machine cannot make a shaped run, or undefined when it can (root, with `ip` and `tc`). */
export function shapingUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network shaping needs root (network namespaces, veth pairs and tc)';
  for (const tool of ['ip', 'tc']) if (!findTool(tool)) return `network shaping needs "${tool}" (iproute2)`;
  return undefined;
}

/** Runs a tool and returns its output; a failure says which command failed and what it printed. */
async function run(tool: string, args: readonly string[]): Promise<string> {
  try {
    return (await exec(tool, args, { encoding: 'utf8' })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${tool} ${args.join(' ')}: ${stderr || String(error)}`);
  }
}

/**
 * Builds the test network for n participants and registers its removal (each veth pair, then its namespace, then
 * the bridge). Delay and loss need netem; a kernel without it fails here, before any
 * browser starts, with tc's own words.
 */
export async function createTestNetwork(
  participants: number,
  shaping: NetworkShaping,
  cleanup: Cleanup,
): Promise<TestNetwork> {
  const unavailable = shapingUnavailable();
  if (unavailable) throw new Error(unavailable);
  const ip = findTool('ip')!;
  const tc = findTool('tc')!;
  await removeStale(ip);
  const names = networkNames(process.pid, participants);
  const taken = await takenIpv4(ip);
  const subnet = pickSubnet(taken, process.pid % 256);
  const hostAddress = `${subnet}.1`;
  const addresses = names.namespaces.map((_, i) => `${subnet}.${10 + i}`);

  await run(ip, ['link', 'add', names.bridge, 'type', 'bridge']);
  cleanup.add(`bridge ${names.bridge}`, () => run(ip, ['link', 'del', names.bridge]).then(() => {}));
  await run(ip, ['addr', 'add', `${hostAddress}/24`, 'dev', names.bridge]);
  await run(ip, ['link', 'set', names.bridge, 'up']);

  for (const [i, namespace] of names.namespaces.entries()) {
    if (cleanup.stopping) throw new Error('interrupted');
    await run(ip, ['netns', 'add', namespace]);
    cleanup.add(`namespace ${namespace}`, () => run(ip, ['netns', 'del', namespace]).then(() => {}));
    await run(ip, ['link', 'add', names.veths[i]!, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace]);
    // Deleted before its namespace: a namespace goes only once its last process has exited, and its veth with it.
    cleanup.add(`veth ${names.veths[i]}`, () => run(ip, ['link', 'del', names.veths[i]!]).then(() => {}));
    await run(ip, ['link', 'set', names.veths[i]!, 'master', names.bridge, 'up']);
    await run(ip, ['-n', namespace, 'addr', 'add', `${addresses[i]}/24`, 'dev', 'eth0']);
    await run(ip, ['-n', namespace, 'link', 'set', 'lo', 'up']);
    await run(ip, ['-n', namespace, 'link', 'set', 'eth0', 'up']);
    for (const command of qdiscCommands('eth0', shaping)) {
      try {
        await run(tc, ['-n', namespace, ...command]);
      } catch (error) {
        if (!command.includes('netem')) throw error;
        throw new Error(
          `--delay and --loss need the kernel's netem queueing discipline (sch_netem), which tc could not add: ${(error as Error).message}`,
        );
      }
    }
  }
  return { hostAddress, namespaces: names.namespaces, addresses, ip };
}

/** Every IPv4 address and route on this machine, as CIDRs, so the bridge's subnet can avoid them. */
async function takenIpv4(ip: string): Promise<string[]> {
  const addresses = JSON.parse(await run(ip, ['-j', '-4', 'addr', 'show'])) as {
    addr_info?: { local: string; prefixlen: number }[];
  }[];
  const routes = JSON.parse(await run(ip, ['-j', '-4', 'route', 'show', 'table', 'all'])) as { dst: string }[];
  return [
    ...addresses.flatMap((link) => (link.addr_info ?? []).map((info) => `${info.local}/${info.prefixlen}`)),
    ...routes.map((route) => route.dst),
  ];
}

/**
 * Removes namespaces and links that a harness process left behind when it was killed outright (SIGKILL leaves no
 * chance to clean up): only this harness's names, and only those of processes that no longer exist.
 */
async function removeStale(ip: string): Promise<void> {
  const dead = (pid: string) => {
    try {
      process.kill(Number(pid), 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  };
  const namespaces = (await run(ip, ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0] ?? '');
  for (const namespace of namespaces) {
    const pid = /^talk-lt-(\d+)-\d+$/.exec(namespace)?.[1];
    if (pid && dead(pid)) await run(ip, ['netns', 'del', namespace]).catch(() => {});
  }
  const links = JSON.parse(await run(ip, ['-j', 'link', 'show'])) as { ifname: string }[];
  for (const { ifname } of links) {
    const pid = /^tlt-(\d+)(-\d+)?$/.exec(ifname)?.[1];
    if (pid && dead(pid)) await run(ip, ['link', 'del', ifname]).catch(() => {});
  }
}

/** The namespaces and links of the given process that still exist; empty once its runs have cleaned up. */
export async function networkLeftovers(pid = process.pid): Promise<string[]> {
  const ip = findTool('ip');
  if (!ip) return [];
  const namespaces = (await run(ip, ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0] ?? '');
  const links = (JSON.parse(await run(ip, ['-j', 'link', 'show'])) as { ifname: string }[]).map((l) => l.ifname);
  return [
    ...namespaces.filter((name) => name.startsWith(`talk-lt-${pid}-`)),
    ...links.filter((name) => name === `tlt-${pid}` || name.startsWith(`tlt-${pid}-`)),
  ];
}
