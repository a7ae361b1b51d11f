#!/usr/bin/env bash
# THE test command (README, .ci/run): from a fresh Debian machine to a green (or red) suite.
#   1. Debian packages the suites need: installed with apt-get when running as root, otherwise
#      the exact apt-get command is printed and the script fails.
#   2. npm dependencies (`npm ci --ignore-scripts`: no dependency needs its install script),
#      code-server 4.100.3 into a cache keyed by version (~/.cache/neural-canvas).
#   3. build, type-check, lint; then every suite (`npm test`: unit, webview, integration, e2e).
# Ends with `N passed, N failed` (a failed build/type-check/lint step counts as one failure)
# and a non-zero exit when anything failed.
# Local opt-outs (refused when CI is set): NN_SKIP_WEBVIEW=1, NN_SKIP_INTEGRATION=1, NN_SKIP_E2E=1.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n━━━ %s ━━━\n' "$*"; }

# ── 1. Debian packages ────────────────────────────────────────────────────────────────────
# chromium: webview + e2e suites; ripgrep, make, g++, python3, libkrb5-dev: installing
# code-server (scripts/installCodeServer.sh); fonts-liberation: readable screenshots; unzip: checking the .vsix;
# mesa/vulkan/egl: the WebGPU backend in unit tests (software Vulkan); python3-numpy/torch/
# sklearn: unit tests that check files and exported scripts against Debian's Python.
packages=(chromium ripgrep fonts-liberation libkrb5-dev python3 make g++ unzip git ca-certificates
  libegl1 libgles2 libegl-mesa0 mesa-vulkan-drivers libvulkan1 python3-numpy python3-torch python3-sklearn)
step "system packages"
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    echo "installing missing Debian packages: ${missing[*]}"
    bash -c "$cmd" || { echo "test.sh: installing Debian packages failed: $cmd" >&2; exit 1; }
  else
    echo "test.sh: missing Debian packages: ${missing[*]}" >&2
    echo "  install them as root: sudo sh -c '$cmd'" >&2
    exit 1
  fi
else
  echo "all ${#packages[@]} present"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "test.sh: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none)); see https://nodejs.org" >&2
  exit 1
fi

# ── 2. npm dependencies and code-server ──────────────────────────────────────────────────
step "npm dependencies"
# A fresh clone (or CI, or a changed lockfile) gets a clean `npm ci`; an up-to-date
# node_modules is kept, so running this in a working tree does not pull it from under you.
if [ -n "${CI:-}" ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund || { echo "test.sh: npm ci failed" >&2; exit 1; }
else
  echo "node_modules is up to date with package-lock.json"
fi
step "code-server 4.100.3 (cached)"
bash scripts/installCodeServer.sh || { echo "test.sh: installing code-server failed" >&2; exit 1; }

# ── 3. build, checks, suites ──────────────────────────────────────────────────────────────
failed_checks=()
step "build";     npm run --silent build     || failed_checks+=(build)
step "typecheck"; npm run --silent typecheck && echo "types ok" || failed_checks+=(typecheck)
step "lint";      npm run --silent lint      && echo "lint ok"  || failed_checks+=(lint)

mkdir -p test-results
log=test-results/suites.log
npm test 2>&1 | tee "$log"
suites_rc=${PIPESTATUS[0]}

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
passed=$(echo "${summary:-0 passed, 0 failed}" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1/')
failed=$(echo "${summary:-0 passed, 1 failed}" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\2/')
if [ "$suites_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
failed=$((failed + ${#failed_checks[@]}))
echo
[ ${#failed_checks[@]} -gt 0 ] && echo "failed checks: ${failed_checks[*]}"
echo "whole run: $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
