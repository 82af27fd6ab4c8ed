#!/usr/bin/env bash
# End-to-end: the workbook of `jxform new --xlsx` (src/book-write.c).
#   - for every template in templates/: `new --xlsx` writes it, and
#     workbook_check.py (openpyxl) finds every field label in the form
#     sheet in the template's order, labels locked and value cells open,
#     the drop-downs (exactly the choices, the sides, the frame), the
#     date, amount and year checks, the number formats, a sheet per grid
#     with the grid's column labels as its header, and the row
#     `template | NAME` in the instructions sheet (说明 in Chinese);
#   - two runs give the same bytes; SOURCE_DATE_EPOCH is the date inside;
#   - a list of choices too long for a drop-down's own text goes to a
#     hidden sheet; a title with '/' still names the sheet;
#   - failures leave nothing behind: no -o, '-o -', a name not ending in
#     .xlsx, an existing file (left untouched), a missing folder, an
#     unknown template;
#   - the round trip, once `jxform import` reads workbooks: each sample
#     filled into its workbook imports to the same model and the same PDF.
# Usage: workbook.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
unset LANGUAGE LC_ALL LC_MESSAGES SOURCE_DATE_EPOCH
export LANG=C.UTF-8
export JXFORM_TEMPLATE_DIR="$src/templates"
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

# a Python with openpyxl and PyYAML (Debian's, when the one on PATH lacks them)
py=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import openpyxl, yaml' 2>/dev/null; then
    py=$p
    break
  fi
done
if [ -z "$py" ]; then
  # scripts/install-deps.sh installs them: their absence is a broken setup
  echo "FAIL: no python3 with openpyxl and yaml (Debian: python3-openpyxl python3-yaml)"
  exit 1
fi
checker=$src/tests/e2e/workbook_check.py

