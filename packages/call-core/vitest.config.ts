import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

export default mergeConfig(sharedConfig, {
  test: {
    // Browser tests share two cores with livekit-server and the Talk server: one file at a time.
    fileParallelism: false,
    globalSetup: ['test/browser/global-setup.ts'],
  },
});
