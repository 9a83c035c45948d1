#!/usr/bin/env bash
# Runs the browser tests against a running B2BTrade server.
# Needs: B2BTRADE_E2E_BASE_URL (e.g. http://127.0.0.1:5080), B2BTRADE_E2E_DATA_DIR (the server's data folder,
# whose outbox/messages.jsonl holds the codes), B2BTRADE_E2E_OPERATOR_EMAIL, B2BTRADE_E2E_OPERATOR_PASSWORD.
# Optional: B2BTRADE_E2E_SCREENSHOT_DIR (save screenshots of the main pages), B2BTRADE_E2E_CHROMIUM.
set -uo pipefail
cd "$(dirname "$0")"
: "${B2BTRADE_E2E_BASE_URL:?set B2BTRADE_E2E_BASE_URL}"
: "${B2BTRADE_E2E_DATA_DIR:?set B2BTRADE_E2E_DATA_DIR}"
: "${B2BTRADE_E2E_OPERATOR_EMAIL:?set B2BTRADE_E2E_OPERATOR_EMAIL}"
: "${B2BTRADE_E2E_OPERATOR_PASSWORD:?set B2BTRADE_E2E_OPERATOR_PASSWORD}"
if [ ! -x "${B2BTRADE_E2E_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "chromium not found at ${B2BTRADE_E2E_CHROMIUM:-/usr/bin/chromium} (apt-get install -y chromium)" >&2
  exit 2
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund >&2 || exit 2
fi
out=$(mktemp)
node --test --test-concurrency=1 --test-reporter=tap ./*.test.mjs | tee "$out"
rc=${PIPESTATUS[0]}
pass=$(grep -E '^# pass [0-9]+' "$out" | awk '{print $3}')
fail=$(grep -E '^# fail [0-9]+' "$out" | awk '{print $3}')
rm -f "$out"
echo "browser tests: ${pass:-0} passed, ${fail:-0} failed"
if [ "$rc" -ne 0 ] || [ "${fail:-1}" != "0" ]; then exit 1; fi
exit 0
