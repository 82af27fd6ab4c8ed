#!/usr/bin/env bash
# End-to-end: every broken input of tests/bad/ is refused with exactly
# its expected diagnostics (text and JSON), exit status 1 and no output
# file (tests/e2e/bad_corpus.py); then `jxform check` on the six samples
# and `jxform new`.
# Usage: bad.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
python3 "$src/tests/e2e/bad_corpus.py" "$jxform" "$src" "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
fail() { echo "FAIL: $*"; exit 1; }
cd "$src"

# The samples pass, with the warnings of the seed's own inconsistencies.
"$jxform" check samples/*.yaml 2> "$work/samples.txt" ||
  fail "check samples exited $?: $(cat "$work/samples.txt")"
rules=$(grep -o '\[[a-z0-9-]*\]$' "$work/samples.txt" | sort | uniq -c |
  tr -s ' ' | tr '\n' ';')
[ "$rules" = " 1 [one-year-funds]; 2 [value-other-total]; 2 [value-unit];" ] ||
  fail "samples: unexpected warnings: $rules"
grep -q ': error: ' "$work/samples.txt" && fail "samples have errors"
tail -1 "$work/samples.txt" | grep -qx 'jxform: checked 6 files: 0 errors, 5 warnings' ||
  fail "samples: summary $(tail -1 "$work/samples.txt")"
# --strict makes those warnings errors; JSON says the same.
status=0
"$jxform" check --strict samples/*.yaml 2> /dev/null || status=$?
[ "$status" = 1 ] || fail "check --strict samples exited $status, not 1"
"$jxform" check --format=json samples/*.yaml > "$work/samples.json"
python3 - "$work/samples.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['ok'] is True and d['errors'] == 0 and d['warnings'] == 5, d
assert [f['warnings'] for f in d['files']] == [4, 0, 0, 0, 1, 0], d['files']
assert sorted(x['rule'] for x in d['diagnostics']) == \
    ['one-year-funds', 'value-other-total', 'value-other-total',
     'value-unit', 'value-unit'], d['diagnostics']
PY
status=0
"$jxform" check --format=yaml samples/01-chengshi-daolu.yaml 2> /dev/null || status=$?
[ "$status" = 2 ] || fail "check --format=yaml exited $status, not 2"

# new: a skeleton that checks clean (required fields hold the template's
# examples, the rest is blank: warnings only); never overwrites.
"$jxform" new --year 2025 -o "$work/new.yaml" 2> /dev/null
status=0
"$jxform" check "$work/new.yaml" 2> "$work/new.txt" || status=$?
[ "$status" = 0 ] || fail "check of a blank skeleton exited $status"
grep -q ': error: ' "$work/new.txt" && fail "blank skeleton: $(cat "$work/new.txt")"
grep -q 'indicator-empty' "$work/new.txt" ||
  fail "blank skeleton: no warning for its empty rows: $(cat "$work/new.txt")"
# With a required field emptied, check names it.
sed 's/^  name: .*/  name:/' "$work/new.yaml" > "$work/unnamed.yaml"
status=0
"$jxform" check "$work/unnamed.yaml" 2> "$work/unnamed.txt" || status=$?
[ "$status" = 1 ] && grep -q "missing required key 'project.name' (项目名称)" \
  "$work/unnamed.txt" || fail "skeleton without a name: $(cat "$work/unnamed.txt")"
echo "# filled" >> "$work/new.yaml"
status=0
"$jxform" new -o "$work/new.yaml" 2> /dev/null || status=$?
[ "$status" = 1 ] && tail -1 "$work/new.yaml" | grep -qx '# filled' ||
  fail "new overwrote an existing file (exit $status)"
sed -e 's/^  name: .*/  name: 测试项目/' -e 's/^    code: .*/    code: "045"/' \
  -e 's/^    name: .*/    name: 某局/' "$work/new.yaml" > "$work/filled.yaml"
"$jxform" check "$work/filled.yaml" 2> "$work/filled.txt" ||
  fail "a skeleton with the required fields has errors: $(cat "$work/filled.txt")"
echo "check and new: ok"
