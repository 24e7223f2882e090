#!/usr/bin/env bash
# clang-tidy (.clang-tidy at the root) over every production C++ file: the hub, the plugin API,
# the connectors and the plugins, not tests or benchmarks. Needs a configured build/ (its
# compile_commands.json). Fails, with clang-tidy's own findings, when any file has one.
# Usage: scripts/tidy.sh [BUILD_DIR]   (CAMPAIGN_HUB_TIDY_JOBS, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
jobs=${CAMPAIGN_HUB_TIDY_JOBS:-2}
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: no $build/compile_commands.json; run scripts/build.sh first" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.cpp' | grep -E '^(hub|connectors|plugins|plugin-api)/' |
                     grep -v -E '/tests/|^plugin-api/example/')
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# RapidJSON 1.1.0's iterator comparisons are ambiguous under C++20's reversed operators (fixed
# upstream after that release): a compiler diagnostic about its code, not ours.
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -n 4 clang-tidy -p "$build" --quiet \
  --extra-arg=-Wno-ambiguous-reversed-operator >"$log" 2>&1 ||
  status=$?
grep -E "(warning|error): " "$log" | grep -v "^Suppressed\|warnings generated" || true
echo "tidy: ${#files[@]} files in $(( $(date +%s) - start )) s, $(grep -cE '(warning|error): ' "$log" || true) findings"
exit $status
