#!/usr/bin/env bash
# Configures and builds everything into ./build (Release with debug info, warnings on).
# Extra arguments go to CMake's configure step, e.g. -DCAMPAIGN_HUB_WERROR=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j2
