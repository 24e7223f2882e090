#!/usr/bin/env bash
# Builds with warnings as errors and runs every test (CTest). What README.md calls "the test
# command", and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DCAMPAIGN_HUB_WERROR=ON
ctest --test-dir build --output-on-failure -j2 --timeout 300
