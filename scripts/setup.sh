#!/usr/bin/env bash
# Brings a Debian 12 machine (as root) to the point where tsshim builds and its
# tests run: apt packages, npm packages, the TypeScript build, the busybox
# image. Idempotent; each step is skipped when its output is up to date, so a
# second run takes well under 2 s.
#
#   TSSHIM_SKIP_APT=1   do not install apt packages (report what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES="containerd runc crun busybox-static"

say() { echo "setup: $*" >&2; }

# 1. apt packages: `apt-get update` once, and only when something is missing.
missing=""
for pkg in $APT_PACKAGES; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ -n "${TSSHIM_SKIP_APT:-}" ] || [ "$(id -u)" != 0 ]; then
    say "missing apt packages:$missing (not installing: TSSHIM_SKIP_APT set or not root)"
  else
    say "installing apt packages:$missing"
    apt-get update -qq </dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      $missing </dev/null >/dev/null
  fi
fi

# 2. Node and npm packages. `npm ci` when node_modules is missing or was
# installed from another package-lock.json.
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  say "Node.js >= 20 is required (found: $(node --version 2>/dev/null || echo none))"
  exit 1
fi
lock_sum="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ "$(cat node_modules/.tsshim-lock.sha256 2>/dev/null)" != "$lock_sum" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error </dev/null
  echo "$lock_sum" >node_modules/.tsshim-lock.sha256
fi

# 3. TypeScript build, when a source is newer than the last build or the set
# of source files changed (then dist/ is cleared so removed tests do not run).
stamp=dist/.tsshim-build
sources="$(find src test tsconfig.json package.json -type f \( -name '*.ts' -o -name '*.js' -o -name '*.json' \) 2>/dev/null | LC_ALL=C sort)"
list_sum="$(echo "$sources" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$list_sum" ] ||
   [ -n "$(find src test tsconfig.json -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$list_sum" ]; then rm -rf dist; fi
  say "tsc -p ."
  rm -f "$stamp"
  node_modules/.bin/tsc -p .
  scripts/bundle.sh
  mkdir -p dist
  echo "$list_sum" >"$stamp"
fi

# 4. The busybox image for containerd (skips itself when up to date).
scripts/build-image.sh >/dev/null
