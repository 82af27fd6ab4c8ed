#!/usr/bin/env python3
"""The workbook of `jxform new --xlsx`, read with openpyxl (tests/e2e/
workbook.sh runs it).

  workbook_check.py check TEMPLATE_DIR NAME BOOK.xlsx YEAR [HELP_SHEET]
      BOOK.xlsx is the workbook of template NAME (TEMPLATE_DIR/NAME.yaml,
      read with PyYAML): its first sheet has every field's label, in the
      template's order, locked, with the value cell right of it unlocked
      (a paragraph's merged over the row); required labels end in '*';
      a choice field has a drop-down of exactly its choices, a date field
      a date check and yyyy-mm-dd, a code field the text format, the year
      field a whole-number check 1900-2100 and YEAR written in; a money
      block shows per column COLUMN+ROW for the total and the other rows'
      labels below it, each with a decimal >= 0 check and the block's
      number format; the form sheet is protected without a password.
      Each grid has a sheet named by its label whose first row is the
      side labels joined by '/' (with sides) and the column labels, frozen,
      not protected, with drop-downs of the sides and of the frame's
      names; a sheet (HELP_SHEET when given) holds `template` | NAME.
  workbook_check.py fill TEMPLATE_DIR NAME BOOK.xlsx PROJECT.yaml OUT.xlsx
      Fills the workbook's input cells with the values of PROJECT.yaml
      (as a clerk would: numbers as numbers, dates as dates) and saves
      it as OUT.xlsx, for the round trip through `jxform import`.

Exit status 0 when everything holds; each problem is printed as FAIL.
"""
import datetime
import os
import re
import sys

import openpyxl
import yaml

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print('FAIL: ' + msg)


def load_template(tdir, name):
    """The template's tree, with its `extends` base's keys under it."""
    with open(os.path.join(tdir, name + '.yaml'), encoding='utf-8') as f:
        t = yaml.safe_load(f)
    if t.get('extends'):
        base = load_template(tdir, t['extends'])
        base.update(t)
        t = base
    return t


def names(items):
    return [x['name'] if isinstance(x, dict) else x for x in items or []]


class Content:
    """The content of a template as book-write.c reads it (content.h)."""

    def __init__(self, t):
        self.title = t.get('title') or t['name']
        self.name = t['name']
        self.money = {m['id']: m for m in t.get('money') or []}
        self.rows = []  # ('field', f) | ('money', block)
        placed = set()
        for f in t.get('fields') or []:
            if 'money' in f:
                self.rows.append(('money', self.money[f['money']]))
                placed.add(f['money'])
            else:
                self.rows.append(('field', f))
        for m in t.get('money') or []:
            if m['id'] not in placed:
                self.rows.append(('money', m))
        self.grids = t.get('grids') or []


def sheet_name(text):
    """What book-write.c makes of a name: Excel's forbidden characters
    as their full-width twins."""
    for a, b in zip('[]:*?/\\', '［］：＊？／＼'):
        text = text.replace(a, b)
    return text.strip("'")


def plain(label):
    return label[:-1] if isinstance(label, str) and label.endswith('*') else label


