#!/usr/bin/env python3
"""Checks a packet PDF written by `jxform packet` (uncompressed objects only:
page tree, outlines, page labels; page text through pdftotext).

usage: check_packet.py PACKET.pdf PROJECTS [--duplex] [--order=dept|name|input]
                       [--names=NAME,NAME,...]
Asserts:
  - pdfinfo/pdftotext print no warning;
  - the outline is department -> project, PROJECTS projects in all, each
    bookmark's page holds that project's name (pdftotext of that page);
  - the contents page lists every project with the number printed in the
    footer (第 N 页 共 M 页) of the page its bookmark lands on;
  - page labels: 封面, 目录1.., then 1..M matching the footers;
  - with --duplex every project starts on an odd page number;
  - the contents: every project line shows its amount and unit before its
    page number; each department's 小计 lines add up its projects' amounts
    (per unit: 元 and 万元 are never added together), or, when departments
    interleave (--order=input, name), the 各部门小计 section does; the 合计
    lines add up all the projects' amounts, and the cover's totals agree;
  - with --order=dept (the default) departments come in code order, each
    once;
  - the cover's 页数 line counts all the pages (pdfinfo), the forms' pages
    (the footers' 共 M 页) and the cover's and contents' (those before the
    first footer);
  - with --names, those projects come in the contents in that order.
"""
from decimal import Decimal
import re
import subprocess
import sys
import zlib

fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL:", msg)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode or p.stderr.strip():
        fail(f"{' '.join(cmd)}: rc {p.returncode} {p.stderr.strip()[:200]}")
    return p.stdout


def text_string(s):
    s = s.strip()
    if s.startswith("<FEFF"):
        return bytes.fromhex(s[5:-1]).decode("utf-16-be")
    return s[1:-1]


ROW = re.compile(r"^(\s*)(\S.*?)\s{2,}(—|-?[\d,]+(?:\.\d+)?)\s*(万元|元)?"
                 r"(?:\s+(\d+))?\s*$")


def squash(s):
    return re.sub(r"\s+", "", s)


def by_unit(rows):
    """{unit: sum} of (amount, unit) pairs."""
    out = {}
    for amount, unit in rows:
        if amount != "—":
            out[unit] = out.get(unit, 0) + Decimal(amount.replace(",", ""))
    return out


def parse_contents(lines):
    """The contents as departments (title, projects, subtotals), the
    departments' subtotals section and the grand totals."""
    depts, section, totals = [], [], []
    cur, pending, in_section = None, "", False
    for line in lines:
        if not line.strip() or re.fullmatch(r"\s*目\s*录\s*", line):
            continue
        m = ROW.match(line)
        if not m:
            text = line.strip()
            if line.startswith(" "):  # a project name going on
                pending += text
            elif text == "各部门小计":
                in_section = True
            elif text.endswith("（续）"):
                if not cur or squash(cur["title"]) != squash(text[:-3]):
                    fail(f"contents: '{text}' goes on from no such department")
            else:
                cur = {"title": text, "projects": [], "subtotals": []}
                depts.append(cur)
            continue
        indent, text, amount, unit, page = m.groups()
        unit = unit or ""
        if text.startswith("合计"):
            totals.append((amount, unit))
        elif text.startswith("小计"):
            if not cur:
                fail(f"contents: a 小计 outside any department: {line}")
            else:
                cur["subtotals"].append((amount, unit))
        elif in_section:
            section.append((squash(text), amount, unit))
        elif page:
            if not cur:
                fail(f"contents: a project outside any department: {line}")
                continue
            cur["projects"].append((squash(pending + text), amount, unit,
                                    int(page)))
            pending = ""
        else:
            fail(f"contents: a line neither project nor sum: {line.strip()}")
    return depts, section, totals


