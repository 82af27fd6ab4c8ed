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
