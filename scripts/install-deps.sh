#!/usr/bin/env bash
# Installs the Debian 12 packages jxform needs to build, render and test.
# Does nothing when every package is already present.
#   --fuzz   also clang and its runtimes (libFuzzer, sanitizers), for
#            `make fuzz`; the normal build uses gcc.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libhpdf-dev libharfbuzz-dev libfreetype-dev libyaml-dev libcmocka-dev
  libfontconfig-dev libunibreak-dev libdeflate-dev libicu-dev
  libminizip-dev libexpat1-dev libfreexl-dev libxlsxwriter-dev
  fonts-arphic-uming fonts-hanazono
  gettext dpkg-dev groff-base poppler-utils qpdf ghostscript mupdf-tools python3 python3-jsonschema python3-yaml python3-openpyxl valgrind
)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
