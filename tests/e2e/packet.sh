#!/usr/bin/env bash
# End-to-end: `jxform packet` — a packet of the six samples twice over
# with three broken files among them (left out, listed, exit 1, every
# good project rendered), bookmarks/contents/footers/labels checked by
# check_packet.py, byte-identical reruns (also with another thread
# count), SOURCE_DATE_EPOCH, --duplex, --order=input, --fail-fast, @list
# and --split with safe, unique names; the contents' order (department
# code, then 拼音), amounts, 小计 and 合计, --order=input and name; the
# line every run ends with.
# Usage: packet.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work/in/a" "$work/in/b"
export JXFORM_TEMPLATE_DIR="$src/templates"
check="python3 $src/tests/e2e/check_packet.py"
fail() { echo "FAIL: $*" >&2; exit 1; }

cp "$src"/samples/*.yaml "$work/in/a/"
for f in "$src"/samples/*.yaml; do cp "$f" "$work/in/b/copy-$(basename "$f")"; done
printf 'schema: 1\ntemplate: yangquan-2025\nyear: [oops\n' > "$work/in/b/broken-1.yaml"
sed 's/^  name: .*/  name:/' "$src/samples/02-daolu-wajue.yaml" > "$work/in/b/broken-2.yaml"
printf 'not: a project\n' > "$work/in/b/broken-3.yaml"

# 1. broken inputs: reported, left out, listed; good ones rendered; exit 1
set +e
"$jxform" packet "$work/in" -o "$work/p.pdf" 2> "$work/p.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "exit status $rc with broken inputs, want 1"
[ -f "$work/p.pdf" ] || fail "no packet written despite good inputs"
grep -q "3 inputs left out" "$work/p.err" || fail "no list of left-out inputs"
tail -1 "$work/p.err" | grep -Eqx "jxform: wrote $work/p.pdf: 12 projects, [0-9]+ pages; 3 inputs left out \(listed above\)" ||
  fail "last line: $(tail -1 "$work/p.err")"
for k in 1 2 3; do
  grep -q "^  .*broken-$k.yaml$" "$work/p.err" || fail "broken-$k.yaml not listed"
  grep -q "broken-$k.yaml:.*error" "$work/p.err" || fail "no diagnostic for broken-$k.yaml"
done
$check "$work/p.pdf" 12

