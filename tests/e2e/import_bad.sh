#!/usr/bin/env bash
# End-to-end: every broken workbook of tests/import/bad/ (made by its
# make-bad.py: files the readers refuse — a zip bomb, XML too deep, a
# broken zip directory, a password, a Word file … — and workbooks whose
# projects do not load) gives exactly its expected diagnostics, in English
# and in Chinese, text and JSON, each at its cell, exit status 1 and no
# output file (tests/e2e/bad_corpus.py, as for tests/bad/).
# Usage: import_bad.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
python3 "$src/tests/e2e/bad_corpus.py" "$jxform" "$src" "$work" tests/import/bad 20