def validations(ws):
    """cell -> data validation, for each cell a validation covers."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            for row in ws[rng] if ':' in rng else [[ws[rng]]]:
                for c in row:
                    out[c.coordinate] = dv
    return out


def list_items(wb, dv):
    """The items a list validation offers: written in it, or a range."""
    f = dv.formula1 or ''
    if f.startswith('"'):
        return f[1:-1].split(',')
    m = re.match(r"^=?'?(.*?)'?!\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$", f)
    if not m:
        fail('list validation with formula %r' % f)
        return []
    ws = wb[m.group(1).replace("''", "'")]
    if ws.sheet_state != 'hidden':
        fail('the sheet of long lists %r is not hidden' % ws.title)
    cells = ws['%s%s:%s%s' % m.group(2, 3, 4, 5)]
    return [str(r[0].value) for r in cells]


def merged_at(ws, coord):
    for r in ws.merged_cells.ranges:
        if coord in r:
            return r
    return None


def check(tdir, name, path, year, help_sheet=None):
    c = Content(load_template(tdir, name))
    wb = openpyxl.load_workbook(path)
    form = wb.worksheets[0]
    if form.title not in (sheet_name(c.title)[:31], ):
        print('note: form sheet named %r' % form.title)
    if form.sheet_state != 'visible':
        fail('the form sheet is not visible')
    if not form.protection.sheet:
        fail('the form sheet is not protected')
    if form.protection.password:
        fail('the form sheet has a password')
    dvs = validations(form)
    col_a = [(r, form.cell(r, 1).value) for r in range(1, form.max_row + 1)]
    labels = [(r, v) for r, v in col_a if isinstance(v, str)]
    if form.cell(1, 1).value != c.title:
        fail('A1 is %r, not the title %r' % (form.cell(1, 1).value, c.title))
    at = 0  # labels are met in the template's order

    def find(label, required, what):
        nonlocal at
        for i in range(at, len(labels)):
            r, v = labels[i]
            if plain(v) == label:
                at = i + 1
                if v.endswith('*') != bool(required):
                    fail('%s: label %r: the * does not say required=%s' %
                         (what, v, bool(required)))
                return r
        fail('%s: no label %r (in order) in the form sheet' % (what, label))
        return None

    def value_cell(r, what):
        lab, val = form.cell(r, 1), form.cell(r, 2)
        if not lab.protection.locked:
            fail('%s: label cell %s is not locked' % (what, lab.coordinate))
        if val.protection.locked:
            fail('%s: value cell %s is locked' % (what, val.coordinate))
        return val

    for kind, x in c.rows:
        if kind == 'field':
            r = find(x['label'], x.get('required'), x['id'])
            if r is None:
                continue
            v = value_cell(r, x['id'])
            dv = dvs.get(v.coordinate)
            t = x.get('type', 'text')
            if t == 'choice':
                if not dv or dv.type != 'list':
                    fail('%s: no drop-down list at %s' % (x['id'], v.coordinate))
                elif list_items(wb, dv) != [str(s) for s in x['choices']]:
                    fail('%s: the list offers %r, not %r' %
                         (x['id'], list_items(wb, dv), x['choices']))
            elif t == 'date':
                if not dv or dv.type != 'date':
                    fail('%s: no date check at %s' % (x['id'], v.coordinate))
                if v.number_format != 'yyyy-mm-dd':
                    fail('%s: number format %r' % (x['id'], v.number_format))
            elif t == 'code' and v.number_format != '@':
                fail('%s: a code not formatted as text' % x['id'])
            elif t == 'year':
                if (not dv or dv.type != 'whole' or dv.formula1 != '1900' or
                        dv.formula2 != '2100'):
                    fail('%s: no whole-number check 1900-2100' % x['id'])
                if v.value != int(year):
                    fail('%s: holds %r, not the year %s' % (x['id'], v.value,
                                                           year))
            elif t == 'paragraph':
                m = merged_at(form, v.coordinate)
                if not m or m.max_col < 4 or m.min_row != m.max_row:
                    fail('%s: the value cell is not merged across the row' %
                         x['id'])
            if not dv or not dv.prompt:
                if x.get('required') or x.get('hint') or x.get('example') or \
                        t in ('choice', 'date', 'year'):
                    fail('%s: no input message' % x['id'])
        else:
            m = x
            rows = m['rows']
            total = [i for i, rw in enumerate(rows) if rw.get('total')]
            order = total + [i for i in range(len(rows)) if i not in total]
            fixed = m.get('decimals', 'auto') in ('auto', 'fixed')
            want_fmt = ('#,##0.00' if m.get('thousands', True) else '0.00') \
                if fixed else 'General'
            for col in m['columns']:
                for n, i in enumerate(order):
                    whole = not total or n == 0
                    label = (col['label'] + rows[i]['label']) if whole \
                        else rows[i]['label']
                    fid = '%s.%s.%s' % (m['id'], col['id'], rows[i]['id'])
                    r = find(label, False, fid)
                    if r is None:
                        continue
                    v = value_cell(r, fid)
                    dv = dvs.get(v.coordinate)
                    if not dv or dv.type != 'decimal' or \
                            dv.operator != 'greaterThanOrEqual' or \
                            dv.formula1 != '0':
                        fail('%s: no decimal >= 0 check' % fid)
                    if v.number_format != want_fmt:
                        fail('%s: number format %r, not %r' %
                             (fid, v.number_format, want_fmt))
    # the grids
    for g in c.grids:
        title = sheet_name(g['label'])
        if title not in wb.sheetnames:
            fail('no sheet %r for grid %s' % (title, g['id']))
            continue
        ws = wb[title]
        sides = [s['label'] for s in g.get('sides') or []]
        want = (['/'.join(sides)] if sides else []) + \
            [col['label'] for col in g['columns']]
        got = [ws.cell(1, i + 1).value for i in range(len(want))]
        if got != want or ws.cell(1, len(want) + 1).value is not None:
            fail('grid %s: header %r, not %r' % (g['id'], got, want))
        if ws.freeze_panes != 'A2':
            fail('grid %s: header not frozen (%r)' % (g['id'], ws.freeze_panes))
        if ws.protection.sheet:
            fail('grid %s: the sheet is protected' % g['id'])
        gdv = validations(ws)
        first = 1 if sides else 0
        if sides:
            dv = gdv.get('A2')
            if not dv or dv.type != 'list' or list_items(wb, dv) != sides:
                fail('grid %s: no drop-down of the sides %r' % (g['id'], sides))
        frame = g.get('frame') or []
        level1 = [f['level1'] for f in frame]
        level2 = []
        for f in frame:
            for n in names(f['level2']):
                if n not in level2:
                    level2.append(n)
        for k, col in enumerate(g['columns']):
            letter = openpyxl.utils.get_column_letter(first + k + 1)
            dv = gdv.get(letter + '31')  # rows 2..31 at least take input
            role = col.get('role')
            if frame and role in ('level1', 'level2'):
                want_items = level1 if role == 'level1' else level2
                if not dv or dv.type != 'list' or \
                        list_items(wb, dv) != want_items:
                    fail('grid %s: column %s has no drop-down of %r' %
                         (g['id'], col['label'], want_items))
            if ws[letter + '31'].border.left.style is None:
                fail('grid %s: row 31 of %s is not formatted for input' %
                     (g['id'], col['label']))
    # the template row
    found = None
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == 'template':
                    found = (ws, cell)
    if not found:
        fail('no cell `template` in the workbook')
    else:
        ws, cell = found
        right = ws.cell(cell.row, cell.column + 1).value
        if right != c.name:
            fail('`template` is followed by %r, not %r' % (right, c.name))
        if help_sheet and ws.title != help_sheet:
            fail('`template` is in sheet %r, not %r' % (ws.title, help_sheet))
    return not FAILS


# ---- fill: a project's values into the workbook ------------------------


def get(project, dotted):
    v = project
    for k in dotted.split('.'):
        if not isinstance(v, dict) or k not in v:
            return None
        v = v[k]
    return v


def cell_value(s, t):
    """What a clerk types for YAML scalar s (as written) of type t, as
    openpyxl writes it: amounts and other numbers as numbers when the
    number shows them as written (not 9.50, 045), ISO dates as dates,
    else the text."""
    if s is None or s == '':
        return None
    if t in ('money', 'year', 'integer', 'decimal') and \
            re.match(r'^(0|[1-9]\d*)(\.\d*[1-9])?$', s):
        return float(s) if '.' in s else int(s)
    if t == 'date' and re.match(r'^\d{4}-\d\d-\d\d$', s):
        y, m, d = map(int, s.split('-'))
        return datetime.datetime(y, m, d)
    return s


def put(cell, value):
    """Writes value to cell; a text starting with '=' stays text (typed
    into a text-formatted cell, as the grid's are)."""
    cell.value = value
    if isinstance(value, str) and value.startswith('='):
        cell.data_type = 's'


def fill(tdir, name, path, project_path, out):
    c = Content(load_template(tdir, name))
    with open(project_path, encoding='utf-8') as f:
        # every scalar as written ("9.50", "045"), as jxform reads it
        project = yaml.load(f, Loader=yaml.BaseLoader)
    wb = openpyxl.load_workbook(path)
    form = wb.worksheets[0]
    rows = {}
    for r in range(1, form.max_row + 1):
        v = form.cell(r, 1).value
        if isinstance(v, str):
            rows.setdefault(plain(v), []).append(r)
    used = {}

    def row_of(label):
        k = used.get(label, 0)
        used[label] = k + 1
        return rows[label][k]

    for kind, x in c.rows:
        if kind == 'field':
            r = row_of(x['label'])
            put(form.cell(r, 2), cell_value(get(project, x['id']),
                                            x.get('type', 'text')))
            if x.get('type') == 'date' and isinstance(form.cell(r, 2).value,
                                                      datetime.datetime):
                form.cell(r, 2).number_format = 'yyyy-mm-dd'
            continue
        m = x
        total = [i for i, rw in enumerate(m['rows']) if rw.get('total')]
        order = total + [i for i in range(len(m['rows'])) if i not in total]
        for col in m['columns']:
            for n, i in enumerate(order):
                rw = m['rows'][i]
                label = (col['label'] + rw['label']) \
                    if not total or n == 0 else rw['label']
                r = row_of(label)
                put(form.cell(r, 2), cell_value(
                    get(project, '%s.%s.%s' % (m['id'], col['id'], rw['id'])),
                    'money'))
    for g in c.grids:
        ws = wb[sheet_name(g['label'])]
        sides = g.get('sides') or []
        first = 1 if sides else 0
        lists = [(s['label'], (get(project, g['id']) or {}).get(s['id']))
                 for s in sides] if sides else [(None, get(project, g['id']))]
        r = 2
        for side, items in lists:
            for item in items or []:
                if side is not None:
                    ws.cell(r, 1).value = side
                for k, col in enumerate(g['columns']):
                    v = item.get(col['id']) if isinstance(item, dict) else None
                    put(ws.cell(r, first + k + 1),
                        cell_value(v, col.get('type', 'text')))
                r += 1
    wb.save(out)
    return True


def main():
    cmd = sys.argv[1]
    if cmd == 'check':
        ok = check(*sys.argv[2:])
    elif cmd == 'fill':
        ok = fill(*sys.argv[2:])
    else:
        raise SystemExit(__doc__)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
