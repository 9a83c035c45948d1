# shellcheck shell=bash
# Shared shell helpers for tests/run-all.sh and deploy/cluster/*.sh: Debian packages, free ports,
# a private PostgreSQL instance, a private Redis, waiting for servers and stopping processes by pid.
# Source it; it sets no shell options of its own. Functions are prefixed b2b_.

b2b_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# b2b_ensure_packages PKG... — apt-get installs the packages that are not installed yet (update once,
# only when something is missing). Maintainer scripts are kept from starting system services
# (the tests start private instances), unless the machine already has a policy-rc.d.
b2b_ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    b2b_log "packages present: $*"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    b2b_log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    return 1
  fi
  b2b_log "installing Debian packages: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || rc=$?
  if [ $rc -eq 0 ]; then
    apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" || rc=$?
  fi
  [ $own_policy -eq 1 ] && rm -f "$policy"
  return $rc
}

# b2b_port_in_use PORT — true when something accepts TCP connections on 127.0.0.1:PORT or listens on it.
b2b_port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# b2b_free_port VAR — stores in VAR a TCP port that nothing listens on, below the kernel's
# ephemeral range. Ports handed out earlier in this shell are not handed out again (so call it
# in the current shell, not in $(...)).
B2B_PORTS_GIVEN=" "
b2b_free_port() {
  local _b2b_candidate _b2b_try
  for _b2b_try in $(seq 1 200); do
    _b2b_candidate=$((15000 + RANDOM % 17000))
    case "$B2B_PORTS_GIVEN" in *" $_b2b_candidate "*) continue ;; esac
    if ! b2b_port_in_use "$_b2b_candidate"; then
      B2B_PORTS_GIVEN="$B2B_PORTS_GIVEN$_b2b_candidate "
      printf -v "$1" '%s' "$_b2b_candidate"
      return 0
    fi
  done
  b2b_log "no free port found"
  return 1
}

# b2b_wait_tcp PORT TIMEOUT_S [PID] — waits until 127.0.0.1:PORT accepts connections.
b2b_wait_tcp() {
  local port=$1 pid=${3:-} end=$((SECONDS + $2))
  while [ $SECONDS -lt $end ]; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.3
  done
  return 1
}

# b2b_wait_http URL TIMEOUT_S [PID] — waits for an HTTP 200 from URL; gives up early when PID dies.
b2b_wait_http() {
  local url=$1 end=$((SECONDS + $2)) pid=${3:-}
  while [ $SECONDS -lt $end ]; do
    curl -fsS -o /dev/null --max-time 3 "$url" 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.5
  done
  return 1
}

# b2b_pid_alive PID — true while PID runs (a zombie waiting to be reaped counts as gone).
b2b_pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# b2b_wait_gone PID TIMEOUT_S — waits until PID has exited.
b2b_wait_gone() {
  local end=$((SECONDS + $2))
  while b2b_pid_alive "$1"; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.2
  done
}

# b2b_stop_pid PID [GRACE_S] — SIGTERM, wait up to GRACE_S (default 15), then SIGKILL. Returns 0 when gone.
b2b_stop_pid() {
  local pid=$1 grace=${2:-15}
  [ -n "$pid" ] || return 0
  b2b_pid_alive "$pid" || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  if ! b2b_wait_gone "$pid" "$grace"; then
    b2b_log "pid $pid still running after ${grace}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    b2b_wait_gone "$pid" 5
  fi
  # Reap it when it is our child; harmless otherwise.
  wait "$pid" 2>/dev/null
  return 0
}

# b2b_signing_key — base64 of 32 random bytes (B2BTrade__Auth__SigningKey).
b2b_signing_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL: a private instance (initdb into a fresh folder, trust auth on 127.0.0.1 only,
# unix socket inside the folder). Runs as the postgres user when started by root.

b2b_pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$d" ] && command -v pg_ctl >/dev/null 2>&1; then d=$(dirname "$(command -v pg_ctl)"); fi
  [ -n "$d" ] || { b2b_log "PostgreSQL binaries not found (apt-get install postgresql)"; return 1; }
  echo "$d"
}

