#!/usr/bin/env python3
"""Writes the six 阳泉 samples (samples/*.yaml) as workbooks, in both
layouts of docs/import-layouts.md, by three different writers, into
tests/import/books/ (committed: the test does not need the writers).

usage: make-books.py SOURCE_DIR MKBOOK [--no-libreoffice]

  SOURCE_DIR     the jxform tree (samples/, templates/)
  MKBOOK         tests/import/mkbook built (libxlsxwriter), e.g.
                 build/tests/mkbook

Layouts (labels from the template, as import matches them):
  form   one workbook a project: a 填报 sheet of label cells with the value
         to their right (money as 实施期资金总额 / 其中：中央财政资金 …),
         the indicators in a sheet named by the grid's label with a first
         column headed by the side labels joined with '/', and a 说明
         sheet holding `template | NAME`;
  flat   one workbook for all six: a 项目 sheet with one row a project
         under a header row of field labels, and the indicators in a sheet
         keyed by the label of the template's index.name field.
Writers: openpyxl (python3-openpyxl), libxlsxwriter (MKBOOK, from a
description this script writes), LibreOffice (soffice --headless
--convert-to xlsx, and xls, of the openpyxl files).
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl
import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def get(doc, path):
    cur = doc
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


class Sheet:
    """A sheet description: cells (row, col, value) 0-based and merges."""

    def __init__(self, name):
        self.name = name
        self.cells = {}
        self.merges = []

    def put(self, row, col, value):
        if value is None or value == "":
            return
        self.cells[(row, col)] = value


def money_cells(tpl, block, doc):
    """(label, value) rows of a money block, column by column."""
    cols = []
    for c in block["columns"]:
        rows = []
        for i, r in enumerate(block["rows"]):
            label = (c["label"] + r["label"]) if i == 0 else ("其中：" + r["label"] if i == 1 else r["label"])
            rows.append((label, get(doc, f"{block['id']}.{c['id']}.{r['id']}")))
        cols.append(rows)
    return cols


def scalar(v):
    """A YAML value as a workbook cell value: numbers stay numbers, except
    strings (codes keep their zeros)."""
    if isinstance(v, bool):
        return str(v)
    return v


def form_book(tpl, tpl_name, doc):
    form = Sheet("填报")
    form.put(0, 0, tpl.get("title", tpl_name))
    form.merges.append((0, 0, 0, 3))
    row = 2
    for f in tpl["fields"]:
        if "money" in f:
            block = next(b for b in tpl["money"] if b["id"] == f["money"])
            cols = money_cells(tpl, block, doc)
            for i in range(len(cols[0])):
                for k, col in enumerate(cols):
                    form.put(row, 2 * k, col[i][0])
                    form.put(row, 2 * k + 1, scalar(col[i][1]))
                row += 1
            continue
        form.put(row, 0, f["label"])
        form.put(row, 1, scalar(get(doc, f["id"])))
        if f.get("type") == "paragraph":
            form.merges.append((row, 1, row, 3))
        row += 1
    sheets = [form]
    for g in tpl.get("grids", []):
        gs = Sheet(g["label"])
        sides = g.get("sides") or []
        header = ([ "/".join(s["label"] for s in sides)] if sides else []) + [c["label"] for c in g["columns"]]
        for k, h in enumerate(header):
            gs.put(0, k, h)
        r = 1
        data = get(doc, g["id"]) or ({} if sides else [])
        for s in sides or [None]:
            items = (data.get(s["id"]) or []) if s else data
            for it in items:
                vals = ([s["label"]] if s else []) + [scalar(it.get(c["id"])) for c in g["columns"]]
                for k, v in enumerate(vals):
                    gs.put(r, k, v)
                r += 1
        sheets.append(gs)
    note = Sheet("说明")
    note.put(0, 0, "template")
    note.put(0, 1, tpl_name)
    sheets.append(note)
    return sheets


def flat_book(tpl, tpl_name, docs):
    proj = Sheet("项目")
    header, getters = [], []
    for f in tpl["fields"]:
        if "money" in f:
            block = next(b for b in tpl["money"] if b["id"] == f["money"])
            for c in block["columns"]:
                for r in block["rows"]:
                    header.append(c["label"] + r["label"])
                    getters.append(f"{block['id']}.{c['id']}.{r['id']}")
            continue
        header.append(f["label"])
        getters.append(f["id"])
    for k, h in enumerate(header):
        proj.put(0, k, h)
    for i, doc in enumerate(docs):
        for k, path in enumerate(getters):
            proj.put(i + 1, k, scalar(get(doc, path)))
    sheets = [proj]
    name_field = tpl["index"]["name"]
    name_label = next(f["label"] for f in tpl["fields"] if f.get("id") == name_field)
    for g in tpl.get("grids", []):
        gs = Sheet(g["label"])
        sides = g.get("sides") or []
        header = [name_label] + (["/".join(s["label"] for s in sides)] if sides else []) + [c["label"] for c in g["columns"]]
        for k, h in enumerate(header):
            gs.put(0, k, h)
        r = 1
        for doc in docs:
            data = get(doc, g["id"]) or ({} if sides else [])
            for s in sides or [None]:
                items = (data.get(s["id"]) or []) if s else data
                for it in items:
                    vals = [get(doc, name_field)] + ([s["label"]] if s else []) + [scalar(it.get(c["id"])) for c in g["columns"]]
                    for k, v in enumerate(vals):
                        gs.put(r, k, v)
                    r += 1
        sheets.append(gs)
    note = Sheet("说明")
    note.put(0, 0, "template")
    note.put(0, 1, tpl_name)
    sheets.append(note)
    return sheets


def write_openpyxl(sheets, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.name)
        for (r, c), v in sorted(s.cells.items()):
            cell = ws.cell(row=r + 1, column=c + 1, value=v)
            if isinstance(v, str):
                cell.number_format = "@"
        for r0, c0, r1, c1 in s.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wb.save(path)


def esc(v):
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def write_xlsxwriter(sheets, path, mkbook):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as t:
        for s in sheets:
            t.write(f"sheet\t{esc(s.name)}\n")
            # merges first: libxlsxwriter writes "" into a merge's first
            # cell, which the cell written after it then replaces
            for m in s.merges:
                t.write("merge\t%d\t%d\t%d\t%d\n" % m)
            for (r, c), v in sorted(s.cells.items()):
                kind = "n" if isinstance(v, (int, float)) and not isinstance(v, bool) else "s"
                t.write(f"cell\t{r}\t{c}\t{kind}\t{esc(v)}\n")
        desc = t.name
    try:
        subprocess.run([mkbook, desc, path], check=True)
    finally:
        os.unlink(desc)


def convert_libreoffice(src, outdir, fmt):
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", outdir, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    root, mkbook = sys.argv[1], sys.argv[2]
    use_lo = "--no-libreoffice" not in sys.argv and shutil.which("soffice")
    out = os.path.join(root, "tests", "import", "books")
    samples = sorted(glob.glob(os.path.join(root, "samples", "0*.yaml")))
    docs = [load(p) for p in samples]
    tpl_name = docs[0].get("template", "yangquan-2025")
    tpl = load(os.path.join(root, "templates", tpl_name + ".yaml"))
    books = {}
    for p, doc in zip(samples, docs):
        stem = os.path.basename(p)[:2]
        books[f"form-{stem}"] = form_book(tpl, tpl_name, doc)
    books["flat"] = flat_book(tpl, tpl_name, docs)
    for w in ("openpyxl", "xlsxwriter", "libreoffice"):
        os.makedirs(os.path.join(out, w), exist_ok=True)
    for name, sheets in books.items():
        write_openpyxl(sheets, os.path.join(out, "openpyxl", name + ".xlsx"))
        write_xlsxwriter(sheets, os.path.join(out, "xlsxwriter", name + ".xlsx"), mkbook)
        if use_lo:
            src = os.path.join(out, "openpyxl", name + ".xlsx")
            with tempfile.TemporaryDirectory() as tmp:
                # LibreOffice refuses to write over its input's name: go through tmp
                convert_libreoffice(src, tmp, "xlsx")
                shutil.move(os.path.join(tmp, name + ".xlsx"), os.path.join(out, "libreoffice", name + ".xlsx"))
                convert_libreoffice(src, tmp, "xls")
                shutil.move(os.path.join(tmp, name + ".xls"), os.path.join(out, "libreoffice", name + ".xls"))
    print(f"make-books: {len(books)} books a writer in {out}")


if __name__ == "__main__":
    main()
