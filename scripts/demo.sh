#!/usr/bin/env bash
# Set up and demo: installs the Debian packages, builds, syncs the bundled sample data into
# SQLite (build/demo.db), then shows what arrived.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
rm -f build/demo.db build/demo.db-wal build/demo.db-shm
hub=build/bin/campaign-hub
config=config/demo.json
set -x
$hub --config $config plugins list
$hub --config $config sync || [ $? -eq 1 ]   # 1: some records went to quarantine, on purpose
$hub --config $config campaigns list
$hub --config $config opportunities list --campaign CMP-2026-001
$hub --config $config quarantine list
$hub --config $config runs list
