#!/usr/bin/env bash
# Page-image test: every page of the six samples and of the shipped
# templates' samples (samples/forms/), rendered by jxform and
# rasterised by pdftoppm (grey, 40 dpi), must match the reviewed reference
# image in tests/reference/ within a small tolerance (tests/e2e/compare_pages.py).
# JXFORM_UPDATE_PAGES=1 rewrites the references instead: look at every
# changed page (pdftoppm -r 80 -png) before committing them.
# Usage: pages.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
for f in "$src"/samples/*.yaml "$src"/samples/forms/*.yaml; do
  [ -e "$f" ] || continue
  name=$(basename "${f%.yaml}")
  "$jxform" render "$f" -o "$work/$name.pdf" 2>/dev/null
  pdftoppm -r 40 -gray "$work/$name.pdf" "$work/$name"
done
if [ "${JXFORM_UPDATE_PAGES:-}" = 1 ]; then
  rm -f "$src"/tests/reference/*.pgm
  cp "$work"/*.pgm "$src/tests/reference/"
  echo "pages: references rewritten"
  exit 0
fi
python3 "$src/tests/e2e/compare_pages.py" "$src/tests/reference" "$work"
