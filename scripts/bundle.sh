#!/bin/sh
# Bundles the shim daemon and the init process into single files under
# dist/bundle and writes a V8 code cache for each (see src/boot/boot.ts).
# Run after tsc; the unbundled dist/src stays usable (tests load it).
set -eu
cd "$(dirname "$0")/.."
out=dist/bundle
mkdir -p "$out"
npx esbuild dist/src/shim/main.js --bundle --platform=node --format=cjs --external:koffi \
	--log-level=warning --outfile="$out/shim.js"
npx esbuild dist/src/init/main.js --bundle --platform=node --format=cjs --external:koffi \
	--log-level=warning --outfile="$out/init.js"
rm -f "$out"/*.cache
for program in shim init; do
	TSSHIM_BUILD_CODE_CACHE=1 node dist/src/boot/boot.js "$out/$program.js"
done