# Runs a PostgreSQL tool as the instance owner.
b2b_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# b2b_pg_start DIR [PORT] — DIR must not exist or be empty, on a path the postgres user can reach
# (e.g. under /tmp). Sets B2B_PG_PORT, B2B_PG_PID, B2B_PG_URL (Npgsql connection string,
# superuser "postgres", database "postgres"), and writes DIR/instance.env for b2b_pg_stop.
b2b_pg_start() {
  local dir=$1 port=${2:-} bin
  bin=$(b2b_pg_bindir) || return 1
  [ -n "$port" ] || b2b_free_port port || return 1
  mkdir -p "$dir" || return 1
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if ! b2b_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$dir/initdb.log" 2>&1; then
    b2b_log "initdb failed:"; tail -n 20 "$dir/initdb.log" >&2; return 1
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 128MB
${B2B_PG_EXTRA_CONF:-}
EOF
  if ! b2b_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null 2>&1; then
    b2b_log "PostgreSQL did not start:"; tail -n 20 "$dir/postgres.log" >&2; return 1
  fi
  B2B_PG_PORT=$port
  B2B_PG_PID=$(head -n 1 "$dir/data/postmaster.pid")
  B2B_PG_URL="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  printf 'B2B_PG_PORT=%s\nB2B_PG_PID=%s\nB2B_PG_BIN=%s\n' "$port" "$B2B_PG_PID" "$bin" >"$dir/instance.env"
  b2b_log "PostgreSQL on 127.0.0.1:$port (pid $B2B_PG_PID, $dir)"
}

# b2b_psql DIR ARGS... — psql as superuser against the instance started in DIR.
b2b_psql() {
  local dir=$1; shift
  # shellcheck disable=SC1091
  (. "$dir/instance.env" && "$B2B_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$B2B_PG_PORT" -U postgres "$@")
}

# b2b_pg_stop DIR [KEEP] — fast shutdown by pg_ctl, SIGKILL by pid as a fallback; removes DIR unless KEEP=keep.
b2b_pg_stop() {
  local dir=$1 keep=${2:-}
  [ -f "$dir/instance.env" ] || { [ "$keep" = keep ] || rm -rf "$dir"; return 0; }
  local B2B_PG_PID B2B_PG_BIN B2B_PG_PORT
  # shellcheck disable=SC1091
  . "$dir/instance.env"
  if b2b_pid_alive "$B2B_PG_PID"; then
    b2b_pg_as_owner "$B2B_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      kill -KILL "$B2B_PG_PID" 2>/dev/null
  fi
  if ! b2b_wait_gone "$B2B_PG_PID" 10; then
    b2b_log "PostgreSQL pid $B2B_PG_PID did not stop"; return 1
  fi
  b2b_log "PostgreSQL on port $B2B_PG_PORT stopped"
  [ "$keep" = keep ] || rm -rf "$dir"
}

# ---------------------------------------------------------------------------------------------
# Redis: a private daemon. b2b_redis_start DIR [PORT] [APPENDONLY yes|no] sets B2B_REDIS_PORT,
# B2B_REDIS_PID, B2B_REDIS_URL ("127.0.0.1:PORT") and writes DIR/redis.pid for b2b_redis_stop.

b2b_redis_start() {
  local dir=$1 port=${2:-} aof=${3:-no} i
  command -v redis-server >/dev/null 2>&1 || { b2b_log "redis-server not found (apt-get install redis-server)"; return 1; }
  [ -n "$port" ] || b2b_free_port port || return 1
  mkdir -p "$dir" || return 1
  rm -f "$dir/redis.pid"
  if ! redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --pidfile "$dir/redis.pid" \
    --dir "$dir" --logfile "$dir/redis.log" --save "" --appendonly "$aof" >/dev/null; then
    b2b_log "redis-server failed to start"; return 1
  fi
  for i in $(seq 1 100); do
    [ -s "$dir/redis.pid" ] && redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  if ! redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
    b2b_log "Redis did not answer:"; tail -n 20 "$dir/redis.log" >&2; return 1
  fi
  B2B_REDIS_PORT=$port
  B2B_REDIS_PID=$(cat "$dir/redis.pid")
  B2B_REDIS_URL="127.0.0.1:$port"
  echo "$port" >"$dir/redis.port"
  b2b_log "Redis on 127.0.0.1:$port (pid $B2B_REDIS_PID)"
}

b2b_redis_stop() {
  local dir=$1 pid
  [ -s "$dir/redis.pid" ] || return 0
  pid=$(cat "$dir/redis.pid")
  b2b_stop_pid "$pid" 10
  rm -f "$dir/redis.pid"
  b2b_log "Redis (pid $pid) stopped"
}
