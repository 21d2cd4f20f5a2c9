// A web-test-runner reporter that writes `{ passed, failed, skipped }` to TALK_TEST_RESULTS for scripts/test.mjs.
import { writeFileSync } from 'node:fs';

function count(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) count(child, totals);
}

/** Counts every test of every browser session once the run ends. */
export function resultsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const file = process.env.TALK_TEST_RESULTS;
      if (!file) return;
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const failedBefore = totals.failed;
        if (session.testResults) count(session.testResults, totals);
        // A test file that failed to load, or threw outside a test, must not pass silently.
        if (!session.passed && totals.failed === failedBefore) totals.failed += 1;
      }
      writeFileSync(file, JSON.stringify(totals));
    },
  };
}
