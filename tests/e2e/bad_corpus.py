#!/usr/bin/env python3
"""The corpus of broken inputs, tests/bad/ (see tests/bad/README.md).

For every tests/bad/NAME.yaml, with the options in NAME.args if present:

  * `jxform check --lang=en [ARGS] NAME.yaml` exits 1 and prints exactly
    the lines of NAME.expected (file:line:col: severity: message [rule]),
    in order, and `--lang=zh` those of NAME.zh.expected;
  * `jxform check [ARGS] --format=json NAME.yaml` says the same in each
    language: ok false, and its diagnostics, printed as text, are the same
    lines; the rule id is a field, not part of the message; the two
    languages' JSON differ only in "message", and no Chinese message is
    left in English;
  * without ARGS, `jxform render NAME.yaml` and `jxform render NAME.yaml
    -o out.pdf` exit 1, print the same lines and leave no file behind;
  * with --strict in ARGS (the input only has warnings), `jxform check`
    without it exits 0 and prints the same lines as warnings.

Usage: bad_corpus.py JXFORM SOURCE_DIR WORK_DIR [CORPUS [MIN_CASES]]
CORPUS is a folder of the source tree (default tests/bad, of YAML files);
tests/import/bad holds workbooks (.xlsx, .xls, .csv), checked the same.
JXFORM_UPDATE_BAD=1 rewrites the .expected files from `check` (review the
diff before committing).
"""
import json
import os
import re
import shutil
import subprocess
import sys

MIN_CASES = 60
# The inputs of a corpus: project files and workbooks.
INPUT_SUFFIXES = ('.yaml', '.xlsx', '.xls', '.csv')


def diag_lines(stderr, template_dir):
    """The diagnostic lines of a run, with the template folder made
    portable; the closing summary ('jxform: checked ...', 'jxform: 检查了
    ...') is dropped."""
    lines = []
    for line in stderr.splitlines():
        if line.startswith(('jxform: checked ', 'jxform: 检查了 ')):
            continue
        lines.append(line.replace(template_dir, 'TEMPLATES'))
    return lines


# The severity words of the text output, per language.
SEVERITY = {
    'en': {'error': 'error', 'warning': 'warning', 'note': 'note'},
    'zh': {'error': '错误', 'warning': '警告', 'note': '提示'},
}

# Three English words in a row outside quotes: a message the Chinese
# catalogue does not have, printed in English.
ENGLISH_RUN = re.compile(r'[A-Za-z]{2,}(?:[ ,;]+[A-Za-z]{2,}){2,}')
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|（[^）]*）|\([^)]*\)")


def english_fallback(message):
    """The English words left in a Chinese message, or None."""
    m = ENGLISH_RUN.search(QUOTED.sub('', message))
    return m.group(0) if m else None


def json_lines(doc, template_dir, lang):
    """JSON diagnostics printed the way the CLI prints them."""
    out = []
    for d in doc['diagnostics']:
        where = d['file'] or ''
        if d['file'] and d.get('cell'):
            where = '%s:%s: ' % (d['file'], d['cell'])
        elif d['file'] and d['line']:
            where = '%s:%d:%d: ' % (d['file'], d['line'], d['column'])
        elif d['file']:
            where = '%s: ' % d['file']
        msg = d['message']
        if d['rule'] is not None:
            if '[%s]' % d['rule'] in msg:
                raise AssertionError('rule %r left in the message %r' %
                                     (d['rule'], msg))
            msg += ' [%s]' % d['rule']
        out.append((where + '%s: %s' % (SEVERITY[lang][d['severity']], msg))
                   .replace(template_dir, 'TEMPLATES'))
    return out


def without_message(doc):
    """A JSON document's diagnostics with their messages left out: the
    same in every language.  The arguments of a diagnostic without a rule
    may hold the system's own words for an error (strerror), which follow
    the language too; those of a rule's diagnostic may not differ."""
    return [{k: v for k, v in d.items()
             if k != 'message' and (k != 'args' or d['rule'])}
            for d in doc['diagnostics']]


def run(cmd, cwd, env):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True,
                          text=True, errors='replace', timeout=60)


