#!/usr/bin/env bash
# End-to-end (issue 15): the six samples, one PDF each (`jxform render`)
# and in one packet (`jxform packet`), and for each PDF:
#   - `qpdf --check` finds nothing (exit 0: no error, no warning);
#   - a round trip through Ghostscript's pdfwrite and one through
#     `mutool clean` leave pdftotext's text identical;
#   - tests/e2e/pdfa_check.py: header, content-derived /ID, fonts
#     embedded with a ToUnicode entry for every glyph shown;
#   - with --pdfa (where the command line has it): every PDF/A-2b check
#     of pdfa_check.py, its self-test (broken copies fail), and dates
#     from SOURCE_DATE_EPOCH in Info and XMP alike.
# Needs qpdf, ghostscript and mupdf-tools (scripts/install-deps.sh).
# Usage: pdfa.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
check="$src/tests/e2e/pdfa_check.py"
title='阳泉市市级预算部门（单位）项目支出绩效目标表'
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}
for tool in qpdf gs mutool pdftotext; do
  command -v "$tool" >/dev/null || {
    echo "FAIL: $tool is missing (bash scripts/install-deps.sh)"
    exit 1
  }
done

# round_trips PDF: qpdf --check, then gs and mutool keep the text.
round_trips() {
  local pdf=$1
  qpdf --check "$pdf" >"$pdf.qpdf" 2>&1 || fail "qpdf --check $pdf: $(tail -3 "$pdf.qpdf")"
  pdftotext "$pdf" "$pdf.txt" 2>"$pdf.err" && [ ! -s "$pdf.err" ] ||
    fail "pdftotext $pdf: $(cat "$pdf.err")"
  gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite -sOutputFile="$pdf.gs.pdf" "$pdf" ||
    fail "gs pdfwrite $pdf"
  mutool clean "$pdf" "$pdf.mu.pdf" || fail "mutool clean $pdf"
  for rt in gs mu; do
    pdftotext "$pdf.$rt.pdf" "$pdf.$rt.txt"
    cmp -s "$pdf.txt" "$pdf.$rt.txt" ||
      fail "$rt round trip changes the text of $pdf: $(diff "$pdf.txt" "$pdf.$rt.txt" | head -5)"
  done
}

pdfs=()
for f in "$src"/samples/*.yaml; do
  out="$work/$(basename "${f%.yaml}").pdf"
  "$jxform" render "$f" -o "$out" -q 2>/dev/null || fail "render $f"
  pdfs+=("$out")
done
"$jxform" packet "$src"/samples/*.yaml -o "$work/packet.pdf" -q 2>/dev/null ||
  fail "packet of the samples"
pdfs+=("$work/packet.pdf")
for pdf in "${pdfs[@]}"; do
  round_trips "$pdf"
done
python3 "$check" "${pdfs[@]}" || fail "pdfa_check.py"

# PDF/A through the command line, once it has --pdfa (the library writes
# it already: tests/unit/test_render*.c check both writers).
if "$jxform" render --help 2>&1 | grep -q -- '--pdfa'; then
  mkdir -p "$work/pdfa"
  apdfs=()
  for f in "$src"/samples/*.yaml; do
    out="$work/pdfa/$(basename "${f%.yaml}").pdf"
    SOURCE_DATE_EPOCH=1735689600 "$jxform" render --pdfa "$f" -o "$out" -q 2>/dev/null ||
      fail "render --pdfa $f"
    apdfs+=("$out")
  done
  SOURCE_DATE_EPOCH=1735689600 "$jxform" packet --pdfa "$src"/samples/*.yaml \
    -o "$work/pdfa/packet.pdf" -q 2>/dev/null || fail "packet --pdfa"
  for pdf in "${apdfs[@]}"; do
    round_trips "$pdf"
  done
  round_trips "$work/pdfa/packet.pdf"
  python3 "$check" --pdfa --date 1735689600 --title "$title" "${apdfs[@]}" ||
    fail "pdfa_check.py --pdfa (render)"
  python3 "$check" --pdfa --date 1735689600 --self-test "$work/pdfa/packet.pdf" ||
    fail "pdfa_check.py --pdfa --self-test (packet)"
else
  echo "pdfa: this jxform has no --pdfa yet: PDF/A checked by the unit tests only"
fi
echo "pdfa: ${#pdfs[@]} PDFs, $fails failure(s)"
[ "$fails" = 0 ]
