#!/usr/bin/env bash
# `npm test`: everything that proves the template works — lint, type checks, unit and integration tests
# against real Redis, NATS JetStream and an SNS/SQS endpoint (started by scripts/services.sh), and the end-to-end
# flows in Chromium (apps/e2e, against the system started as `npm start` starts it).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"

if [ -f scripts/services.sh ]; then bash scripts/services.sh up; fi
npx nx run-many -t lint typecheck test e2e --parallel=1 --outputStyle=static "$@"
