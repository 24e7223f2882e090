#!/usr/bin/env bash
# Stops the servers tests/db-servers/start.sh started in STATE_DIR and deletes STATE_DIR.
set -uo pipefail

state=${1:?usage: stop.sh STATE_DIR}
[ -d "$state" ] || exit 0

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -f "$state/postgresql/data/postmaster.pid" ] && [ -n "$pg_bin" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$(stat -c %U "$state/postgresql/data")" -- \
      "$pg_bin/pg_ctl" -D "$state/postgresql/data" -m fast -w stop >/dev/null 2>&1
  else
    "$pg_bin/pg_ctl" -D "$state/postgresql/data" -m fast -w stop >/dev/null 2>&1
  fi
fi

if [ -f "$state/mariadb/mysqld.pid" ]; then
  pid=$(cat "$state/mariadb/mysqld.pid")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null
fi

rm -rf "$state"
echo "db-servers: stopped, $state removed"
