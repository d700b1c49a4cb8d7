#!/usr/bin/env bash
# Configures and builds Delineo into ./build (incremental; ccache when present).
# Extra arguments are passed to cmake's configure step (e.g. -DDELINEO_WERROR=ON).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build
