#!/usr/bin/env bash
# Regenerates tests/render/golden/*.png from the current renderer. Run it only after looking at
# the pictures a failing test left in <build>/tests/render/output (actual and diff) and
# deciding the new ones are right. Usage: tests/render/update-goldens.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
ninja -C "$build" delineo_render_tests
DELINEO_UPDATE_GOLDENS=1 "$build/tests/render/delineo_render_tests" --gtest_filter='RenderGoldenTest.*'
du -ch "$root"/tests/render/golden/*.png | tail -1
