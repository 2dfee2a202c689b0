// SPDX-License-Identifier: Apache-2.0
// Prints one plain closing line ("jest: N passed, N failed, N skipped") after jest's own summary,
// so that CI logs that only read a final count have one; jest's exit code stays authoritative.
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryLineReporter;
