#!/usr/bin/env bash
# leakcheck.sh "VALGRIND COMMAND" JXFORM SOURCE_DIR WORK_DIR — runs jxform
# end to end under valgrind (`make leakcheck`): each sample alone, all of
# them as one packet, a layout dump, and inputs that fail at each stage
# (syntax, schema, a limit, a missing font, an unwritable output).  Fails
# on any valgrind error or definite/indirect leak, and on a crash.
set -uo pipefail
VALGRIND="$1"
JXFORM="$2"
SRC="$3"
WORK="$4"
rm -rf "$WORK"
mkdir -p "$WORK"
export JXFORM_TEMPLATE_DIR="$SRC/templates"
failures=0

# check WANT_STATUS ARGS…: jxform under valgrind; valgrind's own status
# (99) or a signal fails the check.
check() {
  local want="$1"
  shift
  $VALGRIND "$JXFORM" "$@" >/dev/null 2>"$WORK/err.txt"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL (status $got, expected $want): jxform $*" >&2
    grep -v "^/\|^jxform:" "$WORK/err.txt" | head -30 >&2
    failures=$((failures + 1))
  else
    echo "ok: jxform $*"
  fi
}

check 0 render "$SRC/samples/01-chengshi-daolu.yaml" -o "$WORK/one.pdf"
check 0 render "$SRC"/samples/*.yaml -o "$WORK/all.pdf"
check 0 packet "$SRC"/samples/*.yaml -o "$WORK/packet.pdf"
check 0 render "$SRC/samples/05-rencai-gongzuo.yaml" --dump=layout
check 0 render "$SRC/samples/02-daolu-wajue.yaml" --dump=model
printf 'schema: 1\nyear: [2025\n' >"$WORK/syntax.yaml"
check 1 render "$WORK/syntax.yaml" -o "$WORK/x.pdf"
printf 'schema: 1\nyear: 25\nproject: {name: [x]}\nextra: 1\n' >"$WORK/schema.yaml"
check 1 render "$WORK/schema.yaml" -o "$WORK/x.pdf"
python3 -c "print('a: ' + '[' * 1000)" >"$WORK/deep.yaml"
check 1 render "$WORK/deep.yaml" -o "$WORK/x.pdf"
mkdir -p "$WORK/tpl"
sed 's|faces: \[AR PL UMing CN, HanaMinA, HanaMinB\]|faces: [NoSuchFamily]|' \
  "$SRC/templates/yangquan-2025.yaml" >"$WORK/tpl/nofont.yaml"
sed 's|^template: .*|template: nofont|' "$SRC/samples/01-chengshi-daolu.yaml" \
  >"$WORK/nofont.yaml"
check 1 render "$WORK/nofont.yaml" --template-dir "$WORK/tpl" -o "$WORK/x.pdf"
check 1 render "$SRC/samples/01-chengshi-daolu.yaml" -o "$WORK/no/such/x.pdf"
# workbooks: a form book and a list (.xlsx, .xls), import, a new workbook,
# a packet of a folder of them, and broken ones
books="$SRC/tests/import/books"
check 0 render "$books/openpyxl/form-02.xlsx" -o "$WORK/book.pdf"
check 0 check "$books/libreoffice/flat.xls"
check 0 import "$books/xlsxwriter/flat.xlsx" -o "$WORK/imported" -q
check 0 new --xlsx -o "$WORK/new.xlsx"
check 0 packet "$books/libreoffice" -o "$WORK/books.pdf"
for f in "$SRC"/tests/book/zip-bomb.xlsx "$SRC"/tests/book/broken-cd.xlsx \
  "$SRC"/tests/book/deep.xlsx "$SRC"/tests/book/password.xls; do
  [ -e "$f" ] && check 1 render "$f" -o "$WORK/x.pdf"
done

if [ "$failures" -ne 0 ]; then
  echo "leakcheck: $failures failure(s)" >&2
  exit 1
fi
echo "leakcheck: no valgrind error, no leak"
