#!/usr/bin/env bash
# Workbook import (docs/import-layouts.md), end to end through CSV:
#   - the six samples as one flat-layout CSV (a header row of labels, one
#     project a row; below it the indicators, keyed by project name, with
#     a 实施期/年度 column) load as the samples do: `render book.csv
#     --dump=model` (the workbook stands for book.csv#1 … #6) prints, for
#     each, the values of the sample's own dump, field by field and row by
#     row;
#   - `import` writes one project file each, named {dept_code}-{name}.yaml,
#     which check passes and whose dump is the sample's too;
#   - a sample as a form-layout CSV (label, value) loads the same;
#   - an error in a workbook is printed at its cell
#     (`bad.csv:SHEET!C3: error: …`), in check's JSON as "cell", and
#     import writes nothing for that project and exits 1 while writing the
#     good one.
# Usage: import.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

samples=("$src"/samples/0*.yaml)
[ ${#samples[@]} -eq 6 ] || fail "expected the six samples, found ${#samples[@]}"
for s in "${samples[@]}"; do
  n=$(basename "$s" .yaml)
  "$jxform" render "$s" --dump=model >"$work/$n.model" 2>/dev/null ||
    fail "render --dump=model $n"
done

# The dumps with positions taken out (@L:C: the YAML's lines, not the
# cells') and a template named by default written as named.
strip() { sed -E 's/ @([0-9]+:[0-9]+|[^ ]+![A-Z]+[0-9]+)//; s/^template default /template /' "$@"; }

# ---- the CSVs, written from the samples' dumps and the template's labels
cat >"$work/mkcsv.py" <<'EOF'
import csv, re, sys, yaml
tpl_path, layout, out = sys.argv[1], sys.argv[2], sys.argv[3]
dumps = sys.argv[4:]
tpl = yaml.safe_load(open(tpl_path, encoding='utf-8'))
labels = {}   # field id -> label
for f in tpl['fields']:
    if 'id' in f:
        labels[f['id']] = f['label']
for b in tpl['money']:
    for c in b['columns']:
        for r in b['rows']:
            labels['%s.%s.%s' % (b['id'], c['id'], r['id'])] = c['label'] + r['label']
grid = tpl['grids'][0]
sides = {s['id']: s['label'] for s in grid['sides']}
cols = [(c['id'], c['label']) for c in grid['columns']]

def unquote(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == '\\':
            n = s[i + 1]
            if n == 'x':
                out.append(chr(int(s[i + 2:i + 4], 16))); i += 4; continue
            out.append({'n': '\n', 'r': '\r', 't': '\t'}.get(n, n)); i += 2; continue
        out.append(s[i]); i += 1
    return ''.join(out)

projects = []
for path in dumps:
    fields, rows = {}, []
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        m = re.match(r'^([a-z_.]+)\[\d+\] @\d+:\d+ (.*)$', line)
        if m:
            side = m.group(1).split('.')[1]
            cells = dict((k, unquote(v)) for k, v in re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
            rows.append((side, cells))
            continue
        m = re.match(r'^([a-z_.]+) @\d+:\d+ (.*)$', line)
        if not m or m.group(1) in ('schema', 'template') or ' count=' in line:
            continue
        v = m.group(2)
        if v == 'absent':
            fields[m.group(1)] = ''
        elif v.startswith('"'):
            fields[m.group(1)] = unquote(v[1:-1])
        else:
            fields[m.group(1)] = v          # an amount: 22,487,000
    projects.append((fields, rows))

w = csv.writer(open(out, 'w', encoding='utf-8', newline=''))
ids = [i for i in labels]
if layout == 'flat':
    w.writerow(['序号'] + [labels[i] for i in ids])
    for k, (fields, rows) in enumerate(projects):
        w.writerow([k + 1] + [fields.get(i, '') for i in ids])
    w.writerow([])
    w.writerow(['项目名称', '/'.join(sides.values())] + [l for _, l in cols])
    for fields, rows in projects:
        for side, cells in rows:
            w.writerow([fields['project.name'], sides[side]] + [cells.get(c, '') for c, _ in cols])
else:  # form: label, value; then the indicators with a side column
    fields, rows = projects[0]
    for i in ids:
        w.writerow([labels[i] + '：', fields.get(i, '')])
    w.writerow([])
    w.writerow(['实施期/年度'] + [l for _, l in cols])
    for side, cells in rows:
        w.writerow([sides[side]] + [cells.get(c, '') for c, _ in cols])
EOF
python3 "$work/mkcsv.py" "$src/templates/yangquan-2025.yaml" flat "$work/book.csv" \
  "$work"/0*.model || fail "writing book.csv"
python3 "$work/mkcsv.py" "$src/templates/yangquan-2025.yaml" form "$work/form.csv" \
  "$work/02-daolu-wajue.model" || fail "writing form.csv"

# ---- the flat CSV holds the six samples
"$jxform" render "$work/book.csv" --dump=model >"$work/book.model" 2>"$work/book.err" ||
  { fail "render book.csv --dump=model"; cat "$work/book.err"; }
grep -q "error" "$work/book.err" && fail "book.csv: errors: $(grep error "$work/book.err" | head -3)"
# one dump after another, each starting at its "schema" line
csplit -s -z -f "$work/book-part-" "$work/book.model" '/^schema /' '{*}' ||
  fail "splitting the dumps of book.csv"
parts=("$work"/book-part-*)
[ ${#parts[@]} -eq 6 ] || fail "render book.csv printed ${#parts[@]} projects, not 6"
i=0
for s in "${samples[@]}"; do
  n=$(basename "$s" .yaml)
  part=${parts[$i]:-/dev/null}
  if ! diff <(strip "$work/$n.model") <(strip "$part") >"$work/$n.diff"; then
    fail "book.csv#$((i + 1)) does not load as $n does:"
    head -20 "$work/$n.diff"
  fi
  i=$((i + 1))
done
# the lines that matter are there: nothing compared empty
grep -q '^funds.period.total 22,487,000$' <(strip "$work/book-part-01") ||
  fail "book.csv#2: no 'funds.period.total 22,487,000' in its dump"
grep -q '^indicators.annual count=6$' <(strip "$work/book-part-01") ||
  fail "book.csv#2: not 6 annual indicators"

# ---- import writes one project file each; they check and dump the same
"$jxform" import "$work/book.csv" -o "$work/out" 2>"$work/import.err" ||
  { fail "import book.csv"; cat "$work/import.err"; }
grep -q "imported 1 workbook: 6 project files written, 0 errors" "$work/import.err" ||
  fail "import's summary: $(tail -1 "$work/import.err")"
[ -f "$work/out/045-道路挖掘修复费.yaml" ] || fail "no out/045-道路挖掘修复费.yaml: $(ls "$work/out")"
[ "$(ls "$work/out" | wc -l)" = 6 ] || fail "import wrote $(ls "$work/out" | wc -l) files, not 6"
ls -a "$work/out" | grep -q '^\.jxform-' && fail "import left a temporary file"
grep -q '# book!B3$' "$work/out/045-道路挖掘修复费.yaml" ||
  fail "the written file names no cell: $(head -5 "$work/out/045-道路挖掘修复费.yaml")"
"$jxform" check "$work"/out/*.yaml >"$work/check-out.txt" 2>&1 ||
  { fail "check of the imported files"; grep error "$work/check-out.txt" | head; }
"$jxform" render "$work/out/045-道路挖掘修复费.yaml" --dump=model >"$work/out.model" 2>/dev/null ||
  fail "render the imported 045-道路挖掘修复费.yaml"
diff <(strip "$work/02-daolu-wajue.model") <(strip "$work/out.model") >/dev/null ||
  fail "the imported 045-道路挖掘修复费.yaml does not load as samples/02 does"

# ---- a form-layout CSV of sample 02
"$jxform" render "$work/form.csv" --dump=model >"$work/form.model" 2>"$work/form.err" ||
  { fail "render form.csv --dump=model"; cat "$work/form.err"; }
diff <(strip "$work/02-daolu-wajue.model") <(strip "$work/form.model") >"$work/form.diff" ||
  { fail "form.csv does not load as samples/02 does"; head -20 "$work/form.diff"; }

# ---- packet and check take the workbook as it is
"$jxform" packet "$work/book.csv" -o "$work/packet.pdf" -q 2>"$work/packet.err" ||
  { fail "packet book.csv"; cat "$work/packet.err"; }
grep -q "6 projects" "$work/packet.err" || fail "packet book.csv: $(cat "$work/packet.err")"
"$jxform" check "$work/book.csv" >/dev/null 2>&1 || fail "check book.csv"
# plain PATH of a workbook of six is refused by the library, PATH#N taken
"$jxform" check "$work/book.csv#7" >"$work/seven.txt" 2>&1 &&
  fail "check book.csv#7 passed"
grep -q "no project 7" "$work/seven.txt" || fail "book.csv#7: $(cat "$work/seven.txt")"

# ---- an error is printed at its cell
printf '项目名称,主管部门代码,主管部门,年度,年度资金总额\n甲项目,045,甲局,2025,12万\n乙项目,046,乙局,2025,1000\n' >"$work/bad.csv"
sheet=$("$jxform" import "$work/bad.csv" --dump=book 2>/dev/null | sed -nE 's/^sheet "([^"]*)".*/\1/p')
[ -n "$sheet" ] || fail "import --dump=book names no sheet"
"$jxform" check "$work/bad.csv" >"$work/bad.txt" 2>&1 && fail "check bad.csv passed"
grep -qF "$work/bad.csv:$sheet!E2: error: 'funds.annual.total' is not a number of 元" "$work/bad.txt" ||
  fail "bad.csv: no error at its cell E2: $(cat "$work/bad.txt")"
grep -E "bad.csv(#[0-9])?:[0-9]+:" "$work/bad.txt" && fail "a diagnostic at a YAML line"
"$jxform" check "$work/bad.csv" --format=json >"$work/bad.json" 2>/dev/null
python3 - "$work/bad.json" "$sheet" <<'EOF' || fail "check --format=json: no cell $sheet!E2"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
cells = [x.get('cell') for f in d.get('files', []) for x in f.get('diagnostics', [])]
cells += [x.get('cell') for x in d.get('diagnostics', [])]
sys.exit(0 if sys.argv[2] + '!E2' in cells else 1)
EOF
# import: the good project written, the bad one not; exit 1
mkdir -p "$work/bad-out"
"$jxform" import "$work/bad.csv" -o "$work/bad-out" >"$work/bad-import.txt" 2>&1
status=$?
[ "$status" = 1 ] || fail "import bad.csv: exit $status, not 1"
[ -f "$work/bad-out/046-乙项目.yaml" ] || fail "import bad.csv did not write the good project"
[ ! -e "$work/bad-out/045-甲项目.yaml" ] || fail "import bad.csv wrote the bad project"
grep -qF "bad.csv:$sheet!E2: error:" "$work/bad-import.txt" || fail "import: no error at E2"
# a workbook with nothing of the form: the sheet and the labels expected
printf 'a,b\n1,2\n' >"$work/none.csv"
"$jxform" check "$work/none.csv" >"$work/none.txt" 2>&1 && fail "check none.csv passed"
grep -q "none.csv:none!A1: error: sheet 'none' holds no field of the form: expected labels like 年度, 项目名称" "$work/none.txt" ||
  fail "none.csv: $(cat "$work/none.txt")"
# usage
"$jxform" import >/dev/null 2>&1
[ $? = 2 ] || fail "import with no input is not a usage error"
"$jxform" import "$src/samples/02-daolu-wajue.yaml" >"$work/notbook.txt" 2>&1 &&
  fail "import of a YAML file passed"
grep -q "is not a workbook" "$work/notbook.txt" || fail "import of YAML: $(cat "$work/notbook.txt")"

if [ "$fails" -ne 0 ]; then
  echo "import: $fails failure(s)"
  exit 1
fi
echo "import: ok"
