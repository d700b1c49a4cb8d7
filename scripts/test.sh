#!/usr/bin/env bash
# Command (2) of the README: install what is needed, build with warnings as errors, and run
# the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh -DDELINEO_WERROR=ON
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 900
