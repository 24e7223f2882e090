#!/usr/bin/env bash
# `campaign-hub plugins new` as an author outside the tree uses it: installs only the
# plugin-dev component into a temporary prefix, scaffolds a project, builds it against the
# installed SDK, runs its generated test, and checks that the hub loads the plugin it built.
# Usage: scaffold_plugin.sh <build dir> <campaign-hub executable>
set -euo pipefail
build_dir=$1 hub=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --component plugin-dev --prefix "$work/prefix" >/dev/null
cd "$work"
"$hub" plugins new acme-feed
if "$hub" plugins new acme-feed 2>/dev/null; then
  echo "plugins new wrote over an existing project" >&2
  exit 1
fi
cmake -S acme-feed -B acme-feed/build -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build acme-feed/build >/dev/null
ctest --test-dir acme-feed/build --output-on-failure | tail -3
out=$("$hub" plugins check acme-feed/build/libacme-feed.so)
echo "$out"
case "$out" in
  "ok: acme-feed 0.1.0 (partner)"*) ;;
  *) echo "unexpected answer from plugins check" >&2; exit 1 ;;
esac