# ---- every template ----
year=2025
for t in "$src"/templates/*.yaml; do
  name=$(basename "$t" .yaml)
  out=$work/$name.xlsx
  if ! "$jxform" --lang=zh new --xlsx --template "$name" --year $year -o "$out" 2>"$work/$name.err"; then
    fail "new --xlsx --template $name: $(cat "$work/$name.err")"
    continue
  fi
  grep -q "已写出 $out" "$work/$name.err" || fail "new --xlsx --template $name said: $(cat "$work/$name.err")"
  "$py" "$checker" check "$src/templates" "$name" "$out" $year 说明 || fail "workbook of $name"
  "$jxform" new --xlsx --template "$name" --year $year -o "$work/$name-again.xlsx" 2>/dev/null
  "$jxform" --lang=zh new --xlsx --template "$name" --year $year -o "$work/$name-zh.xlsx" 2>/dev/null
  cmp -s "$out" "$work/$name-zh.xlsx" || fail "$name: two runs give different files"
  # English: the same layout, the instructions under their English name
  "$py" "$checker" check "$src/templates" "$name" "$work/$name-again.xlsx" $year Instructions >"$work/$name-en.out" ||
    fail "English workbook of $name: $(cat "$work/$name-en.out")"
done

# the date inside: SOURCE_DATE_EPOCH, else fixed
SOURCE_DATE_EPOCH=1735689600 "$jxform" new --xlsx -o "$work/dated.xlsx" --year $year 2>/dev/null
"$py" - "$work/dated.xlsx" "$work/yangquan-2025-again.xlsx" <<'EOF' || fail "the workbook's date"
import sys, zipfile, re
def created(p):
    core = zipfile.ZipFile(p).read('docProps/core.xml').decode()
    return re.search(r'<dcterms:created[^>]*>([^<]*)<', core).group(1)
a, b = created(sys.argv[1]), created(sys.argv[2])
assert a == '2025-01-01T00:00:00Z', a
assert b == '1980-01-01T00:00:00Z', b
EOF

# a long list of choices (and one with a comma): the hidden sheet
mkdir -p "$work/tpl"
"$py" - "$src/templates/yangquan-2025.yaml" "$work/tpl/long-choices.yaml" <<'EOF'
import sys, re
text = open(sys.argv[1], encoding='utf-8').read()
choices = ['选项%02d：一个很长很长的说明文字' % i for i in range(12)] + ['甲，乙, 丙']
text = re.sub(r'choices: \[[^\]]*\]', 'choices: [%s]' % ', '.join('"%s"' % c for c in choices), text, 1)
text = re.sub(r'^name: .*$', 'name: long-choices', text, 1, flags=re.M)
# the term rule names the old choices
text = re.sub(r'  - rule: term\n(    .*\n)+', '', text)
open(sys.argv[2], 'w', encoding='utf-8').write(text)
EOF
# libxlsxwriter 1.1.4 never frees the text of a check that refers to a
# range (worksheet_data_validation_range: one lxw_strdup per long list):
# under LeakSanitizer that is suppressed here, with the project's own.
{
  cat "$src/tests/lsan.supp"
  echo "leak:lxw_strdup"
} >"$work/lsan.supp"
if LSAN_OPTIONS="suppressions=$work/lsan.supp:print_suppressions=0" \
  "$jxform" new --xlsx --template-dir "$work/tpl" --template long-choices --year $year -o "$work/long.xlsx" 2>"$work/long.err"; then
  "$py" "$checker" check "$work/tpl" long-choices "$work/long.xlsx" $year || fail "workbook with long choices"
  "$py" -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
hidden = [ws.title for ws in wb.worksheets if ws.sheet_state == 'hidden']
assert len(hidden) == 1, hidden
" "$work/long.xlsx" || fail "long choices: no hidden sheet of lists"
else
  fail "new --xlsx with long choices: $(cat "$work/long.err")"
fi

# ---- failures leave nothing behind ----
expect_status() { # STATUS WHAT ARGS...
  local want=$1 what=$2 got
  shift 2
  "$jxform" "$@" >"$work/out.txt" 2>"$work/err.txt"
  got=$?
  [ "$got" -eq "$want" ] || fail "$what: status $got, not $want ($(cat "$work/err.txt"))"
}
mkdir -p "$work/fail" && cd "$work/fail" || exit 1
expect_status 2 "new --xlsx without -o" new --xlsx
expect_status 2 "new --xlsx -o -" new --xlsx -o -
expect_status 2 "new --xlsx -o x.yaml" new --xlsx -o x.yaml
expect_status 2 "schema --xlsx" schema --xlsx
echo keep >kept.xlsx
expect_status 1 "new --xlsx over an existing file" new --xlsx -o kept.xlsx
[ "$(cat kept.xlsx)" = keep ] || fail "new --xlsx changed an existing file"
grep -q "File exists" "$work/err.txt" || fail "existing file: $(cat "$work/err.txt")"
expect_status 1 "new --xlsx into a missing folder" new --xlsx -o no/such/x.xlsx
grep -q "cannot create a file in folder no/such/" "$work/err.txt" || fail "missing folder: $(cat "$work/err.txt")"
expect_status 1 "new --xlsx with an unknown template" new --xlsx --template no-such -o t.xlsx
# a name ending in .xlsx is a workbook without --xlsx
expect_status 0 "new -o implied.XLSX" new -o implied.XLSX
"$py" -c "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1])" implied.XLSX ||
  fail "new -o implied.XLSX did not write a workbook"
left=$(ls -A | grep -v -x -e kept.xlsx -e implied.XLSX -e out.txt -e err.txt)
[ -z "$left" ] || fail "failures left files behind: $left"
if [ "$(id -u)" -ne 0 ]; then
  mkdir ro && chmod 555 ro
  expect_status 1 "new --xlsx into a read-only folder" new --xlsx -o ro/x.xlsx
  [ -z "$(ls -A ro)" ] || fail "read-only folder: files left: $(ls -A ro)"
fi
cd "$work" || exit 1

# ---- the round trip, once import reads workbooks ----
# The blank workbook of yangquan-2025 lacks required values: a jxform
# that imports workbooks names their cells (book.xlsx:SHEET!B4).
"$jxform" render --dump=model "$work/yangquan-2025.xlsx" >/dev/null 2>"$work/probe.err"
if grep -q '\.xlsx:[^ ]*![A-Z][0-9]' "$work/probe.err"; then
  n=0
  # every template: those without a sample of their own get one (the
  # centred variant takes sample 02, annual-only-2023 its skeleton)
  mkdir -p "$work/extra"
  sed 's/^template: .*/template: yangquan-2025-centred/' \
    "$src/samples/02-daolu-wajue.yaml" >"$work/extra/centred-02.yaml"
  "$jxform" new --template annual-only-2023 --year 2023 \
    -o "$work/annual-only-2023.yaml" 2>/dev/null ||
    fail "new --template annual-only-2023"
  # its indicator rows filled in: 三级指标 and 指标值 (a blank row of the
  # skeleton is no row in a workbook)
  "$py" - "$work/annual-only-2023.yaml" "$work/extra/annual-only-2023.yaml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