def main():
    jxform, src, work = (os.path.abspath(a) for a in sys.argv[1:4])
    update = os.environ.get('JXFORM_UPDATE_BAD') == '1'
    corpus = sys.argv[4] if len(sys.argv) > 4 else os.path.join('tests', 'bad')
    min_cases = int(sys.argv[5]) if len(sys.argv) > 5 else MIN_CASES
    bad = os.path.join(src, corpus)
    template_dir = os.path.join(src, 'templates')
    env = dict(os.environ, JXFORM_TEMPLATE_DIR=template_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    inputs = {os.path.splitext(f)[0]: f for f in os.listdir(bad)
              if f.endswith(INPUT_SUFFIXES)}
    names = sorted(inputs)
    failures = []
    for name in names:
        case_dir = os.path.join(work, name)
        os.makedirs(case_dir)
        shutil.copy(os.path.join(bad, inputs[name]), case_dir)
        args_path = os.path.join(bad, name + '.args')
        args = open(args_path).read().split() if os.path.exists(args_path) else []
        yaml = inputs[name]

        def fail(what):
            failures.append('%s: %s' % (name, what))

        docs = {}
        for lang, suffix in (('en', '.expected'), ('zh', '.zh.expected')):
            lang_args = ['--lang=' + lang] + args
            expected_path = os.path.join(bad, name + suffix)
            check = run([jxform, 'check'] + lang_args + [yaml], case_dir, env)
            got = diag_lines(check.stderr, template_dir)
            if update:
                with open(expected_path, 'w', encoding='utf-8') as f:
                    f.write(''.join(line + '\n' for line in got))
            if not os.path.exists(expected_path):
                fail('no %s%s' % (name, suffix))
                continue
            want = open(expected_path, encoding='utf-8').read().splitlines()
            if not want:
                fail('%s%s is empty' % (name, suffix))
            if check.returncode != 1:
                fail('check --lang=%s exited %d, not 1' %
                     (lang, check.returncode))
            if got != want:
                fail('check --lang=%s printed:\n    %s\n  expected:\n    %s' %
                     (lang, '\n    '.join(got), '\n    '.join(want)))
            js = run([jxform, 'check', '--format=json'] + lang_args + [yaml],
                     case_dir, env)
            try:
                doc = json.loads(js.stdout)
                docs[lang] = doc
                if (js.returncode != 1 or doc['ok'] is not False or
                        not doc['errors']):
                    fail('check --format=json: exit %d, ok %r, errors %r' %
                         (js.returncode, doc['ok'], doc['errors']))
                if json_lines(doc, template_dir, lang) != want:
                    fail('check --format=json --lang=%s disagrees with the '
                         'text:\n    %s' %
                         (lang, '\n    '.join(json_lines(doc, template_dir,
                                                           lang))))
                if [f['file'] for f in doc['files']] != [yaml]:
                    fail('check --format=json files: %r' % doc['files'])
                if lang == 'zh':
                    for d in doc['diagnostics']:
                        english = english_fallback(d['message'])
                        if english:
                            fail('Chinese message falls back to English '
                                 '(%r): %s' % (english, d['message']))
            except (ValueError, KeyError, AssertionError) as e:
                fail('check --format=json: %s: %r' % (e, js.stdout[:300]))
        if len(docs) == 2 and (without_message(docs['en']) !=
                               without_message(docs['zh'])):
            fail('the JSON of --lang=en and --lang=zh differ beyond '
                 '"message"')
        want = open(os.path.join(bad, name + '.expected'),
                    encoding='utf-8').read().splitlines()

        if '--strict' in args:
            lax = run([jxform, 'check', '--lang=en', yaml], case_dir, env)
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
                r = run([jxform, 'render', '--lang=en', yaml] + extra,
                        case_dir, env)
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
    if len(names) < min_cases:
        print('FAIL: the corpus has %d cases, fewer than %d' %
              (len(names), min_cases))
        failures.append('size')
    print('corpus: %d passed, %d failed' %
          (len(names) - len({f.split(':')[0] for f in failures}),
           len({f.split(':')[0] for f in failures})))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
