#!/usr/bin/env python3
"""No form's words in the C code: every label a shipped template declares
(fields, groups, money blocks with their columns and rows, grids with their
sides and columns, frame names and their aliases, choices, and the literal
text of its cells, headings and footer) is looked for in src/ and
include/; finding one fails.  The form lives in the template, not in C.

Words of one or two characters (年度, 元) are units and common words, not
labels: only strings of three or more characters with a Chinese character
are looked for.

Usage: no_form_words.py JXFORM SOURCE_DIR WORK_DIR
"""
import glob
import os
import re
import sys

CJK = re.compile(r'[\u3400-\u9fff]')


def words_of(node, out, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            words_of(v, out, k)
    elif isinstance(node, list):
        for v in node:
            words_of(v, out, key)
    elif isinstance(node, str) and key in (
            'label', 'level1', 'level2', 'name', 'aliases', 'choices', 'text',
            'one_time', 'recurring', 'title'):
        # literal parts of patterns: drop {placeholders}, split at line
        # breaks and punctuation used as separators
        text = re.sub(r'\{[^{}]*\}', '\n', node)
        for part in re.split(r'[\n：:（）()\s，、。]+', text):
            if len(part) >= 3 and CJK.search(part):
                out.add(part)


# The name of the kind of form jxform makes, in its help and header: not a
# label of any one form.
ALLOWED = {'项目支出绩效目标表'}


def main():
    src = sys.argv[2]
    try:
        import yaml
    except ImportError:
        yaml = None
    words = set()
    templates = sorted(glob.glob(os.path.join(src, 'templates', '*.yaml')))
    for t in templates:
        text = open(t, encoding='utf-8').read()
        if yaml:
            words_of(yaml.safe_load(text), words)
        else:  # without PyYAML: every label: value
            for m in re.finditer(r'(?:label|level1|name|text): *"?([^",}\n]+)',
                                 text):
                words_of({'label': m.group(1)}, words)
    code = {}
    for f in sorted(glob.glob(os.path.join(src, 'src', '*.[ch]')) +
                    glob.glob(os.path.join(src, 'include', '*', '*.h'))):
        text = open(f, encoding='utf-8').read()
        for phrase in ALLOWED:  # a shorter word inside it is no label
            text = text.replace(phrase, '')
        code[f] = text
    found = []
    for w in sorted(words - ALLOWED):
        for f, text in code.items():
            for n, line in enumerate(text.splitlines(), 1):
                if w in line:
                    found.append('%s:%d: %s' % (os.path.relpath(f, src), n, w))
    for line in found:
        print('FAIL: a template\'s word in C:', line)
    print('no_form_words: %d templates, %d words, %d found in C' %
          (len(templates), len(words), len(found)))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
