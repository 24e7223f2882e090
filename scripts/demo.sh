#!/usr/bin/env bash
# Set up and demo: installs the Debian packages, builds, starts the provider simulator on
# 127.0.0.1:8787, syncs every demo instance (the bundled spreadsheets, the Connect feed,
# Mailchimp, Salesforce and the four partner CRMs through rest-json presets) into SQLite
# (build/demo.db), then shows what arrived. The simulator is stopped at the end.
# `scripts/demo.sh --serve` runs the same instances under `campaign-hub serve` instead (each
# every minute, listener on 127.0.0.1:8080), until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
rm -f build/demo.db build/demo.db-wal build/demo.db-shm
hub=build/bin/campaign-hub
config=config/demo.json

build/tests/provider-sim/provider-sim --port 8787 --campaigns 20 --opportunities 500 \
  > build/provider-sim.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening on" build/provider-sim.log && break; sleep 0.1; done
export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1

if [ "${1:-}" = "--serve" ]; then
  echo "serve: http://127.0.0.1:8080/metrics, /readyz; Ctrl-C stops it"
  $hub --config $config serve
  exit 0
fi

set -x
$hub --config $config plugins list
$hub --config $config instances check connect
$hub --config $config sync
$hub --config $config sync   # again: everything reads as unchanged, nothing is rewritten
$hub --config $config campaigns list --instance connect
$hub --config $config opportunities list --campaign C-2026-001
$hub --config $config runs list
$hub --config $config quarantine list
