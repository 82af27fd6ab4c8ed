#!/usr/bin/env bash
# End-to-end: `jxform packet` — a packet of the six samples twice over
# with three broken files among them (left out, listed, exit 1, every
# good project rendered), bookmarks/contents/footers/labels checked by
# check_packet.py, byte-identical reruns (also with another thread
# count), SOURCE_DATE_EPOCH, --duplex, --order=input, --fail-fast, @list
# and --split with safe, unique names.
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
"$jxform" packet "$work/in/a" -o "$work/input.pdf" -q --order=input
$check "$work/input.pdf" 6

# 4. fail-fast: nothing written, exit 1
set +e
"$jxform" packet "$work/in/b" -o "$work/ff.pdf" -q --fail-fast 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "--fail-fast exit $rc"
[ ! -e "$work/ff.pdf" ] || fail "--fail-fast wrote a packet"

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
n=$(ls "$work/split" | wc -l)
[ "$n" = 12 ] || fail "--split wrote $n files, want 12"
ls "$work/split" | grep -q -- '-2\.pdf$' || fail "no -2 suffix for a repeated name"
! ls -a "$work/split" | grep -q '^\.jxform' || fail "temporary files left in the split folder"
for f in "$work"/split/*.pdf; do pdfinfo "$f" > /dev/null 2>&1 || fail "$f unreadable"; done
echo "packet.sh: all checks passed"
