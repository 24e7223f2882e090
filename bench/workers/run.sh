#!/usr/bin/env bash
# Runs workers_bench (issue 17) on the test PostgreSQL: starts the test database servers into
# build/db-servers, runs the bench with the arguments given, stops the servers.
#
#   bench/workers/run.sh [--rounds N] [--json FILE] ...   # needs a built build/
set -uo pipefail
cd "$(dirname "$0")/../.."
bench=build/bench/workers/workers_bench
if [[ ! -x "$bench" ]]; then
  echo "workers bench: $bench is missing; build first (cmake --build build -j2)" >&2
  exit 2
fi
exec tests/db-servers/with-servers.sh build/db-servers "$bench" "$@"
