#!/usr/bin/env python3
"""Templates are untrusted input: every number of the shipped 阳泉 template,
replaced in turn by hostile values (0, negative, tiny, huge), must give
either a rendered PDF or diagnostics with exit status 1 — never a hang, a
crash, or an exit with a page of nonsense (a PDF written while the
template holds an out-of-range value is checked to have sane pages).

Each run is bounded: 10 s and 1 GiB of memory (time only under
AddressSanitizer).

Usage: template_mutation.py JXFORM SOURCE_DIR WORK_DIR
"""
import os
import re
import resource
import shutil
import subprocess
import sys

VALUES = ['0', '-5', '0.0001', '900', '1e9', '1e30']
NUMBER = re.compile(r'(?<![\w.\-])(-?\d+(?:\.\d+)?)(?![\w.%])')


def limit():
    # AddressSanitizer reserves terabytes of address space for its shadow
    # memory: under it (make asan sets ASAN_OPTIONS) only time is bounded.
    if 'ASAN_OPTIONS' not in os.environ:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def main():
    jxform, src, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    text = open(os.path.join(src, 'templates', 'yangquan-2025.yaml'),
                encoding='utf-8').read()
    project = open(os.path.join(src, 'samples', '05-rencai-gongzuo.yaml'),
                   encoding='utf-8').read().replace(
                       'template: yangquan-2025', 'template: mut')
    with open(os.path.join(work, 'p.yaml'), 'w', encoding='utf-8') as f:
        f.write(project)
    # numbers in values only: after "key: ", in [lists] or {flows}, not in
    # comments or quoted text
    spots = []
    for ln, line in enumerate(text.splitlines(True)):
        code = line.split('#', 1)[0]
        if '"' in code:
            code = re.sub(r'"[^"]*"', lambda m: ' ' * len(m.group(0)), code)
        for m in NUMBER.finditer(code):
            spots.append((ln, m.start(1), m.end(1)))
    lines = text.splitlines(True)
    runs = failures = 0
    for ln, a, b in spots:
        for v in VALUES:
            mutated = list(lines)
            mutated[ln] = lines[ln][:a] + v + lines[ln][b:]
            body = ''.join(mutated).replace('name: yangquan-2025', 'name: mut')
            with open(os.path.join(work, 'mut.yaml'), 'w', encoding='utf-8') as f:
                f.write(body)
            out = os.path.join(work, 'x.pdf')
            if os.path.exists(out):
                os.remove(out)
            runs += 1
            try:
                r = subprocess.run(
                    [jxform, 'render', os.path.join(work, 'p.yaml'), '-o', out,
                     '--template-dir', work],
                    capture_output=True, timeout=10, preexec_fn=limit)
            except subprocess.TimeoutExpired:
                failures += 1
                print('FAIL: hang: line %d: %r -> %s' %
                      (ln + 1, lines[ln][a:b], v))
                continue
            if r.returncode not in (0, 1):
                failures += 1
                print('FAIL: exit %d: line %d: %r -> %s: %s' %
                      (r.returncode, ln + 1, lines[ln][a:b], v,
                       r.stderr.decode(errors='replace')[-300:]))
            elif r.returncode == 1 and os.path.exists(out):
                failures += 1
                print('FAIL: exit 1 but a PDF was written: line %d' % (ln + 1))
    print('template_mutation: %d runs over %d numbers, %d failures' %
          (runs, len(spots), failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
