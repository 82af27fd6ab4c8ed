#!/usr/bin/env bash
# Golden tests: `jxform render F --dump=layout` (and --dump=model) for every
# sample and every tests/golden/*.yaml must equal the stored
# tests/golden/NAME.layout (NAME.model); the samples of the shipped
# templates, samples/forms/NAME.yaml, are kept in tests/golden/forms/.  JXFORM_UPDATE_GOLDEN=1 rewrites
# the stored files instead (review the diff before committing).
# Usage: golden.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
status=0 count=0
cd "$src"
for f in samples/*.yaml tests/golden/*.yaml samples/forms/*.yaml; do
  [ -e "$f" ] || continue
  name=$(basename "${f%.yaml}")
  dir=tests/golden
  case $f in samples/forms/*) dir=tests/golden/forms name=forms-$name ;; esac
  for kind in model layout; do
    want="$dir/${name#forms-}.$kind"
    got="$work/$name.$kind"
    if ! "$jxform" render "$f" --dump=$kind > "$got" 2> "$got.stderr"; then
      echo "FAIL: $f --dump=$kind exited non-zero: $(head -3 "$got.stderr")"
      status=1
    fi
    if [ "${JXFORM_UPDATE_GOLDEN:-}" = 1 ]; then
      cp "$got" "$want"
    elif ! diff -u "$want" "$got" > "$work/$name.$kind.diff" 2>&1; then
      echo "FAIL: $f --dump=$kind differs from $want:"
      head -40 "$work/$name.$kind.diff"
      status=1
    fi
    count=$((count + 1))
  done
done
python3 tests/e2e/check_geometry.py "$work"/*.layout || status=1
echo "golden: $count dumps compared"
exit $status
