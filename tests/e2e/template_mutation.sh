#!/usr/bin/env bash
# Templates as untrusted input: every number of the 阳泉 template mutated
# to hostile values terminates with a PDF or diagnostics (see
# tests/e2e/template_mutation.py).
# Usage: template_mutation.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
python3 "$2/tests/e2e/template_mutation.py" "$@"
