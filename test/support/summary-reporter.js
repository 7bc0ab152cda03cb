/**
 * Prints one plain closing line that any CI can read, after Jest's own summary:
 * "tests: N passed, N failed, N skipped". Suites that failed to load count as failures.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stdout.write(`\n${line}`));
  }
}
