#!/usr/bin/env bash
# The C code holds no form's words: see tests/e2e/no_form_words.py.
# Usage: no_form_words.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
python3 "$2/tests/e2e/no_form_words.py" "$@"
