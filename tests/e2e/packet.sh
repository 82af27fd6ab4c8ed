#!/usr/bin/env bash
# End-to-end: `jxform packet` — a packet of the six samples twice over
# with three broken files among them (left out, listed, exit 1, every
# good project rendered), bookmarks/contents/footers/labels checked by
# check_packet.py, byte-identical reruns (also with another thread
# count), SOURCE_DATE_EPOCH, --duplex, --order=input, --fail-fast, @list
# and --split with safe, unique names; the contents' order (department
# code, then 拼音), amounts, 小计 and 合计, --order=input and name; the
# line every run ends with, counting the pages as the cover does (the
# forms' pages, then all with the cover and contents); the files a folder
# gives (.yaml, .yml, .json in any case; NAME.yaml.txt named in a
# warning); --split names of forms with no department code; the same
# project in two files; the cover, contents and footers from the template's
# packet section (its own words; a short cover; none at all).
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
tail -1 "$work/p.err" | grep -Eqx "jxform: wrote $work/p.pdf: 12 projects on [0-9]+ pages, [0-9]+ pages with the cover and contents; 3 inputs left out \(listed above\)" ||
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
tail -1 "$work/order.err" | grep -Eqx "jxform: wrote $work/order.pdf: 12 projects on [0-9]+ pages, [0-9]+ pages with the cover and contents; nothing left out" ||
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

# 6. the last line counts the pages as the cover does: the forms' pages
# (the footers' 共 M 页), then all of them (pdfinfo), cover and contents
# included; the same numbers in Chinese
"$jxform" packet "$work/in/a" -o "$work/count.pdf" 2> "$work/count.err"
all=$(pdfinfo "$work/count.pdf" | sed -n 's/^Pages: *//p')
forms=$(pdftotext "$work/count.pdf" - | sed -n 's/.*第 1 页 共 \([0-9]*\) 页.*/\1/p' | head -1)
tail -1 "$work/count.err" | grep -qx "jxform: wrote $work/count.pdf: 6 projects on $forms pages, $all pages with the cover and contents; nothing left out" ||
  fail "last line, $forms form pages of $all: $(tail -1 "$work/count.err")"
pdfinfo "$work/count.pdf" | grep -Eq "^Subject: +6 个项目，正文 $forms 页，共 $all 页$" ||
  fail "the PDF's subject is not the template's: $(pdfinfo "$work/count.pdf" | grep Subject)"
pdftotext -l 1 -layout "$work/count.pdf" - | grep -Eq "^ *页 +数：共 $all 页（正文 $forms 页，封面和目录 $((all - forms)) 页）$" ||
  fail "cover: $(pdftotext -l 1 -layout "$work/count.pdf" - | grep "页 *数")"
"$jxform" packet "$work/in/a" -o "$work/count-dx.pdf" --duplex -q 2>/dev/null
$check "$work/count-dx.pdf" 6 --duplex

# 7. the files a folder gives: .yaml and .yml in any letter case and
# .json (YAML 1.2 reads JSON); NAME.yaml.txt (Notepad's) named in a
# warning and left out; other files and NAME.schema.json ignored quietly
mkdir -p "$work/kinds/sub"
named() { # NAME OUT: sample 02 as project NAME
  sed "0,/^  name: .*/s//  name: $1/" "$src/samples/02-daolu-wajue.yaml" > "$2"
}
named 甲项目 "$work/kinds/a.yaml"
named 乙项目 "$work/kinds/b.yml"
named 丙项目 "$work/kinds/sub/c.YAML"
named 丁项目 "$work/kinds/d.Yml"
named 戊项目 "$work/kinds/e.yaml.txt"
named 己项目 "$work/kinds/f.YML.TXT"
python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"), ensure_ascii=False)' \
  "$work/kinds/a.yaml" "$work/kinds/g.json"
sed -i 's/甲项目/庚项目/' "$work/kinds/g.json"
"$jxform" schema -o "$work/kinds/project.schema.json" 2>/dev/null
echo "notes" > "$work/kinds/readme.txt"
"$jxform" packet "$work/kinds" -o "$work/kinds.pdf" 2> "$work/kinds.err" ||
  fail "packet of a folder of kinds: $(cat "$work/kinds.err")"
