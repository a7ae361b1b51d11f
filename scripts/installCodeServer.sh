#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100.3 that runs offline) into a cache folder keyed by
# its version, outside the repo. A warm cache costs nothing.
# Prints the install folder on its last line of stdout.
#   NN_CACHE_DIR   where the cache lives (default ~/.cache/neural-canvas)
set -euo pipefail

version=4.100.3
cache="${NN_CACHE_DIR:-$HOME/.cache/neural-canvas}"
dir="$cache/code-server-$version"
bin="$dir/node_modules/code-server/out/node/entry.js"

if [ -f "$dir/.complete" ] && [ -f "$bin" ]; then
  echo "$dir"
  exit 0
fi

for cmd in rg make g++ python3; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "installCodeServer: '$cmd' is missing; run: apt-get install -y ripgrep make g++ python3 libkrb5-dev" >&2
    exit 1
  fi
done

echo "installCodeServer: installing code-server $version into $dir (2-3 minutes, once)…" >&2
rm -rf "$dir"
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds this tarball in its
# cache (versions pinned by code-server 4.100.3): hand it Debian's rg instead.
rgcache="$tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache"
cp "$(command -v rg)" "$tmp/rg"
tar -C "$tmp" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg

nodeprefix=$(dirname "$(dirname "$(command -v node)")")
echo '{"name":"code-server-cache","private":true}' > "$dir/package.json"
# unsafe_perm: its postinstall refuses to run as root otherwise; yes: node-pty's postinstall calls
# `npx node-gyp` and the global npmrc may say yes=false; nodedir: build native modules against
# the local Node headers instead of downloading them.
(
  cd "$dir"
  TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="$nodeprefix" \
    npm install --no-save --no-audit --no-fund code-server@$version --unsafe-perm --foreground-scripts >"$tmp/npm.log" 2>&1 \
    || { tail -n 60 "$tmp/npm.log" >&2; echo "installCodeServer: npm install code-server@$version failed (log above)" >&2; exit 1; }
)
[ -f "$bin" ] || { echo "installCodeServer: $bin is missing after install" >&2; exit 1; }
touch "$dir/.complete"
echo "installCodeServer: done" >&2
echo "$dir"
