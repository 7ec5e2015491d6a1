#!/usr/bin/env bash
# Builds the current sources into DIR (not dist/), for bench/ab.js. Emits even when another
# in-progress change elsewhere fails type-checking (tsc still writes the files), and says so.
#   bash bench/build-to.sh .bench/build-new
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/build-to.sh DIR}
rm -rf "$out"
mkdir -p "$(dirname "$out")"
npx tsc -p tsconfig.build.json --outDir "$out" > "$out.tsc.log" 2>&1 || echo "tsc reported errors (files emitted anyway): $(head -c 300 "$out.tsc.log")" >&2
npx tsc-alias -p tsconfig.build.json --outDir "$out"
for app in api worker cli; do printf "'use strict';\nrequire('./src/main');\n" > "$out/apps/$app/main.js"; done
echo "built into $out"
