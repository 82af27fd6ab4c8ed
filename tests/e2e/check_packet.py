#!/usr/bin/env python3
"""Checks a packet PDF written by `jxform packet` (uncompressed objects only:
page tree, outlines, page labels; page text through pdftotext).

usage: check_packet.py PACKET.pdf PROJECTS [--duplex]
Asserts:
  - pdfinfo/pdftotext print no warning;
  - the outline is department -> project, PROJECTS projects in all, each
    bookmark's page holds that project's name (pdftotext of that page);
  - the contents page lists every project with the number printed in the
    footer (第 N 页 共 M 页) of the page its bookmark lands on;
  - page labels: 封面, 目录1.., then 1..M matching the footers;
  - with --duplex every project starts on an odd page number.
"""
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


def main():
    pdf, projects = sys.argv[1], int(sys.argv[2])
    duplex = "--duplex" in sys.argv
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
