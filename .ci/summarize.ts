/**
 * Reads vitest's JSON report and prints the one plain closing line CI tooling recognises:
 * "N passed, N failed" (", N skipped" when any were skipped). A test file that failed to load or whose
 * hooks failed counts as one failure, so a broken suite can never print "0 failed".
 * Exits 1 when anything failed or the report is missing.
 */
import { readFileSync } from 'node:fs';

interface AssertionResult {
  status: string;
}
interface FileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults: AssertionResult[];
}
interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  testResults: FileResult[];
}

const path = process.argv[2];
let report: Report;
try {
  report = JSON.parse(readFileSync(path ?? '', 'utf8')) as Report;
} catch (error) {
  console.log(`vitest report ${path} is missing or unreadable: ${(error as Error).message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// Files that failed without any failing test (load error, failing beforeAll/globalSetup) still fail.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed'),
);
for (const file of brokenFiles)
  console.log(`suite failed: ${file.name}: ${(file.message ?? '').split('\n')[0]}`);
const failed = report.numFailedTests + brokenFiles.length;
const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
const passed = report.numPassedTests;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
