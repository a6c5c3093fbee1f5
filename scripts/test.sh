#!/usr/bin/env bash
# The README's test command: real registries and skopeo must be present, then every package's tests.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-test-deps.sh || exit 1
find packages examples -maxdepth 3 -path '*/.test-results/vitest.json' -delete 2>/dev/null
turbo run test --concurrency=1 "$@"
status=$?
node scripts/test-summary.mjs
exit $status
