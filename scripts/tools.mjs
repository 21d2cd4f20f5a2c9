// Where the project's external tools live; shared by set-up, start-up and the tests that launch them.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The git-ignored folder that holds the pinned Go tools. */
export const TOOLS_BIN = process.env.TALK_TOOLS_BIN ?? join(ROOT, '.tools', 'bin');

/** Debian's Chromium; tests and the load harness drive it through puppeteer-core. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Pinned Go tools, built with `go install` on first use. */
export const GO_TOOLS = [
  {
    binary: 'livekit-server',
    module: 'github.com/livekit/livekit-server/cmd/server',
    version: 'v1.13.5',
    builtName: 'server',
  },
  { binary: 'k6', module: 'go.k6.io/k6', version: 'v1.8.1', builtName: 'k6' },
];

/** Absolute path of a pinned tool in the tools folder. */
export function toolPath(binary) {
  return join(TOOLS_BIN, binary);
}
