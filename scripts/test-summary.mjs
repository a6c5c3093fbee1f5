#!/usr/bin/env node
// Folds every package's vitest JSON report into one closing line, so CI reads one verdict.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'examples'].filter((d) => existsSync(d));
let passed = 0, failed = 0, skipped = 0;
for (const root of roots) {
  for (const pkg of readdirSync(root)) {
    const file = join(root, pkg, '.test-results', 'vitest.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // A file that fails to load has no failed assertions but must still count as a failure.
    failed += (r.testResults ?? []).filter((s) => s.status === 'failed' && !s.assertionResults?.some((a) => a.status === 'failed')).length;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
