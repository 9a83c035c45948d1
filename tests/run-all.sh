#!/usr/bin/env bash
# Runs every test of B2BTrade from a clean clone: `bash tests/run-all.sh` from the repository root.
#
# Installs missing Debian packages (as root), starts a private PostgreSQL and Redis on free ports
# (stopped by pid on exit), lints the protos, builds the web app and runs its unit tests, builds the
# solution (warnings are errors), runs each tests/*.Tests project, then the browser tests against a
# real single-node server.
# The last line is always `N passed, M failed`; the exit status is non-zero when a test or a step
# failed, or when no test ran.
#
# Environment: B2BTRADE_SKIP_APT=1 skips the package check; B2BTRADE_TEST_FILTER is passed to
# `dotnet test --filter`; B2BTRADE_KEEP_WORK=1 keeps the temporary folder (server data, databases).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=tests/lib/servers.sh
. "$ROOT/tests/lib/servers.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
CONFIG=Release
WEB="$ROOT/clients/web"
RESULTS="$ROOT/.artifacts/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/b2btrade-tests.XXXXXX)
chmod 755 "$WORK"

TOTAL_PASSED=0
TOTAL_FAILED=0
FAILED_STEPS=()
PHASES=()
SERVER_PID=""
CLEANED=0

cleanup() {
  [ $CLEANED -eq 1 ] && return
  CLEANED=1
  if [ -n "$SERVER_PID" ]; then b2b_stop_pid "$SERVER_PID" 15; SERVER_PID=""; fi
  b2b_redis_stop "$WORK/redis"
  b2b_pg_stop "$WORK/pg" keep
  if [ "${B2BTRADE_KEEP_WORK:-0}" = 1 ]; then b2b_log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'b2b_log "interrupted"; exit 130' INT TERM

# phase NAME COMMAND... — runs one step, prints and records its duration and outcome.
phase() {
  local name=$1 start rc
  shift
  printf '\n==== %s ====\n' "$name"
  start=$SECONDS
  "$@"
  rc=$?
  local took=$((SECONDS - start)) outcome=ok
  case $rc in
    0) ;;
    77) outcome=skipped ;;
    *) outcome="FAILED (exit $rc)"; FAILED_STEPS+=("$name") ;;
  esac
  PHASES+=("$(printf '%-34s %6ss  %s' "$name" "$took" "$outcome")")
  printf '==== %s: %s in %ss ====\n' "$name" "$outcome" "$took"
  return $rc
}
skip() { b2b_log "SKIPPED: $*"; return 77; }

# ---- steps -----------------------------------------------------------------------------------

install_packages() {
  if [ "${B2BTRADE_SKIP_APT:-0}" = 1 ]; then skip "B2BTRADE_SKIP_APT=1"; return; fi
  b2b_ensure_packages postgresql redis-server chromium fonts-wqy-microhei poppler-utils curl
}

start_servers() {
  b2b_pg_start "$WORK/pg" || return 1
  b2b_redis_start "$WORK/redis" || return 1
  export B2BTRADE_TEST_POSTGRES="$B2B_PG_URL"
  export B2BTRADE_TEST_REDIS="$B2B_REDIS_URL"
  # Server processes that tests start (fault tests) write their logs here.
  export B2BTRADE_TEST_LOG_DIR="$RESULTS/server-logs"
  b2b_log "B2BTRADE_TEST_POSTGRES=$B2BTRADE_TEST_POSTGRES"
  b2b_log "B2BTRADE_TEST_REDIS=$B2BTRADE_TEST_REDIS"
}

HAVE_WEB=0
[ -f "$WEB/package.json" ] && HAVE_WEB=1

web_dependencies() {
  [ "$HAVE_WEB" -eq 1 ] || { skip "clients/web/package.json does not exist yet: no web dependencies, proto lint or web build"; return; }
  [ -f "$WEB/package-lock.json" ] || { b2b_log "clients/web/package-lock.json is missing: npm ci needs the committed lockfile"; return 1; }
  (cd "$WEB" && npm ci --no-audit --no-fund)
}

proto_lint() {
  [ "$HAVE_WEB" -eq 1 ] || { skip "buf is a devDependency of clients/web, which does not exist yet"; return; }
  [ -x "$WEB/node_modules/.bin/buf" ] || { b2b_log "buf is not in clients/web's devDependencies"; return 1; }
  (cd "$ROOT/protos" && "$WEB/node_modules/.bin/buf" lint)
}

