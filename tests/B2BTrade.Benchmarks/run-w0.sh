#!/usr/bin/env bash
# W0 calibration run: raw PostgreSQL / SQLite commits, raw gRPC, Orleans ping and grain writes through the
# project's RelationalGrainStorage, all in one process (see docs/benchmarks.md).
#
#   tests/B2BTrade.Benchmarks/run-w0.sh [--duration 10] [--warmup 3] [--writes 20000] [--out FILE]
#
# Uses B2BTRADE_TEST_POSTGRES (an Npgsql connection string) when set. Otherwise starts a private PostgreSQL
# for the run (initdb into a temp folder as the postgres user, trust auth, 127.0.0.1 on a free port, Debian
# defaults otherwise: fsync=on, synchronous_commit=on) and stops it afterwards. Installs the Debian
# postgresql package only when no PostgreSQL binaries are found (needs root).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
log() { printf '[run-w0] %s\n' "$*" >&2; }

pg_dir=""
pg_bin=""
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
cleanup() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    local pid
    pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
    as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
    log "PostgreSQL (pid $pid) stopped"
  fi
  [ -n "$pg_dir" ] && rm -rf "$pg_dir"
  return 0
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

if [ -n "${B2BTRADE_TEST_POSTGRES:-}" ]; then
  conn=$B2BTRADE_TEST_POSTGRES
  log "using B2BTRADE_TEST_POSTGRES"
else
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ]; then
    [ "$(id -u)" -eq 0 ] || { log "PostgreSQL is not installed: apt-get install postgresql (as root)"; exit 1; }
    log "installing postgresql (apt-get)"
    own_policy=0
    # Keep the package's maintainer scripts from starting the system cluster; this run starts its own.
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    [ $own_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  port=$(free_port)
  pg_dir=$(mktemp -d /tmp/b2btrade-w0-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"
  chmod 700 "$pg_dir"
  as_owner "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-instructions >"$pg_dir/initdb.log" 2>&1 ||
    { log "initdb failed"; tail -n 20 "$pg_dir/initdb.log" >&2; exit 1; }
  cat >>"$pg_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg_dir'
max_connections = 200
CONF
  as_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start >/dev/null ||
    { log "PostgreSQL did not start"; tail -n 20 "$pg_dir/postgres.log" >&2; exit 1; }
  log "private PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($pg_dir)"
  conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

log "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
dotnet build tests/B2BTrade.Benchmarks -c Release -nologo -v q
dotnet run -c Release --no-build --project tests/B2BTrade.Benchmarks -- w0 --postgres "$conn" "$@"
