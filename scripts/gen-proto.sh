#!/bin/sh
# Regenerates src/gen/proto.{js,d.ts} from proto/. The runtime copy has no
# comments (smaller, faster to load on the shim's start path); a commented copy
# is made only so pbts can derive the type declarations from its JSDoc.
set -eu
cd "$(dirname "$0")/.."
files=$(find proto -name '*.proto' | LC_ALL=C sort)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common="-t static-module -w commonjs --force-number --no-verify --no-convert --no-delimited --no-service -p proto"
npx pbjs $common -o "$tmp/proto.js" $files
npx pbts --no-comments -o src/gen/proto.d.ts "$tmp/proto.js"
npx pbjs $common --no-beautify --no-comments -o src/gen/proto.js $files