tail -1 "$work/kinds.err" | grep -q ": 5 projects on" || fail "kinds: $(tail -1 "$work/kinds.err")"
$check "$work/kinds.pdf" 5 --names=丙项目,丁项目,庚项目,甲项目,乙项目
for f in e.yaml.txt f.YML.TXT; do
  grep -q "warning: $work/kinds/$f is left out: Notepad added '.txt' to its name; rename it to ${f%.*}$" "$work/kinds.err" ||
    fail "no warning for $f: $(cat "$work/kinds.err")"
done
! grep -q "readme\|schema" "$work/kinds.err" || fail "kinds: $(cat "$work/kinds.err")"

# 8. --split names of a form with no department code (or name): no
# separator left at the start or end, nor two in a row
sed -e 's/^    code: .*/    code: ""/' -e '0,/^    name: .*/s//    name: ""/' \
  "$src/samples/02-daolu-wajue.yaml" > "$work/nocode.yaml"
"$jxform" packet "$work/nocode.yaml" "$work/extra/1.yaml" --split "$work/nocode" -q 2>/dev/null
[ "$(ls "$work/nocode" | sort | tr '\n' ' ')" = "030-赵庄道路绿化养护费.pdf 道路挖掘修复费.pdf " ] ||
  fail "--split names: $(ls "$work/nocode")"
"$jxform" packet "$work/nocode.yaml" "$work/extra/1.yaml" --split "$work/nocode2" -q \
  --name '{dept_code}-{dept_name}-{name}-{year}.pdf' 2>/dev/null
[ "$(ls "$work/nocode2" | sort | tr '\n' ' ')" = "030-某市园林局-赵庄道路绿化养护费-2025.pdf 道路挖掘修复费-2025.pdf " ] ||
  fail "--split names: $(ls "$work/nocode2")"

# 9. the same project (department code, name, year) in two files: a
# warning naming both, both put in
mkdir -p "$work/twice"
cp "$src/samples/02-daolu-wajue.yaml" "$work/twice/a.yaml"
cp "$src/samples/02-daolu-wajue.yaml" "$work/twice/b.yaml"
"$jxform" packet "$work/twice" "$src/samples/01-chengshi-daolu.yaml" -o "$work/twice.pdf" 2> "$work/twice.err" ||
  fail "twice: $(cat "$work/twice.err")"
grep -qx "$work/twice/b.yaml: warning: the same project as $work/twice/a.yaml (department code '045', name '道路挖掘修复费', year 2025): both are put in; if one of them is a copy, leave it out" \
  "$work/twice.err" || fail "no warning for the same project twice: $(cat "$work/twice.err")"
[ "$(grep -c 'the same project' "$work/twice.err")" = 1 ] || fail "twice: $(cat "$work/twice.err")"
$check "$work/twice.pdf" 3
"$jxform" packet "$work/twice" --split "$work/twice-split" 2> "$work/twice-split.err" ||
  fail "twice --split: $(cat "$work/twice-split.err")"
grep -q "b.yaml: warning: the same project as .*a.yaml" "$work/twice-split.err" ||
  fail "--split: no warning for the same project twice: $(cat "$work/twice-split.err")"
# 10. the cover, contents and footers are the template's (its `packet`
# section): a variant with its own words, order of cover lines and footer
# prints those and none of its base's; a cover too short for every kind
# of total prints as many as fit and the template's line for the rest; a
# template whose variant leaves `packet:` empty makes a packet of the
# forms alone (no cover, contents nor footers; page labels 1..)
mkdir -p "$work/tpl"
cp "$src"/templates/*.yaml "$work/tpl/"
cat > "$work/tpl/mine.yaml" <<'EOT'
extends: yangquan-2025
name: mine
packet:
  cover_label: 扉页
  contents:
    columns: ["*", 12, 4]
    rows:
      department: [{text: "部门：{dept.name}（{dept.code}）", colspan: 3, font: subtitle}]
      project: [{text: "·{project.name}", col: 0}, {text: "{amount}{unit}", align: right}, {text: "p.{page}", align: right}]
      total: [{text: 总计金额, col: 0}, {text: "{amount}{unit}", align: right}]
  cover:
    top_pt: 100
    columns: [10, "*"]
    rows:
      - [{text: "本册共收 {packet.projects} 个项目", col: 1, font: title}]
      - [{text: "{packet.title}", col: 1}]
  footer: {text: "— {page}/{pages} —", align: right, bottom_pt: 30}
EOT
sed 's/^template: .*/template: mine/' "$src/samples/02-daolu-wajue.yaml" > "$work/mine-02.yaml"
sed 's/^template: .*/template: mine/' "$src/samples/03-gongjiao-butie.yaml" > "$work/mine-03.yaml"
JXFORM_TEMPLATE_DIR="$work/tpl" "$jxform" packet "$work"/mine-0[23].yaml -o "$work/mine.pdf" -q 2>/dev/null ||
  fail "packet with the template's own packet section"
