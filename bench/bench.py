#!/usr/bin/env python3
"""jxform packet against the peers, interleaved, on varied projects (issue 12).

usage: bench.py JXFORM [-n 600] [--pairs 5] [--peers typst,pdfmake,weasyprint,libreoffice]
                [--sizes 600,6000] [--seed 12] [--inputs DIR] [--peers-dir DIR] [--no-write]

1. bench/gen.py writes N varied projects (YAML for jxform, and the same
   projects as the peers' JSON) and checks every one with `jxform check`.
2. The peers' generators (../shared/peers/gen, Python) turn the JSON into
   each peer's source (timed once, reported apart: the ratio is about
   rendering).
3. For each peer that is installed: a warm-up of both, then --pairs pairs
   run back to back, `jxform packet` (A) then the peer (B): A B A B ...
   The ratio of each pair, peer / jxform, is taken on wall time and on CPU
   time (user + system of the process and its children, from wait4);
   reported: their median and min-max.  A peer that is not installed is
   named in the results and skipped.
4. jxform alone at each of --sizes (the first N of a larger set are the
   N-project set): warm-up + --pairs runs, median wall/CPU, peak RSS,
   pages, bytes a page, characters a page; time per page should stay flat
   from 600 up, peak RSS too.
5. bench/results.md gets the tables, the date, the machine (CPUs, model,
   memory, load average at each run), the versions and the commands; its
   <!-- floor --> section (bench/floor.sh) is kept.
Checks kept from issue 6 (exit status 1 when one fails): on N projects
jxform is >= 15x faster than Typst (median ratio), peak RSS <= 64 MB, <= 4.5
KB a page; time per page within 1.5x and peak RSS within 1.5x across sizes.
Peers: Typst and pdfmake need node and (cd PEERS/node && npm ci); WeasyPrint
the `weasyprint` command; LibreOffice `soffice`.  PEERS is --peers-dir, else
$PEERS_WORK, else ../shared/peers if its node/node_modules exists, else
~/.cache/jxform-peers (where ../shared/peers/run-peers.sh copies itself when
its folder is read-only).  Standard library only.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED_PEERS = os.path.join(os.path.dirname(ROOT), "shared", "peers")
FONT_DIR_TYPST = "/usr/share/fonts/truetype/arphic"


def run(cmd, log, cwd=None):
    """Runs cmd; returns wall s, CPU s (user+sys, children included, from
    wait4) and peak RSS in KB.  The peak RSS comes from /usr/bin/time, a
    small process between us and cmd: the ru_maxrss of a process forked
    straight from this one would start at this Python's own size."""
    tfile = log + ".rss"
    wrap = ["/usr/bin/time", "-f", "%M", "-o", tfile] if os.path.exists("/usr/bin/time") else []
    t0 = time.perf_counter()
    with open(log, "wb") as lf:
        p = subprocess.Popen(wrap + cmd, stdout=lf, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        raise SystemExit(f"FAILED ({rc}): {' '.join(cmd)}; see {log}")
    rss = ru.ru_maxrss
    if wrap:
        with open(tfile) as f:
            rss = int(f.read().split()[-1])
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": rss,
            "load": os.getloadavg()[0]}


def sh(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
        return (r.stdout + r.stderr).strip()
    except OSError:
        return ""


def pages_of(pdf):
    m = re.search(r"^Pages:\s+(\d+)", sh(["pdfinfo", pdf]), re.M)
    return int(m.group(1)) if m else 0


def chars_of(pdf):
    """Non-space characters pdftotext extracts."""
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True)
    return len(re.sub(r"\s", "", r.stdout.decode("utf-8", "replace")))


def find_peers_dir(a):
    cands = [a.peers_dir, os.environ.get("PEERS_WORK"), SHARED_PEERS,
             os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                          "jxform-peers")]
    for c in cands:
        if c and os.path.isdir(os.path.join(c, "node", "node_modules")):
            return c
    return a.peers_dir or (SHARED_PEERS if os.path.isdir(SHARED_PEERS) else None)


