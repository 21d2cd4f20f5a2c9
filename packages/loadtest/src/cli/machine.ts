import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { CHROMIUM_PATH } from '@talk/testing';
import type { LoadtestDocument } from '../report/document.js';

/** Describes the machine the figures come from. */
export function describeMachine(): LoadtestDocument['machine'] {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // Reported as unknown; launching will fail with the reason.
  }
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    chromium,
  };
}
