#!/usr/bin/env node
// The size of each element as a page downloads it: its define module bundled by esbuild with lit, @lit/context and
// call-core from the built dist (what the package ships), minified, split so that what only a dynamic import loads
// (the SFU's livekit-client, each translation) is a chunk of its own, each part gzipped. `npm run build` first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const entries = {
  'talk-provider': 'dist/talk-provider/talk-provider.js',
  'talk-chat': 'dist/talk-chat/talk-chat.js',
  'talk-call': 'dist/talk-call/talk-call.js',
  'talk-screenshare': 'dist/talk-screenshare/talk-screenshare.js',
  'all (index)': 'dist/index.js',
};

/** Bytes of `entry` bundled: what loads eagerly (the entry and its static imports) and what loads lazily. */
async function measure(entry, external = []) {
  const result = await build({
    external,
    absWorkingDir: packageDir,
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: 'size-out',
    metafile: true,
    logLevel: 'silent',
    // Lit's production build, as an app's bundler picks it.
    conditions: ['production'],
  });
  const byPath = new Map(result.outputFiles.map((file) => [file.path.slice(packageDir.length), file]));
  const outputs = result.metafile.outputs;
  // Dynamic imports are entry points too; the entry is the output built from `entry` itself.
  const entryOut = Object.keys(outputs).find((name) => outputs[name].entryPoint === entry);
  const eager = new Set();
  const visit = (name) => {
    if (eager.has(name)) return;
    eager.add(name);
    for (const imported of outputs[name].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryOut);
  const size = (names) => {
    const code = Buffer.concat(names.map((name) => Buffer.from(byPath.get(name)?.contents ?? [])));
    return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
  };
  const js = Object.keys(outputs).filter((name) => name.endsWith('.js'));
  const lazy = js.filter((name) => !eager.has(name));
  // A translation is a chunk of its own that the page loads only in that language.
  const localeOf = (name) =>
    Object.keys(outputs[name].inputs)
      .map((input) => /i18n\/locales\/([a-z-]+)\.js$/i.exec(input)?.[1])
      .find((code) => code && code !== 'locale-codes');
  const locales = Object.fromEntries(lazy.filter(localeOf).map((name) => [localeOf(name), size([name])]));
  return { eager: size([...eager]), lazy: size(lazy.filter((name) => !localeOf(name))), locales };
}

if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  console.error('No dist/: run `npm run build -w @talk/elements` first.');
  process.exit(1);
}
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log('element            eager min   eager gzip   lazy gzip (SFU: livekit-client)   + one locale, gzip');
for (const [name, entry] of Object.entries(entries)) {
  const { eager, lazy, locales } = await measure(entry);
  const perLocale = Object.entries(locales)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, { gzipped }]) => `${code} ${kB(gzipped)}`)
    .join(', ');
  console.log(
    `${name.padEnd(18)} ${kB(eager.minified).padStart(9)}   ${kB(eager.gzipped).padStart(10)}   ${kB(lazy.gzipped).padStart(9)}                       ${perLocale || '–'}`,
  );
}

// What an element adds to a page that has lit and call-core already (the goal of issue 11 for talk-chat: 40 kB).
const shared = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/reactive-element'];
const { eager, lazy } = await measure(entries['talk-chat'], [...shared, '@lit/reactive-element/*', '@talk/call-core']);
console.log(
  `\ntalk-chat without lit and call-core: eager ${kB(eager.gzipped)} + lazy (markdown, sanitiser, links) ${kB(lazy.gzipped)} = ${kB(eager.gzipped + lazy.gzipped)} gzip`,
);