def fill(rows):
    for k, row in enumerate(rows or []):
        if isinstance(row, dict):
            for key in row:
                if row[key] in (None, ''):
                    row[key] = '指标%d' % (k + 1) if key != 'value' else '%d个' % (k + 1)
for key, grid in list(doc.items()):
    if isinstance(grid, dict):
        for side in grid.values():
            if isinstance(side, list):
                fill(side)
    elif isinstance(grid, list):
        fill(grid)
def prune(node):  # blank values are left out: a blank cell
    if isinstance(node, dict):
        for key in [k for k, v in node.items() if v is None]:
            del node[key]
        for v in node.values():
            prune(v)
    elif isinstance(node, list):
        for v in node:
            prune(v)
prune(doc)
yaml.safe_dump(doc, open(sys.argv[2], 'w', encoding='utf-8'), allow_unicode=True, sort_keys=False)
PY
  : >"$work/round-trip-templates"
  for y in "$src"/samples/*.yaml "$src"/samples/forms/*.yaml "$work"/extra/*.yaml; do
    base=$(basename "$y" .yaml)
    tpl=$("$py" -c "import yaml,sys; print(yaml.safe_load(open(sys.argv[1], encoding='utf-8')).get('template') or 'yangquan-2025')" "$y")
    yr=$("$py" -c "import yaml,sys; print(yaml.safe_load(open(sys.argv[1], encoding='utf-8')).get('year') or 2025)" "$y")
    blank=$work/rt-$base-blank.xlsx filled=$work/rt-$base.xlsx
    "$jxform" new --xlsx --template "$tpl" --year "$yr" -o "$blank" 2>/dev/null || {
      fail "round trip $base: new --xlsx"
      continue
    }
    "$py" "$checker" fill "$src/templates" "$tpl" "$blank" "$y" "$filled" || {
      fail "round trip $base: filling the workbook"
      continue
    }
    "$jxform" render --dump=model "$y" >"$work/rt-$base.yaml.model" 2>/dev/null
    if ! "$jxform" render --dump=model "$filled" >"$work/rt-$base.xlsx.model" 2>"$work/rt-$base.err"; then
      fail "round trip $base: render --dump=model of the workbook: $(head -5 "$work/rt-$base.err")"
      continue
    fi
    # the same values, read from other places (line:col against cells);
    # a value written '' (blank on purpose) is an empty cell, as one left
    # out is: both count as absent
    for m in "$work/rt-$base.yaml.model" "$work/rt-$base.xlsx.model"; do
      sed -E -e 's/^([^ ]+) @[^ ]+/\1/' -e 's/^([^ ]+) ""$/\1 absent/' "$m" >"$m.values"
    done
    diff -u "$work/rt-$base.yaml.model.values" "$work/rt-$base.xlsx.model.values" >"$work/rt-$base.diff" ||
      fail "round trip $base: the models differ: $(head -20 "$work/rt-$base.diff")"
    "$jxform" render -q "$y" -o "$work/rt-$base.yaml.pdf" 2>/dev/null
    "$jxform" render -q "$filled" -o "$work/rt-$base.xlsx.pdf" 2>/dev/null
    cmp -s "$work/rt-$base.yaml.pdf" "$work/rt-$base.xlsx.pdf" ||
      fail "round trip $base: the PDFs differ"
    n=$((n + 1))
    echo "$tpl" >>"$work/round-trip-templates"
  done
  echo "round trip: $n samples"
  [ "$n" -ge 13 ] || fail "round trip: only $n samples (13 expected)"
  for t in "$src"/templates/*.yaml; do
    t=$(basename "$t" .yaml)
    grep -qx "$t" "$work/round-trip-templates" || fail "round trip: template $t not covered"
  done
else
  fail "the round trip: jxform does not read the workbook back ($(head -1 "$work/probe.err"))"
fi

if [ "$fails" -ne 0 ]; then
  echo "workbook: $fails failure(s)"
  exit 1
fi
echo "workbook: ok"
