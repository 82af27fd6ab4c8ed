#!/usr/bin/env bash
# End-to-end: a form is data.  (1) A test template adds a required header
# field and a 权重 column to the 阳泉 form (tests/templates/) and a project
# using them checks clean, lays out and renders with no C change; (2) the
# form's labels stand for their keys: a project written with Chinese keys
# loads the same values as the sample it copies; (3) a key the template
# does not declare is refused with a suggestion, and a required field the
# template declares is asked for by its label.
# Usage: form_definition.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work/tpl"
fail() { echo "FAIL: $*"; exit 1; }
cp "$src"/templates/*.yaml "$src/tests/templates/yangquan-weight.yaml" "$work/tpl/"
export JXFORM_TEMPLATE_DIR="$work/tpl"
project="$src/tests/templates/yangquan-weight-project.yaml"

# (1) the test template
"$jxform" check "$project" 2> "$work/check.txt" || fail "check: $(cat "$work/check.txt")"
grep -qx 'jxform: checked 1 file: 0 errors, 0 warnings' "$work/check.txt" ||
  fail "check: $(cat "$work/check.txt")"
"$jxform" render "$project" --dump=model > "$work/model.txt"
grep -q '^project.leader @[0-9:]* "王五"$' "$work/model.txt" || fail "no project.leader in the model"
[ "$(grep -c 'weight="10%"' "$work/model.txt")" = 12 ] || fail "weights: $(grep -c weight= "$work/model.txt")"
"$jxform" render "$project" --dump=layout > "$work/layout.txt"
[ "$(grep -c '"权重"' "$work/layout.txt")" = 2 ] || fail "layout: not two 权重 headers"
[ "$(grep -c '"10%"' "$work/layout.txt")" = 12 ] || fail "layout: not 12 weights"
"$jxform" render "$project" -o "$work/weight.pdf"
pdftotext "$work/weight.pdf" - | grep -q '项目负责人' || fail "pdf lacks 项目负责人"
pdftotext "$work/weight.pdf" - | grep -q '王五' || fail "pdf lacks the leader's name"
# the new required field, left out, is asked for by its label
grep -v '^  leader:' "$project" > "$work/no-leader.yaml"
status=0
"$jxform" check "$work/no-leader.yaml" 2> "$work/no-leader.txt" || status=$?
[ "$status" = 1 ] || fail "no leader: exit $status"
grep -q "missing required key 'project.leader' (项目负责人)" "$work/no-leader.txt" ||
  fail "no leader: $(cat "$work/no-leader.txt")"
# the same project on the 阳泉 template: 'leader' and 'weight' are unknown
sed 's/^template: yangquan-weight/template: yangquan-2025/' "$project" > "$work/plain.yaml"
status=0
"$jxform" check "$work/plain.yaml" 2> "$work/plain.txt" || status=$?
[ "$status" = 1 ] || fail "weights on yangquan-2025: exit $status"
grep -q "unknown key 'leader' in 'project'" "$work/plain.txt" || fail "leader: $(head -3 "$work/plain.txt")"
grep -q "unknown key 'weight' in 'indicators.period\[1\]'" "$work/plain.txt" ||
  fail "weight: $(head -3 "$work/plain.txt")"

# (2) Chinese keys: labels for the keys of sample 02
sed -e 's/^  name: /  项目名称: /' -e 's/^overview: /项目概况: /' -e 's/^basis: /立项依据: /' \
    -e 's/^  implementer: /  实施单位: /' -e 's/^funds:/项目资金:/' -e 's/^  period:  # 实施期$/  实施期:/' \
    -e 's/{level1: /{一级指标: /g' -e 's/, value: /, 指标值: /g' \
    "$src/samples/02-daolu-wajue.yaml" > "$work/chinese.yaml"
grep -q '^项目资金:' "$work/chinese.yaml" && grep -q '一级指标: ' "$work/chinese.yaml" ||
  fail "the Chinese-key copy was not made"
"$jxform" check "$work/chinese.yaml" 2> "$work/chinese.txt" ||
  fail "Chinese keys: $(cat "$work/chinese.txt")"
strip() { sed -E 's/ @[0-9]+:[0-9]+//' "$1"; }
"$jxform" render "$src/samples/02-daolu-wajue.yaml" --dump=model > "$work/a.model"
"$jxform" render "$work/chinese.yaml" --dump=model > "$work/b.model"
diff <(strip "$work/a.model") <(strip "$work/b.model") > "$work/keys.diff" ||
  fail "Chinese keys load differently: $(head "$work/keys.diff")"
# a key written both ways is one value written twice
printf '\noverview: 又一个\n' >> "$work/chinese.yaml"
status=0
"$jxform" check "$work/chinese.yaml" 2> "$work/twice.txt" || status=$?
[ "$status" = 1 ] && grep -q "'overview' (项目概况) is written twice" "$work/twice.txt" ||
  fail "twice: $(cat "$work/twice.txt")"
# (4) the worked example of docs/templates.md still checks clean and renders
cp "$src/docs/examples/county-2025.yaml" "$work/tpl/"
"$jxform" check "$src/docs/examples/county-2025-project.yaml" 2> "$work/county.txt" ||
  fail "docs example: $(cat "$work/county.txt")"
grep -qx 'jxform: checked 1 file: 0 errors, 0 warnings' "$work/county.txt" ||
  fail "docs example: $(cat "$work/county.txt")"
"$jxform" render "$src/docs/examples/county-2025-project.yaml" -o "$work/county.pdf"
"$jxform" new --template county-2025 | "$jxform" check - 2> "$work/county-new.txt" ||
  fail "docs example skeleton: $(cat "$work/county-new.txt")"
# (5) a packet of forms of two templates adds up their totals apart: 元
# with 元, 万元 with 万元, each under its own name
"$jxform" packet -q "$src/samples/02-daolu-wajue.yaml" \
  "$src/samples/forms/midterm-2020.yaml" -o "$work/mixed.pdf"
pdftotext -l 1 "$work/mixed.pdf" "$work/cover.txt"
grep -q '年度资金总额：22,487,000 元' "$work/cover.txt" ||
  fail "mixed packet: no 元 total: $(cat "$work/cover.txt")"
grep -q '年度资金总额：1,200 万元' "$work/cover.txt" ||
  fail "mixed packet: no 万元 total: $(cat "$work/cover.txt")"
# (6) a tab pasted from a spreadsheet: check warns that it prints as a
# space, and render prints it so (they agree)
"$jxform" render "$src/tests/bad/97-strict-text-tab.yaml" -o "$work/tab.pdf" \
  2> "$work/tab.txt" || fail "render refused a tab: $(cat "$work/tab.txt")"
grep -q 'text-tab' "$work/tab.txt" || fail "render did not warn about the tab"
echo "form_definition: ok"
