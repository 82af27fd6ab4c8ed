#!/usr/bin/env python3
"""No form's words in the C code: every label a shipped template declares
(fields, groups, money blocks with their columns and rows, grids with their
sides and columns, frame names and their aliases, choices, and the literal
text of its cells, headings and footer) is looked for in src/ and
include/; finding one fails.  The form lives in the template, not in C.

Words of one or two characters (年度, 元) are units and common words, not
labels: only strings of three or more characters with a Chinese character
are looked for.  Spaced words ("汇　编", "年　　度") are looked for as
written, and a pattern with placeholders ("第 {page} 页 共 {pages} 页",
"部 门 数：{packet.departments} 个") also as the printf format or the
pattern C would build it with: its literal parts in order, any short run
of characters in place of each placeholder.  This covers the packet's
cover, contents and footer (the template's `packet` section) as well.

Usage: no_form_words.py JXFORM SOURCE_DIR WORK_DIR
"""
import glob
import os
import re
import sys

CJK = re.compile(r'[\u3400-\u9fff]')


def words_of(node, out, key=None, patterns=None):
    if isinstance(node, dict):
        for k, v in node.items():
            words_of(v, out, k, patterns)
    elif isinstance(node, list):
        for v in node:
            words_of(v, out, key, patterns)
    elif isinstance(node, str) and key in (
            'label', 'level1', 'level2', 'name', 'aliases', 'choices', 'text',
            'one_time', 'recurring', 'title', 'blank', 'years', 'subject',
            'missing'):
        # literal parts of patterns: drop {placeholders}, split at line
        # breaks and punctuation used as separators; once at spaces too,
        # once keeping the ideographic spaces of a spaced word
        text = re.sub(r'\{[^{}]*\}', '\n', node)
        for sep in (r'[\n：:（）()\s，、。]+', r'[\n：:（）()\t\r\f\v ，、。]+'):
            for part in re.split(sep, text):
                part = part.strip()
                if len(part) >= 3 and CJK.search(part):
                    out.add(part)
        if patterns is not None and '{' in node.replace('{{', ''):
            literal = re.sub(r'\{[^{}]*\}', '', node)
            if len(CJK.findall(literal)) >= 3:
                patterns.add(node)


def pattern_regex(pattern):
    """A regex finding `pattern` as C would write it: its literal parts in
    order, each placeholder any run of up to 12 characters (%zu, %s, a
    '{page}' of its own)."""
    parts = re.split(r'\{[^{}]*\}', pattern)
    return re.compile('.{0,12}?'.join(re.escape(p) for p in parts))


# The name of the kind of form jxform makes, in its help and header: not a
# label of any one form.
ALLOWED = {'项目支出绩效目标表'}


def main():
    src = sys.argv[2]
    try:
        import yaml
    except ImportError:
        yaml = None
    words, patterns = set(), set()
    templates = sorted(glob.glob(os.path.join(src, 'templates', '*.yaml')))
    for t in templates:
        text = open(t, encoding='utf-8').read()
        if yaml:
            words_of(yaml.safe_load(text), words, patterns=patterns)
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
    for p in sorted(patterns):
        rx = pattern_regex(p)
        for f, text in code.items():
            for n, line in enumerate(text.splitlines(), 1):
                if rx.search(line):
                    found.append('%s:%d: %s' % (os.path.relpath(f, src), n, p))
    for line in found:
        print('FAIL: a template\'s word in C:', line)
    print('no_form_words: %d templates, %d words, %d patterns, %d found in C' %
          (len(templates), len(words), len(patterns), len(found)))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
