import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// The end-to-end tests drive real browsers against one server at a time, so files run one after another.
export default mergeConfig(sharedConfig, { test: { include: ['e2e/**/*.test.ts'], fileParallelism: false } });
