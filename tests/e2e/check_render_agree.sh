#!/usr/bin/env bash
# `check --strict` passes exactly what `render --strict` renders: both are
# run over the broken-input corpus, the fuzz seeds, the regression inputs,
# the hard cases and the samples, and must agree on every file (both exit
# 0, or both refuse).
# Usage: check_render_agree.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
count=0 bad=0
for f in "$src"/tests/bad/*.yaml "$src"/fuzz/seeds/* "$src"/tests/regress/*.yaml \
         "$src"/tests/golden/*.yaml "$src"/samples/*.yaml "$src"/samples/forms/*.yaml; do
  [ -f "$f" ] || continue
  count=$((count + 1))
  timeout 60 "$jxform" check --strict "$f" > /dev/null 2>&1
  c=$?
  rm -f "$work/out.pdf"
  timeout 60 "$jxform" render --strict "$f" -o "$work/out.pdf" > /dev/null 2>&1
  r=$?
  if { [ "$c" = 0 ] && [ "$r" != 0 ]; } || { [ "$c" != 0 ] && [ "$r" = 0 ]; }; then
    echo "FAIL: $f: check --strict exits $c, render --strict exits $r"
    bad=$((bad + 1))
  fi
  if [ "$r" != 0 ] && [ -e "$work/out.pdf" ]; then
    echo "FAIL: $f: render refused it but left $work/out.pdf"
    bad=$((bad + 1))
  fi
done
echo "check_render_agree: $count files, $bad disagreements"
[ "$bad" = 0 ]
