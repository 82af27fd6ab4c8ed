#!/usr/bin/env bash
# End-to-end: the command line's own conveniences — help per command,
# render from standard input and to standard output, the 'wrote …' line
# and --quiet.
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
echo "cli: ok"