web_build() {
  [ "$HAVE_WEB" -eq 1 ] || { skip "clients/web does not exist yet"; return; }
  (cd "$WEB" && npm run build)
}

dotnet_build() {
  [ -f "$ROOT/B2BTrade.sln" ] || { b2b_log "B2BTrade.sln is missing"; return 1; }
  dotnet build "$ROOT/B2BTrade.sln" -c "$CONFIG" -warnaserror -nodeReuse:false
}

# Counters of one TRX file: prints "passed failed".
trx_counts() {
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1)
  printf '%s %s\n' \
    "$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")" \
    "$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
}

TEST_ROWS=()
# count_node_tests NAME LOG RC — adds node's test runner summary in LOG ("# pass N" / "# fail N" in TAP,
# "ℹ pass N" from the spec reporter; the last one wins) to the totals. Fails when RC is non-zero, a
# test failed, or LOG has no summary.
count_node_tests() {
  local name=$1 log=$2 rc=$3 passed failed
  passed=$(grep -aoE '^(# |ℹ )pass [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+$')
  failed=$(grep -aoE '^(# |ℹ )fail [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+$')
  if [ -z "$passed" ] && [ -z "$failed" ]; then
    b2b_log "no node test summary ('# pass N' / '# fail N') in $log"
    [ "$rc" -eq 0 ] && rc=1
  fi
  passed=${passed:-0}; failed=${failed:-0}
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  TEST_ROWS+=("$(printf '%-34s %5s passed %5s failed' "$name" "$passed" "$failed")")
  [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
}

# web_unit_tests — clients/web's own `npm test` (node's test runner), when it has one.
web_unit_tests() {
  [ "$HAVE_WEB" -eq 1 ] || { skip "clients/web does not exist yet"; return; }
  grep -q '"test"[[:space:]]*:' "$WEB/package.json" || { skip "clients/web has no test script"; return; }
  (cd "$WEB" && npm test) </dev/null 2>&1 | tee "$RESULTS/web-unit.log"
  count_node_tests "web unit (clients/web)" "$RESULTS/web-unit.log" "${PIPESTATUS[0]}"
}

# dotnet_test PROJECT_DIR — one test project; its TRX goes to $RESULTS.
dotnet_test() {
  local dir=$1 name rc passed=0 failed=0 args=()
  name=$(basename "$dir")
  if ! grep -q "$name.csproj" "$ROOT/B2BTrade.sln" 2>/dev/null; then
    b2b_log "$name is not in B2BTrade.sln: building it on its own"
    dotnet build "$dir" -c "$CONFIG" -warnaserror -nodeReuse:false || return 1
  fi
  [ -n "${B2BTRADE_TEST_FILTER:-}" ] && args+=(--filter "$B2BTRADE_TEST_FILTER")
  timeout --kill-after=30s 20m dotnet test "$dir" -c "$CONFIG" --no-build --nologo \
    --results-directory "$RESULTS" --logger "trx;LogFileName=$name.trx" \
    --logger "console;verbosity=normal" --blame-hang-timeout 10m "${args[@]}"
  rc=$?
  if [ -f "$RESULTS/$name.trx" ]; then
    read -r passed failed <<<"$(trx_counts "$RESULTS/$name.trx")"
  else
    b2b_log "$name wrote no TRX file"
  fi
  passed=${passed:-0}; failed=${failed:-0}
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
  TOTAL_FAILED=$((TOTAL_FAILED + failed))
  TEST_ROWS+=("$(printf '%-34s %5s passed %5s failed' "$name" "$passed" "$failed")")
  # A crash, a hang or a run abort fails the step even when no single test is counted as failed.
  [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
}

# browser_tests — the single-node server from the Release build, then tests/e2e/run.sh against it.
browser_tests() {
  [ -f "$ROOT/tests/e2e/run.sh" ] || { skip "tests/e2e/run.sh does not exist yet"; return; }
  local dll="$ROOT/grpc-api/B2BTrade.GrpcApi/bin/$CONFIG/net10.0/B2BTrade.GrpcApi.dll"
  [ -f "$dll" ] || { b2b_log "$dll is missing (build failed?)"; return 1; }
  [ -f "$WEB/dist/index.html" ] || { b2b_log "clients/web/dist is missing (web build failed?)"; return 1; }
  local web_port grpc_port silo_port gateway_port data="$WORK/e2e-data" rc=0
  b2b_free_port web_port && b2b_free_port grpc_port && b2b_free_port silo_port && b2b_free_port gateway_port || return 1
  local operator_email="e2e-operator@b2btrade.test" operator_password
  operator_password="E2e#Op$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  mkdir -p "$data"
  (cd "$WORK" && exec env \
    B2BTrade__Mode=SingleNode \
    B2BTrade__DataDir="$data" \
    B2BTrade__WebRoot="$WEB/dist" \
    B2BTrade__Operator__Email="$operator_email" \
    B2BTrade__Operator__Password="$operator_password" \
    B2BTrade__Silo__SiloPort="$silo_port" \
    B2BTrade__Silo__GatewayPort="$gateway_port" \
    Kestrel__Endpoints__Web__Url="http://127.0.0.1:$web_port" \
    Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$grpc_port" \
    dotnet "$dll") >"$RESULTS/e2e-server.log" 2>&1 &
  SERVER_PID=$!
  if ! b2b_wait_http "http://127.0.0.1:$web_port/healthz" 90 "$SERVER_PID"; then
    b2b_log "the server did not answer /healthz within 90 s; its log ends with:"
    tail -n 40 "$RESULTS/e2e-server.log"
    b2b_stop_pid "$SERVER_PID" 5; SERVER_PID=""
    return 1
  fi
  b2b_log "server up on http://127.0.0.1:$web_port (pid $SERVER_PID)"
  B2BTRADE_E2E_BASE_URL="http://127.0.0.1:$web_port" \
    B2BTRADE_E2E_DATA_DIR="$data" \
    B2BTRADE_E2E_OPERATOR_EMAIL="$operator_email" \
    B2BTRADE_E2E_OPERATOR_PASSWORD="$operator_password" \
    B2BTRADE_E2E_SCREENSHOT_DIR="$RESULTS/e2e-screenshots" \
    timeout --kill-after=30s 15m bash "$ROOT/tests/e2e/run.sh" </dev/null 2>&1 | tee "$RESULTS/e2e.log"
  rc=${PIPESTATUS[0]}
  b2b_stop_pid "$SERVER_PID" 15; SERVER_PID=""
  count_node_tests "browser (tests/e2e)" "$RESULTS/e2e.log" "$rc"
}

# ---- run ---------------------------------------------------------------------------------------

RUN_START=$SECONDS
phase "install Debian packages" install_packages
phase "start PostgreSQL and Redis" start_servers
SERVERS_OK=$?
phase "npm ci (clients/web)" web_dependencies
phase "buf lint (protos)" proto_lint
phase "web build (clients/web)" web_build
phase "web unit tests (clients/web)" web_unit_tests
phase "dotnet build B2BTrade.sln ($CONFIG)" dotnet_build
BUILD_OK=$?

if [ $BUILD_OK -eq 0 ]; then
  [ $SERVERS_OK -eq 0 ] || b2b_log "PostgreSQL/Redis did not start: tests that need them will fail"
  for csproj in "$ROOT"/tests/*.Tests/*.Tests.csproj; do
    [ -f "$csproj" ] || continue
    phase "dotnet test $(basename "$csproj" .csproj)" dotnet_test "$(dirname "$csproj")"
  done
  phase "browser tests (tests/e2e)" browser_tests
else
  b2b_log "build failed: no .NET or browser tests run"
fi

cleanup

printf '\n==== durations ====\n'
printf '%s\n' "${PHASES[@]}"
printf '%-34s %6ss\n' "total" "$((SECONDS - RUN_START))"
if [ ${#TEST_ROWS[@]} -gt 0 ]; then
  printf '\n==== tests (TRX files in %s) ====\n' "${RESULTS#"$ROOT"/}"
  printf '%s\n' "${TEST_ROWS[@]}"
fi
STATUS=0
if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
  printf '\nFAILED steps:\n'
  printf '  %s\n' "${FAILED_STEPS[@]}"
  STATUS=1
fi
[ "$TOTAL_FAILED" -gt 0 ] && STATUS=1
if [ $((TOTAL_PASSED + TOTAL_FAILED)) -eq 0 ]; then
  printf '\nNo test ran.\n'
  STATUS=1
fi
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
exit $STATUS
