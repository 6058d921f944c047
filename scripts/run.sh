#!/usr/bin/env bash
# Sets up and serves Réplique. Extra arguments go to `replique serve`
# (e.g. scripts/run.sh --addr 0.0.0.0:8080). RELEASE=1 builds optimised.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
profile=()
[ "${RELEASE:-0}" = 1 ] && profile=(--release)
exec cargo run "${profile[@]}" --locked -p replique -- serve "$@"
