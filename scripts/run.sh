#!/usr/bin/env bash
# Command (1) of the README: install what is needed, build, and start Delineo on the bundled
# sample (the head CT). Arguments go to delineo, e.g. `scripts/run.sh --sample mri`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/app/delineo "$@"
