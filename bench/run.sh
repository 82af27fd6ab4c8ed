#!/usr/bin/env bash
# The benchmark of issue 12: builds jxform in Release, then runs
# bench/bench.py (jxform against the peers, interleaved, on 600 varied
# projects from bench/gen.py; jxform alone at 600 and 6,000) and
# bench/floor.sh (jxform's CPU time against the replayed library floor,
# 6,000 projects).  Both write bench/results.md.
#
#   bench/run.sh                          # everything (about 15 min with Typst and pdfmake)
#   bench/run.sh --peers typst            # only Typst as the peer
#   bench/run.sh --peers ''               # no peer: jxform alone, and the floor
# First time on a fresh machine, for the Typst and pdfmake peers:
#   ../shared/peers/run-peers.sh --install   (or: cd PEERS/node && npm ci; see bench/README.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
      -DBUILD_TESTING=OFF -DJXFORM_WERROR=OFF >/dev/null
cmake --build "$root/build-bench" -j"$(nproc)" --target jxform_cli >/dev/null
rc=0
python3 "$root/bench/bench.py" "$root/build-bench/jxform" "$@" || rc=$?
"$root/bench/floor.sh" --jxform "$root/build-bench/jxform" -n 6000 || rc=$?
exit $rc