def peer_defs(pdir, work):
    gen = os.path.join(pdir, "gen")
    node = os.path.join(pdir, "node")
    lo_profile = os.path.join(work, "lo-profile")
    py = sys.executable or "python3"
    return {
        "typst": {
            "gen": lambda j, s: [py, os.path.join(gen, "gen_typst.py"), j, s], "ext": ".typ",
            "render": lambda s, p: ["node", os.path.join(node, "typst-compile.js"), s, p, FONT_DIR_TYPST],
            "needs": lambda: (shutil.which("node") and os.path.isdir(os.path.join(
                node, "node_modules", "@myriaddreamin", "typst-ts-node-compiler")),
                "node and (cd PEERS/node && npm ci)"),
        },
        "pdfmake": {
            "gen": lambda j, s: [py, os.path.join(gen, "gen_pdfmake.py"), j, s], "ext": ".pdfmake.json",
            "render": lambda s, p: ["node", os.path.join(node, "pdfmake-render.js"), s, p],
            "needs": lambda: (shutil.which("node") and os.path.isdir(os.path.join(node, "node_modules", "pdfmake")),
                              "node and (cd PEERS/node && npm ci)"),
        },
        "weasyprint": {
            "gen": lambda j, s: [py, os.path.join(gen, "gen_html.py"), j, s], "ext": ".html",
            "render": lambda s, p: ["weasyprint", s, p],
            "needs": lambda: (shutil.which("weasyprint"),
                              "the weasyprint command: apt-get install weasyprint, 46 packages, 331 MB"),
        },
        "libreoffice": {
            # the WeasyPrint HTML; soffice names the PDF after its input
            "gen": lambda j, s: [py, os.path.join(gen, "gen_html.py"), j, s], "ext": ".html",
            "render": lambda s, p: ["soffice", "--headless", "--norestore",
                                    "-env:UserInstallation=file://" + lo_profile,
                                    "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
                                    "--outdir", os.path.dirname(p), s],
            "needs": lambda: (shutil.which("soffice"),
                              "soffice: apt-get install libreoffice-writer-nogui, 257 MB"),
        },
    }


def machine():
    model = "?"
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return f"{os.cpu_count()} CPUs ({model}), {mem} RAM, {platform.system()} {platform.release()}"


