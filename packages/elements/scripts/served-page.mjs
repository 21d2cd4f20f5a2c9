// What the screenshot scripts (and the chat benchmark) set up alike: a small page and its module, bundled with the
// elements from their sources into a temporary folder, then served by a real Talk server to a headless Chromium.
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTalkServer } from '@talk/server';
import { launchChromium } from '@talk/testing';
import { build, defaultClientConditions } from 'vite';

/** This package's folder. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Where the scripts write their pictures and figures. */
export const reports = join(packageDir, 'reports');

/**
 * Writes `page` (index.html) and `main` (main.js) into a fresh temporary folder named after `prefix` and bundles them
 * into its dist/, resolving @talk/elements from this repository, sources first, minified unless `minify` is false.
 * Answers the folder; remove it after.
 */
export async function bundlePage(prefix, { page, main, mode, minify = true }) {
  const root = await mkdtemp(join(tmpdir(), `${prefix}-`));
  try {
    await writeFile(join(root, 'index.html'), page);
    await writeFile(join(root, 'main.js'), main);
    await symlink(join(packageDir, '..', '..', 'node_modules'), join(root, 'node_modules'));
    await build({
      configFile: false,
      logLevel: 'silent',
      root,
      ...(mode ? { mode } : {}),
      resolve: { conditions: ['source', ...defaultClientConditions] },
      build: { outDir: 'dist', target: 'es2022', minify },
    });
    return root;
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** The looks the pictures are taken in, each a name and the page's query: light, dark, Arabic right to left. */
export const LOOKS = [
  ['light', 'theme=light'],
  ['dark', 'theme=dark'],
  ['arabic', 'theme=light&lang=ar&dir=rtl'],
];

/** Opens the served page with `query` in a new tab of `viewport` (`{ width, height }`). */
export async function openTab(browser, server, viewport, query = '') {
  const tab = await browser.browser.newPage();
  await tab.setViewport(viewport);
  await tab.goto(`http://localhost:${server.port}/?${query}`);
  return tab;
}

/** The server's REST API as a user holding `token` calls it: JSON in and out, null for 204. */
export function restOf(server) {
  const call = async (method, path, body, token) => {
    const headers = {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const response = await fetch(server.url + path, { method, headers, body: body && JSON.stringify(body) });
    return response.status === 204 ? null : response.json();
  };
  return { call, post: (path, body, token) => call('POST', path, body, token) };
}

/**
 * Bundles the page (as {@link bundlePage}), serves it from a Talk server in dev mode with in-memory storage
 * (`serverOptions` added), launches Chromium, and runs `shoot({ server, browser, call, post })`; closes the browser
 * and the server and removes the page afterwards, also when `shoot` fails.
 */
export async function withServedPage(prefix, files, serverOptions, shoot) {
  const root = await bundlePage(prefix, files);
  try {
    const server = await createTalkServer({
      port: 0,
      storage: { kind: 'pglite', dataDir: 'memory://' },
      devMode: true,
      staticDir: join(root, 'dist'),
      ...serverOptions,
    });
    try {
      const browser = await launchChromium();
      try {
        await shoot({ server, browser, ...restOf(server) });
      } finally {
        await browser.close();
      }
    } finally {
      await server.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
