import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.js';

export default mergeConfig(sharedConfig, {
  // The catalog test opens the Storybook build in one browser, story after story.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['.storybook/catalog.test.ts'],
    globalSetup: ['.storybook/catalog-setup.ts'],
    fileParallelism: false,
  },
});
