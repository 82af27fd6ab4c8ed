#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS — runs the fuzz targets side by side for
# SECONDS each (one core each), then prints executions, coverage and any
# crash, leak, timeout or sanitizer report.  Corpora grow in
# BUILD_DIR/corpus-NAME; findings land in BUILD_DIR/artifacts-NAME/ (copy
# each into tests/regress/ once fixed).  Exits 1 if anything was found.
set -uo pipefail
build="$(cd "$1" && pwd)"
seconds="${2:-60}"
src="$(cd "$(dirname "$0")/.." && pwd)"
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0"
export JXFORM_TEMPLATE_DIR="$src/templates"
cd "$build" || exit 1
# the template target starts from the shipped templates, the book target
# from the workbooks of the tests (tests/book, tests/import), the others
# from projects
mkdir -p seeds-book
cp "$src"/tests/book/*.xls* "$src"/tests/book/*.csv "$src"/tests/import/books/*/* \
  "$src"/tests/import/bad/*.xls* seeds-book/ 2>/dev/null
seeds_of() {
  case $1 in
  template) echo seeds-template ;;
  book) echo seeds-book ;;
  *) echo seeds ;;
  esac
}
# the dictionary: YAML's for projects and templates, none for workbooks
dict_of() { if [ "$1" = book ]; then echo; else echo "-dict=$src/fuzz/yaml.dict"; fi; }
pids=()
for t in load pipeline template book; do
  mkdir -p "corpus-$t" "artifacts-$t"
  timeout=10
  [ "$t" = pipeline ] && timeout=20
  max_len=65536
  [ "$t" = book ] && max_len=1048576
  # shellcheck disable=SC2046
  "fuzz/fuzz_$t" $(dict_of $t) -max_len=$max_len \
    -rss_limit_mb=2048 -timeout=$timeout -max_total_time="$seconds" \
    -print_final_stats=1 -artifact_prefix="artifacts-$t/" \
    "corpus-$t" "$(seeds_of $t)" >"fuzz_$t.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
found=0
for t in load pipeline template book; do
  last="$(grep -E '^#[0-9]+' "fuzz_$t.log" | tail -1)"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz_$t.log")"
  echo "fuzz_$t: ${runs:-?} executions; last status: $last"
  if grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' \
    "fuzz_$t.log" || [ -n "$(ls -A "artifacts-$t")" ]; then
    echo "fuzz_$t: FINDINGS — see $build/fuzz_$t.log and artifacts-$t/"
    found=1
  fi
done
exit $found
