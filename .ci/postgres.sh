#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL journal's tests.
#
#   .ci/postgres.sh [start] ENV_FILE   install PostgreSQL from Debian packages if missing, start (or
#                                      reuse) a cluster on 127.0.0.1 and a free port, create the
#                                      test database, and write to ENV_FILE:
#                                        export JM_POSTGRES_CONNECTION='Host=127.0.0.1;Port=…;…'
#   .ci/postgres.sh stop               stop the cluster and delete its files
#
# Idempotent: starting twice reuses the running cluster; stopping twice is harmless.
# initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (created
# by the Debian package) on a directory that user owns. The cluster trusts local connections:
# it is for tests only, listens on 127.0.0.1 only, and lives under $JM_POSTGRES_ROOT
# (default /tmp/jm-postgres).
set -euo pipefail

root=${JM_POSTGRES_ROOT:-/tmp/jm-postgres}
database=${JM_POSTGRES_DATABASE:-jm_tests}
data="$root/data"
sockets="$root/run"
logfile="$root/server.log"

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
      echo "$dir"; return 0
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  return 1
}

install_postgres() {
  if find_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    say "PostgreSQL is not installed and this is not root: install the 'postgresql' package first"; exit 1
  fi
  say "installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  find_bin >/dev/null || { say "the postgresql package installed no pg_ctl/initdb"; exit 1; }
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

owner() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port
  for port in $(seq "${JM_POSTGRES_PORT:-55432}" 55532); do
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  say "no free port in ${JM_POSTGRES_PORT:-55432}..55532"; exit 1
}

running() { [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start() {
  local env_file=$1
  install_postgres
  bin=$(find_bin)

  if ! running; then
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$root"
      mkdir -p "$root"
      chown "$(owner)" "$root"
      chmod 700 "$root"
      as_owner mkdir -p "$sockets"
      as_owner "$bin/initdb" -D "$data" --username=postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
    fi
    local port
    port=$(free_port)
    # postgresql.auto.conf wins over postgresql.conf, and ALTER SYSTEM would need a running server.
    as_owner tee "$data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockets'
max_connections = 200
EOF
    as_owner "$bin/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start >/dev/null || { cat "$logfile" >&2 || true; exit 1; }
  fi

  local port
  port=$(sed -n "s/^port = \([0-9]*\)$/\1/p" "$data/postgresql.auto.conf")
  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -X -q -t -A)
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $database"
  fi

  local connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=$database"
  if [ -n "$env_file" ]; then
    echo "export JM_POSTGRES_CONNECTION='$connection'" >"$env_file"
  fi
  say "PostgreSQL $("${psql[@]}" -d "$database" -c 'SHOW server_version' 2>/dev/null || echo '?') ready: $connection"
}

stop() {
  if bin=$(find_bin) && running; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    say "stopped"
  fi
  rm -rf "$root"
}

case "${1:-}" in
  stop) stop ;;
  start) start "${2:-}" ;;
  *) start "${1:-}" ;;
esac
