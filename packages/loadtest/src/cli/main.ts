#!/usr/bin/env node
// npm run loadtest -- --participants 2..8 --topology mesh,sfu --duration 30 --json out.json --html out.html
import { writeFile } from 'node:fs/promises';
import { agentMain } from '../agent/cli.js';
import { runDistributedCall } from '../coordinator/distributed-run.js';
import { localAgentsMain } from '../coordinator/local-agents-cli.js';
import { isShaped, shapingLabel } from '../network/shaping.js';
import { type LoadtestDocument, mergeRuns, readDocument, writeDocument } from '../report/document.js';
import { renderHtml } from '../report/html.js';
import { agentsTable, bandwidthLimitTable, k6Table, runsTable } from '../report/markdown.js';
import { runCall } from '../run/call-run.js';
import type { RunResult } from '../run/types.js';
import { parseArgs } from './args.js';
import { describeMachine } from './machine.js';
import { progressPrinter } from './progress.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const previous = args.append ? await readDocument(args.json) : undefined;
  const kept = (await readDocument(args.json))?.k6 ?? [];
  const runs: RunResult[] = [];
  for (const topology of args.topologies) {
    for (const participants of args.participants) {
      const common = {
        participants,
        topology,
        durationSeconds: args.durationSeconds,
        warmupSeconds: args.warmupSeconds,
        bitrateKbps: args.bitrateKbps,
        video: args.video,
        tabsPerBrowser: args.tabsPerBrowser,
        browser: args.browser,
        audio: args.audio,
        onProgress: progressPrinter(
          `${topology} n=${participants}${args.browser === 'firefox' ? ' firefox' : ''}${args.audio ? '' : ' video only'}${isShaped(args.shaping) ? ` ${shapingLabel(args.shaping)}` : ''}${args.agents ? ` on ${args.agents.length} agents` : ''}`,
        ),
      };
      const result = args.agents
        ? await runDistributedCall({
            ...common,
            agents: args.agents,
            token: args.agentToken!,
            serverHost: args.serverHost!,
            leaseSeconds: args.leaseSeconds,
          })
        : await runCall({ ...common, url: args.url, shaping: args.shaping, sfuNodes: args.sfuNodes });
      runs.push(result);
      const document: LoadtestDocument = {
        generatedAt: new Date().toISOString(),
        machine: describeMachine(),
        runs: mergeRuns(previous?.runs ?? [], runs),
        k6: kept,
      };
      // Written after every run, so a long matrix that is interrupted keeps what it measured.
      if (args.json) await writeDocument(args.json, document);
      if (args.html) await writeFile(args.html, renderHtml(document));
    }
  }
  const all = mergeRuns(previous?.runs ?? [], runs);
  process.stdout.write(`\n${runsTable(all)}\n`);
  if (all.some((run) => run.shaping?.uplinkKbps !== undefined)) process.stdout.write(`\n${bandwidthLimitTable(all)}\n`);
  if (kept.length) process.stdout.write(`\n${k6Table(kept)}\n`);
  if (all.some((run) => run.agents)) process.stdout.write(`\n${agentsTable(all)}\n`);
}

/** `agent` and `local-agents` are subcommands; anything else is a harness run. */
function dispatch(argv: readonly string[]): Promise<void> {
  if (argv[0] === 'agent') return agentMain(argv.slice(1));
  if (argv[0] === 'local-agents') return localAgentsMain(argv.slice(1));
  return main();
}

dispatch(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`loadtest: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
