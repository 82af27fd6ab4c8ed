#!/usr/bin/env bash
# End-to-end: schema/project.schema.json agrees with the loader, the
# skeleton of `jxform new` and the samples; see tests/e2e/schema_sync.py.
# Usage: schema.sh JXFORM SOURCE_DIR WORK_DIR
set -euo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
python3 "$src/tests/e2e/schema_sync.py" "$jxform" "$src" "$work"
