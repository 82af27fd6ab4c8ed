#!/usr/bin/env bash
# End-to-end: the command line's own conveniences — help per command,
# render from standard input and to standard output, the 'wrote …' line
# and --quiet; check and render of folders (searched as packet searches
# them); render shows the warnings check shows (the rules across files
# too); the skeleton of new says the year it writes; check and render of
# many files in memory flat in their number, with the same output.
# Usage: cli.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
fail() { echo "FAIL: $*"; exit 1; }
sample="$src/samples/02-daolu-wajue.yaml"

for cmd in render check new schema packet; do
  "$jxform" help "$cmd" > "$work/h1.txt" || fail "help $cmd exited $?"
  grep -q "^usage: jxform $cmd" "$work/h1.txt" || fail "help $cmd: $(head -1 "$work/h1.txt")"
  "$jxform" "$cmd" --help > "$work/h2.txt" || fail "$cmd --help exited $?"
  cmp -s "$work/h1.txt" "$work/h2.txt" || fail "$cmd --help differs from help $cmd"
done
"$jxform" help > "$work/h.txt" && grep -q 'jxform help \[COMMAND\]' "$work/h.txt" ||
  fail "help: no overview"
status=0
"$jxform" help nope 2> /dev/null || status=$?
[ "$status" = 2 ] || fail "help nope exited $status, not 2"

# render: standard input to standard output, the same bytes as a file
"$jxform" render "$sample" -o "$work/a.pdf" 2> "$work/a.txt" || fail "render: $(cat "$work/a.txt")"
grep -qx "jxform: wrote $work/a.pdf (1 form)" "$work/a.txt" || fail "no 'wrote' line: $(cat "$work/a.txt")"
"$jxform" render - -o - < "$sample" > "$work/b.pdf" 2> "$work/b.txt" ||
  fail "render - -o -: $(cat "$work/b.txt")"
cmp -s "$work/a.pdf" "$work/b.pdf" || fail "render - -o - differs from the file render"
"$jxform" render -q "$sample" -o "$work/c.pdf" 2> "$work/c.txt" || fail "render -q failed"
[ -s "$work/c.txt" ] && fail "render -q printed: $(cat "$work/c.txt")"
status=0
"$jxform" render - < "$sample" 2> /dev/null || status=$?
[ "$status" = 2 ] || fail "render - without -o exited $status, not 2"
status=0
"$jxform" render - - -o "$work/d.pdf" < "$sample" 2> /dev/null || status=$?
[ "$status" = 2 ] || fail "render - - exited $status, not 2"

# check and render take folders, searched recursively for project files
# as packet does (.yaml, .yml, .json in any case; NAME.yaml.txt named)
mkdir -p "$work/dir/sub" "$work/empty"
cp "$src/samples/02-daolu-wajue.yaml" "$work/dir/a.yaml"
cp "$src/samples/06-laji-fenshao.yaml" "$work/dir/sub/b.YML"
cp "$src/samples/03-gongjiao-butie.yaml" "$work/dir/c.yaml.txt"
"$jxform" check "$work/dir" 2> "$work/check-dir.txt" ||
  fail "check of a folder: $(cat "$work/check-dir.txt")"
tail -1 "$work/check-dir.txt" | grep -qx "jxform: checked 2 files: 0 errors, 0 warnings" ||
  fail "check of a folder: $(cat "$work/check-dir.txt")"
grep -q "warning: $work/dir/c.yaml.txt is left out: Notepad added '.txt'" "$work/check-dir.txt" ||
  fail "check of a folder: no word on c.yaml.txt: $(cat "$work/check-dir.txt")"
grep -q "Is a directory" "$work/check-dir.txt" && fail "check of a folder: $(cat "$work/check-dir.txt")"
"$jxform" check --format=json "$work/dir" 2> /dev/null > "$work/check-dir.json" ||
  fail "check --format=json of a folder failed"
python3 - "$work/check-dir.json" "$work/dir" << 'PY' || fail "check --format=json of a folder"
import json, sys
d = json.load(open(sys.argv[1]))
files = [f["file"] for f in d["files"]]
assert d["ok"] and files == [sys.argv[2] + "/a.yaml", sys.argv[2] + "/sub/b.YML"], files
PY
printf 'schema: 1\nyear: [oops\n' > "$work/dir/sub/broken.yaml"
status=0
"$jxform" check "$work/dir" 2> "$work/check-bad.txt" || status=$?
[ "$status" = 1 ] && grep -q "broken.yaml:.*error" "$work/check-bad.txt" ||
  fail "check of a folder with a broken file exited $status: $(cat "$work/check-bad.txt")"
