#!/usr/bin/env bash
# Stops what deploy/cluster/start-local-cluster.sh started, by pid: the API, the silos (SIGTERM,
# SIGKILL after 15 s), then Redis and PostgreSQL (whose data is removed). Logs stay in the run folder.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=tests/lib/servers.sh
. "$ROOT/tests/lib/servers.sh"
RUN="${B2BTRADE_CLUSTER_DIR:-$ROOT/.artifacts/cluster}"

[ -d "$RUN" ] || { echo "No local cluster state in $RUN."; exit 0; }
for name in api silo2 silo1; do
  if [ -f "$RUN/$name.pid" ]; then
    pid=$(cat "$RUN/$name.pid")
    if b2b_pid_alive "$pid"; then
      b2b_stop_pid "$pid" 15
      echo "stopped $name (pid $pid)"
    fi
    rm -f "$RUN/$name.pid"
  fi
done
b2b_redis_stop "$RUN/redis"
if [ -f "$RUN/pg.dir" ]; then
  b2b_pg_stop "$(cat "$RUN/pg.dir")"
  rm -f "$RUN/pg.dir"
fi
echo "Local cluster stopped; logs are in ${RUN#"$ROOT"/}/."
