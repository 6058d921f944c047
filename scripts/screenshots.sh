#!/usr/bin/env bash
# Regenerates the screenshots of the manager's and learner's team pages under
# docs/screenshots/, at desktop width (1280 px) and at 375 px, from the browser test
# (crates/web/tests/browser_team.rs). Needs Chromium, chromedriver and axe-core:
# scripts/setup.sh test installs them. The PNGs are reduced with optipng when present.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/docs/screenshots"
mkdir -p "$out"
REPLIQUE_REQUIRE_BROWSER=1 REPLIQUE_SCREENSHOTS="$out" \
  cargo test -p replique-web --test browser_team -- --nocapture
if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 "$out"/*.png
fi
ls -l "$out"
