#!/usr/bin/env bash
# The campaign list and detail benchmark of issue 12, in one command (README.md):
#
#   bench/views/run.sh                          # 1,000,000 opportunities; bench/results/views.json
#   bench/views/run.sh --opportunities 100000   # quicker, for development
#
# Builds views_bench alone in Release (build-bench/, tests off, one job), then runs it from the
# repository's root. Other arguments go to views_bench (--opportunities N, --samples N,
# --keep FILE, --json FILE, --explain). Exit code: 0 when every p95 is within 100 ms, 1 when one
# is not, 2 when the run broke.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${CAMPAIGN_HUB_BENCH_BUILD:-$root/build-bench}

echo "views: building $build (Release, tests off)"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAMPAIGN_HUB_TESTS=OFF >/dev/null
cmake --build "$build" -j1 --target views_bench

cd "$root"
exec "$build/bench/views/views_bench" "$@"
