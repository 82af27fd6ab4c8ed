#!/usr/bin/env bash
# robust.sh JXFORM SOURCE_DIR WORK_DIR — failure injection through the CLI.
#
# What an unattended run must survive: a full disk (a small tmpfs when we
# may mount one, else a file size limit), an unwritable folder, kill -9 in
# the middle of a big packet, an output path naming an input, unreadable
# and hostile inputs, and broken fonts and templates; and for packets
# (issue 14): two --split runs at once into one folder, folders that link
# to themselves, @lists that include themselves, a file given twice,
# --split over the inputs, cover totals past 2^63 cents, standard output
# on a full disk, and JSON for file names that are not UTF-8.  In every case:
# a clear diagnostic, an exit status of 1 or 2, no crash, no hang (each
# command runs under `timeout`), no partial file, and an existing PDF at
# the output path left exactly as it was.
set -uo pipefail
JXFORM="$1"
SRC="$2"
WORK="$3"
rm -rf "$WORK"
mkdir -p "$WORK"
SAMPLE="$SRC/samples/01-chengshi-daolu.yaml"
TEMPLATE="$SRC/templates/yangquan-2025.yaml"
export JXFORM_TEMPLATE_DIR="$SRC/templates"
failures=0
MOUNTED=()

cleanup() {
  for m in "${MOUNTED[@]}"; do umount "$m" 2>/dev/null; done
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run EXPECTED_STATUS PATTERN -- jxform args…: runs jxform (60 s at most),
# checks the exit status and that stderr matches PATTERN (grep -E).
run() {
  local want="$1" pattern="$2"
  shift 3
  timeout 60 "$JXFORM" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "jxform $* exited $got, expected $want"
    sed 's/^/    /' "$WORK/err.txt" | head -5 >&2
    return
  fi
  if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$WORK/err.txt"; then
    fail "jxform $*: stderr lacks /$pattern/"
    sed 's/^/    /' "$WORK/err.txt" | head -5 >&2
  fi
  if grep -Eq "AddressSanitizer|runtime error|Segmentation|Aborted" \
    "$WORK/err.txt"; then
    fail "jxform $*: crashed or sanitizer report"
  fi
}

# same_file A B: fails unless A and B have identical bytes.
same_file() {
  cmp -s "$1" "$2" || fail "$1 changed (expected the bytes of $2)"
}

# only_entries DIR NAME…: fails unless DIR holds exactly these entries
# (hidden ones included: a leftover temporary file is a failure).
only_entries() {
  local dir="$1"
  shift
  local want got
  want="$(printf '%s\n' "$@" | sort)"
  got="$(ls -A "$dir" | sort)"
  [ "$want" = "$got" ] || fail "$dir holds [$(echo $got)], expected [$*]"
}

# no_leftovers DIR: fails if DIR holds anything but the .yaml inputs
# (hidden files included).
no_leftovers() {
  local f
  for f in "$1"/* "$1"/.[!.]*; do
    [ -e "$f" ] || continue
    case "$f" in *.yaml) ;; *) fail "leftover in $1: $(basename "$f")" ;; esac
  done
}

# is_pdf FILE: a complete PDF (header, trailer, pdfinfo reads it).
is_pdf() {
  head -c 5 "$1" | grep -q '^%PDF-' && tail -c 16 "$1" | grep -q '%%EOF' &&
    pdfinfo "$1" >/dev/null 2>&1
}

OLD="$WORK/old.pdf" # "an existing PDF": any recognisable bytes
printf '%%PDF-1.4\n%% previous report, must survive\n%%%%EOF\n' >"$OLD"

# ---- full disk -------------------------------------------------------------
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=256k tmpfs "$WORK/full" 2>/dev/null; then
  MOUNTED+=("$WORK/full")
  cp "$OLD" "$WORK/full/report.pdf"
  # Leave about 16 KB free: less than one PDF.
  dd if=/dev/zero of="$WORK/full/filler" bs=4k count=60 status=none 2>/dev/null
  run 1 "report.pdf.*(No space left on device)" -- render "$SAMPLE" \
    -o "$WORK/full/report.pdf"
  same_file "$WORK/full/report.pdf" "$OLD"
  only_entries "$WORK/full" report.pdf filler
  # A completely full disk: not even the temporary file's first block.
  dd if=/dev/zero of="$WORK/full/filler2" bs=4k count=64 status=none 2>/dev/null
  run 1 "report.pdf" -- render "$SAMPLE" -o "$WORK/full/report.pdf"
  same_file "$WORK/full/report.pdf" "$OLD"
  only_entries "$WORK/full" report.pdf filler filler2
  # A read-only file system: an unwritable folder, even for root.
  rm -f "$WORK/full/filler" "$WORK/full/filler2"
  mount -o remount,ro "$WORK/full" &&
    run 1 "report.pdf.*(Read-only file system)" -- render "$SAMPLE" \
      -o "$WORK/full/report.pdf"
  same_file "$WORK/full/report.pdf" "$OLD"
  only_entries "$WORK/full" report.pdf
else
  echo "robust: cannot mount a tmpfs (not root?): full disk simulated" \
    "with a file size limit only" >&2
fi
# A write that fails half-way (EFBIG past 20 KB), on any machine.
mkdir -p "$WORK/fsize"
cp "$OLD" "$WORK/fsize/report.pdf"
(
  ulimit -f 20
  trap '' XFSZ
  run 1 "report.pdf" -- render "$SAMPLE" -o "$WORK/fsize/report.pdf"
  exit $failures
) || failures=$((failures + 1))
same_file "$WORK/fsize/report.pdf" "$OLD"
only_entries "$WORK/fsize" report.pdf

# ---- unwritable folder (not root), missing folder ---------------------------
mkdir -p "$WORK/ro"
cp "$OLD" "$WORK/ro/report.pdf"
if [ "$(id -u)" -ne 0 ]; then
  chmod 555 "$WORK/ro"
  run 1 "Permission denied" -- render "$SAMPLE" -o "$WORK/ro/report.pdf"
  chmod 755 "$WORK/ro"
  same_file "$WORK/ro/report.pdf" "$OLD"
fi
run 1 "No such file or directory" -- render "$SAMPLE" -o "$WORK/nope/x.pdf"
[ ! -e "$WORK/nope" ] || fail "a missing output folder was created"
# Devices and folders are never replaced.
run 1 "not a regular file" -- render "$SAMPLE" -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a device"
run 1 "a folder, not a regular file" -- render "$SAMPLE" -o "$WORK/ro"

# ---- kill -9 in the middle of a big packet (600 forms) ---------------------
mkdir -p "$WORK/packet-in" "$WORK/packet-out"
for i in $(seq -w 1 600); do
  cp "$SRC"/samples/0$(((10#$i % 6) + 1))-*.yaml "$WORK/packet-in/p$i.yaml"
done
cp "$OLD" "$WORK/packet-out/all.pdf"
survived_old=0
kills=0
for delay in 0.02 0.05 0.1 0.2 0.4 0.8 1.5 3 0.01 0.05 0.1 0.2; do
  # render -o lays every form out first; packet streams pages to the
  # file as it goes (the last four runs).
  cmd=render
  [ "$kills" -ge 8 ] && cmd=packet
  kills=$((kills + 1))
  "$JXFORM" "$cmd" "$WORK"/packet-in/*.yaml -o "$WORK/packet-out/all.pdf" \
    >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  only_entries "$WORK/packet-out" all.pdf
  if cmp -s "$WORK/packet-out/all.pdf" "$OLD"; then
    survived_old=$((survived_old + 1))
  elif ! is_pdf "$WORK/packet-out/all.pdf"; then
    fail "kill -9 of $cmd after ${delay}s left a damaged all.pdf"
    cp "$OLD" "$WORK/packet-out/all.pdf"
  fi
done
echo "robust: kill -9: old PDF intact $survived_old times of $kills, otherwise" \
  "a complete new one; no temporary file left" >&2
# Undisturbed, the packet is complete.
run 0 "" -- render "$WORK"/packet-in/*.yaml -o "$WORK/packet-out/all.pdf"
is_pdf "$WORK/packet-out/all.pdf" || fail "the packet is not a complete PDF"
pages="$(pdfinfo "$WORK/packet-out/all.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
[ "${pages:-0}" -ge 600 ] || fail "the packet has ${pages:-0} pages, expected >= 600"
perm="$(stat -c %a "$WORK/packet-out/all.pdf")"
want_perm="$(printf '%o' $((0666 & ~$(umask))))"
[ "$perm" = "$want_perm" ] || fail "the PDF has mode $perm, expected $want_perm"

# ---- an output path that names an input ------------------------------------
mkdir -p "$WORK/same"
cp "$SAMPLE" "$WORK/same/a.yaml"
cp "$SAMPLE" "$WORK/same/b.yaml"
ln -s a.yaml "$WORK/same/link.pdf"
ln "$WORK/same/b.yaml" "$WORK/same/hard.pdf"
for out in "$WORK/same/a.yaml" "$WORK/same/./a.yaml" "$WORK/same/link.pdf" \
  "$WORK/same/hard.pdf"; do
  run 2 "refusing to write the output over the input" -- render \
    "$WORK/same/a.yaml" "$WORK/same/b.yaml" -o "$out"
done
same_file "$WORK/same/a.yaml" "$SAMPLE"
same_file "$WORK/same/b.yaml" "$SAMPLE"
# Without -o, each PDF goes beside its input: never over another input.
cp "$SAMPLE" "$WORK/same/c.pdf"
run 1 "refusing to write .*c.pdf over the input" -- render "$WORK/same/c.pdf"
same_file "$WORK/same/c.pdf" "$SAMPLE"
cp "$SAMPLE" "$WORK/same/d.yaml"
cp "$SAMPLE" "$WORK/same/d.pdf"
run 1 "refusing to write .*d.pdf over the input" -- render \
  "$WORK/same/d.yaml" "$WORK/same/d.pdf"
same_file "$WORK/same/d.pdf" "$SAMPLE"

# ---- unreadable inputs ----------------------------------------------------------
mkdir -p "$WORK/in"
run 1 "cannot open the file: No such file" -- render "$WORK/in/none.yaml" \
  -o "$WORK/in/x.pdf"
mkdir -p "$WORK/in/dir.yaml"
run 1 "dir.yaml: no project files" -- render "$WORK/in/dir.yaml" \
  -o "$WORK/in/x.pdf"
mkfifo "$WORK/in/fifo.yaml"
run 1 "file is empty" -- render "$WORK/in/fifo.yaml" -o "$WORK/in/x.pdf"
run 1 "larger than the 4 MiB limit" -- render /dev/zero -o "$WORK/in/x.pdf"
: >"$WORK/in/empty.yaml"
run 1 "file is empty" -- render "$WORK/in/empty.yaml" -o "$WORK/in/x.pdf"
head -c 3000 /dev/urandom >"$WORK/in/random.yaml"
run 1 "error" -- render "$WORK/in/random.yaml" -o "$WORK/in/x.pdf"
iconv -f UTF-8 -t UTF-16 "$SAMPLE" >"$WORK/in/utf16.yaml"
run 1 "UTF-8" -- render "$WORK/in/utf16.yaml" -o "$WORK/in/x.pdf"
iconv -f UTF-8 -t GB18030 "$SAMPLE" >"$WORK/in/gbk.yaml"
run 1 "(not|invalid) UTF-8.*save .*UTF-8" -- render "$WORK/in/gbk.yaml" \
  -o "$WORK/in/x.pdf"
cp "$SAMPLE" "$WORK/in/secret.yaml"
chmod 000 "$WORK/in/secret.yaml"
if [ "$(id -u)" -ne 0 ]; then
  run 1 "Permission denied" -- render "$WORK/in/secret.yaml" -o "$WORK/in/x.pdf"
elif command -v setpriv >/dev/null; then
  chmod 777 "$WORK" "$WORK/in"
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    timeout 60 "$JXFORM" render "$WORK/in/secret.yaml" -o "$WORK/in/x.pdf" \
    2>"$WORK/err.txt"
  [ $? -eq 1 ] && grep -q "Permission denied" "$WORK/err.txt" ||
    fail "an unreadable input (as nobody) did not say Permission denied"
fi
[ ! -e "$WORK/in/x.pdf" ] || fail "a PDF was written from a bad input"
no_leftovers "$WORK/in"

# ---- hostile YAML ---------------------------------------------------------------
H="$WORK/hostile"
mkdir -p "$H"
{
  echo 'a: &a ["x","x","x","x","x","x","x","x","x"]'
  for i in b c d e f g h i j k l m; do
    prev=$(printf "\\$(printf '%03o' $(($(printf '%d' "'$i") - 1)))")
    echo "$i: &$i [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"
  done
} >"$H/laughs.yaml"
run 1 "aliases .* not allowed" -- render "$H/laughs.yaml" -o "$H/x.pdf"
python3 -c "print('a: ' + '[' * 100000)" >"$H/deep.yaml"
run 1 "deeper than the limit of 64" -- render "$H/deep.yaml" -o "$H/x.pdf"
python3 -c "print('- ' * 50000 + 'x')" >"$H/deep-block.yaml"
run 1 "deeper than the limit of 64" -- render "$H/deep-block.yaml" -o "$H/x.pdf"
python3 -c "
for i in range(200000): print('k%d: v' % i)" >"$H/keys.yaml"
run 1 "more than 100000 values" -- render "$H/keys.yaml" \
  -o "$H/x.pdf"
python3 -c "
for i in range(30000): print('schema: 1')" >"$H/dups.yaml"
run 1 "duplicate key 'schema'.*" -- render "$H/dups.yaml" -o "$H/x.pdf"
grep -q "more than 100 problems in this file" "$WORK/err.txt" ||
  fail "30,000 repeated keys were not cut short at 100 problems"
python3 -c "
print('a: &a x')
for i in range(300000): print('b%d: *a' % i)" >"$H/aliases.yaml"
run 1 "aliases .* not allowed" -- render "$H/aliases.yaml" -o "$H/x.pdf"
python3 -c "print('\"' + 'k' * 3000000 + '\": 1')" >"$H/long-key.yaml"
run 1 "error" -- render "$H/long-key.yaml" -o "$H/x.pdf"
python3 -c "
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
print(re.sub(r'(?m)^overview: .*$', lambda m: 'overview: \"a\\\\0b\"', s), end='')" \
  "$SAMPLE" >"$H/nul.yaml"
run 1 "NUL" -- render "$H/nul.yaml" -o "$H/x.pdf"
sed 's/^template: .*/template: ..\/..\/..\/etc\/passwd/' "$SAMPLE" >"$H/tpl.yaml"
run 1 "invalid template name" -- render "$H/tpl.yaml" -o "$H/x.pdf"
sed 's/^template: .*/template: \/etc\/passwd/' "$SAMPLE" >"$H/tpl2.yaml"
run 1 "invalid template name" -- render "$H/tpl2.yaml" -o "$H/x.pdf"
python3 -c "print('\n' * 100000, end='')" >"$H/blank.yaml"
run 1 "file is empty" -- render "$H/blank.yaml" -o "$H/x.pdf"
python3 -c "
import sys
s = open(sys.argv[1], encoding='utf-8').read()
print(s.replace('overview: ', 'overview: ' + '市' * 350000, 1), end='')" \
  "$SAMPLE" >"$H/mb-cell.yaml"
run 1 "more than the limit of 10000 characters" -- render "$H/mb-cell.yaml" \
  -o "$H/x.pdf"
python3 -c "
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
rows = ''.join('    - {level1: 产出指标, level2: 数量指标, level3: 指标%d, value: 1个}\n' % i
               for i in range(10000))
s = re.sub(r'(?ms)^indicators:.*?(?=^footer:|\Z)', 'indicators:\n  period:\n' + rows, s)
print(s, end='')" "$SAMPLE" >"$H/ind.yaml"
run 1 "10000 rows in .indicators.*limit of 500" -- render "$H/ind.yaml" -o "$H/x.pdf"
python3 -c "
import sys
s = open(sys.argv[1], encoding='utf-8').read()
print(s.replace('overview: ', 'overview: ' + 'W' * 5000, 1), end='')" \
  "$SAMPLE" >"$H/run.yaml"
run 0 "" -- render "$H/run.yaml" -o "$H/run.pdf"
is_pdf "$H/run.pdf" || fail "a 5,000-character run did not give a PDF"
rm -f "$H/run.pdf"
[ ! -e "$H/x.pdf" ] || fail "a PDF was written from a hostile input"
no_leftovers "$H"

# ---- fonts and templates ------------------------------------------------------
T="$WORK/tpl"
mkdir -p "$T"
# with_font NAME FACE: template NAME.yaml whose body face is FACE, and a
# project NAME-p.yaml that uses it.
with_font() {
  sed "s|faces: \[AR PL UMing CN, HanaMinA, HanaMinB\]|faces: [\"$2\", HanaMinA]|" \
    "$TEMPLATE" >"$T/$1.yaml"
  sed "s|^template: .*|template: $1|" "$SAMPLE" >"$T/$1-p.yaml"
}
with_font missing "$T/no-such-font.ttf"
run 1 "no-such-font.ttf': cannot open the file.*No such file.*correct the path" \
  -- render "$T/missing-p.yaml" --template-dir "$T" -o "$T/x.pdf"
head -c 5000 /dev/urandom >"$T/corrupt.ttf"
with_font corrupt "$T/corrupt.ttf"
run 1 "corrupt.ttf' is not a font file.*damaged" -- render "$T/corrupt-p.yaml" \
  --template-dir "$T" -o "$T/x.pdf"
head -c 30000 /usr/share/fonts/truetype/arphic/uming.ttc >"$T/truncated.ttc"
with_font truncated "$T/truncated.ttc"
run 1 "truncated.ttc" -- render "$T/truncated-p.yaml" --template-dir "$T" \
  -o "$T/x.pdf"
cff="$(fc-list -f '%{file}\n' ':fontformat=CFF' 2>/dev/null | head -1)"
if [ -n "$cff" ]; then
  with_font cff "$cff"
  run 1 "has no TrueType outlines.*fonts-arphic-uming" -- render \
    "$T/cff-p.yaml" --template-dir "$T" -o "$T/x.pdf"
else
  echo "robust: no CFF font installed: CFF case skipped" >&2
fi
with_font absent "FZXiaoBiaoSong-B05S"
run 1 "font family 'FZXiaoBiaoSong-B05S' is not installed.*fc-list" -- render \
  "$T/absent-p.yaml" --template-dir "$T" -o "$T/x.pdf"
sed 's|^template: .*|template: no-such-template|' "$SAMPLE" >"$T/notpl.yaml"
run 1 "no-such-template.yaml: error: cannot open template: No such file" -- \
  render "$T/notpl.yaml" --template-dir "$T" -o "$T/x.pdf"
run 1 "looked in $T/nowhere" -- render "$SAMPLE" --template-dir "$T/nowhere" \
  -o "$T/x.pdf"
printf 'name: [broken\n' >"$T/broken.yaml"
sed 's|^template: .*|template: broken|' "$SAMPLE" >"$T/broken-p.yaml"
run 1 "broken.yaml:2" -- render "$T/broken-p.yaml" --template-dir "$T" \
  -o "$T/x.pdf"
[ ! -e "$T/x.pdf" ] || fail "a PDF was written with a broken font or template"

# ---- packets: concurrent --split runs, link loops, @list cycles (issue 14) ---
P="$WORK/packets"
mkdir -p "$P"
# named_copy SAMPLE NAME OUT: SAMPLE with its project name set to NAME.
named_copy() {
  sed "0,/^  name: .*/s//  name: $2/" "$1" >"$3"
}
# cover_projects PDF: the project count printed on a packet's cover.
cover_projects() {
  pdftotext -l 1 "$1" - 2>/dev/null | sed -n 's/^项 目 数：\([0-9]*\) 个$/\1/p'
}
# Two --split runs at once into one folder, projects of different sizes
# finishing out of order on many threads: temporary files of their own,
# so every PDF holds the project its name says (the shared
# .jxform-part-N.pdf names swapped 16 of 200 and lost 26).
mkdir -p "$P/run-a" "$P/run-b" "$P/split"
for i in $(seq -f %03g 1 80); do
  s="$(ls "$SRC"/samples/0$(((10#$i % 6) + 1))-*.yaml)"
  named_copy "$s" "甲项目${i}号" "$P/run-a/p$i.yaml"
  named_copy "$s" "乙项目${i}号" "$P/run-b/p$i.yaml"
done
timeout 120 "$JXFORM" packet "$P/run-a" --split "$P/split" -q --threads 16 \
  2>"$P/a.err" &
pid_a=$!
timeout 120 "$JXFORM" packet "$P/run-b" --split "$P/split" -q --threads 16 \
  2>"$P/b.err" &
pid_b=$!
wait "$pid_a" || fail "concurrent --split run a exited $?: $(grep -m1 error "$P/a.err")"
wait "$pid_b" || fail "concurrent --split run b exited $?: $(grep -m1 error "$P/b.err")"
mismatched=0
for f in "$P"/split/*.pdf; do
  want="$(basename "$f" .pdf)"
  want="${want#*-}"
  case "$(pdftotext "$f" - 2>/dev/null)" in
  *"$want"*) ;;
  *) mismatched=$((mismatched + 1)) ;;
  esac
done
[ "$mismatched" -eq 0 ] || fail "concurrent --split: $mismatched PDFs hold another project"
n="$(ls "$P/split" | wc -l)"
[ "$n" -eq 160 ] || fail "concurrent --split: $n PDFs, expected 160"
! ls -A "$P/split" | grep -q '^\.' || fail "concurrent --split left temporary files"

# A folder that links to itself, twice: searched once, each project once,
# quickly (it used to grow past 400 MB and never end).
mkdir -p "$P/loop"
cp "$P/run-a/p001.yaml" "$P/run-a/p002.yaml" "$P/loop/"
ln -s . "$P/loop/a"
ln -s . "$P/loop/b"
start=$SECONDS
run 0 "loop/a leads back to folder .*loop" -- packet "$P/loop" -o "$P/loop.pdf" -q
[ $((SECONDS - start)) -le 20 ] || fail "a self-linked folder took $((SECONDS - start)) s"
[ "$(cover_projects "$P/loop.pdf")" = 2 ] ||
  fail "a self-linked folder gave $(cover_projects "$P/loop.pdf") projects, expected 2"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f %M -o "$P/rss" timeout 20 "$JXFORM" packet "$P/loop" \
    -o "$P/loop.pdf" -q 2>/dev/null
  rss="$(tail -1 "$P/rss")"
  [ "${rss:-0}" -lt 1000000 ] || fail "a self-linked folder took ${rss} KB"
fi
# An empty subfolder (was qsort(NULL, 0): a UBSan abort).
mkdir -p "$P/loop/empty"
run 0 "" -- packet "$P/loop" -o "$P/loop.pdf" -q

# An @list that includes itself: named in a warning, read once.
(
  cd "$P/loop" || exit 1
  printf '@self.lst\np001.yaml\n' >self.lst
  run 0 "@self.lst includes itself" -- packet @self.lst -o "$P/self.pdf" -q
  exit $failures
) || failures=$((failures + 1))
[ "$(cover_projects "$P/self.pdf")" = 1 ] ||
  fail "a self-including @list gave $(cover_projects "$P/self.pdf") projects, expected 1"
# A list cycle through two lists.
printf '@%s\n%s\n' "$P/l2.lst" "$P/loop/p001.yaml" >"$P/l1.lst"
printf '@%s\n%s\n' "$P/l1.lst" "$P/loop/p002.yaml" >"$P/l2.lst"
run 0 "l1.lst includes itself" -- packet "@$P/l1.lst" -o "$P/cycle.pdf" -q
[ "$(cover_projects "$P/cycle.pdf")" = 2 ] ||
  fail "a cycle of @lists gave $(cover_projects "$P/cycle.pdf") projects, expected 2"

# One file given twice (by itself and in its folder; through a link):
# put in once, with a warning.
rm -rf "$P/loop/empty" "$P/loop/a" "$P/loop/b" "$P/loop/self.lst"
ln -s p001.yaml "$P/loop/link.yaml"
run 0 "the same file as .*given twice" -- packet "$P/loop/p001.yaml" "$P/loop" \
  -o "$P/twice.pdf" -q
[ "$(cover_projects "$P/twice.pdf")" = 2 ] ||
  fail "a file given twice gave $(cover_projects "$P/twice.pdf") projects, expected 2"

# --split never replaces an input: refused, the inputs unchanged.
mkdir -p "$P/in"
cp "$P/run-a/p001.yaml" "$P/in/1.yaml"
cp "$P/run-a/p002.yaml" "$P/in/2.yaml"
cp -r "$P/in" "$P/in-copy"
run 1 "refusing to write the PDF over the input .*1.yaml" -- packet "$P/in" \
  --split "$P/in" --name '{index}.yaml' -q
same_file "$P/in/1.yaml" "$P/in-copy/1.yaml"
same_file "$P/in/2.yaml" "$P/in-copy/2.yaml"
only_entries "$P/in" 1.yaml 2.yaml

# --split --fail-fast stops at a broken input and writes nothing.
mkdir -p "$P/ff"
cp "$P/run-a/p001.yaml" "$P/ff/1.yaml"
printf 'a: [\n' >"$P/ff/2.yaml"
cp "$P/run-a/p003.yaml" "$P/ff/3.yaml"
run 1 "no PDF written" -- packet "$P/ff" --split "$P/ff-out" --fail-fast \
  --threads 1 -q
only_entries "$P/ff-out"
# …and with no broken input writes every PDF.
rm "$P/ff/2.yaml"
run 0 "" -- packet "$P/ff" --split "$P/ff-out" --fail-fast -q
only_entries "$P/ff-out" "045-甲项目001号.pdf" "005-甲项目003号.pdf"

# Cover totals past 2^63 cents: 100 projects at the largest amount add up
# to 99,999,999,999,999,999 元 (an int64 printed -84,467,440,737,095,517.16).
mkdir -p "$P/big"
sed -E 's/^(    (total|city_county)): 34060000 /\1: 999999999999999.99 /' \
  "$SAMPLE" >"$P/big/p000.yaml"
for i in $(seq -w 1 99); do cp "$P/big/p000.yaml" "$P/big/p$i.yaml"; done
run 0 "" -- packet "$P/big" -o "$P/big.pdf" -q
case "$(pdftotext -l 1 "$P/big.pdf" - 2>/dev/null)" in
*"：99,999,999,999,999,999 元"*) ;;
*) fail "cover total of 100 largest amounts: $(pdftotext -l 1 "$P/big.pdf" - |
  grep 元)" ;;
esac

# ---- every write checked, standard output too (issue 14) -------------------
timeout 60 "$JXFORM" check --format=json "$SAMPLE" >/dev/full 2>"$WORK/err.txt"
[ $? -eq 1 ] && grep -q "standard output" "$WORK/err.txt" ||
  fail "check --format=json >/dev/full did not fail with a message"
timeout 60 "$JXFORM" render --dump=model "$SAMPLE" >/dev/full 2>"$WORK/err.txt"
[ $? -eq 1 ] && grep -q "standard output" "$WORK/err.txt" ||
  fail "render --dump=model >/dev/full did not fail with a message"
timeout 60 "$JXFORM" schema >/dev/full 2>"$WORK/err.txt"
[ $? -eq 1 ] && grep -q "standard output" "$WORK/err.txt" ||
  fail "schema >/dev/full did not fail with a message"
# Nothing written, standard output closed: not an error.
timeout 60 "$JXFORM" check "$SAMPLE" >&- 2>/dev/null ||
  fail "check with standard output closed (nothing to write) failed"
# A full disk (the JSON was cut at 4096 bytes, exit 0).
if mountpoint -q "$WORK/full" 2>/dev/null; then
  mount -o remount,rw "$WORK/full" 2>/dev/null
  dd if=/dev/zero of="$WORK/full/filler" bs=4k status=none 2>/dev/null
  mkdir -p "$WORK/json-in"
  for i in $(seq 1 40); do cp "$SRC/samples/05-rencai-gongzuo.yaml" "$WORK/json-in/$i.yaml"; done
  timeout 60 "$JXFORM" check --format=json "$WORK"/json-in/*.yaml \
    >"$WORK/full/out.json" 2>"$WORK/err.txt"
  [ $? -eq 1 ] && grep -q "standard output" "$WORK/err.txt" ||
    fail "check --format=json on a full disk did not fail with a message"
  rm -f "$WORK/full/filler" "$WORK/full/out.json"
fi

# ---- honest messages (issue 14) ----------------------------------------------
run 2 "-o needs a file name" -- render "$SAMPLE" -o ""
run 2 "-o needs a file name" -- packet "$SAMPLE" -o ""
# check - with standard input closed: the unread input is an error.
timeout 60 "$JXFORM" check - <&- 2>"$WORK/err.txt"
[ $? -eq 1 ] && grep -q "checked 1 file: 1 error" "$WORK/err.txt" ||
  fail "check - with standard input closed: $(tail -1 "$WORK/err.txt")"
# SOURCE_DATE_EPOCH past year 9999: a warning, and no date (was a
# 5-digit year in the PDF date).
SOURCE_DATE_EPOCH=99999999999999 run 0 "SOURCE_DATE_EPOCH.*no date written" \
  -- packet "$SAMPLE" -o "$WORK/sde.pdf" -q
! grep -aq "CreationDate" "$WORK/sde.pdf" ||
  fail "an out-of-range SOURCE_DATE_EPOCH was written as a date"

# ---- JSON for file names that are not UTF-8 (issue 14) ---------------------
J="$WORK/json"
mkdir -p "$J"
gbk="$J/$(printf '\xcf\xee\xc4\xbf').yaml" # 项目 in GBK
cp "$SAMPLE" "$gbk"
printf 'a: [\n' >"$J/$(printf 'bad\xff\xc0\xed\xa0\x80').yaml"
timeout 60 "$JXFORM" check --format=json "$gbk" "$J"/bad*.yaml \
  >"$J/out.json" 2>"$J/err.txt"
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert len(d["files"]) == 2, d["files"]
assert all("\ufffd" in f["file"] for f in d["files"]), d["files"]
' "$J/out.json" 2>"$J/py.txt" ||
  fail "check --format=json with non-UTF-8 file names is not valid JSON: $(tail -1 "$J/py.txt")"

# --- templates and fonts are untrusted input: a template that is a FIFO
# or a link to /dev/zero, and a font path that is a FIFO, are refused at
# once (they used to hang, or read 8 GB before failing) ---
T="$WORK/untrusted-templates"
mkdir -p "$T"
mkfifo "$T/fifo.yaml"
ln -s /dev/zero "$T/zero.yaml"
mkfifo "$T/font.ttf"
sed -e "s|faces: \[AR PL UMing CN, HanaMinA, HanaMinB\]|faces: [$T/font.ttf, AR PL UMing CN]|" \
  -e 's/^name: yangquan-2025/name: fifofont/' \
  "$SRC/templates/yangquan-2025.yaml" > "$T/fifofont.yaml"
for name in fifo zero fifofont; do
  sed "s/^template: yangquan-2025/template: $name/" \
    "$SRC/samples/02-daolu-wajue.yaml" > "$T/p-$name.yaml"
done
run 1 "fifo.yaml: error: cannot read template: not a regular file" -- \
  render "$T/p-fifo.yaml" -o "$T/x.pdf" --template-dir "$T"
run 1 "zero.yaml: error: cannot read template: not a regular file" -- \
  render "$T/p-zero.yaml" -o "$T/x.pdf" --template-dir "$T"
run 1 "font.ttf' is not a font file" -- \
  render "$T/p-fifofont.yaml" -o "$T/x.pdf" --template-dir "$T"
[ -e "$T/x.pdf" ] && fail "a PDF was written with an untrusted template"

# --- a link out of the folder given is said (and followed) ---
O="$WORK/out-of-tree"
mkdir -p "$O/in" "$O/elsewhere"
cp "$SRC/samples/02-daolu-wajue.yaml" "$O/in/"
cp "$SRC/samples/03-gongjiao-butie.yaml" "$O/elsewhere/"
ln -s "$O/elsewhere" "$O/in/ext"
run 0 "in/ext is a link out of the folder .*in \(to .*elsewhere\)" -- \
  packet -q "$O/in" -o "$O/p.pdf"

if [ "$failures" -ne 0 ]; then
  echo "robust: $failures failure(s)" >&2
  exit 1
fi
echo "robust: all failure-injection checks passed"