pdftotext -layout "$work/mine.pdf" "$work/mine.txt"
for w in "本册共收 2 个项目" "部门：阳泉市城市管理局（045）" "·道路挖掘修复费" "22,487,000元 +p.2" "总计金额" "— 1/2 —" "— 2/2 —"; do
  grep -Eq "$w" "$work/mine.txt" || fail "template's words: no '$w' in $(cat "$work/mine.txt" | head -30)"
done
for w in "汇 *编" "目 *录" "小计" "第 1 页"; do
  ! grep -Eq "$w" "$work/mine.txt" || fail "the base template's '$w' printed though the variant changed it"
done
grep -aq '/P<FEFF62499875>' "$work/mine.pdf" || fail "the cover's page label is not the template's 扉页"
cat > "$work/tpl/short.yaml" <<'EOT'
extends: yangquan-2025
name: short
packet:
  cover:
    top_pt: 660
    columns: [18.875, "*"]
    rows:
      - [{text: "{packet.title}", colspan: 2, align: center, font: title}]
      - {each: total, min_height_pt: 24, cells: [{text: "{kind.label}：{amount} {unit}", col: 1, valign: bottom, font: subtitle}]}
      - {each: more, min_height_pt: 24, cells: [{text: "另有 {packet.more} 种合计在目录末尾", col: 1, valign: bottom, font: subtitle}]}
EOT
sed 's/^template: .*/template: short/' "$src/samples/02-daolu-wajue.yaml" > "$work/short-02.yaml"
JXFORM_TEMPLATE_DIR="$work/tpl" "$jxform" packet "$work/short-02.yaml" "$src"/samples/forms/*.yaml -o "$work/short.pdf" -q 2>/dev/null ||
  fail "packet with a short cover"
pdftotext -l 1 -layout "$work/short.pdf" "$work/short.txt"
shown=$(grep -Ec '：[0-9,.]+ (万元|元)' "$work/short.txt" || true)
more=$(sed -n 's/.*另有 \([0-9]*\) 种合计在目录末尾.*/\1/p' "$work/short.txt")
[ -n "$more" ] && [ "$shown" -ge 1 ] && [ $((shown + more)) = 5 ] ||
  fail "short cover: $shown totals shown and '$more' more, want 5 in all: $(cat "$work/short.txt")"
printf 'extends: yangquan-2025\nname: bare\npacket:\n' > "$work/tpl/bare.yaml"
sed 's/^template: .*/template: bare/' "$src/samples/02-daolu-wajue.yaml" > "$work/bare-02.yaml"
sed 's/^template: .*/template: bare/' "$src/samples/03-gongjiao-butie.yaml" > "$work/bare-03.yaml"
JXFORM_TEMPLATE_DIR="$work/tpl" "$jxform" packet "$work"/bare-0[23].yaml -o "$work/bare.pdf" 2> "$work/bare.err" ||
  fail "packet of a template without a packet section: $(cat "$work/bare.err")"
[ "$(pdfinfo "$work/bare.pdf" | sed -n 's/^Pages: *//p')" = 2 ] || fail "bare: not the two forms alone"
! pdftotext "$work/bare.pdf" - | grep -q "第 1 页" || fail "bare: a footer without a template's footer"
grep -aq '/PageLabels<</Nums\[0<</S/D>>\]>>' "$work/bare.pdf" || fail "bare: page labels not 1.."
echo "packet.sh: all checks passed"
