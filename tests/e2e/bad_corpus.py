#!/usr/bin/env python3
"""The corpus of broken inputs, tests/bad/ (see tests/bad/README.md).

For every tests/bad/NAME.yaml, with the options in NAME.args if present:

  * `jxform check [ARGS] NAME.yaml` exits 1 and prints exactly the lines
    of NAME.expected (file:line:col: severity: message), in order;
  * `jxform check [ARGS] --format=json NAME.yaml` says the same: ok false,
    and its diagnostics, printed as text, are the same lines;
  * without ARGS, `jxform render NAME.yaml` and `jxform render NAME.yaml
    -o out.pdf` exit 1, print the same lines and leave no file behind;
  * with --strict in ARGS (the input only has warnings), `jxform check`
    without it exits 0 and prints the same lines as warnings.

Usage: bad_corpus.py JXFORM SOURCE_DIR WORK_DIR
JXFORM_UPDATE_BAD=1 rewrites the .expected files from `check` (review the
diff before committing).
"""
import json
import os
import shutil
import subprocess
import sys

MIN_CASES = 60


def diag_lines(stderr, template_dir):
    """The diagnostic lines of a run, with the template folder made
    portable; the closing 'jxform: checked ...' summary is dropped."""
    lines = []
    for line in stderr.splitlines():
        if line.startswith('jxform: checked '):
            continue
        lines.append(line.replace(template_dir, 'TEMPLATES'))
    return lines


def json_lines(doc, template_dir):
    """JSON diagnostics printed the way the CLI prints them."""
    out = []
    for d in doc['diagnostics']:
        where = d['file'] or ''
        if d['file'] and d['line']:
            where = '%s:%d:%d: ' % (d['file'], d['line'], d['column'])
        elif d['file']:
            where = '%s: ' % d['file']
        out.append((where + '%s: %s' % (d['severity'], d['message']))
                   .replace(template_dir, 'TEMPLATES'))
        msg = d['message']
        if d['rule'] is not None and not msg.endswith('[%s]' % d['rule']):
            raise AssertionError('rule %r not at the end of %r' %
                                 (d['rule'], msg))
    return out


def run(cmd, cwd, env):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                          text=True, errors='replace', timeout=60)


def main():
    jxform, src, work = (os.path.abspath(a) for a in sys.argv[1:4])
    update = os.environ.get('JXFORM_UPDATE_BAD') == '1'
    bad = os.path.join(src, 'tests', 'bad')
    template_dir = os.path.join(src, 'templates')
    env = dict(os.environ, JXFORM_TEMPLATE_DIR=template_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    names = sorted(f[:-5] for f in os.listdir(bad) if f.endswith('.yaml'))
    failures = []
    for name in names:
        case_dir = os.path.join(work, name)
        os.makedirs(case_dir)
        shutil.copy(os.path.join(bad, name + '.yaml'), case_dir)
        args_path = os.path.join(bad, name + '.args')
        args = open(args_path).read().split() if os.path.exists(args_path) else []
        expected_path = os.path.join(bad, name + '.expected')
        yaml = name + '.yaml'

        def fail(what):
            failures.append('%s: %s' % (name, what))

        check = run([jxform, 'check'] + args + [yaml], case_dir, env)
        got = diag_lines(check.stderr, template_dir)
        if update:
            with open(expected_path, 'w', encoding='utf-8') as f:
                f.write(''.join(line + '\n' for line in got))
        if not os.path.exists(expected_path):
            fail('no %s.expected' % name)
            continue
        want = open(expected_path, encoding='utf-8').read().splitlines()
        if not want:
            fail('%s.expected is empty' % name)
        if check.returncode != 1:
            fail('check exited %d, not 1' % check.returncode)
        if got != want:
            fail('check printed:\n    %s\n  expected:\n    %s' %
                 ('\n    '.join(got), '\n    '.join(want)))

        js = run([jxform, 'check', '--format=json'] + args + [yaml],
                 case_dir, env)
        try:
            doc = json.loads(js.stdout)
            if js.returncode != 1 or doc['ok'] is not False or not doc['errors']:
                fail('check --format=json: exit %d, ok %r, errors %r' %
                     (js.returncode, doc['ok'], doc['errors']))
            if json_lines(doc, template_dir) != want:
                fail('check --format=json disagrees with the text:\n    %s' %
                     '\n    '.join(json_lines(doc, template_dir)))
            if [f['file'] for f in doc['files']] != [yaml]:
                fail('check --format=json files: %r' % doc['files'])
        except (ValueError, KeyError, AssertionError) as e:
            fail('check --format=json: %s: %r' % (e, js.stdout[:300]))

        if '--strict' in args:
            lax = run([jxform, 'check', yaml], case_dir, env)
            lax_want = [line.replace(': error: ', ': warning: ', 1)
                        for line in want]
            if lax.returncode != 0:
                fail('without --strict check exited %d, not 0' %
                     lax.returncode)
            if diag_lines(lax.stderr, template_dir) != lax_want:
                fail('without --strict check printed:\n    %s' %
                     '\n    '.join(diag_lines(lax.stderr, template_dir)))
        else:
            for extra in ([], ['-o', 'out.pdf']):
                r = run([jxform, 'render', yaml] + extra, case_dir, env)
                lines = [line for line in diag_lines(r.stderr, template_dir)
                         if not line.startswith('jxform: ')]
                if r.returncode != 1:
                    fail('render %s exited %d, not 1' %
                         (' '.join(extra), r.returncode))
                if lines != want:
                    fail('render %s printed:\n    %s' %
                         (' '.join(extra), '\n    '.join(lines)))
            left = sorted(set(os.listdir(case_dir)) - {yaml})
            if left:
                fail('render left files behind: %s' % ', '.join(left))

    for f in failures:
        print('FAIL: ' + f)
    if len(names) < MIN_CASES:
        print('FAIL: the corpus has %d cases, fewer than %d' %
              (len(names), MIN_CASES))
        failures.append('size')
    print('corpus: %d passed, %d failed' %
          (len(names) - len({f.split(':')[0] for f in failures}),
           len({f.split(':')[0] for f in failures})))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