def check_contents(contents, cover, starts, footer, order, names):
    depts, section, totals = parse_contents(contents.splitlines())
    projects = [p for d in depts for p in d["projects"]]
    if len(projects) != len(starts):
        fail(f"contents: {len(projects)} project lines with an amount and a "
             f"page number, want {len(starts)}")
    for name, pg in starts:
        if not any(p[0] == squash(name) and p[3] == footer.get(pg)
                   for p in projects):
            fail(f"contents: no line '{name}' <amount> <unit> {footer.get(pg)}")
    for name, amount, unit, page in projects:
        if amount == "—" or not unit:
            fail(f"contents: {name} shows no amount and unit: '{amount}{unit}'")
    # sums: never across units
    if section:  # departments interleave: their subtotals come together
        for d in depts:
            if d["subtotals"]:
                fail(f"contents: {d['title']} has 小计 lines though "
                     "departments interleave")
        titles = []
        for d in depts:
            if squash(d["title"]) not in titles:
                titles.append(squash(d["title"]))
        for t in titles:
            want = by_unit((p[1], p[2]) for d in depts
                           if squash(d["title"]) == t for p in d["projects"])
            got = by_unit((a, u) for (st, a, u) in section if st.startswith(t))
            if got != want:
                fail(f"contents: 各部门小计 of {t}: {got}, its projects add up "
                     f"to {want}")
    else:
        for d in depts:
            want = by_unit((p[1], p[2]) for p in d["projects"])
            got = by_unit(d["subtotals"])
            if not d["subtotals"]:
                fail(f"contents: department {d['title']} has no 小计")
            elif got != want:
                fail(f"contents: 小计 of {d['title']}: {got}, its projects add "
                     f"up to {want}")
    want = by_unit((p[1], p[2]) for p in projects)
    if not totals:
        fail("contents: no 合计")
    elif by_unit(totals) != want:
        fail(f"contents: 合计 {by_unit(totals)}, the projects add up to {want}")
    on_cover = by_unit(re.findall(r"^\s*\S+：([\d,]+(?:\.\d+)?) (万元|元)\s*$",
                                  cover, re.M))
    if on_cover != want:
        fail(f"cover: totals {on_cover}, the projects add up to {want}")
    # order
    if order == "dept":
        titles = [d["title"] for d in depts]
        if len(set(titles)) != len(titles):
            fail(f"contents: a department comes twice: {titles}")
        codes = [t.split()[0] if re.match(r"\d", t) else "" for t in titles]
        if codes != sorted(codes, key=lambda c: c.encode()):
            fail(f"contents: departments not in code order: {codes}")
    if names:
        at = []
        for n in names:
            hits = [i for i, p in enumerate(projects) if p[0] == squash(n)]
            if len(hits) != 1:
                fail(f"contents: {n} is listed {len(hits)} times, want once")
            at.append(hits[0] if hits else -1)
        if at != sorted(at):
            got = [n for _, n in sorted(zip(at, names))]
            fail(f"contents: order {got}, want {names}")


