#!/usr/bin/env bash
# regress.sh JXFORM SOURCE_DIR WORK_DIR — renders every input under
# tests/regress/ (see its README): each must end within 20 seconds with
# status 0 (a PDF) or 1 (with an error diagnostic), and no crash or
# sanitizer report.
set -uo pipefail
JXFORM="$1"
SRC="$2"
WORK="$3"
rm -rf "$WORK"
mkdir -p "$WORK"
export JXFORM_TEMPLATE_DIR="$SRC/templates"
failures=0
count=0
for f in "$SRC"/tests/regress/*; do
  case "$f" in *.md) continue ;; esac
  count=$((count + 1))
  name="$(basename "$f")"
  timeout 20 "$JXFORM" render "$f" -o "$WORK/$name.pdf" >/dev/null \
    2>"$WORK/$name.err"
  status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "FAIL: $name: exit status $status" >&2
    failures=$((failures + 1))
  elif [ "$status" -eq 1 ] && ! grep -q "error: " "$WORK/$name.err"; then
    echo "FAIL: $name: failed without an error diagnostic" >&2
    failures=$((failures + 1))
  elif grep -Eq "Sanitizer|runtime error" "$WORK/$name.err"; then
    echo "FAIL: $name: sanitizer report" >&2
    failures=$((failures + 1))
  fi
done
if [ "$failures" -ne 0 ]; then
  echo "regress: $failures of $count inputs failed" >&2
  exit 1
fi
echo "regress: $count inputs handled"
