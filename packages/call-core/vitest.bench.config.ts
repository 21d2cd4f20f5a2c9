import baseConfig from './vitest.config.js';

// `npm run bench:switch`: the switch-gap benchmark alone, which `npm test` does not run. The include list is
// replaced, not merged: mergeConfig would append to the test files' patterns.
export default { ...baseConfig, test: { ...baseConfig.test, include: ['test/bench/**/*.bench.ts'] } };