rm "$work/dir/sub/broken.yaml"
status=0
"$jxform" check "$work/empty" 2> "$work/check-empty.txt" || status=$?
[ "$status" = 1 ] && grep -q "empty: no project files" "$work/check-empty.txt" ||
  fail "check of an empty folder exited $status: $(cat "$work/check-empty.txt")"
# render FOLDER: each file's PDF beside it; with -o all in one
"$jxform" render "$work/dir" 2> "$work/render-dir.txt" ||
  fail "render of a folder: $(cat "$work/render-dir.txt")"
[ -s "$work/dir/a.pdf" ] && [ -s "$work/dir/sub/b.pdf" ] && [ ! -e "$work/dir/c.pdf" ] ||
  fail "render of a folder wrote: $(find "$work/dir" -name '*.pdf')"
"$jxform" render "$work/dir" -o "$work/dir.pdf" 2> "$work/render-dir-o.txt" ||
  fail "render of a folder -o: $(cat "$work/render-dir-o.txt")"
grep -qx "jxform: wrote $work/dir.pdf (2 forms)" "$work/render-dir-o.txt" ||
  fail "render of a folder -o: $(cat "$work/render-dir-o.txt")"
# two inputs whose PDFs would be one file (a.yaml, a.yml): the second
# refused, not written over the first
cp "$src/samples/06-laji-fenshao.yaml" "$work/dir/a.yml"
status=0
"$jxform" render "$work/dir/a.yaml" "$work/dir/a.yml" 2> "$work/render-twice.txt" || status=$?
[ "$status" = 1 ] && grep -q "refusing to write $work/dir/a.pdf again" "$work/render-twice.txt" &&
  pdftotext "$work/dir/a.pdf" - | grep -q 道路挖掘修复费 ||
  fail "a.yaml and a.yml rendered to one a.pdf (exit $status): $(cat "$work/render-twice.txt")"

# render prints the warnings check prints for the same files: those of
# each file (the skeleton of new) and those across files (an indicator
# value equal to another project's total), and still renders
warnings() { grep -E ': (warning|error): ' "$1" | sort; }
"$jxform" new -o "$work/new.yaml" 2> /dev/null
"$jxform" check "$work/new.yaml" 2> "$work/new-check.txt"
"$jxform" render "$work/new.yaml" 2> "$work/new-render.txt" ||
  fail "render of the skeleton failed: $(cat "$work/new-render.txt")"
warnings "$work/new-check.txt" > "$work/w1.txt"
warnings "$work/new-render.txt" > "$work/w2.txt"
[ -s "$work/w1.txt" ] && cmp -s "$work/w1.txt" "$work/w2.txt" ||
  fail "render of the skeleton warns otherwise than check: $(diff "$work/w1.txt" "$work/w2.txt" | head -5)"
two=("$src/samples/01-chengshi-daolu.yaml" "$src/samples/02-daolu-wajue.yaml")
"$jxform" check "${two[@]}" 2> "$work/two-check.txt"
"$jxform" render "${two[@]}" -o "$work/two.pdf" 2> "$work/two-render.txt" ||
  fail "render of two samples failed: $(cat "$work/two-render.txt")"
warnings "$work/two-check.txt" > "$work/w1.txt"
warnings "$work/two-render.txt" > "$work/w2.txt"
grep -q 'value-other-total' "$work/w1.txt" && cmp -s "$work/w1.txt" "$work/w2.txt" ||
  fail "render of two files warns otherwise than check: $(diff "$work/w1.txt" "$work/w2.txt" | head -5)"

# check and render of many files keep of each project only what the
# rules across files need (issue 12): render beside each input loads the
# files again one by one, and writes what it writes from each file alone;
# the warnings across files are shown once; with --strict an input they
# name is not rendered; what cannot be read twice (a pipe) is held
mkdir -p "$work/many"
cp "${two[@]}" "$work/many/"
cp "$src/samples/03-gongjiao-butie.yaml" "$work/many/"
"$jxform" render "$work/many" 2> "$work/many.txt" ||
  fail "render of three files: $(cat "$work/many.txt")"
