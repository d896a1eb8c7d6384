#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on loopback: initialise a cluster in a
# temporary directory, start it, export DATABASE_URL, run the command, stop and remove the server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/ensure-system-deps.sh" postgresql
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
PORT="${IKMS_PG_PORT:-55432}"
WORK="$(mktemp -d /tmp/ikms-pg.XXXXXX)"
DATA="$WORK/data"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK"; fi
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DATA" -w -l "$WORK/server.log" \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "select version()" | head -n 1
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/ikms"
"$@"
