// A web-test-runner reporter that writes `{ passed, failed, skipped, failures }` to TALK_TEST_RESULTS for
// scripts/test.mjs, which prints the failures' names under its summary (the end of a long log is what CI shows).

import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

function count(suite, totals, file, path = []) {
  const here = suite.name ? [...path, suite.name] : path;
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else {
      totals.failed += 1;
      totals.failures.push({ name: `${file} › ${[...here, test.name].join(' › ')}`, message: test.error?.message });
    }
  }
  for (const child of suite.suites) count(child, totals, file, here);
}

/** Counts every test of every browser session once the run ends. */
export function resultsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const file = process.env.TALK_TEST_RESULTS;
      if (!file) return;
      const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        const failedBefore = totals.failed;
        const file = relative(process.cwd(), session.testFile);
        if (session.testResults) count(session.testResults, totals, file);
        // A test file that failed to load, or threw outside a test, must not pass silently.
        if (!session.passed && totals.failed === failedBefore) {
          totals.failed += 1;
          const message = session.errors?.map((error) => error.message).join('; ');
          totals.failures.push({ name: `${file} (outside any test)`, message });
        }
      }
      writeFileSync(file, JSON.stringify(totals));
    },
  };
}
