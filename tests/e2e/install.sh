#!/usr/bin/env bash
# A relocatable install, the library as a library, and the Debian package
# (issue 15):
#   - `cmake --install` into a prefix that is then moved elsewhere; run
#     from /, with no JXFORM_* variables, the moved jxform finds its own
#     templates and catalogues (--version says where) and renders, checks
#     in Chinese and packets the samples;
#   - an example program (examples/render-one.c) builds against the moved
#     install with pkg-config and with CMake's find_package(jxform), and
#     renders a sample;
#   - cpack makes a .deb whose Depends name the runtime libraries and the
#     fonts; unpacked into a scratch root, its jxform renders from /.
# The example and the package are skipped in a sanitizer build (their
# programs would need the sanitizer runtime).
# Usage: install.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
build=$(cd "$(dirname "$jxform")" && pwd)
rm -rf "$work" && mkdir -p "$work"
unset JXFORM_TEMPLATE_DIR JXFORM_DATA_DIR JXFORM_LOCALE_DIR
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}
sample="$src/samples/01-chengshi-daolu.yaml"

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  fail "cmake --install: $(tail -3 "$work/install.log")"
mv "$work/prefix" "$work/moved"
moved="$work/moved"
for f in bin/jxform include/jxform/jxform.h share/jxform/templates/yangquan-2025.yaml \
  share/jxform/schema/project.schema.json share/locale/zh_CN/LC_MESSAGES/jxform.mo \
  share/man/man1/jxform.1 share/man/man5/jxform-template.5; do
  [ -e "$moved/$f" ] || fail "the install lacks $f"
done
[ -n "$(find "$moved" -name libjxform.so.0)" ] || fail "the install lacks libjxform.so.0"

cd /
"$moved/bin/jxform" --version >"$work/version.txt" 2>&1 || fail "--version"
grep -q "^templates: $moved/bin/../share/jxform/templates" "$work/version.txt" ||
  fail "templates not from the install: $(cat "$work/version.txt")"
grep -q "^messages: $moved/bin/../share/locale" "$work/version.txt" ||
  fail "catalogues not from the install: $(cat "$work/version.txt")"
grep -q "libharu 2.3" "$work/version.txt" && grep -q "HarfBuzz" "$work/version.txt" &&
  grep -q "FreeType" "$work/version.txt" && grep -q "libyaml" "$work/version.txt" ||
  fail "--version lacks the libraries' versions"
"$moved/bin/jxform" render -q "$sample" -o "$work/one.pdf" 2>"$work/render.log" ||
  fail "render from the moved install: $(cat "$work/render.log")"
has_text() { # PDF: its text holds 项目名称
  pdftotext "$1" "$1.txt" 2>/dev/null && grep -q "项目名称" "$1.txt"
}
has_text "$work/one.pdf" || fail "render: no text"
"$moved/bin/jxform" check --lang=zh "$src/tests/bad/63-funds-sum-period.yaml" 2>"$work/zh.txt"
grep -q ": 错误: " "$work/zh.txt" || fail "no Chinese from the install's catalogue: $(cat "$work/zh.txt")"
"$moved/bin/jxform" packet -q "$src/samples" -o "$work/packet.pdf" 2>"$work/packet.log" ||
  fail "packet from the moved install: $(cat "$work/packet.log")"

# (grep -c reads all of nm's output: grep -q would stop early and, with
# pipefail, turn nm's SIGPIPE into a false)
if [ "$(nm -D "$build/libjxform.so" 2>/dev/null | grep -c __asan_init)" != 0 ]; then
  echo "install: sanitizer build: the example program and the package are not tried"
else
  # the example, with pkg-config
  pc=$(dirname "$(find "$moved" -name jxform.pc | head -1)")
  flags=$(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs jxform) || fail "pkg-config jxform"
  libdir=$(PKG_CONFIG_PATH="$pc" pkg-config --variable=libdir jxform)
  # shellcheck disable=SC2086
  cc -std=c17 -Wall -Werror "$src/examples/render-one.c" $flags -o "$work/render-one" ||
    fail "the example does not build with pkg-config"
  LD_LIBRARY_PATH="$libdir" "$work/render-one" "$sample" "$work/example.pdf" 2>/dev/null ||
    fail "the example (pkg-config) fails"
  has_text "$work/example.pdf" || fail "example: no text"
  # the example, with find_package(jxform)
  cmake -S "$src/examples" -B "$work/example-build" -DCMAKE_PREFIX_PATH="$moved" \
    >"$work/example-cmake.log" 2>&1 &&
    cmake --build "$work/example-build" >>"$work/example-cmake.log" 2>&1 ||
    fail "the example does not build with find_package: $(tail -5 "$work/example-cmake.log")"
  "$work/example-build/render-one" "$sample" "$work/example2.pdf" 2>/dev/null ||
    fail "the example (find_package) fails"
  cmp -s "$work/example.pdf" "$work/example2.pdf" || fail "the two examples' PDFs differ"
  cmp -s "$work/example.pdf" "$work/one.pdf" || fail "the example's PDF differs from jxform's"

  # the Debian package
  if command -v dpkg-shlibdeps >/dev/null && command -v dpkg-deb >/dev/null; then
    (cd "$build" && cpack -G DEB -B "$work/deb" >"$work/cpack.log" 2>&1) ||
      fail "cpack: $(tail -5 "$work/cpack.log")"
    deb=$(ls "$work"/deb/*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then
      depends=$(dpkg-deb -f "$deb" Depends)
      for dep in libhpdf libharfbuzz libyaml libfreetype libfontconfig libunibreak libicu \
        fonts-arphic-uming; do
        case "$depends" in *"$dep"*) ;; *) fail "the package's Depends lack $dep: $depends" ;; esac
      done
      dpkg-deb -x "$deb" "$work/root" || fail "dpkg-deb -x"
      "$work/root/usr/bin/jxform" render -q "$sample" -o "$work/deb.pdf" 2>"$work/deb.log" ||
        fail "the package's jxform: $(cat "$work/deb.log")"
      cmp -s "$work/deb.pdf" "$work/one.pdf" || fail "the package's PDF differs"
    else
      fail "cpack made no .deb"
    fi
  else
    echo "install: dpkg-dev is missing: the package is not tried"
  fi
fi
echo "install: $fails failures"
[ "$fails" = 0 ]
