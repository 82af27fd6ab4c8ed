#!/usr/bin/env python3
"""Checks a gettext catalogue the way msgfmt cannot: every entry is
translated and not fuzzy; a msgid ending in a rule id (" [funds-sum]")
has a translation ending in the same rule id; a msgid ending in a line
break has a translation ending in one.  Usage: po_check.py FILE.po"""
import re
import sys


def entries(path):
    """(msgid, msgstr, fuzzy) of each entry, header left out."""
    out = []
    cur = {}
    key = None
    fuzzy = False

    def flush():
        nonlocal cur, fuzzy
        if 'msgid' in cur and cur['msgid']:
            out.append((cur['msgid'], cur.get('msgstr', ''), fuzzy))
        cur = {}
        fuzzy = False

    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line.startswith('#,') and 'fuzzy' in line:
            if 'msgid' in cur:
                flush()
            fuzzy = True
        elif line.startswith('#~'):
            continue
        elif line.startswith('msgid '):
            if 'msgid' in cur:
                flush()
            key = 'msgid'
            cur[key] = eval(line[6:])
        elif line.startswith('msgstr '):
            key = 'msgstr'
            cur[key] = eval(line[7:])
        elif line.startswith('"') and key:
            cur[key] += eval(line)
        elif not line.strip():
            if 'msgid' in cur:
                flush()
            key = None
    if 'msgid' in cur:
        flush()
    return out


RULE = re.compile(r' \[([a-z0-9-]+)\]\Z')


def main():
    problems = 0
    es = entries(sys.argv[1])
    for msgid, msgstr, fuzzy in es:
        if fuzzy or not msgstr:
            print('untranslated or fuzzy: %r' % msgid[:70])
            problems += 1
            continue
        m = RULE.search(msgid)
        if m and not msgstr.endswith(' [%s]' % m.group(1)):
            print('rule id [%s] not at the end of the translation of %r' %
                  (m.group(1), msgid[:70]))
            problems += 1
        if msgid.endswith('\n') != msgstr.endswith('\n'):
            print('line end differs: %r' % msgid[:70])
            problems += 1
    print('po_check: %d entries, %d problems' % (len(es), problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