def build_info(jxform):
    """Version, source commit and build type of the binary."""
    v = sh([jxform, "--version"]).splitlines()
    out = {"version": v[0] if v else "?"}
    cache = os.path.join(os.path.dirname(jxform), "CMakeCache.txt")
    src = None
    if os.path.exists(cache):
        with open(cache, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    out["build_type"] = line.split("=", 1)[1].strip()
                if line.startswith("CMAKE_HOME_DIRECTORY:"):
                    src = line.split("=", 1)[1].strip()
    if src:
        out["source"] = src
        out["commit"] = sh(["git", "-C", src, "rev-parse", "--short", "HEAD"])
        dirty = sh(["git", "-C", src, "status", "--porcelain", "--untracked-files=no", "--", "src", "include",
                    "CMakeLists.txt"])
        out["dirty"] = bool(dirty)
    return out


def describe_build(jxform):
    b = build_info(jxform)
    s = f"`{jxform}`, {b['version']}"
    if "commit" in b:
        s += f", built from {b['source']} at commit {b['commit']}" + (" with local changes" if b["dirty"] else "")
    if b.get("build_type"):
        s += f", CMAKE_BUILD_TYPE={b['build_type']}"
    return s


def versions(pdir, peers):
    v = {"python": sys.version.split()[0], "poppler": sh(["pdfinfo", "-v"]).splitlines()[0:1]}
    v["poppler"] = v["poppler"][0] if v["poppler"] else "?"
    if any(p in peers for p in ("typst", "pdfmake")):
        v["node"] = sh(["node", "--version"])
        for pkg in ["@myriaddreamin/typst-ts-node-compiler", "pdfmake"]:
            pj = os.path.join(pdir, "node", "node_modules", pkg, "package.json")
            if os.path.exists(pj):
                with open(pj) as f:
                    v[pkg] = json.load(f)["version"]
    if "weasyprint" in peers:
        v["weasyprint"] = sh(["weasyprint", "--version"])
    if "libreoffice" in peers:
        v["libreoffice"] = sh(["soffice", "--version"])
    return v


def stats(xs):
    return statistics.median(xs), min(xs), max(xs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("jxform")
    ap.add_argument("-n", type=int, default=600, help="projects for the peer comparison")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--peers", default="typst,pdfmake,weasyprint,libreoffice")
    ap.add_argument("--sizes", default="600,6000", help="jxform alone at these sizes")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--inputs", help="a folder made by gen.py -n MAX(sizes, n) with the same --seed (else generated)")
    ap.add_argument("--peers-dir")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args()
    a.jxform = os.path.abspath(a.jxform)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    work = tempfile.mkdtemp(prefix="jxform-bench-")
    log = lambda *s: print(*s, file=sys.stderr, flush=True)
    commands = []

    # 1. inputs: the largest size once; smaller sets are its first files
    sizes = sorted({int(x) for x in a.sizes.split(",") if x} | {a.n})
    big = max(sizes)
    gdir = a.inputs or os.path.join(work, "gen")
    if not a.inputs:
        cmd = [sys.executable, os.path.join(HERE, "gen.py"), gdir, "-n", str(big), "--seed", str(a.seed),
               "--check", a.jxform]
        log("$ " + " ".join(cmd))
        commands.append(f"bench/gen.py DIR -n {big} --seed {a.seed} --check JXFORM")
        subprocess.run(cmd, check=True)
    allfiles = sorted(os.listdir(os.path.join(gdir, "yaml")))
    sets = {}
    for n in sizes:
        d = os.path.join(work, f"in-{n}")
        os.makedirs(d, exist_ok=True)
        for f in allfiles[:n]:
            os.symlink(os.path.join(gdir, "yaml", f), os.path.join(d, f))
        sets[n] = d
    # distinct strings of the N-project set (and of the old copies)
    sdir = os.path.join(work, "gen-stats")
    subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), sdir, "-n", str(a.n), "--seed", str(a.seed),
                    "--stats", a.jxform], check=True, stderr=subprocess.DEVNULL)
    with open(os.path.join(sdir, "gen.json")) as f:
        gstats = json.load(f)
    # the peers' JSON of the first a.n projects
    with open(os.path.join(gdir, "peers.json"), encoding="utf-8") as f:
        pj = json.load(f)
    pj["projects"] = pj["projects"][:a.n]
    peers_json = os.path.join(work, f"peers-{a.n}.json")
    with open(peers_json, "w", encoding="utf-8") as f:
        json.dump(pj, f, ensure_ascii=False)
    del pj

    # 2. peers: which can run, their sources
    pdir = find_peers_dir(a)
    defs = peer_defs(pdir or SHARED_PEERS, work)
    wanted = [p for p in a.peers.split(",") if p]
    peers, skipped = [], {}
    for p in wanted:
        if p not in defs:
            raise SystemExit(f"unknown peer {p}")
        ok, need = defs[p]["needs"]()
        if pdir and ok:
            peers.append(p)
        else:
            skipped[p] = f"not installed on this machine (needs {need})"
            log(f"skipping {p}: {skipped[p]}")
    src, gen_s = {}, {}
    for p in peers:
        src[p] = os.path.join(work, f"{p}-{a.n}{defs[p]['ext']}")
        r = run(defs[p]["gen"](peers_json, src[p]), os.path.join(work, f"gen-{p}.log"))
        gen_s[p] = r["wall"]

    # 3. interleaved pairs: jxform (A) then the peer (B)
    jx_pdf = os.path.join(work, f"jxform-{a.n}.pdf")
    jx_cmd = [a.jxform, "packet", sets[a.n], "-o", jx_pdf, "--quiet"]
    commands.append(" ".join(jx_cmd).replace(work, "WORK"))
    pair_rows = {}
    for p in peers:
        ppdf = os.path.join(work, f"{p}-{a.n}.pdf")
        pcmd = defs[p]["render"](src[p], ppdf)
        commands.append(" ".join(pcmd).replace(pdir, "PEERS").replace(work, "WORK"))
        made = ppdf
        rows = []
        for k in range(a.pairs + 1):
            ra = run(jx_cmd, os.path.join(work, f"pair-{p}-{k}-a.log"))
            rb = run(pcmd, os.path.join(work, f"pair-{p}-{k}-b.log"))
            tag = "warm-up" if k == 0 else f"pair {k}"
            log(f"  {p:<11} {tag:<7}: jxform {ra['wall']:6.2f} s  {p} {rb['wall']:7.2f} s  "
                f"ratio {rb['wall'] / ra['wall']:6.1f}  (load {ra['load']:.1f})")
            if k:
                rows.append((ra, rb))
        pair_rows[p] = {"rows": rows, "pages": pages_of(made), "bytes": os.path.getsize(made)}

    # 4. jxform alone at each size
    alone = {}
    for n in sizes:
        out = os.path.join(work, f"alone-{n}.pdf")
        cmd = [a.jxform, "packet", sets[n], "-o", out, "--quiet"]
        rs = []
        for k in range(a.pairs + 1):
            r = run(cmd, os.path.join(work, f"alone-{n}-{k}.log"))
            if k:
                rs.append(r)
        pg = pages_of(out)
        alone[n] = {"runs": rs, "pages": pg, "bytes": os.path.getsize(out), "chars": chars_of(out)}
        w = statistics.median(x["wall"] for x in rs)
        log(f"  jxform alone {n:>5}: {w:.3f} s, {pg} pages")

    # 5. report
    lines = [f"# Benchmark: `jxform packet` against its peers (bench/bench.py)", "",
             f"Measured {started} on {machine()}.",
             "jxform: " + describe_build(a.jxform) + ".",
             "Versions: " + "; ".join(f"{k} {v}" for k, v in versions(pdir, peers).items()) + ".", "",
             f"Inputs: {a.n} varied projects from `bench/gen.py -n {a.n} --seed {a.seed}` (every one passes "
             f"`jxform check` with 0 errors), {gstats['distinct_strings']} distinct strings "
             f"({gstats['copies_distinct_strings']} in {a.n // 6} copies of the six samples, the inputs before "
             f"issue 12), {gstats['distinct_lines']} distinct laid-out lines of {gstats['lines']} "
             f"(copies: {gstats['copies_distinct_lines']} of {gstats['copies_lines']}); "
             f"{gstats['indicators_per_side']:.1f} indicators a side.  The peers render the same projects "
             f"(gen.py's peers.json, the shape of ../shared/peers/seed-projects.json) through their own "
             f"layout model (../shared/peers/gen/formmodel.py: 9 pt, one grid), so their page counts differ.",
             "", "## Against the peers: interleaved pairs", "",
             f"Each pair runs `jxform packet` then the peer on the same {a.n} projects, back to back, after one "
             f"warm-up pair; {a.pairs} pairs a peer.  Ratio = peer / jxform, per pair; median (min-max).  "
             f"CPU = user + system of the process and its children (wait4).  The peers' sources are made once "
             f"beforehand (Python, not timed in the ratio).", "",
             "| peer | pairs | pages | wall s, peer (median) | wall s, jxform (median) | ratio, wall | "
             "ratio, CPU | peak RSS MB, peer | peak RSS MB, jxform | bytes/page, peer | source gen s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    checks = []
    typst_ratio = None
    for p in peers:
        d = pair_rows[p]
        rw = [b["wall"] / a_["wall"] for a_, b in d["rows"]]
        rc = [b["cpu"] / a_["cpu"] for a_, b in d["rows"]]
        pw = statistics.median(b["wall"] for _, b in d["rows"])
        jw = statistics.median(a_["wall"] for a_, _ in d["rows"])
        prss = statistics.median(b["rss_kb"] for _, b in d["rows"]) / 1024
        jrss = statistics.median(a_["rss_kb"] for a_, _ in d["rows"]) / 1024
        m, lo, hi = stats(rw)
        cm, clo, chi = stats(rc)
        if p == "typst":
            typst_ratio = m
        lines.append(f"| {p} | {len(rw)} | {d['pages']} | {pw:.2f} | {jw:.3f} | **{m:.1f}x** ({lo:.1f}-{hi:.1f}) | "
                     f"{cm:.1f}x ({clo:.1f}-{chi:.1f}) | {prss:.0f} | {jrss:.1f} | "
                     f"{d['bytes'] / max(d['pages'], 1):.0f} | {gen_s[p]:.2f} |")
    for p, why in skipped.items():
        lines.append(f"| {p} | — | | | | skipped: {why} | | | | | |")
    loads = [r["load"] for p in peers for pr in pair_rows[p]["rows"] for r in pr]
    if loads:
        lines += ["", f"Load average (1 min) at the runs: {min(loads):.1f}-{max(loads):.1f} on "
                      f"{os.cpu_count()} CPUs."]
    lines += ["", "## jxform alone", "",
              f"Warm-up + {a.pairs} runs each; the smaller sets are the first projects of the larger one.  "
              "Characters a page: non-space characters pdftotext extracts, cover and contents included.", "",
              "| projects | pages | wall s (median, min-max) | CPU s (median) | pages/s | ms/page (wall) "
              "| peak RSS MB | bytes/page | chars/page |", "|---|---|---|---|---|---|---|---|---|"]
    for n in sizes:
        d = alone[n]
        w, lo, hi = stats([r["wall"] for r in d["runs"]])
        c = statistics.median(r["cpu"] for r in d["runs"])
        rss = statistics.median(r["rss_kb"] for r in d["runs"]) / 1024
        d["w"], d["rss"] = w, rss
        lines.append(f"| {n} | {d['pages']} | {w:.3f} ({lo:.3f}-{hi:.3f}) | {c:.3f} | {d['pages'] / w:.0f} | "
                     f"{w / d['pages'] * 1000:.3f} | {rss:.1f} | {d['bytes'] / d['pages']:.0f} | "
                     f"{d['chars'] / d['pages']:.0f} |")
    loads = [r["load"] for n in sizes for r in alone[n]["runs"]]
    lines += ["", f"Load average (1 min) at these runs: {min(loads):.1f}-{max(loads):.1f}."]
    # checks of issue 6
    if typst_ratio is not None and typst_ratio < 15:
        checks.append(f"only {typst_ratio:.1f}x faster than Typst (< 15x)")
    j = alone[a.n]
    if j["rss"] > 64:
        checks.append(f"peak RSS {j['rss']:.1f} MB > 64")
    if j["bytes"] / j["pages"] > 4500:
        checks.append(f"{j['bytes'] / j['pages']:.0f} bytes a page > 4500")
    big_sizes = [n for n in sizes if n >= 600]
    if len(big_sizes) >= 2:
        pp = [alone[n]["w"] / alone[n]["pages"] for n in big_sizes]
        if max(pp) > 1.5 * min(pp):
            checks.append("time per page not flat: " + ", ".join(f"{x * 1000:.3f} ms" for x in pp))
        rs = [alone[n]["rss"] for n in sizes]
        if max(rs) > 1.5 * min(rs):
            checks.append("peak RSS not flat: " + ", ".join(f"{x:.1f} MB" for x in rs))
    lines += ["", "Checks (issue 6: >= 15x Typst, peak RSS <= 64 MB, <= 4.5 KB a page, flat time a page and RSS): "
              + ("all pass." if not checks else "FAIL: " + "; ".join(checks))]
    lines += ["", "## Commands", "", "```"] + [f"bench/bench.py {' '.join(sys.argv[1:])}"] + commands + ["```", ""]
    report = "\n".join(lines)
    print(report)
    if not a.no_write:
        res = os.path.join(HERE, "results.md")
        floor = ""
        if os.path.exists(res):
            with open(res, encoding="utf-8") as f:
                m = re.search(r"<!-- floor -->.*?<!-- /floor -->\n?", f.read(), re.S)
                floor = m.group(0) if m else ""
        with open(res, "w", encoding="utf-8") as f:
            f.write(report + ("\n" + floor if floor else ""))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if checks else 0


if __name__ == "__main__":
    sys.exit(main())
