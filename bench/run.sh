#!/usr/bin/env bash
# The sync benchmark of issues 7 and 14, in one command (README.md):
#
#   bench/run.sh           # 1,000,000 opportunities; writes bench/results/latest.json
#   bench/run.sh --quick   # 100,000, for development; writes bench/results/quick.json
#
# Builds the hub, its plugins, the simulator and the write-limit baseline in Release (build-bench/,
# tests off), then runs bench/sync/run_bench.py, which measures every step and prints the table.
# Other arguments go to run_bench.py (--no-postgresql, --no-latency, --keep, --opportunities N,
# --help).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${CAMPAIGN_HUB_BENCH_BUILD:-$root/build-bench}

start=$(date +%s)
echo "bench: building $build (Release, tests off)"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAMPAIGN_HUB_TESTS=OFF >/dev/null
# CAMPAIGN_HUB_BENCH_JOBS=1 on a machine shared with another build.
cmake --build "$build" -j"${CAMPAIGN_HUB_BENCH_JOBS:-2}" --target bench-sync
build_seconds=$(($(date +%s) - start))

exec python3 "$root/bench/sync/run_bench.py" --build-dir "$build" --build-seconds "$build_seconds" "$@"
