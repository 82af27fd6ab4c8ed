#!/usr/bin/env python3
"""Geometric invariants of jxform --dump=layout output.

For every page of every dump given:
  - every run lies inside the page's margins;
  - no rule crosses a run: text never runs over a cell border, so nothing
    is clipped or drawn outside its cell;
  - runs on a page do not overlap one another;
  - every run is at least 1.5 pt away from the vertical rules beside it
    (it sits inside the cell padding).
Usage: check_geometry.py [--margins L,T,R,B] FILE.layout...
Exit status 0 when all hold; prints each failure otherwise.
"""
import re
import sys

ASCENT, DESCENT = 0.88, 0.12  # of the font size, the em box around a baseline
EPS = 0.01


def parse(path):
    pages = []
    for line in open(path, encoding='utf-8'):
        f = line.split()
        if not f:
            continue
        if f[0] == 'page':
            w, h = map(float, f[-1].split('x'))
            pages.append({'w': w, 'h': h, 'rules': [], 'runs': []})
        elif f[0] == 'rule':
            pages[-1]['rules'].append(tuple(map(float, f[1:5])))
        elif f[0] == 'text':
            m = re.match(r'\s*text (\S+) (\S+) face \d+ size (\S+) width (\S+).*?"(.*)"$',
                         line.rstrip('\n'))
            x, y, size, width = map(float, m.group(1, 2, 3, 4))
            pages[-1]['runs'].append((x, y - ASCENT * size, x + width,
                                      y + DESCENT * size, m.group(5)))
    return pages


def main():
    args = sys.argv[1:]
    margins = (36.0, 39.0, 36.0, 39.0)
    if args and args[0] == '--margins':
        margins = tuple(map(float, args[1].split(',')))
        args = args[2:]
    failures = 0
    checked = 0

    def fail(msg):
        nonlocal failures
        failures += 1
        if failures <= 30:
            print('FAIL:', msg)

    for path in args:
        for n, page in enumerate(parse(path), 1):
            where = f'{path} page {n}'
            L, T, R, B = margins
            runs = page['runs']
            for (x0, y0, x1, y1, text) in runs:
                checked += 1
                if x0 < L - EPS or x1 > page['w'] - R + EPS or \
                        y0 < T - EPS or y1 > page['h'] - B + EPS:
                    fail(f'{where}: "{text}" outside the margins')
                for (a0, b0, a1, b1) in page['rules']:
                    if a0 == a1:  # vertical rule at x=a0 from b0 to b1
                        if b0 < y1 - EPS and b1 > y0 + EPS:
                            if x0 - 1.5 + EPS < a0 < x1 + 1.5 - EPS:
                                fail(f'{where}: vertical rule x={a0} crosses or '
                                     f'touches "{text}" [{x0:.2f},{x1:.2f}]')
                    else:  # horizontal rule at y=b0 from a0 to a1
                        if a0 < x1 - EPS and a1 > x0 + EPS and y0 + EPS < b0 < y1 - EPS:
                            fail(f'{where}: horizontal rule y={b0} crosses "{text}"')
            ordered = sorted(runs)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    if b[0] >= a[2] - EPS:
                        break
                    if b[1] < a[3] - EPS and b[3] > a[1] + EPS:
                        fail(f'{where}: "{a[4]}" overlaps "{b[4]}"')
    print(f'geometry: {checked} runs checked, {failures} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
