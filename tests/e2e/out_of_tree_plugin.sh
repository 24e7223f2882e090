#!/usr/bin/env bash
# Installs the plugin-dev component from the build tree into a temporary prefix, builds
# plugin-api/example (the README's minimal plugin) outside the tree with find_package, and
# checks that the hub loads it.
# Usage: out_of_tree_plugin.sh <source dir> <build dir> <campaign-hub executable>
set -euo pipefail
source_dir=$1 build_dir=$2 hub=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --component plugin-dev --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/plugin-api/example" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
out=$("$hub" plugins check "$work/build/libhello.so")
echo "$out"
case "$out" in
  "ok: hello 1.0.0 (scouting)"*) ;;
  *) echo "unexpected answer from plugins check" >&2; exit 1 ;;
esac
