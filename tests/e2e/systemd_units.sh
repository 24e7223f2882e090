#!/usr/bin/env bash
# Checks the shipped systemd units with systemd-analyze verify (unknown keys, bad values,
# missing executables), pointing them at the built campaign-hub. Skipped (77) where systemd
# is not installed.
set -euo pipefail
source_dir=$1
hub=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in "$source_dir"/dist/systemd/*; do
  sed -e "s#/usr/bin/campaign-hub#$hub#" -e "s#/bin/kill#$(command -v kill)#" "$unit" \
    > "$work/$(basename "$unit")"
done
cd "$work"
out=$(systemd-analyze verify ./*.service ./*.timer 2>&1) || { echo "$out"; exit 1; }
# verify exits 0 on some warnings; any line about our units is a defect.
if grep -E "campaign-hub" <<<"$out"; then exit 1; fi
echo "units verified: $(ls)"
