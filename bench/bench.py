#!/usr/bin/env python3
"""jxform packet benchmark against the peers (../shared/peers), in one run.

usage: bench.py JXFORM [--runs 3] [--sizes 60,600,6000] [--peer-sizes 6,600]
                [--peers typst,weasyprint,pdfmake,libreoffice] [--no-peers]

1. Runs ../shared/peers/run-peers.sh (the same six forms and their x100
   packet rendered by Typst, WeasyPrint, pdfmake, LibreOffice; warm-up +
   --runs rounds, medians, /usr/bin/time -v) and reads its results.json.
2. Right after, in the same run, renders packets of the six samples x N
   with `jxform packet` (same method: /usr/bin/time -v, 1 warm-up, median
   of --runs) for every size in --sizes.
3. Prints one table (wall, pages/s, peak RSS, bytes/page per tool and
   size) and checks the targets of issue 6: on the 600-project packet
   jxform >= 15x faster than Typst measured in this run, peak RSS <= 64 MB,
   <= 4.5 KB a page; across sizes, time per page roughly constant (linear)
   and peak RSS flat.  Exit status 1 when a check fails.
Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers")


def timed(cmd, log):
    """Wall (monotonic) and peak RSS (KB, from time -v) of cmd."""
    tfile = log + ".time"
    t0 = time.perf_counter()
    with open(log, "wb") as lf:
        rc = subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd,
                            stdout=lf, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - t0
    rss = None
    with open(tfile, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", line)
            if m:
                rss = int(m.group(1))
    if rc != 0:
        raise SystemExit(f"FAILED ({rc}): {' '.join(cmd)}; see {log}")
    return wall, rss


def pages_of(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def make_inputs(work, n):
    """A folder of n project files: the six samples, copied n/6 times."""
    d = os.path.join(work, f"in-{n}")
    if os.path.isdir(d):
        return d
    os.makedirs(d)
    samples = sorted(f for f in os.listdir(os.path.join(ROOT, "samples"))
                     if f.endswith(".yaml"))
    for k in range(n // len(samples)):
        for s in samples:
            shutil.copyfile(os.path.join(ROOT, "samples", s),
                            os.path.join(d, f"{k:05d}-{s}"))
    return d


def run_peers(a):
    cmd = [os.path.join(PEERS, "run-peers.sh"), "--sizes", a.peer_sizes,
           "--runs", str(a.runs), "--peers", a.peers]
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    # run-peers.sh runs from a writable copy when its folder is read-only
    for base in [PEERS, os.environ.get("PEERS_WORK", ""),
                 os.path.join(os.environ.get("XDG_CACHE_HOME",
                                             os.path.expanduser("~/.cache")),
                              "jxform-peers")]:
        f = os.path.join(base, "out", "results.json")
        if base and os.path.exists(f) and os.path.getmtime(f) > START:
            with open(f, encoding="utf-8") as fh:
                return json.load(fh)["cells"]
    raise SystemExit("run-peers.sh left no fresh out/results.json")


def run_jxform(a, work):
    rows = []
    for n in [int(x) for x in a.sizes.split(",") if x]:
        src = make_inputs(work, n)
        pdf = os.path.join(work, f"jxform-{n}.pdf")
        cmd = [a.jxform, "packet", src, "-o", pdf, "--quiet"]
        print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
        walls, rsss = [], []
        for rnd in range(a.runs + 1):
            w, r = timed(cmd, os.path.join(work, f"jxform-{n}-{rnd}.log"))
            if rnd:
                walls.append(w)
                rsss.append(r)
            print(f"  {n:>5} jxform round {rnd}{' (warm-up)' if rnd == 0 else ''}:"
                  f" {w:6.2f} s {r / 1024:6.1f} MB", file=sys.stderr, flush=True)
        rows.append({"peer": "jxform", "projects": n, "pages": pages_of(pdf),
                     "wall_med": statistics.median(walls),
                     "wall": walls, "rss_med_kb": statistics.median(rsss),
                     "bytes": os.path.getsize(pdf)})
    return rows


def main():
    global START
    START = time.time()
    ap = argparse.ArgumentParser()
    ap.add_argument("jxform")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="60,600,6000")
    ap.add_argument("--peer-sizes", default="6,600")
    ap.add_argument("--peers", default="typst,weasyprint,pdfmake,libreoffice")
    ap.add_argument("--no-peers", action="store_true")
    a = ap.parse_args()
    a.jxform = os.path.abspath(a.jxform)
    work = tempfile.mkdtemp(prefix="jxform-bench-")
    peers = [] if a.no_peers else run_peers(a)
    mine = run_jxform(a, work)

    rows = [c for c in peers] + mine
    rows.sort(key=lambda c: (c["projects"], c["peer"] != "jxform", c["peer"]))
    typst = {c["projects"]: c["wall_med"] for c in peers if c["peer"] == "typst"}
    out = ["| tool | projects | pages | wall s (median) | pages/s | peak RSS MB"
           " | bytes/page | vs Typst |", "|---|---|---|---|---|---|---|---|"]
    for c in rows:
        pages = c["pages"] or 1
        vs = ""
        if c["peer"] == "jxform" and c["projects"] in typst:
            vs = f"{typst[c['projects']] / c['wall_med']:.1f}x faster"
        out.append(f"| {c['peer']} | {c['projects']} | {c['pages']} | "
                   f"{c['wall_med']:.3f} | {pages / c['wall_med']:.0f} | "
                   f"{c['rss_med_kb'] / 1024:.1f} | {c['bytes'] / pages:.0f} | {vs} |")
    table = "\n".join(out)
    print(table)

    fails = []
    j = {c["projects"]: c for c in mine}
    if 600 in j:
        c = j[600]
        if 600 in typst and typst[600] / c["wall_med"] < 15:
            fails.append(f"600: only {typst[600] / c['wall_med']:.1f}x faster than Typst")
        if c["rss_med_kb"] > 64 * 1024:
            fails.append(f"600: peak RSS {c['rss_med_kb'] / 1024:.1f} MB > 64")
        if c["bytes"] / c["pages"] > 4500:
            fails.append(f"600: {c['bytes'] / c['pages']:.0f} bytes/page > 4500")
    if len(j) >= 2:
        per_page = [c["wall_med"] / c["pages"] for c in j.values()]
        big = [c for c in j.values() if c["projects"] >= 600]
        if len(big) >= 2:
            pp = [c["wall_med"] / c["pages"] for c in big]
            if max(pp) > 1.5 * min(pp):
                fails.append("time per page not linear from 600 up: "
                             + ", ".join(f"{x * 1000:.2f} ms" for x in pp))
        rss = [c["rss_med_kb"] for c in j.values()]
        if max(rss) > 1.5 * min(rss):
            fails.append("peak RSS not flat: " + ", ".join(f"{r / 1024:.1f} MB" for r in rss))
        print("\ntime per page: " + ", ".join(
            f"{c['projects']}: {c['wall_med'] / c['pages'] * 1000:.3f} ms"
            for c in j.values()))
    print("\nchecks: " + ("all pass" if not fails else "FAIL: " + "; ".join(fails)))
    with open(os.path.join(HERE, "results.md"), "w", encoding="utf-8") as f:
        f.write(table + "\n")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
