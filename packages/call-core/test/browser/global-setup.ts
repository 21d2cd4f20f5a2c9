// Builds the test page once per run, before any browser test starts.
import { build } from 'vite';

export default async function setup(): Promise<void> {
  await build({ configFile: new URL('./page/vite.config.ts', import.meta.url).pathname });
}
