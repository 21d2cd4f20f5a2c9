import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoadtestDocument } from './document.js';
import { renderHtml } from './html.js';

const REPORTS = fileURLToPath(new URL('../../../../docs/reports/', import.meta.url));
/** The committed HTML reports, each beside the JSON it was made from. */
const rendered = readdirSync(REPORTS)
  .filter((name) => name.endsWith('.html'))
  .map((name) => name.replace(/\.html$/, ''));

describe('the HTML reports', () => {
  it('are committed as a harness report and one over agents', () => {
    expect(rendered).toEqual(expect.arrayContaining(['loadtest-2core', 'loadtest-agents-2core']));
  });

  it.each(rendered)('%s: the HTML is what report/html.ts renders from its JSON', (name) => {
    const document = JSON.parse(readFileSync(`${REPORTS}${name}.json`, 'utf8')) as LoadtestDocument;
    expect(readFileSync(`${REPORTS}${name}.html`, 'utf8')).toBe(renderHtml(document));
  });

  it('renders a document as its file would: unrounded figures give the same page as rounded ones', () => {
    const document = JSON.parse(readFileSync(`${REPORTS}loadtest-agents-2core.json`, 'utf8')) as LoadtestDocument;
    const run = document.runs[0]!;
    const unrounded = {
      ...document,
      runs: [{ ...run, mean: { ...run.mean, upVideoMbps: run.mean.upVideoMbps + 4e-5 } }],
    };
    expect(renderHtml(unrounded)).toBe(renderHtml({ ...document, runs: [run] }));
  });
});
