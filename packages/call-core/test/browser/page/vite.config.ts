import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

/** Where the built test page goes; the tests' server serves it at `/`. */
export const TEST_PAGE_DIST = fileURLToPath(new URL('./dist', import.meta.url));

// call-core from its TypeScript sources, so the page tests the code as it is in the working tree.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: TEST_PAGE_DIST, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1000 },
  logLevel: 'warn',
});
