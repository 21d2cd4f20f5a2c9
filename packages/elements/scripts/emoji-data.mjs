#!/usr/bin/env node
// Copies emoji-picker-element-data's CLDR emoji data (names and keywords per language) next to the module that serves them
// (src/talk-chat/composer/emoji-data/, and dist/ when built), so the picker reads them from the page's own server
// and never from a CDN. The copies are build output, not sources: git ignores them.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dataDir = dirname(createRequire(import.meta.url).resolve('emoji-picker-element-data/package.json'));
const targets = ['src/talk-chat/composer/emoji-data', 'dist/talk-chat/composer/emoji-data'];
for (const target of targets) {
  const dir = join(packageDir, target);
  if (target.startsWith('dist/') && !existsSync(join(packageDir, 'dist'))) continue;
  mkdirSync(dir, { recursive: true });
  for (const locale of ['de', 'en', 'es', 'fr']) {
    copyFileSync(join(dataDir, locale, 'cldr', 'data.json'), join(dir, `${locale}.json`));
  }
}
