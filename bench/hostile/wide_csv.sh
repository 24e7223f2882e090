#!/usr/bin/env bash
# Issue 18, item 8: one CSV line of 25 million one-byte fields (50 MB) dropped in file-import's
# folder. Prints the peak RSS of `campaign-hub sync` on it and the error it gives; before the
# row bound it was 1,219 MB. Needs the tree built (scripts/build.sh) and GNU time (/usr/bin/time).
#
#   bench/hostile/wide_csv.sh [--fields 25000000] [--build build]
set -euo pipefail
cd "$(dirname "$0")/../.."
fields=25000000
build=build
while [ $# -gt 0 ]; do
  case $1 in
    --fields) fields=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--fields N] [--build DIR]" >&2; exit 64 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/drop"
python3 - "$work/drop/opportunities.csv" "$fields" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    out.write("external_id,title\n")
    out.write("O-1" + ",x" * int(sys.argv[2]) + "\n")
PY
cat > "$work/hub.json" <<JSON
{"database": {"url": "sqlite3://$work/hub.db"}, "plugin_dir": "$(realpath "$build/plugins")",
 "logging": {"level": "error"},
 "instances": [{"name": "drop", "plugin": "file-import", "settings": {"folder": "$work/drop"}}]}
JSON
/usr/bin/time -v "$build/bin/campaign-hub" --config "$work/hub.json" sync --in-process \
  > "$work/out" 2> "$work/time" || true
echo "file: $(stat -c %s "$work/drop/opportunities.csv") bytes, $fields fields on one line"
grep -E "Maximum resident set size|Elapsed" "$work/time" | sed 's/^\s*/  /'
grep "error:" "$work/out" | sed 's/^\s*/  /'
