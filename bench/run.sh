#!/usr/bin/env bash
# The packet benchmark of issue 6: builds jxform in Release, then runs
# bench/bench.py, which measures the peers (../shared/peers/run-peers.sh)
# and `jxform packet` in the same run and prints one table.
#
#   bench/run.sh                          # peers at 6,600 + jxform at 60,600,6000
#   bench/run.sh --peers typst            # only Typst as the peer (quick)
#   bench/run.sh --no-peers               # jxform only
# First time on a fresh machine: ../shared/peers/run-peers.sh --install
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_TESTING=OFF -DJXFORM_WERROR=OFF >/dev/null
cmake --build "$root/build-bench" -j"$(nproc)" --target jxform_cli >/dev/null
exec python3 "$root/bench/bench.py" "$root/build-bench/jxform" "$@"
