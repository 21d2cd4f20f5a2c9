// The packages as someone outside this repository gets them: `npm pack` makes the tarballs, a scratch app in a
// temporary folder installs them (copies, no workspace links), type-checks a page against their declarations,
// bundles it with vite and renders it in Chromium, with the plain elements and the React wrappers.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTalkServer, type TalkServer } from '@talk/server';
import { type LaunchedBrowser, launchChromium } from '@talk/testing';
import type { Page } from 'puppeteer-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PACKAGES = ['protocol', 'call-core', 'elements'] as const;
const require = createRequire(join(ROOT, 'package.json'));

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  // npm run passes its own settings down as npm_* variables (the workspace among them); the scratch app is no
  // workspace of this repository, so its npm must not see them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/** The version of a dependency as installed in this repository, so the scratch app gets the same from the cache. */
const installedVersion = async (name: string) =>
  (JSON.parse(await readFile(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

const PAGE = `<!doctype html>
<html lang="en">
  <body>
    <main id="plain"></main>
    <main id="react"></main>
    <script type="module" src="./main.ts"></script>
  </body>
</html>
`;

// Written as a user would: the define modules for the plain elements, the side-effect-free entry for the class,
// the React wrappers, and call-core for a client of one's own.
const MAIN = `import { TalkClient } from '@talk/call-core';
import '@talk/elements/talk-provider.js';
import '@talk/elements/talk-chat.js';
import { TalkChat as TalkChatElement, VERSION } from '@talk/elements/components.js';
import { TalkChat } from '@talk/elements/react';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? '';
const conversation = params.get('conversation') ?? '';
const page = window as Window & { sentFromReact?: string[]; report?: Record<string, unknown> };

const provider = document.createElement('talk-provider');
provider.token = token;
const chat: TalkChatElement = document.createElement('talk-chat');
chat.conversation = conversation;
provider.append(chat);
document.querySelector('#plain')!.append(provider);

page.sentFromReact = [];
const client = new TalkClient({ serverUrl: location.origin, token });
createRoot(document.querySelector('#react')!).render(
  createElement(TalkChat, {
    client,
    conversation,
    theme: 'dark',
    onTalkMessageSent: (event) => page.sentFromReact!.push(event.message.message),
  }),
);
// @ts-expect-error: the wrapper's props are typed, so a number is no conversation
createElement(TalkChat, { conversation: 42 });

page.report = {
  version: VERSION,
  registeredIsExported: customElements.get('talk-chat') === TalkChatElement,
  registeredVersion: (customElements.get('talk-chat') as unknown as { version: string }).version,
};
`;

// Only the side-effect-free entry: its classes, and not one tag registered.
const CLASSES_PAGE = `<!doctype html>
<html lang="en">
  <body>
    <script type="module" src="./classes.ts"></script>
  </body>
</html>
`;
const CLASSES = `import { TalkChat, TalkProvider } from '@talk/elements/components.js';

(window as Window & { report?: unknown }).report = {
  classes: [typeof TalkChat, typeof TalkProvider],
  version: TalkChat.version,
  registered: ['talk-provider', 'talk-chat', 'talk-call', 'talk-screenshare'].filter((tag) => customElements.get(tag)),
};
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  include: ['main.ts', 'classes.ts'],
};

describe('the packed packages, installed into a scratch app', () => {
  let scratch: string;
  let app: string;
  let bundle: Rollup.OutputChunk[];
  let server: TalkServer;
  let browser: LaunchedBrowser;
  let page: Page;
  let packed: { name: string; filename: string; files: { path: string }[] }[];

  beforeAll(async () => {
    for (const name of PACKAGES) {
      if (!existsSync(join(ROOT, 'packages', name, 'dist', 'index.js'))) {
        throw new Error(`packages/${name} is not built; run "npm run build" first`);
      }
    }
    scratch = await mkdtemp(join(tmpdir(), 'talk-packed-'));
    app = join(scratch, 'app');
    await mkdir(app);
    const workspaces = PACKAGES.flatMap((name) => ['-w', `@talk/${name}`]);
    packed = JSON.parse(await run('npm', ['pack', ...workspaces, '--json', '--pack-destination', scratch], ROOT));
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    const thirdParty = await Promise.all(
      ['react', 'react-dom', '@types/react', '@types/react-dom'].map(
        async (name) => `${name}@${await installedVersion(name)}`,
      ),
    );
    // The cache first (everything is in it after this repository's own install); the registry only for what is not.
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        ...packed.map((tarball) => join(scratch, tarball.filename)),
        ...thirdParty,
      ],
      app,
    );
    await writeFile(join(app, 'index.html'), PAGE);
    await writeFile(join(app, 'main.ts'), MAIN);
    await writeFile(join(app, 'classes.html'), CLASSES_PAGE);
    await writeFile(join(app, 'classes.ts'), CLASSES);
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('packs dist, declarations and the manifest, without tests or stories', async () => {
    const elements = packed.find((tarball) => tarball.name === '@talk/elements')!;
    const files = elements.files.map((file) => file.path);
    expect(files).toContain('custom-elements.json');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/react/index.js');
    expect(files).toContain('dist/talk-chat/talk-chat.component.d.ts');
    expect(files.filter((path) => /\.test\.|\.stories\.|test-support/.test(path))).toEqual([]);
    for (const tarball of packed) {
      expect(tarball.files.map((file) => file.path).filter((path) => /\.test\.[jt]s$/.test(path))).toEqual([]);
    }
  });

  it('installs copies, not links, whose version matches the one the elements report', async () => {
    for (const name of PACKAGES) {
      const installed = join(app, 'node_modules', '@talk', name);
      expect((await lstat(installed)).isSymbolicLink()).toBe(false);
    }
    const elements = join(app, 'node_modules', '@talk', 'elements');
    const manifest = JSON.parse(await readFile(join(elements, 'package.json'), 'utf8'));
    expect(manifest.customElements).toBe('custom-elements.json');
    const cem = JSON.parse(await readFile(join(elements, manifest.customElements), 'utf8'));
    const tags = cem.modules.flatMap((module: { declarations?: { tagName?: string }[] }) =>
      (module.declarations ?? []).map((declaration) => declaration.tagName).filter(Boolean),
    );
    expect(tags.sort()).toEqual([
      'talk-call',
      'talk-chat',
      'talk-conversation-list',
      'talk-join',
      'talk-participants',
      'talk-provider',
      'talk-screenshare',
    ]);
    const { VERSION } = await import(pathToFileURL(join(elements, 'dist', 'version.js')).href);
    expect(VERSION).toBe(manifest.version);
    const source = JSON.parse(await readFile(join(ROOT, 'packages', 'elements', 'package.json'), 'utf8'));
    expect(VERSION).toBe(source.version);
  });

  it('type-checks a page against the installed declarations, React props and events included', async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', app], app)).resolves.toBe('');
  }, 120_000);

  it('bundles the page from the installed packages alone', async () => {
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      root: app,
      build: {
        outDir: 'dist',
        target: 'es2022',
        rollupOptions: { input: { main: join(app, 'index.html'), classes: join(app, 'classes.html') } },
      },
    })) as Rollup.RollupOutput;
    bundle = output.output.filter((item): item is Rollup.OutputChunk => item.type === 'chunk');
    const modules = bundle.flatMap((chunk) => chunk.moduleIds).filter((id) => !id.startsWith('\0'));
    expect(modules.some((id) => id.includes('/node_modules/@talk/elements/dist/'))).toBe(true);
    expect(modules.filter((id) => !id.startsWith(app))).toEqual([]);
  }, 120_000);

  it('renders the plain element and the React wrapper in Chromium, against a real server', async () => {
    server = await createTalkServer({
      port: 0,
      storage: { kind: 'pglite', dataDir: 'memory://' },
      devMode: true,
      staticDir: join(app, 'dist'),
    });
    const api = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return response.json();
    };
    const objects = [{ pattern: 'packed:1', types: ['public'] }];
    const { token } = await api('/api/v1/dev/tokens', { userId: 'alice', displayName: 'Alice', objects });
    const conversation = await api(
      '/api/v1/conversations',
      { type: 'public', name: 'Packed', object: { type: 'packed', id: '1' } },
      token,
    );
    await api(
      `/api/v1/conversations/${conversation.token}/messages`,
      { message: 'hello, packed', referenceId: 'p' },
      token,
    );

    browser = await launchChromium();
    page = await browser.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`http://localhost:${server.port}/?token=${token}&conversation=${conversation.token}`);
    await page.waitForFunction(
      () =>
        ['#plain talk-chat', '#react talk-chat'].every((selector) =>
          document.querySelector(selector)?.shadowRoot?.textContent?.includes('hello, packed'),
        ),
      { timeout: 15_000 },
    );
    const { version } = JSON.parse(await readFile(join(ROOT, 'packages', 'elements', 'package.json'), 'utf8'));
    const report = await page.evaluate(() => (window as Window & { report?: unknown }).report);
    expect(report).toEqual({ version, registeredIsExported: true, registeredVersion: version });
    // theme="dark" reached the element through the React wrapper as an attribute the styles select on.
    expect(await page.$eval('#react talk-chat', (el) => el.getAttribute('theme'))).toBe('dark');

    const input = await page.waitForSelector('#react talk-chat >>> [part="input"]');
    await page.waitForFunction(
      () =>
        !document.querySelector('#react talk-chat')?.shadowRoot?.querySelector<HTMLButtonElement>('[part="send"]')
          ?.disabled,
    );
    await input!.type('sent from React');
    await input!.press('Enter');
    await page.waitForFunction(
      () => (window as Window & { sentFromReact?: string[] }).sentFromReact?.includes('sent from React'),
      { timeout: 15_000 },
    );
    expect(errors).toEqual([]);
  }, 120_000);

  it('registers nothing from the side-effect-free entry', async () => {
    const classes = await browser.browser.newPage();
    await classes.goto(`http://localhost:${server.port}/classes.html`);
    await classes.waitForFunction(() => (window as Window & { report?: unknown }).report !== undefined);
    const report = await classes.evaluate(() => (window as Window & { report?: unknown }).report);
    const { version } = JSON.parse(await readFile(join(ROOT, 'packages', 'elements', 'package.json'), 'utf8'));
    expect(report).toEqual({ classes: ['function', 'function'], version, registered: [] });
  });
});
