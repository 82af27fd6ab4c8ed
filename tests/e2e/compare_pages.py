#!/usr/bin/env python3
"""Compares rasterised pages (binary PGM, P5) with reference images.

Usage: compare_pages.py REFERENCE_DIR WORK_DIR
Every reference REF/NAME.pgm must have a WORK/NAME.pgm of the same size,
and no reference page may be missing or extra.  A page passes when at most
0.2% of its pixels differ by more than 48 grey levels and the mean
absolute difference is below 1.0 (anti-aliasing may shift a little; a moved
line, a lost word or a changed row height does not pass).
"""
import os
import sys

MAX_BAD_FRACTION = 0.002
BAD_DELTA = 48
MAX_MEAN = 1.0


def read_pgm(path):
    data = open(path, 'rb').read()
    fields, pos = [], 0
    while len(fields) < 4:  # magic, width, height, maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b'P5' or int(fields[3]) != 255:
        raise ValueError(f'{path}: not an 8-bit binary PGM')
    w, h = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + w * h]
    return w, h, pixels


def main():
    ref_dir, work_dir = sys.argv[1], sys.argv[2]
    refs = sorted(f for f in os.listdir(ref_dir) if f.endswith('.pgm'))
    works = sorted(f for f in os.listdir(work_dir) if f.endswith('.pgm'))
    failures = 0
    if refs != works:
        print(f'FAIL: pages differ: reference {refs} rendered {works}')
        failures += 1
    for name in refs:
        if name not in works:
            continue
        rw, rh, rp = read_pgm(os.path.join(ref_dir, name))
        ww, wh, wp = read_pgm(os.path.join(work_dir, name))
        if (rw, rh) != (ww, wh):
            print(f'FAIL: {name}: size {ww}x{wh}, reference {rw}x{rh}')
            failures += 1
            continue
        total = bad = 0
        for a, b in zip(rp, wp):
            d = abs(a - b)
            total += d
            if d > BAD_DELTA:
                bad += 1
        mean = total / len(rp)
        frac = bad / len(rp)
        ok = frac <= MAX_BAD_FRACTION and mean < MAX_MEAN
        print(f'{"ok  " if ok else "FAIL"} {name}: {frac:.4%} pixels differ, mean {mean:.3f}')
        failures += not ok
    print(f'pages: {len(refs)} compared, {failures} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