[ "$(grep -c 'value-other-total' "$work/many.txt")" = 2 ] ||
  fail "render of three files: the warnings across files: $(cat "$work/many.txt")"
for f in 01-chengshi-daolu 02-daolu-wajue 03-gongjiao-butie; do
  "$jxform" render -q "$work/many/$f.yaml" -o "$work/alone.pdf" 2> /dev/null
  cmp -s "$work/many/$f.pdf" "$work/alone.pdf" ||
    fail "render of three files: $f.pdf differs from its render alone"
done
rm "$work"/many/*.pdf
status=0
"$jxform" render --strict "$work/many" 2> "$work/many-strict.txt" || status=$?
[ "$status" = 1 ] && [ ! -e "$work/many/01-chengshi-daolu.pdf" ] &&
  [ -s "$work/many/02-daolu-wajue.pdf" ] && [ -s "$work/many/03-gongjiao-butie.pdf" ] ||
  fail "render --strict of three files (exit $status): $(ls "$work/many")"
"$jxform" render --dump=model <(cat "${two[0]}") <(cat "${two[1]}") \
  > "$work/pipes.txt" 2> "$work/pipes.err" ||
  fail "render --dump=model of two pipes: $(cat "$work/pipes.err")"
grep -q '道路挖掘修复费' "$work/pipes.txt" && grep -q 'value-other-total' "$work/pipes.err" ||
  fail "render --dump=model of two pipes: $(head -3 "$work/pipes.txt") $(cat "$work/pipes.err")"
# memory flat in the number of files: 360 files take about what 6 take
# (it was 75 KB more a file); ru_maxrss of the child, in KB
mkdir -p "$work/flat"
for i in $(seq 1 60); do
  for f in "$src"/samples/0*.yaml; do cp "$f" "$work/flat/$i-${f##*/}"; done
done
peak() {
  python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
small=$(peak "$jxform" check "$work"/flat/1-*.yaml)
large=$(peak "$jxform" check "$work/flat")
json=$(peak "$jxform" check --format=json "$work/flat")
# (AddressSanitizer keeps freed memory in quarantine: no measure there)
if [ "$(nm "$jxform" 2>/dev/null | grep -c __asan_init)" != 0 ]; then
  echo "cli: sanitizer build: memory of check not measured"
elif [ $((large - small)) -ge 8000 ] || [ $((json - small)) -ge 8000 ]; then
  fail "check of 360 files: $large KB (json $json KB), of 6: $small KB"
fi
"$jxform" check "$work/flat" 2> "$work/flat.txt"
tail -1 "$work/flat.txt" | grep -qx "jxform: checked 360 files: 0 errors, 300 warnings" ||
  fail "check of 360 files: $(tail -1 "$work/flat.txt")"

# new: the year comment shows the year written, not the template's
"$jxform" new --year 2031 > "$work/y.yaml"
grep -Eq '^year: 2031 +#.*（2031年度）' "$work/y.yaml" && ! grep -q '2025年' "$work/y.yaml" ||
  fail "new --year 2031: $(grep -n '20[0-9][0-9]' "$work/y.yaml" | head -3)"
"$jxform" new --year 2031 --template self-eval-2020 > "$work/y2.yaml"
grep -Eq '^year: 2031 +#.*（2031年度）' "$work/y2.yaml" ||
  fail "new --year 2031 --template self-eval-2020: $(grep -n '^year' "$work/y2.yaml")"
"$jxform" new > "$work/y3.yaml"
year=$(sed -n 's/^year: \([0-9]*\).*/\1/p' "$work/y3.yaml")
grep -Eq "^year: $year +#.*（${year}年度）" "$work/y3.yaml" ||
  fail "new: $(grep -n '^year' "$work/y3.yaml")"
# ... and its header comments in Chinese with --lang=zh
"$jxform" --lang=zh new | sed -n '1,/^schema:/p' > "$work/zh-head.txt"
grep -Eiwq 'the|write|quote|value|amounts|fix|keep' "$work/zh-head.txt" &&
  fail "new --lang=zh: English in its header: $(cat "$work/zh-head.txt")"
echo "cli: ok"
