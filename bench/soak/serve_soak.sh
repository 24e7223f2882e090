#!/usr/bin/env bash
# Soak of `campaign-hub serve` (issue 11): many short runs in one serve process, whose
# resident memory must stay flat. Ten slow-feed instances every second, up to four at once,
# each run a process of its own; serve's RSS is read from /proc after the first 50 runs
# (warm: libraries loaded, pools and metrics families made) and again after the last.
#
#   bench/soak/serve_soak.sh [--runs 1000] [--build build]
#
# Needs the tree built with its tests (scripts/build.sh): it uses build/bin/campaign-hub and
# the slow-feed test plugin. Prints the figures and writes bench/results/soak-serve.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=1000
build=build
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--build DIR]" >&2; exit 64 ;;
  esac
done
hub=$build/bin/campaign-hub
plugins=$build/test-plugins
[ -x "$hub" ] && [ -e "$plugins/libslow-feed.so" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }

work=$(mktemp -d)
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

instances=""
for i in $(seq 1 10); do
  instances+="${instances:+, }{\"name\": \"soak-$i\", \"plugin\": \"slow-feed\", \"schedule\": {\"every\": \"1s\"}, \"settings\": {\"campaigns\": 2, \"opportunities\": 20, \"page_size\": 10}}"
done
cat > "$work/hub.json" <<JSON
{"database": {"url": "sqlite3://$work/hub.db"}, "plugin_dir": "$(realpath "$plugins")",
 "logging": {"level": "warn"},
 "serve": {"listen": "127.0.0.1:0", "max_parallel_runs": 4},
 "instances": [$instances]}
JSON

finished() { sqlite3 "$work/hub.db" "SELECT COUNT(*) FROM runs WHERE state <> 'running'" 2>/dev/null || echo 0; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

"$hub" --config "$work/hub.json" serve 2> "$work/serve.log" &
serve_pid=$!
started=$(date +%s)
until [ "$(finished)" -ge 50 ]; do sleep 0.5; done
warm_rss=$(rss_kib "$serve_pid")
warm_runs=$(finished)
warm_fds=$(ls "/proc/$serve_pid/fd" | wc -l)
warm_threads=$(awk '/^Threads/ {print $2}' "/proc/$serve_pid/status")
until [ "$(finished)" -ge "$runs" ]; do
  kill -0 "$serve_pid" || { echo "serve died:"; cat "$work/serve.log"; exit 1; }
  sleep 1
done
end_rss=$(rss_kib "$serve_pid")
end_runs=$(finished)
seconds=$(( $(date +%s) - started ))
failed=$(sqlite3 "$work/hub.db" "SELECT COUNT(*) FROM runs WHERE state NOT IN ('succeeded', 'running')")
fds=$(ls "/proc/$serve_pid/fd" | wc -l)
threads=$(awk '/^Threads/ {print $2}' "/proc/$serve_pid/status")

kill -TERM "$serve_pid"
wait "$serve_pid" && code=0 || code=$?
serve_pid=""

growth=$(( end_rss - warm_rss ))
echo "serve soak: $end_runs runs in ${seconds} s ($failed not succeeded), exit $code"
echo "  RSS after $warm_runs runs: $warm_rss KiB; after $end_runs runs: $end_rss KiB; growth $growth KiB"
echo "  open fds: $warm_fds after $warm_runs runs, $fds at the end; threads: $warm_threads, then $threads"
mkdir -p bench/results
cat > bench/results/soak-serve.json <<JSON
{"date": "$(date -u +%FT%TZ)", "commit": "$(git rev-parse --short HEAD)",
 "runs": $end_runs, "seconds": $seconds, "not_succeeded": $failed, "exit_code": $code,
 "rss_kib_warm": $warm_rss, "runs_warm": $warm_runs, "rss_kib_end": $end_rss,
 "rss_growth_kib": $growth, "open_fds_warm": $warm_fds, "open_fds_end": $fds,
 "threads_warm": $warm_threads, "threads_end": $threads}
JSON
# Flat: under 1 MiB of growth over the whole soak, and every run succeeded.
[ "$failed" -eq 0 ] && [ "$code" -eq 0 ] && [ "$growth" -lt 1024 ]