def main():
    pdf, projects = sys.argv[1], int(sys.argv[2])
    duplex = "--duplex" in sys.argv
    order, names = "dept", []
    for a in sys.argv[3:]:
        if a.startswith("--order="):
            order = a[len("--order="):]
        elif a.startswith("--names="):
            names = a[len("--names="):].split(",")
    data = open(pdf, "rb").read()
    objs = {}
    for m in re.finditer(rb"(\d+) 0 obj\n(<<.*?>>)\n?(stream|endobj)", data, re.S):
        objs[int(m.group(1))] = m.group(2).decode("latin1")
    cat = next(v for v in objs.values() if "/Type/Catalog" in v)
    kids_of = lambda n: [int(k) for k in re.findall(r"(\d+) 0 R", re.search(
        r"/Kids\[(.*?)\]", objs[n]).group(1))]
    pages = kids_of(int(re.search(r"/Pages (\d+) 0 R", cat).group(1)))
    index = {p: i for i, p in enumerate(pages)}
    npages = int(re.search(r"^Pages:\s+(\d+)", run(["pdfinfo", pdf]), re.M).group(1))
    if npages != len(pages):
        fail(f"pdfinfo {npages} pages, page tree {len(pages)}")
    text = run(["pdftotext", "-layout", pdf, "-"]).split("\f")

    # footers
    footer = {}
    for i, t in enumerate(text):
        m = re.search(r"第 (\d+) 页 共 (\d+) 页", t)
        if m:
            footer[i] = int(m.group(1))
    # outlines
    root = int(re.search(r"/Outlines (\d+) 0 R", cat).group(1))
    def children(n):
        m = re.search(r"/First (\d+) 0 R", objs[n])
        k = int(m.group(1)) if m else None
        while k:
            yield k
            m = re.search(r"/Next (\d+) 0 R", objs[k])
            k = int(m.group(1)) if m else None
    def title(n):
        return text_string(re.search(r"/Title(<[0-9A-F]+>|\(.*?\))", objs[n]).group(1))
    def dest(n):
        return index[int(re.search(r"/Dest\[(\d+) 0 R", objs[n]).group(1))]
    nproj = 0
    starts = []
    for d in children(root):
        if not list(children(d)):
            fail(f"department bookmark {title(d)} has no projects")
        for p in children(d):
            nproj += 1
            name, pg = title(p), dest(p)
            starts.append((name, pg))
            if re.sub(r"\s+", "", name)[:12] not in re.sub(r"\s+", "", text[pg]):
                fail(f"bookmark {name} -> page {pg + 1}, which does not show it")
            if pg not in footer:
                fail(f"bookmark {name} -> page {pg + 1} has no page number")
            elif duplex and footer[pg] % 2 == 0:
                fail(f"{name} starts on even page {footer[pg]}")
        if dest(d) != dest(next(children(d))):
            fail(f"department {title(d)} does not land on its first project")
    if nproj != projects:
        fail(f"{nproj} project bookmarks, want {projects}")
    # contents: "name ... N" lines on pages before the first footer
    first_main = min(footer) if footer else 0
    contents = "\n".join(text[1:first_main])
    for name, pg in starts:
        key = re.sub(r"\s+", "", name)[-6:]
        want = footer.get(pg)
        ok = any(key in re.sub(r"\s+", "", line) and line.split()[-1] == str(want)
                 for line in contents.splitlines())
        if not ok:
            fail(f"contents: no line ending '{name[-6:]}' ... {want}")
    check_contents(contents, text[0], starts, footer, order, names)
    # the cover's page count: all pages, the forms', the cover's and contents'
    m = re.search(r"页\s*数：共 (\d+) 页（正文 (\d+) 页，封面和目录(及空白页)? (\d+) 页）",
                  text[0])
    totals_of = re.findall(r"第 \d+ 页 共 (\d+) 页", "".join(text))
    if not m:
        fail("cover: no line 页数：共 N 页（正文 M 页，封面和目录 K 页）")
    else:
        want = (len(pages), int(totals_of[0]) if totals_of else -1, first_main)
        got = (int(m.group(1)), int(m.group(2)), int(m.group(4)))
        if got != want or len(set(totals_of)) != 1:
            fail(f"cover: 页数 {m.group(0)}: want 共 {want[0]}, 正文 {want[1]}, "
                 f"封面和目录 {want[2]}")
    # labels
    labels = re.search(r"/PageLabels<</Nums\[(.*?)\]>>", cat)
    if not labels:
        fail("no /PageLabels")
    else:
        nums = re.findall(r"(\d+)<<(.*?)>>", labels.group(1))
        starts_at = {int(k): v for k, v in nums}
        if first_main not in starts_at or "/S/D" not in starts_at[first_main] \
                or "/P" in starts_at[first_main]:
            fail(f"page labels do not restart at 1 on page {first_main + 1}: {nums}")
        if footer and min(footer.values()) != 1:
            fail("footers do not start at 1")
    print(f"{pdf}: {len(pages)} pages, {nproj} projects, "
          f"{len(fails)} failure{'s' if len(fails) != 1 else ''}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
