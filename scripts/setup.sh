#!/usr/bin/env bash
# Installs what Réplique needs on a Debian/Ubuntu machine, when missing and possible.
#   scripts/setup.sh run    what serving needs (a Rust toolchain, espeak-ng for the voice)
#   scripts/setup.sh test   plus Chromium and its WebDriver for the browser tests,
#                           HAProxy for the scale-out test (scripts/scale_out.sh),
#                           schemathesis (from PyPI, in target/schemathesis-venv) for the
#                           API's fuzzing against its OpenAPI document, cargo-deny (from
#                           crates.io) for the dependency check of deny.toml, the OpenID
#                           provider of the single sign-on tests (oidc-provider, from npm,
#                           pinned in crates/web/tests/idp/package-lock.json), Ralph (PyPI
#                           ralph-malph, in target/ralph-venv) as the LRS of the xAPI
#                           tests, scorm-again (npm, in target/scorm-again) as the LMS
#                           runtime of the SCORM browser test, and axe-core (from npm, in
#                           target/axe) for the browser tests' accessibility audit
set -euo pipefail
cd "$(dirname "$0")/.."
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
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] || [ -x "/usr/sbin/$1" ] || packages+=("$2")
}
command -v cc >/dev/null 2>&1 || packages+=(gcc)     # the bundled SQLite is C
need espeak-ng espeak-ng                              # the offline voice (the app runs without it, in text mode)
if [ "$purpose" = test ]; then
  need chromium chromium
  need chromedriver chromium-driver
  need haproxy haproxy                                # the scale-out test's load balancer (in /usr/sbin)
  need python3 python3                                # the module-cycle check and schemathesis
  need node nodejs                                    # the single sign-on tests' OpenID provider
  need npm npm                                        # oidc-provider, scorm-again, axe-core
fi

# Python's venv module (Debian ships it apart) for schemathesis.
if [ "$purpose" = test ] && command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3-venv)
fi

install_packages() {
  [ ${#packages[@]} -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${packages[*]} (no apt-get here: install them with your package manager)."
    [ "$purpose" = test ] && say "the browser tests and schemathesis will be skipped outside CI."
    return 0
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "missing: ${packages[*]}; run as root: apt-get install -y ${packages[*]}"
      return 0
    fi
  fi
  say "installing ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}
install_packages

# schemathesis, pinned, in a virtual environment of its own under target/ (never in git).
schemathesis_version="4.32.5"
venv="${SCHEMATHESIS_VENV:-target/schemathesis-venv}"
if [ "$purpose" = test ] && ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' 2>/dev/null; then
    say "installing schemathesis $schemathesis_version into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" &&
      "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$schemathesis_version" ||
      say "schemathesis could not be installed: the API fuzzing will be skipped outside CI."
  else
    say "python3 with venv is missing: the API fuzzing (schemathesis) will be skipped outside CI."
  fi
fi

# Ralph, the LRS of the xAPI tests (crates/web/tests/xapi.rs starts it on a free port with the
# file-system backend), pinned, in its own virtual environment under target/. Its `lrs` extra
# is the server, `cli` gives `ralph auth` (the Basic-auth file); its OIDC module imports
# `requests`, which no extra of 5.1.0 installs for it.
ralph_version="5.1.0"
ralph_venv="${RALPH_VENV:-target/ralph-venv}"
if [ "$purpose" = test ] && ! "$ralph_venv/bin/pip" show ralph-malph 2>/dev/null | grep -qx "Version: $ralph_version"; then
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' 2>/dev/null; then
    say "installing Ralph (ralph-malph $ralph_version) into $ralph_venv"
    rm -rf "$ralph_venv"
    python3 -m venv "$ralph_venv" &&
      "$ralph_venv/bin/pip" install -q --disable-pip-version-check \
        "ralph-malph[lrs,cli]==$ralph_version" "requests==2.34.2" ||
      say "Ralph could not be installed: the xAPI tests will be skipped outside CI."
  else
    say "python3 with venv is missing: the xAPI tests (Ralph) will be skipped outside CI."
  fi
fi

# scorm-again, the SCORM runtime the browser test uses as the LMS side (crates/web/tests/
# browser/scorm.rs), pinned, from npm into target/scorm-again (never in git).
scorm_again_version="3.4.3"
scorm_again_dir="${SCORM_AGAIN_DIR:-target/scorm-again}"
if [ "$purpose" = test ] && ! grep -qs "\"version\": \"$scorm_again_version\"" "$scorm_again_dir/node_modules/scorm-again/package.json"; then
  if command -v npm >/dev/null 2>&1; then
    say "installing scorm-again $scorm_again_version into $scorm_again_dir"
    mkdir -p "$scorm_again_dir" &&
      npm install --prefix "$scorm_again_dir" --no-audit --no-fund --silent "scorm-again@$scorm_again_version" ||
      say "scorm-again could not be installed: the SCORM browser test will be skipped outside CI."
  else
    say "npm is missing: the SCORM browser test (scorm-again) will be skipped outside CI."
  fi
fi

# cargo-deny, pinned, built from crates.io into Cargo's bin directory (a debug build: about two
# minutes, once; its checks are quick either way).
cargo_deny_version="0.20.2"
if [ "$purpose" = test ] && [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $cargo_deny_version" ]; then
  say "installing cargo-deny $cargo_deny_version from crates.io"
  cargo install --locked --debug cargo-deny --version "$cargo_deny_version" ||
    say "cargo-deny could not be installed: the dependency check will be skipped outside CI."
fi

# oidc-provider (OpenID Certified) for the single sign-on tests, from the npm registry at the
# versions of the lock file, into crates/web/tests/idp/node_modules (never in git).
idp="crates/web/tests/idp"
if [ "$purpose" = test ] && ! cmp -s "$idp/package-lock.json" "$idp/node_modules/.installed-lock.json" 2>/dev/null; then
  if command -v npm >/dev/null 2>&1; then
    say "installing oidc-provider into $idp/node_modules"
    (cd "$idp" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json) ||
      say "oidc-provider could not be installed: the single sign-on tests will be skipped outside CI."
  else
    say "npm is missing: the single sign-on tests will be skipped outside CI."
  fi
fi

# axe-core, pinned, from the npm registry into target/axe (never in git); the browser tests
# inject target/axe/node_modules/axe-core/axe.min.js into the pages they audit.
axe_version="4.14.1"
axe_dir="${REPLIQUE_AXE_DIR:-target/axe}"
if [ "$purpose" = test ] && ! grep -qs "\"version\": \"$axe_version\"" "$axe_dir/node_modules/axe-core/package.json"; then
  if command -v npm >/dev/null 2>&1; then
    say "installing axe-core $axe_version into $axe_dir"
    mkdir -p "$axe_dir" &&
      npm install --silent --no-audit --no-fund --prefix "$axe_dir" "axe-core@$axe_version" ||
      say "axe-core could not be installed: the accessibility audit will be skipped outside CI."
  else
    say "npm is missing: the accessibility audit (axe-core) will be skipped outside CI."
  fi
fi
