#!/usr/bin/env bash
# The several-workers fault trial (tests/e2e/several_workers_test.cpp), longer than CI runs it:
# three serve workers and fifty instances on the test PostgreSQL and MariaDB servers, with a
# random SIGKILL or SIGSTOP/SIGCONT every 8 to 14 s. Prints, per backend, the kills, stops,
# runs by state, overlaps found and how soon every schedule was met again after each fault.
#
#   scripts/workers-trial.sh [SECONDS]      # default 600; needs a built `build/`
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/workers-trial.sh [SECONDS]   (a whole number of seconds, default 600)" >&2
  exit 2
fi
test=build/tests/e2e/several_workers_test
if [[ ! -x "$test" ]]; then
  echo "workers-trial: $test is missing; build first (cmake --build build -j2)" >&2
  exit 2
fi
CAMPAIGN_HUB_TRIAL_SECONDS="$seconds" tests/db-servers/with-servers.sh build/db-servers \
  timeout $((2 * seconds + 600)) "$test" --gtest_filter='*RandomKills*' 2>&1 |
  grep -E '^(workers trial|\[  |\[==)|Failure|overlap'
