#!/usr/bin/env bash
# End-to-end: render the six samples, one PDF each and all in one, and
# check them through poppler (tests/e2e/check_samples.py).
# Usage: samples.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
for f in "$src"/samples/*.yaml; do
  "$jxform" render "$f" -o "$work/$(basename "${f%.yaml}").pdf"
  "$jxform" render "$f" --dump=model > "$work/$(basename "${f%.yaml}").model"
  "$jxform" render "$f" --dump=layout > "$work/$(basename "${f%.yaml}").layout"
done
"$jxform" render "$src"/samples/*.yaml -o "$work/all.pdf"
python3 "$src/tests/e2e/check_samples.py" "$work" "$src"/samples/*.yaml

# The fonts' families are looked up in the standard font folders first
# (src/fonts.c); fontconfig's whole configuration, which FONTCONFIG_FILE
# forces, must find the same faces: the same PDF, byte for byte.
conf=/etc/fonts/fonts.conf
if [ -f "$conf" ]; then
  f="$src/samples/02-daolu-wajue.yaml"
  FONTCONFIG_FILE=$conf "$jxform" render -q "$f" -o "$work/full-config.pdf"
  if ! cmp -s "$work/full-config.pdf" "$work/02-daolu-wajue.pdf"; then
    echo "FAIL: render with FONTCONFIG_FILE=$conf differs from the standard folders' lookup"
    exit 1
  fi
fi
