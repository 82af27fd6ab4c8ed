#!/usr/bin/env python3
"""Writes the corpus of broken workbooks, tests/import/bad/ (committed;
e2e_import_bad checks each against its .expected and .zh.expected through
tests/e2e/bad_corpus.py).

usage: make-bad.py SOURCE_DIR   (needs python3-openpyxl)

Two kinds of case:
  * files the readers refuse, taken from tests/book/ (made by its
    make-fixtures.py): a zip bomb, XML nested too deep, a DOCTYPE, a
    broken zip directory, a Word file renamed .xlsx, a plain zip, an
    encrypted workbook, a part too large, a cell beyond XFD1048576, a
    formula without its result, a password-protected and a Word .xls, a
    CSV with an open quote, a GB18030 CSV (its encoding said in a note)
    without labels;
  * workbooks that read but whose projects do not load, made here from
    tests/import/books/openpyxl/form-02.xlsx and flat.xlsx with openpyxl:
    each changes one thing.
"""
import os
import shutil
import sys

import openpyxl

SRC = sys.argv[1]
OUT = os.path.join(SRC, "tests", "import", "bad")
BOOKS = os.path.join(SRC, "tests", "import", "books", "openpyxl")

FROM_READERS = [
    ("01-zip-bomb.xlsx", "zip-bomb.xlsx"),
    ("02-deep-xml.xlsx", "deep.xlsx"),
    ("03-doctype.xlsx", "doctype.xlsx"),
    ("04-broken-directory.xlsx", "broken-cd.xlsx"),
    ("05-word-renamed.xlsx", "word.xlsx"),
    ("06-plain-zip.xlsx", "plain-zip.xlsx"),
    ("07-encrypted.xlsx", "encrypted.xlsx"),
    ("08-part-too-large.xlsx", "part-too-large.xlsx"),
    ("09-cell-beyond.xlsx", "beyond.xlsx"),
    ("10-formula-no-result.xlsx", "no-result.xlsx"),
    ("11-password.xls", "password.xls"),
    ("12-word.xls", "word-doc.xls"),
    ("13-open-quote.csv", "unclosed.csv"),
    ("14-gb18030-no-labels.csv", "gb18030.csv"),
]


def cell_right_of(ws, label):
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                return ws.cell(row=c.row, column=c.column + 1)
    raise KeyError(label)


def label_cell(ws, label):
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                return c
    raise KeyError(label)


def form(change, name):
    wb = openpyxl.load_workbook(os.path.join(BOOKS, "form-02.xlsx"))
    change(wb)
    wb.save(os.path.join(OUT, name))


def flat(change, name):
    wb = openpyxl.load_workbook(os.path.join(BOOKS, "flat.xlsx"))
    change(wb)
    wb.save(os.path.join(OUT, name))


def no_labels(wb):
    for ws in wb.worksheets:
        wb.remove(ws)
    ws = wb.create_sheet("Sheet1")
    ws["A1"] = "部门台账"
    ws["A2"] = "序号"
    ws["B2"] = "内容"
    ws["A3"] = 1
    ws["B3"] = "道路挖掘修复"


def twice(wb):
    ws = wb["填报"]
    last = ws.max_row + 1
    ws.cell(row=last, column=1, value="项目名称")
    ws.cell(row=last, column=2, value="另一个名称")


def error_cell(wb):
    cell_right_of(wb["填报"], "实施期资金总额").value = "#N/A"
    cell_right_of(wb["填报"], "实施期资金总额").data_type = "e"


def words_in_amount(wb):
    cell_right_of(wb["填报"], "年度资金总额").value = "约两千万"


def unknown_template(wb):
    cell_right_of(wb["说明"], "template").value = "no-such-form"


def level2_wrong(wb):
    ws = wb["绩效指标"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "成本指标":
            row[2].value = "费用指标"
            break


def no_name(wb):
    cell_right_of(wb["填报"], "项目名称").value = None


def bad_date(wb):
    cell_right_of(wb["填报"], "填报日期").value = "2025年13月40日"


def bad_choice(wb):
    cell_right_of(wb["填报"], "项目属性").value = "长期项目"


def sum_off(wb):
    cell_right_of(wb["填报"], "实施期资金总额").value = 22000000


def no_projects(wb):
    ws = wb["项目"]
    ws.delete_rows(2, ws.max_row)
    ws = wb["绩效指标"]
    ws.delete_rows(2, ws.max_row)


def orphan_indicator(wb):
    ws = wb["绩效指标"]
    ws.cell(row=ws.max_row + 1, column=1, value="没有这个项目")
    r = ws.max_row
    for k, v in enumerate(["实施期", "产出指标", "数量指标", "某某", "1个"], start=2):
        ws.cell(row=r, column=k, value=v)
    # one project only, so the case is about the orphan row
    ws2 = wb["项目"]
    ws2.delete_rows(3, ws2.max_row)
    keep = ws2.cell(row=2, column=2).value
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value not in (keep, "没有这个项目")]
    for r in reversed(rows):
        ws.delete_rows(r, 1)


def unknown_side(wb):
    ws = wb["绩效指标"]
    ws.cell(row=2, column=1, value="中期")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fixture in FROM_READERS:
        shutil.copy(os.path.join(SRC, "tests", "book", fixture), os.path.join(OUT, name))
    form(no_labels, "20-no-labels.xlsx")
    form(twice, "21-label-twice.xlsx")
    form(error_cell, "22-error-cell.xlsx")
    form(words_in_amount, "23-words-in-amount.xlsx")
    form(unknown_template, "24-unknown-template.xlsx")
    form(level2_wrong, "25-level2-not-in-frame.xlsx")
    form(no_name, "26-no-name.xlsx")
    form(bad_date, "27-bad-date.xlsx")
    form(bad_choice, "28-choice-unknown.xlsx")
    form(sum_off, "29-sum-off.xlsx")
    flat(no_projects, "30-list-no-projects.xlsx")
    flat(orphan_indicator, "31-list-orphan-indicator.xlsx")
    form(unknown_side, "32-unknown-side.xlsx")
    print("make-bad: %d cases in %s" % (len(FROM_READERS) + 13, OUT))


if __name__ == "__main__":
    main()
