#!/usr/bin/env bash
# Runs a command beside the test database servers: starts them into STATE_DIR (start.sh),
# runs COMMAND with its arguments, stops them (stop.sh) however the command ends, even when
# it is interrupted, and exits with the command's status. For scripts run by hand (the
# several-workers trial, the workers bench); ctest uses its `db-servers` fixture instead.
#
#   tests/db-servers/with-servers.sh STATE_DIR COMMAND [ARGUMENTS...]
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: with-servers.sh STATE_DIR COMMAND [ARGUMENTS...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
state=$1
shift
"$here/start.sh" "$state" || exit 1
trap '"$here/stop.sh" "$state" >/dev/null' EXIT
"$@"
