#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer (tests/fuzz/README.md): builds build-fuzz
# with clang (-DCAMPAIGN_HUB_FUZZ=ON: coverage, ASan and UBSan over everything), makes the seed
# corpora from the tests and ../shared/recorded, runs each target for SECONDS_PER_TARGET
# (default 600) and prints one table. Exits non-zero when a target crashed, hung, ran out of
# memory or had a sanitizer report; the input that did it is kept in build-fuzz/artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#   CAMPAIGN_HUB_FUZZ_JOBS=1 nice scripts/fuzz.sh 60          # build on one core
#   CAMPAIGN_HUB_FUZZ_TARGETS="config csv-reader" scripts/fuzz.sh 30
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (a whole number of seconds, default 600)" >&2
  exit 2
fi
jobs="${CAMPAIGN_HUB_FUZZ_JOBS:-2}"
build=build-fuzz
for tool in clang clang++ cmake ninja python3 timeout; do
  if ! command -v "$tool" >/dev/null; then
    echo "fuzz: $tool is missing; scripts/install-deps.sh installs it" >&2
    exit 2
  fi
done

# Build. Only the fuzz targets and what they link: the rest of the tree is not needed here.
build_start=$(date +%s)
if ! CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCAMPAIGN_HUB_FUZZ=ON >"$build.configure.log" 2>&1; then
  cat "$build.configure.log" >&2
  echo "fuzz: configuring $build failed" >&2
  exit 1
fi
rm -f "$build.configure.log"
if ! cmake --build "$build" --target fuzz-targets -j "$jobs"; then
  echo "fuzz: building the fuzz targets failed" >&2
  exit 1
fi
build_seconds=$(($(date +%s) - build_start))
echo "fuzz: built in ${build_seconds} s"

# Seeds and dictionaries, made afresh from the tests and ../shared on every run.
python3 tests/fuzz/make_seeds.py . ../shared "$build" || exit 1

# ASan: leaks are findings; UBSan: a report aborts (-fno-sanitize-recover) with its stack.
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

targets="${CAMPAIGN_HUB_FUZZ_TARGETS:-$(cat "$build/tests/fuzz/targets.txt")}"
mkdir -p "$build/logs"
rows=()
failed=0
for target in $targets; do
  binary="$build/tests/fuzz/$target-fuzz"
  if [ ! -x "$binary" ]; then
    echo "fuzz: no target $target (tests/fuzz/CMakeLists.txt lists them)" >&2
    exit 2
  fi
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  log="$build/logs/$target.log"
  mkdir -p "$corpus" "$artifacts"
  stamp="$build/logs/$target.started"
  touch "$stamp"
  dict=()
  if [ -s "$build/dicts/$target.dict" ]; then dict=(-dict="$build/dicts/$target.dict"); fi
  echo "fuzz: $target for ${seconds} s (log: $log)"
  start=$(date +%s)
  # libFuzzer stops itself at -max_total_time; `timeout` is the hard bound if it does not.
  timeout --signal=INT --kill-after=30 $((seconds + 120)) "$binary" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" "$build/seeds/$target" >"$log" 2>&1
  status=$?
  took=$(($(date +%s) - start))

  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  corpus_size=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  crashes=$(find "$artifacts" -type f -newer "$stamp" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  reports=$(grep -c '^SUMMARY: ' "$log")
  rm -f "$stamp"
  result=ok
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    result="killed after $((seconds + 120)) s"
  elif [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ] || [ "$reports" -ne 0 ]; then
    result="FAILED (exit $status; see $log)"
  fi
  [ "$result" = ok ] || failed=1
  rows+=("$(printf '%-22s %7s %12s %8s %7s %8s %8s  %s' "$target" "$took" "${executions:-?}" \
    "${per_second:-?}" "${corpus_size:-?}" "$crashes" "$reports" "$result")")
done

echo
echo "libFuzzer, ${seconds} s per target (build ${build_seconds} s):"
printf '%-22s %7s %12s %8s %7s %8s %8s  %s\n' target seconds executions exec/s corpus crashes \
  reports result
for row in "${rows[@]}"; do echo "$row"; done
if [ "$failed" -ne 0 ]; then
  echo
  echo "fuzz: findings above; reproduce one with $build/tests/fuzz/<target>-fuzz <artifact>" \
    "(artifacts in $build/artifacts/<target>/)"
  exit 1
fi
