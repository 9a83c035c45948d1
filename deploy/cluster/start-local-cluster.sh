#!/usr/bin/env bash
# Starts a local B2BTrade cluster: a private PostgreSQL and Redis, 2 silos and 1 API node
# (B2BTrade__Mode=Cluster), built in Release. Run state, logs and pids go to .artifacts/cluster
# (B2BTRADE_CLUSTER_DIR overrides); stop everything with deploy/cluster/stop-local-cluster.sh.
#
#   bash deploy/cluster/start-local-cluster.sh [--no-build]
#
# Overrides: Kestrel__Endpoints__Web__Url / Kestrel__Endpoints__Grpc__Url (default
# http://127.0.0.1:5080 and :5081), B2BTrade__Auth__SigningKey (default: generated),
# B2BTrade__Operator__Email / B2BTrade__Operator__Password (default: operator@b2btrade.local and a
# generated password, written to the run folder). Missing Debian packages (postgresql,
# redis-server) are installed when run as root.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/servers.sh
. "$ROOT/tests/lib/servers.sh"
RUN="${B2BTRADE_CLUSTER_DIR:-$ROOT/.artifacts/cluster}"
CONFIG=Release
BUILD=1
[ "${1:-}" = "--no-build" ] && BUILD=0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for f in "$RUN"/*.pid; do
  if [ -f "$f" ] && b2b_pid_alive "$(cat "$f")"; then
    echo "A local cluster is already running ($f); stop it first: bash deploy/cluster/stop-local-cluster.sh" >&2
    exit 1
  fi
done
rm -rf "$RUN" && mkdir -p "$RUN" || exit 1

fail() {
  echo "start-local-cluster: $*" >&2
  for log in "$RUN"/*.log; do [ -f "$log" ] && { echo "---- tail of $log" >&2; tail -n 30 "$log" >&2; }; done
  bash "$ROOT/deploy/cluster/stop-local-cluster.sh" >&2
  exit 1
}

port_of() { local u=${1%/}; echo "${u##*:}"; }
WEB_URL="${Kestrel__Endpoints__Web__Url:-http://127.0.0.1:5080}"
GRPC_URL="${Kestrel__Endpoints__Grpc__Url:-http://127.0.0.1:5081}"
WEB_PORT=$(port_of "$WEB_URL")
GRPC_PORT=$(port_of "$GRPC_URL")
for p in "$WEB_PORT" "$GRPC_PORT"; do
  b2b_port_in_use "$p" && { echo "Port $p is in use; set Kestrel__Endpoints__Web__Url / Kestrel__Endpoints__Grpc__Url to other ports." >&2; exit 1; }
done

# Silo ports: the defaults when free, otherwise any free port.
pick_port() { if b2b_port_in_use "$2"; then b2b_free_port "$1"; else printf -v "$1" '%s' "$2"; B2B_PORTS_GIVEN="$B2B_PORTS_GIVEN$2 "; fi; }
pick_port SILO1_PORT 11111; pick_port GATEWAY1_PORT 30000
pick_port SILO2_PORT 11112; pick_port GATEWAY2_PORT 30001

b2b_ensure_packages postgresql redis-server || exit 1

if [ $BUILD -eq 1 ]; then
  if [ -f "$ROOT/B2BTrade.sln" ]; then
    dotnet build "$ROOT/B2BTrade.sln" -c "$CONFIG" -nodeReuse:false || exit 1
  else
    for p in silo/B2BTrade.Silo grpc-api/B2BTrade.GrpcApi; do dotnet build "$ROOT/$p" -c "$CONFIG" -nodeReuse:false || exit 1; done
  fi
fi
SILO_DLL="$ROOT/silo/B2BTrade.Silo/bin/$CONFIG/net10.0/B2BTrade.Silo.dll"
API_DLL="$ROOT/grpc-api/B2BTrade.GrpcApi/bin/$CONFIG/net10.0/B2BTrade.GrpcApi.dll"
if [ ! -f "$SILO_DLL" ] || [ ! -f "$API_DLL" ]; then echo "Build output missing: $SILO_DLL, $API_DLL" >&2; exit 1; fi

PG_DIR=$(mktemp -d /tmp/b2btrade-cluster-pg.XXXXXX)
echo "$PG_DIR" >"$RUN/pg.dir"
b2b_pg_start "$PG_DIR" || fail "PostgreSQL did not start"
b2b_psql "$PG_DIR" -d postgres -c "CREATE DATABASE b2btrade" || fail "could not create database b2btrade"
b2b_redis_start "$RUN/redis" "" yes || fail "Redis did not start"

POSTGRES="Host=127.0.0.1;Port=$B2B_PG_PORT;Username=postgres;Database=b2btrade"
SIGNING_KEY="${B2BTrade__Auth__SigningKey:-$(b2b_signing_key)}"
OPERATOR_EMAIL="${B2BTrade__Operator__Email:-operator@b2btrade.local}"
OPERATOR_PASSWORD="${B2BTrade__Operator__Password:-Op#$(head -c 9 /dev/urandom | base64 | tr '+/' 'xy')1}"
WEB_ROOT="${B2BTrade__WebRoot:-$ROOT/clients/web/dist}"
umask 077
cat >"$RUN/cluster.env" <<ENV
# Settings shared by every node of the local cluster (secrets: keep this folder private).
B2BTrade__Mode=Cluster
B2BTrade__Postgres=$POSTGRES
B2BTrade__Redis=$B2B_REDIS_URL
B2BTrade__Auth__SigningKey=$SIGNING_KEY
B2BTrade__Operator__Email=$OPERATOR_EMAIL
B2BTrade__Operator__Password=$OPERATOR_PASSWORD
ENV
umask 022

# start_node NAME DLL ENV... — one node in the background; pid in $RUN/NAME.pid, output in $RUN/NAME.log.
start_node() {
  local name=$1 dll=$2; shift 2
  mkdir -p "$RUN/$name"
  (cd "$RUN/$name" && exec nohup env B2BTrade__Mode=Cluster B2BTrade__Postgres="$POSTGRES" B2BTrade__Redis="$B2B_REDIS_URL" \
    B2BTrade__Auth__SigningKey="$SIGNING_KEY" B2BTrade__Operator__Email="$OPERATOR_EMAIL" \
    B2BTrade__Operator__Password="$OPERATOR_PASSWORD" B2BTrade__DataDir="$RUN/$name/data" "$@" \
    dotnet "$dll") >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
  echo "started $name (pid $!)"
}

start_node silo1 "$SILO_DLL" B2BTrade__Silo__SiloPort="$SILO1_PORT" B2BTrade__Silo__GatewayPort="$GATEWAY1_PORT"
b2b_wait_tcp "$GATEWAY1_PORT" 90 "$(cat "$RUN/silo1.pid")" || fail "silo1 did not open its gateway port $GATEWAY1_PORT"
start_node silo2 "$SILO_DLL" B2BTrade__Silo__SiloPort="$SILO2_PORT" B2BTrade__Silo__GatewayPort="$GATEWAY2_PORT"
b2b_wait_tcp "$GATEWAY2_PORT" 90 "$(cat "$RUN/silo2.pid")" || fail "silo2 did not open its gateway port $GATEWAY2_PORT"
start_node api "$API_DLL" B2BTrade__WebRoot="$WEB_ROOT" Kestrel__Endpoints__Web__Url="$WEB_URL" Kestrel__Endpoints__Grpc__Url="$GRPC_URL"
b2b_wait_http "http://127.0.0.1:$WEB_PORT/healthz" 120 "$(cat "$RUN/api.pid")" || fail "the API did not answer /healthz"

cat <<MSG

B2BTrade local cluster is up (2 silos, 1 API node; Mode=Cluster).
  Web app, gRPC-Web, /healthz:  http://127.0.0.1:$WEB_PORT/
  Native gRPC (HTTP/2):         127.0.0.1:$GRPC_PORT
      e.g. (cd clients/web && npx buf curl --protocol grpc --http2-prior-knowledge --list-methods http://127.0.0.1:$GRPC_PORT)
  Operator login:               $OPERATOR_EMAIL / $OPERATOR_PASSWORD
  Silos:                        silo1 $SILO1_PORT/$GATEWAY1_PORT, silo2 $SILO2_PORT/$GATEWAY2_PORT (silo/gateway ports)
  PostgreSQL:                   $POSTGRES
  Redis:                        $B2B_REDIS_URL
  Logs, pids, settings:         ${RUN#"$ROOT"/}/
Stop it with: bash deploy/cluster/stop-local-cluster.sh
MSG
