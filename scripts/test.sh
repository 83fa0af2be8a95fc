#!/usr/bin/env bash
# `npm test`: everything that proves the template works — lint, type checks, unit and integration tests
# against real Redis, NATS JetStream and an SNS/SQS endpoint (started by scripts/services.sh), and the end-to-end
# flows in Chromium (apps/e2e, against the system started as `npm start` starts it).
# Extra arguments go to both Nx runs, e.g. `npm test -- --projects=sidecar`.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

bash scripts/services.sh up
started=$(date +%s)
# Static checks share nothing, so two run at once; the tests run one project at a time, because the system
# tests (system-e2e, e2e) both start the whole system on dapr.yaml's fixed ports.
npx nx run-many -t lint typecheck --parallel=2 --outputStyle=static "$@"
npx nx run-many -t test e2e --parallel=1 --outputStyle=static "$@"
echo "npm test: everything passed in $(( $(date +%s) - started )) s"
