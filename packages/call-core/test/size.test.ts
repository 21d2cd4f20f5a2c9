// The size report: call-core's entry bundled and minified the way an app's bundler would (vite, i.e. rolldown),
// split into what a page loads eagerly and the SFU part that only a dynamic import loads, each gzipped.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, defaultClientConditions, type Rollup } from 'vite';
import { expect, it } from 'vitest';

/** The budget for what every page that imports call-core downloads, gzipped. */
const EAGER_BUDGET_BYTES = 30 * 1024;

it('keeps the eagerly loaded part of call-core under 30 kB gzipped, without the schema library, livekit-client in a lazy chunk', async () => {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    root: fileURLToPath(new URL('..', import.meta.url)),
    resolve: { conditions: ['source', ...defaultClientConditions] },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // Every export is kept, as if an app used the whole API.
      rollupOptions: { input: 'src/index.ts', preserveEntrySignatures: 'strict' },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunks = (Array.isArray(output) ? output.flatMap((o) => o.output) : output.output).filter(
    (item): item is Rollup.OutputChunk => item.type === 'chunk',
  );
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  // Eager: the entry and whatever it imports statically, transitively.
  const eager = new Set<Rollup.OutputChunk>();
  const visit = (chunk: Rollup.OutputChunk | undefined) => {
    if (!chunk || eager.has(chunk)) return;
    eager.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk);
  const lazy = chunks.filter((chunk) => !eager.has(chunk));
  const size = (list: Iterable<Rollup.OutputChunk>) => {
    const code = [...list].map((chunk) => chunk.code).join('\n');
    return { minified: Buffer.byteLength(code), gzipped: gzipSync(code, { level: 9 }).length };
  };
  const eagerSize = size(eager);
  const lazySize = size(lazy);
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(
    [
      'call-core size report',
      `  eager (entry + static imports): ${kB(eagerSize.minified)} minified, ${kB(eagerSize.gzipped)} gzipped (budget ${kB(EAGER_BUDGET_BYTES)})`,
      `  lazy (SFU, livekit-client):     ${kB(lazySize.minified)} minified, ${kB(lazySize.gzipped)} gzipped`,
    ].join('\n'),
  );
  // livekit-client is behind the dynamic import: nothing eager may contain it.
  const fromLivekit = (chunk: Rollup.OutputChunk) => chunk.moduleIds.some((id) => id.includes('/livekit-client/'));
  expect([...eager].filter(fromLivekit)).toEqual([]);
  expect(lazy.some(fromLivekit)).toBe(true);
  expect(lazySize.minified).toBeGreaterThan(100 * 1024);
  // The wire schemas are the server's: the client takes the protocol's constants and types, not the schema library.
  const fromTypebox = (chunk: Rollup.OutputChunk) => chunk.moduleIds.some((id) => id.includes('/@sinclair/typebox/'));
  expect([...eager].filter(fromTypebox)).toEqual([]);
  expect(eagerSize.gzipped).toBeLessThanOrEqual(EAGER_BUDGET_BYTES);
});
