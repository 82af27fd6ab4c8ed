#!/usr/bin/env bash
# Builds the seed corpus for the fuzz targets in DIR (default
# build-fuzz/seeds): the samples, the hard cases, the broken-input corpus
# (tests/bad/), the hostile inputs kept in fuzz/seeds/, every regression
# input under tests/regress/, and the YAML texts written as C string
# literals in the loader's unit tests.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$src/build-fuzz/seeds}"
mkdir -p "$out"
for f in "$src"/samples/*.yaml "$src"/tests/golden/*.yaml \
         "$src"/tests/bad/*.yaml "$src"/fuzz/seeds/* "$src"/tests/regress/*; do
  case "$f" in *.md) continue ;; esac
  [ -f "$f" ] && cp "$f" "$out/$(basename "$f")"
done
python3 - "$out" "$src"/tests/unit/test_yaml.c "$src"/tests/unit/test_load.c <<'PY'
import ast, hashlib, re, sys
out = sys.argv[1]
lit = re.compile(r'"(?:[^"\\\n]|\\.)*"')
for path in sys.argv[2:]:
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        continue
    # Adjacent literals (only whitespace between) form one C string.
    for group in re.finditer(r'(?:"(?:[^"\\\n]|\\.)*"\s*)+', text):
        parts = lit.findall(group.group(0))
        try:
            s = "".join(ast.literal_eval(p) for p in parts)
        except (ValueError, SyntaxError):
            continue
        if ":" not in s or "\n" not in s:
            continue
        data = s.encode("utf-8", "surrogateescape")
        name = "unit-" + hashlib.sha1(data).hexdigest()[:12]
        open(f"{out}/{name}", "wb").write(data)
PY
echo "make-seeds: $(ls "$out" | wc -l) seeds in $out"
# the template target's seeds: the shipped templates and the test ones
mkdir -p "$out-template"
for f in "$src"/templates/*.yaml "$src"/tests/templates/*.yaml \
         "$src"/docs/examples/county-2025.yaml; do
  [ -f "$f" ] && cp "$f" "$out-template/$(basename "$f")"
done