# 2. deterministic: same bytes again, with one thread, with @list input
"$jxform" packet "$work/in/a" "$work/in/b"/copy-*.yaml -o "$work/good.pdf" -q
"$jxform" packet "$work/in/a" "$work/in/b"/copy-*.yaml -o "$work/good2.pdf" -q --threads 1
cmp "$work/good.pdf" "$work/good2.pdf" || fail "output depends on the thread count"
(ls "$work"/in/a/*.yaml; ls "$work"/in/b/copy-*.yaml) > "$work/list.txt"
"$jxform" packet "@$work/list.txt" -o "$work/good3.pdf" -q
cmp "$work/good.pdf" "$work/good3.pdf" || fail "@list gives a different packet"
! grep -aq "CreationDate" "$work/good.pdf" || fail "a date without SOURCE_DATE_EPOCH"
SOURCE_DATE_EPOCH=1735689600 "$jxform" packet "$work/in/a" -o "$work/dated.pdf" -q
pdfinfo "$work/dated.pdf" | grep -q "CreationDate:.*2025" || fail "SOURCE_DATE_EPOCH ignored"
$check "$work/good.pdf" 12

# 3. duplex and input order
"$jxform" packet "$work/in/a" -o "$work/duplex.pdf" -q --duplex
$check "$work/duplex.pdf" 6 --duplex
"$jxform" packet "$work/in/a" -o "$work/input.pdf" -q --order=input 2>/dev/null
$check "$work/input.pdf" 6 --order=input

# 3b. the contents: departments by code, projects by 拼音 (安 < 白 < 张 <
# 赵: not their code point order 安 张 白 赵, nor the order given), each
# with its amount; 小计 per department, 合计 (check_packet.py adds them
# up); --order=input and --order=name; forms of several kinds (元, 万元)
mkdir -p "$work/extra"
extra() { # FILE CODE DEPARTMENT NAME AMOUNT: sample 02 made another project
  sed -e "0,/^  name: .*/s//  name: $4/" -e "s/^    code: .*/    code: \"$2\"/" \
    -e "0,/^    name: .*/s//    name: $3/" -e "s/22487000/$5/g" \
    "$src/samples/02-daolu-wajue.yaml" > "$work/extra/$1"
}
extra 1.yaml 030 某市园林局 赵庄道路绿化养护费 1200000
extra 2.yaml 030 某市园林局 张家大院古树保护经费 80000
extra 3.yaml 030 某市园林局 白鹭公园维护费 350000
extra 4.yaml 030 某市园林局 安全生产专项经费 25000
extra 5.yaml 002 某市档案局 白皮书编印经费 60000
extra 6.yaml 002 某市档案局 安置档案库房租赁费 440000
"$jxform" packet "$work/extra" "$src"/samples/*.yaml -o "$work/order.pdf" 2> "$work/order.err" ||
  fail "packet with extra projects: $(tail -3 "$work/order.err")"
$check "$work/order.pdf" 12 \
  --names=安全生产专项经费,白鹭公园维护费,张家大院古树保护经费,赵庄道路绿化养护费
$check "$work/order.pdf" 12 --names=安置档案库房租赁费,白皮书编印经费
pdftotext -layout "$work/order.pdf" "$work/order.txt"
grep -Eq '^ +小计 +1,655,000 元$' "$work/order.txt" || fail "no 小计 1,655,000 元 for 030"
grep -Eq '^ +小计 +500,000 元$' "$work/order.txt" || fail "no 小计 500,000 元 for 002"
grep -Eq '^合计 +153,472,200 元$' "$work/order.txt" || fail "no 合计 153,472,200 元"
tail -1 "$work/order.err" | grep -Eqx "jxform: wrote $work/order.pdf: 12 projects, [0-9]+ pages; nothing left out" ||
  fail "last line: $(tail -1 "$work/order.err")"
"$jxform" packet "$work"/extra/[1-4].yaml "$src"/samples/0[12]*.yaml -o "$work/given.pdf" -q \
  --order=input 2>/dev/null
$check "$work/given.pdf" 6 --order=input \
  --names=赵庄道路绿化养护费,张家大院古树保护经费,白鹭公园维护费,安全生产专项经费,城市道路桥涵、城市照明、排水管网设施运维服务费,道路挖掘修复费
"$jxform" packet "$work/extra" "$src"/samples/0[12]*.yaml -o "$work/byname.pdf" -q --order=name 2>/dev/null
$check "$work/byname.pdf" 8 --order=name \
  --names=安全生产专项经费,安置档案库房租赁费,白鹭公园维护费,白皮书编印经费,城市道路桥涵、城市照明、排水管网设施运维服务费,道路挖掘修复费,张家大院古树保护经费,赵庄道路绿化养护费
"$jxform" packet "$src"/samples/*.yaml "$src"/samples/forms/*.yaml -o "$work/kinds.pdf" -q 2>/dev/null
$check "$work/kinds.pdf" 11
set +e
"$jxform" packet "$work/extra" -o "$work/bad-order.pdf" --order=pinyin 2> "$work/bad-order.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "--order=pinyin: exit $rc, want 2"
grep -q "dept.*name.*input" "$work/bad-order.err" || fail "--order=pinyin: $(cat "$work/bad-order.err")"

# 4. fail-fast: nothing written, exit 1
set +e
"$jxform" packet "$work/in/b" -o "$work/ff.pdf" -q --fail-fast 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "--fail-fast exit $rc"
[ ! -e "$work/ff.pdf" ] || fail "--fail-fast wrote a packet"
"$jxform" packet "$work/in/b" -o "$work/ff.pdf" -q --fail-fast 2> "$work/ff.err" || true
tail -1 "$work/ff.err" | grep -Eqx "jxform: nothing written; 1 input left out \(listed above\)" ||
  fail "--fail-fast last line: $(tail -1 "$work/ff.err")"

# 4b. --strict: sample 05's consistency warning becomes an error, so it is
# left out of the packet (exit 1); without --strict it is printed.
set +e
"$jxform" packet "$src/samples/05-rencai-gongzuo.yaml" "$src/samples/02-daolu-wajue.yaml" \
  -o "$work/strict.pdf" -q --strict 2> "$work/strict.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "--strict exit $rc, want 1"
grep -q 'error: .*\[one-year-funds\]' "$work/strict.err" || fail "--strict: no error for sample 05"
grep -q 'left out' "$work/strict.err" || fail "--strict: sample 05 not listed as left out"
"$jxform" packet "$src/samples/05-rencai-gongzuo.yaml" "$src/samples/02-daolu-wajue.yaml" \
  -o "$work/lenient.pdf" -q 2>/dev/null || fail "without --strict the packet failed"

# 5. split: one PDF per project, safe and unique names
"$jxform" packet "$work/in/a" "$work/in/b"/copy-*.yaml --split "$work/split" -q \
  --name '{dept_code}/{name}?.pdf'
"$jxform" packet "$work/in/a" --split "$work/split1" 2> "$work/split1.err"
tail -1 "$work/split1.err" | grep -Eqx "jxform: wrote 6 PDFs in $work/split1: 6 projects, [0-9]+ pages; nothing left out" ||
  fail "--split last line: $(tail -1 "$work/split1.err")"
n=$(ls "$work/split" | wc -l)
[ "$n" = 12 ] || fail "--split wrote $n files, want 12"
ls "$work/split" | grep -q -- '-2\.pdf$' || fail "no -2 suffix for a repeated name"
! ls -a "$work/split" | grep -q '^\.jxform' || fail "temporary files left in the split folder"
for f in "$work"/split/*.pdf; do pdfinfo "$f" > /dev/null 2>&1 || fail "$f unreadable"; done
echo "packet.sh: all checks passed"
