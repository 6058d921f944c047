#!/usr/bin/env bash
# Installs what Réplique needs on a Debian/Ubuntu machine, when missing and possible.
#   scripts/setup.sh run    what serving needs (a Rust toolchain, espeak-ng for the voice)
#   scripts/setup.sh test   plus Chromium and its WebDriver for the browser tests
set -euo pipefail
purpose="${1:-run}"

say() { printf '%s\n' "setup: $*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
  for dir in "$HOME/.cargo/bin" /usr/local/cargo/bin; do
    [ -x "$dir/cargo" ] && export PATH="$dir:$PATH"
  done
fi
if ! command -v cargo >/dev/null 2>&1; then
  say "Rust (cargo) is required: install it with rustup (https://rustup.rs) or 'apt-get install cargo', then retry."
  exit 1
fi

packages=()
need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] || packages+=("$2")
}
command -v cc >/dev/null 2>&1 || packages+=(gcc)     # the bundled SQLite is C
need espeak-ng espeak-ng                              # the offline voice (the app runs without it, in text mode)
if [ "$purpose" = test ]; then
  need chromium chromium
  need chromedriver chromium-driver
fi

if [ ${#packages[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${packages[*]} (no apt-get here: install them with your package manager)."
    [ "$purpose" = test ] && say "the browser tests will be skipped outside CI."
    exit 0
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "missing: ${packages[*]}; run as root: apt-get install -y ${packages[*]}"
      exit 0
    fi
  fi
  say "installing ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
