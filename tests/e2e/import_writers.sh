#!/usr/bin/env bash
# import_writers.sh JXFORM SOURCE_DIR WORK_DIR — the six 阳泉 samples as
# workbooks written by three writers (tests/import/books/: openpyxl,
# libxlsxwriter, LibreOffice; .xlsx, and .xls from LibreOffice), in both
# layouts (form: one book a project; flat: one book for all six), read
# back by jxform: every project's --dump=model equals its sample's (the
# positions aside: cells replace line:col), its PDF is the sample's PDF
# byte for byte, and what the validator says is said at the cell it is
# about.  tests/import/make-books.py made the books.
set -uo pipefail
JXFORM="$1"
SRC="$2"
WORK="$3"
rm -rf "$WORK"
mkdir -p "$WORK"
export JXFORM_TEMPLATE_DIR="$SRC/templates"
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
strip() { sed 's/ @[0-9]*:[0-9]*//; s/ @[^ ]*!\?[A-Z]*[0-9]*//'; }
books=0
for k in 1 2 3 4 5 6; do
  sample=$(ls "$SRC"/samples/0$k-*.yaml)
  "$JXFORM" render "$sample" --dump=model 2>/dev/null | strip >"$WORK/want-$k.txt"
  "$JXFORM" render "$sample" -o "$WORK/want-$k.pdf" -q 2>/dev/null ||
    fail "sample $k does not render"
  for book in "$SRC"/tests/import/books/*/form-0$k.xls* "$SRC"/tests/import/books/*/flat.xls*; do
    input=$book
    case "$book" in */flat.*) input="$book#$k" ;; esac
    name="$(basename "$(dirname "$book")")-$(basename "$book")-$k"
    books=$((books + 1))
    if ! "$JXFORM" render "$input" --dump=model 2>"$WORK/$name.err" |
      strip >"$WORK/$name.txt"; then
      fail "$input: does not load: $(head -3 "$WORK/$name.err")"
      continue
    fi
    diff -u "$WORK/want-$k.txt" "$WORK/$name.txt" >"$WORK/$name.diff" ||
      fail "$input: the model differs from $(basename "$sample") (see $WORK/$name.diff)"
    "$JXFORM" render "$input" -o "$WORK/$name.pdf" -q 2>/dev/null ||
      fail "$input: does not render"
    cmp -s "$WORK/want-$k.pdf" "$WORK/$name.pdf" ||
      fail "$input: the PDF differs from $(basename "$sample")'s"
  done
done
[ "$books" -eq 48 ] || fail "$books workbook projects found, not 48 (6 samples × 4 books each way)"

# Warnings are said at their cell: sample 1's two bare numbers in 指标值
# (rows 4 and 10 of the indicators, below the header), sample 5's totals.
book="$SRC/tests/import/books/openpyxl/form-01.xlsx"
"$JXFORM" check "$book" >/dev/null 2>"$WORK/w1.txt"
grep -q "^$book:绩效指标!E5: warning: .*\[value-unit\]$" "$WORK/w1.txt" ||
  fail "the value-unit warning is not at 绩效指标!E5: $(cat "$WORK/w1.txt")"
book="$SRC/tests/import/books/xlsxwriter/flat.xlsx"
"$JXFORM" check "$book#5" >/dev/null 2>"$WORK/w5.txt"
grep -q "^$book:项目!N6: warning: .*\[one-year-funds\]$" "$WORK/w5.txt" ||
  fail "the one-year-funds warning is not at 项目!N6 (年度资金总额 of row 6): $(cat "$WORK/w5.txt")"

# check of the folder counts projects and files apart: 6 form books and a
# list of 6 are 12 projects in 7 files
"$JXFORM" check "$SRC/tests/import/books/openpyxl" >/dev/null 2>"$WORK/folder-check.txt"
tail -1 "$WORK/folder-check.txt" | grep -q '^jxform: checked 12 projects in 7 files: 0 errors, ' ||
  fail "check of a folder of workbooks: $(tail -1 "$WORK/folder-check.txt")"

# A packet straight from a folder of workbooks, with a broken one among
# them (cut short, as a failed copy leaves it): it is named, left out,
# and the other 12 projects (6 form books, the flat book's 6) are in.
mkdir -p "$WORK/folder"
cp "$SRC"/tests/import/books/xlsxwriter/*.xlsx "$WORK/folder/"
head -c 3000 "$SRC/tests/import/books/openpyxl/form-03.xlsx" >"$WORK/folder/broken.xlsx"
"$JXFORM" packet "$WORK/folder" -o "$WORK/packet.pdf" 2>"$WORK/packet.err"
status=$?
[ "$status" -eq 1 ] || fail "packet with a broken workbook: exit $status, not 1"
grep -q "^$WORK/folder/broken.xlsx: error: " "$WORK/packet.err" ||
  fail "the broken workbook is not named: $(cat "$WORK/packet.err")"
grep -q "wrote $WORK/packet.pdf: 12 projects on 14 pages, 16 pages with the cover and contents; 1 input left out" "$WORK/packet.err" ||
  fail "packet of a folder of workbooks: $(tail -1 "$WORK/packet.err")"
[ -s "$WORK/packet.pdf" ] || fail "no packet written"

if [ "$failures" -gt 0 ]; then
  echo "import_writers: $failures failures" >&2
  exit 1
fi
echo "import_writers: $books workbook projects equal their samples"
