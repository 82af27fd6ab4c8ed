#!/usr/bin/env bash
# Man pages and bash completion (issue 15, item 4):
#   - man/jxform.1, man/jxform-template.5 and their Chinese translations in
#     man/zh_CN/ are well-formed roff: a sanity check of our own always,
#     then every formatter installed with its warnings as failures
#     (groff -ww, man --warnings, mandoc -Tlint, lexgrog); groff must not
#     hang at any terminal width from 40 columns up (groff 1.22.4 with
#     zh.tmac loops for ever on a Chinese line it cannot break: write
#     \: after Chinese punctuation that precedes Latin text);
#   - the pages cannot fall behind the program: every option that
#     `jxform help` and `jxform help CMD` print is in both jxform(1) pages,
#     in the section of CMD; every shipped template is named; every key
#     of the tables of docs/templates.md 3.1 and 3.10-3.13 is in both
#     jxform-template(5) pages;
#   - completion/jxform.bash completes commands, options, option values,
#     template names and files, offers every option `jxform help CMD`
#     prints, and every value it offers is one jxform accepts.
# Usage: manpages.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
export JXFORM_TEMPLATE_DIR="$src/templates"
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

en1=$src/man/jxform.1
zh1=$src/man/zh_CN/jxform.1
en5=$src/man/jxform-template.5
zh5=$src/man/zh_CN/jxform-template.5
pages=("$en1" "$zh1" "$en5" "$zh5")
for p in "${pages[@]}"; do
  [ -f "$p" ] || fail "missing $p"
done
[ -f "$src/completion/jxform.bash" ] || fail "missing completion/jxform.bash"
[ "$fails" -eq 0 ] || exit 1

# ---- roff: our own sanity check, and plain text for the checks below ----
# deroff.py PAGE OUT: checks PAGE (the .TH, known macros only, .RS/.RE,
# .EX/.EE and .SY/.YS balanced, required sections, a NAME line whatis can
# read) and writes its text, roughly as a reader sees it, to OUT, with
# each .SH/.SS heading on a line of its own starting "@@ ".
cat >"$work/deroff.py" <<'EOF'
import re, sys
page, out = sys.argv[1], sys.argv[2]
name = page.rsplit('/', 1)[-1]
title, section = name.rsplit('.', 1)
zh = '/zh_CN/' in page
required = {
    ('1', False): ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS',
                   'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'EXAMPLES', 'SEE ALSO'],
    ('1', True): ['名称', '用法', '说明', '命令', '选项', '退出码', '环境变量',
                  '文件', '例子', '另见'],
    ('5', False): ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'SEE ALSO'],
    ('5', True): ['名称', '概要', '说明', '例子', '另见'],
}[(section, zh)]
known = set('TH SH SS PP LP P TP IP HP RS RE B I BR BI IB IR RB RI SM SB '
            'EX EE SY YS OP UR UE MT ME nf fi br sp nh hy ad na if ie el '
            'nr ds mso in ti ft ps ne'.split())
problems = []
def bad(line_no, what):
    problems.append(f'{page}:{line_no}: {what}')

def args_of(rest):
    """A macro's arguments, with groff's double quotes."""
    args, cur, quoted, i, had = [], '', False, 0, False
    while i < len(rest):
        c = rest[i]
        if quoted:
            if c == '"':
                if i + 1 < len(rest) and rest[i + 1] == '"':
                    cur += '"'; i += 1
                else:
                    quoted = False
            else:
                cur += c
        elif c == '"':
            quoted, had = True, True
        elif c in ' \t':
            if cur or had:
                args.append(cur)
            cur, had = '', False
        else:
            cur += c
        i += 1
    if cur or had:
        args.append(cur)
    return args

escapes = [(r'\\f(\[[A-Z]*\]|[BIRP])', ''), (r'\\-', '-'), (r'\\&', ''),
           (r'\\%', ''), (r'\\:', ''), (r'\\c', ''), (r'\\\(aq', "'"),
           (r'\\\(dq', '"'), (r'\\\(em', '—'), (r'\\\(en', '–'),
           (r'\\\(lq', '“'), (r'\\\(rq', '”'), (r'\\\(mu', '×'),
           (r'\\\(<=', '≤'), (r'\\\(~~', '≈'), (r'\\\(rs', '\\\\'),
           (r'\\e', '\\\\'), (r'\\ ', ' ')]
def text_of(s):
    for a, b in escapes:
        s = re.sub(a, b, s)
    return s

lines = open(page, encoding='utf-8').read().split('\n')
text, sections, depth = [], [], {'RS': 0, 'EX': 0, 'SY': 0}
th_seen = False
for n, line in enumerate(lines, 1):
    if line.rstrip() != line:
        bad(n, 'trailing white space')
    if line.startswith("'"):
        bad(n, "a line starting with ' (a control line to roff)")
    if line.startswith('.\\"') or line == '.':
        continue
    if line.startswith('.'):
        m = re.match(r'\.(\S+)\s*(.*)$', line)
        mac, rest = m.group(1), m.group(2)
        if mac not in known:
            bad(n, f'unknown macro .{mac}')
            continue
        if not th_seen and mac != 'TH' and mac not in ('nr', 'nh', 'if', 'ad', 'mso'):
            bad(n, f'.{mac} before .TH')
        if mac == 'TH':
            a = args_of(rest)
            th_seen = True
            if len(a) < 2 or a[0] != title.upper() or a[1] != section:
                bad(n, f'.TH should start "{title.upper()} {section}"')
            if len(a) < 3 or not re.match(r'\d{4}-\d\d-\d\d$', a[2]):
                bad(n, '.TH needs a date YYYY-MM-DD')
        elif mac in ('SH', 'SS'):
            head = text_of(' '.join(args_of(rest)))
            if mac == 'SH':
                sections.append(head)
            text.append('@@ ' + head)
        elif mac in ('RS', 'RE'):
            depth['RS'] += 1 if mac == 'RS' else -1
        elif mac in ('EX', 'EE'):
            depth['EX'] += 1 if mac == 'EX' else -1
        elif mac in ('SY', 'YS'):
            depth['SY'] += 1 if mac == 'SY' else -1
            if mac == 'SY':
                text.append(text_of(' '.join(args_of(rest))))
        elif mac in ('B', 'I', 'SM', 'SB'):
            text.append(text_of(' '.join(args_of(rest))))
        elif mac in ('BR', 'BI', 'IB', 'IR', 'RB', 'RI'):
            text.append(text_of(''.join(args_of(rest))))
        for k, v in depth.items():
            if v < 0 or v > 1 and k != 'RS':
                bad(n, f'unbalanced .{k}')
                depth[k] = 0
        continue
    text.append(text_of(line))
for k, v in depth.items():
    if v:
        bad(len(lines), f'.{k} not closed')
if not th_seen:
    bad(1, 'no .TH')
for s in required:
    if s not in sections:
        bad(len(lines), f'no section {s}')
# NAME: "title \- what", as whatis and lexgrog read it
try:
    i = text.index('@@ ' + sections[0])
    if sections[0] not in ('NAME', '名称') or not re.match(
            re.escape(title) + r' - \S', text[i + 1]):
        bad(1, f'the first section must be NAME, "{title} \\- ..."')
except (ValueError, IndexError):
    bad(1, 'no NAME section')
open(out, 'w', encoding='utf-8').write('\n'.join(text) + '\n')
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF
for p in "${pages[@]}"; do
  rel=${p#"$src/man/"}
  python3 "$work/deroff.py" "$p" "$work/${rel//\//_}.txt" || fail "roff sanity check of $rel"
done
txt_en1=$work/jxform.1.txt txt_zh1=$work/zh_CN_jxform.1.txt
txt_en5=$work/jxform-template.5.txt txt_zh5=$work/zh_CN_jxform-template.5.txt
for txt in "$txt_en1" "$txt_zh1" "$txt_en5" "$txt_zh5"; do
  [ -s "$txt" ] || {
    echo "FAIL: no text of the pages (python3 deroff.py failed)"
    exit 1
  }
done

# ---- the formatters that are installed, warnings as failures ----
formatters=0
if command -v groff >/dev/null; then
  formatters=$((formatters + 1))
  for p in "${pages[@]}"; do
    rel=${p#"$src/man/"}
    err=$(timeout 60 groff -k -man -Tutf8 -ww -z "$p" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || [ -n "$err" ]; then
      fail "groff -ww $rel (status $rc): $err"
    fi
    if [[ $rel == zh_CN/* ]]; then
      # what man-db adds in a Chinese locale
      err=$({ printf '.mso zh.tmac\n.hla zh\n'; cat "$p"; } |
        timeout 60 groff -k -man -Tutf8 -ww -z 2>&1)
      [ -z "$err" ] || fail "groff -ww -mzh $rel: $err"
    fi
    # every usual terminal width: it must end
    for ll in 40 60 80 100 132 200; do
      timeout 30 groff -k -man -Tutf8 -z -rLL=${ll}n "$p" 2>/dev/null
      [ $? -ne 124 ] || fail "groff hangs on $rel at $ll columns"
    done
  done
  # groff sets the text the checks below read in the deroffed copy
  out=$(timeout 60 groff -k -man -Tutf8 -P-cbou "$en1" 2>/dev/null)
  case $out in
  *"jxform render FILE.yaml"*"EXIT STATUS"*) ;;
  *) fail "groff's text of jxform.1 lacks its synopsis or EXIT STATUS" ;;
  esac
fi
if command -v man >/dev/null; then
  formatters=$((formatters + 1))
  for p in "${pages[@]}"; do
    rel=${p#"$src/man/"}
    out=$(MANWIDTH=80 timeout 60 man --warnings=w -l "$p" 2>"$work/man.err")
    [ -n "$out" ] || fail "man -l $rel printed nothing"
    [ ! -s "$work/man.err" ] || fail "man --warnings -l $rel: $(cat "$work/man.err")"
  done
fi
if command -v mandoc >/dev/null; then
  formatters=$((formatters + 1))
  for p in "${pages[@]}"; do
    rel=${p#"$src/man/"}
    # style notes (lines over 80 bytes: a Chinese paragraph is one line)
    # are not warnings
    err=$(mandoc -Tlint -W warning "$p" 2>&1)
    [ -z "$err" ] || fail "mandoc -Tlint $rel: $err"
  done
fi
if command -v lexgrog >/dev/null; then
  for p in "${pages[@]}"; do
    rel=${p#"$src/man/"}
    name=${rel##*/}
    name=${name%.*}
    out=$(lexgrog "$p" 2>&1)
    [[ $out == *"\"$name - "* ]] || fail "lexgrog (whatis) cannot read the NAME of $rel: $out"
  done
fi
[ "$formatters" -gt 0 ] || echo "note: no groff, man or mandoc installed (Debian: groff-base); only our own roff check ran"

# ---- the pages follow the program ----
# The options a help text prints: -x, --long, --long=a|b.
options_of() {
  grep -oE "(^|[][[:space:](,|'])--?[A-Za-z][A-Za-z0-9-]*(=[a-z_|]+)?" |
    sed -E "s/^[][[:space:](,|']//" | sort -u
}
# The text of section (.SS) CMD of a deroffed page, or the whole page.
section_of() { # TXT [CMD]
  if [ -z "${2:-}" ]; then
    cat "$1"
  else
    awk -v cmd="$2" '/^@@ /{on = ($2 == cmd)} on' "$1"
  fi
}
re_quote() { printf '%s' "$1" | sed -E 's/[][\.|*+?(){}^$]/\\&/g'; }
# True if OPTION (with its values, --a=x|y) is in the text on stdin.
has_option() { # OPTION
  local opt=$1 name vals v text ok=0
  text=$(cat)
  name=${opt%%=*}
  # (here-strings: grep -q leaves early, and a writer into a pipe would
  # then fail the pipeline under pipefail)
  grep -qE -- "(^|[^A-Za-z0-9_-])$(re_quote "$name")([^A-Za-z0-9_-]|\$)" <<<"$text" || return 1
  if [[ $opt == *=* ]]; then
    vals=${opt#*=}
    for v in ${vals//|/ }; do
      grep -qE -- "$(re_quote "$name")=([A-Za-z_]+[|])*$v([^A-Za-z0-9_-]|\$)" <<<"$text" || ok=1
    done
  fi
  return $ok
}

"$jxform" --lang=en help >"$work/help.txt" || fail "jxform help"
commands=$(sed -nE 's/^ *(usage:)? *jxform ([a-z]+) .*/\2/p' "$work/help.txt" | sort -u)
[ -n "$commands" ] || fail "no command found in 'jxform help'"
for cmd in $commands; do
  for txt in "$txt_en1" "$txt_zh1"; do
    grep -qE "^@@ $cmd( |\$)" "$txt" || fail "$(basename "$txt" .txt): no section for command '$cmd'"
  done
done
for opt in $(options_of <"$work/help.txt"); do
  for txt in "$txt_en1" "$txt_zh1"; do
    has_option "$opt" <"$txt" || fail "$(basename "$txt" .txt): option $opt of 'jxform help' is not in the page"
  done
done
for cmd in $commands; do
  [ "$cmd" = help ] && continue
  "$jxform" --lang=en help "$cmd" >"$work/help-$cmd.txt" || fail "jxform help $cmd"
  for opt in $(options_of <"$work/help-$cmd.txt"); do
    # the global options are described once, under OPTIONS
    where=$cmd
    case ${opt%%=*} in -h | --help | --version | --lang) where= ;; esac
    for txt in "$txt_en1" "$txt_zh1"; do
      section_of "$txt" "$where" | has_option "$opt" ||
        fail "$(basename "$txt" .txt): option $opt of 'jxform help $cmd' is not in the section of $cmd"
    done
  done
done
# every shipped template is named in every page
for t in "$src"/templates/*.yaml; do
  t=${t##*/}
  t=${t%.yaml}
  for txt in "$txt_en1" "$txt_zh1" "$txt_en5" "$txt_zh5"; do
    grep -qE "(^|[^A-Za-z0-9-])$(re_quote "$t")([^A-Za-z0-9-]|\$)" "$txt" ||
      fail "$(basename "$txt" .txt): template $t is not named"
  done
done
# every key of a template's top level, styles, heading, footer and bands
# (the tables of docs/templates.md 3.1 and 3.10 to 3.13)
# shellcheck disable=SC2016 # backquotes of Markdown, not of the shell
keys=$(awk '/^### /{on = /^### 3\.(1|1[0-3]) /} on' "$src/docs/templates.md" |
  sed -nE 's/^\| `([a-z0-9_]+)` \|.*/\1/p' | sort -u)
[ -n "$keys" ] || fail "no template key found in docs/templates.md 3.1"
for k in $keys; do
  for txt in "$txt_en5" "$txt_zh5"; do
    grep -qE "(^|[^A-Za-z0-9_])$k([^A-Za-z0-9_]|\$)" "$txt" ||
      fail "$(basename "$txt" .txt): template key $k is not described"
  done
done

# ---- bash completion ----
cat >"$work/complete.sh" <<'EOF'
# complete.sh COMPLETION LINE...: for each LINE (the cursor at its end),
# the replies of the completion, one line: LINE<TAB>reply reply...
# COMP_WORDS are split as bash splits them: at blanks, and each character
# of COMP_WORDBREAKS ('=', ':', '@', ...) a word of its own.
source "$1" || exit 1
shift
breaks=${COMP_WORDBREAKS//[[:space:]\"\']/}
for line in "$@"; do
  COMP_LINE=$line COMP_POINT=${#line}
  COMP_WORDS=() tok=''
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == ' ' ]]; then
      [[ -n $tok ]] && COMP_WORDS+=("$tok")
      tok=''
    elif [[ $breaks == *"$c"* ]]; then
      [[ -n $tok ]] && COMP_WORDS+=("$tok")
      COMP_WORDS+=("$c")
      tok=''
    else
      tok+=$c
    fi
  done
  if [[ -n $tok ]]; then
    COMP_WORDS+=("$tok")
  elif [[ $line == *' ' ]]; then
    COMP_WORDS+=('')
  fi
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _jxform
  printf '%s\t%s\n' "$line" "$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
done
EOF
# replies LINE: the sorted replies to LINE, blank-separated
replies() {
  bash "$work/complete.sh" "$src/completion/jxform.bash" "$1" 2>"$work/complete.err" | cut -f2
  [ ! -s "$work/complete.err" ] || fail "completion of '$1' printed: $(cat "$work/complete.err")"
}
expect_replies() { # LINE WANT
  local got
  got=$(replies "$1")
  [ "$got" = "$2" ] || fail "completing '$1': got '$got', want '$2'"
}
# replies_have LINE WORD...: each WORD is among the replies
replies_have() {
  local line=$1 got w
  shift
  got=" $(replies "$line") "
  for w in "$@"; do
    [[ $got == *" $w "* ]] || fail "completing '$line': '$w' is not offered (got:$got)"
  done
}

mkdir -p "$work/files/sub"
: >"$work/files/a.yaml" && : >"$work/files/b.yml" && : >"$work/files/c.json"
: >"$work/files/notes.txt" && : >"$work/files/out.pdf"
: >"$work/files/c.schema.json" # written by 'jxform schema': not an input
expect_replies "jxform pa" "packet"
expect_replies "jxform " "check help import new packet render schema"
expect_replies "jxform --lang=en pa" "packet"
expect_replies "jxform --lang=" "en zh"
expect_replies "jxform --lang z" "zh"
expect_replies "jxform new --t" "--template --template-dir"
expect_replies "jxform render --t" "--template --template-dir"
expect_replies "jxform render --dump=" "layout model"
expect_replies "jxform check --format=j" "json"
expect_replies "jxform packet --order=in" "input"
expect_replies "jxform help s" "schema"
expect_replies "jxform help " "check import new packet render schema"
expect_replies "jxform render --strict -- --t" ""
expect_replies "jxform new --template y" "yangquan-2025 yangquan-2025-centred"
expect_replies "jxform new --template=yangquan-2025-c" "yangquan-2025-centred"
expect_replies "jxform schema --template-dir $src/docs/examples -t c" "county-2025 county-2025-project"
expect_replies "jxform schema --template-dir=$src/docs/examples -t c" "county-2025 county-2025-project"
# without JXFORM_TEMPLATE_DIR, the folder jxform itself uses
(
  unset JXFORM_TEMPLATE_DIR
  got=$(replies "$jxform new --template yangquan-2025-c")
  [ "$got" = "yangquan-2025-centred" ] || echo "FAIL: completing a template name from jxform's own folder: got '$got'"
) | tee "$work/own-folder.out"
[ ! -s "$work/own-folder.out" ] || fails=$((fails + 1))
(
  cd "$work/files" || exit 1
  [ "$(replies "jxform render ")" = "a.yaml b.yml c.json sub" ] || echo "FAIL: render inputs: $(replies "jxform render ")"
  [ "$(replies "jxform render a.yaml -o ")" = "out.pdf sub" ] || echo "FAIL: render -o: $(replies "jxform render a.yaml -o ")"
  [ "$(replies "jxform packet . --split ")" = "sub" ] || echo "FAIL: packet --split: $(replies "jxform packet . --split ")"
  [ "$(replies "jxform packet @n")" = "@notes.txt" ] || echo "FAIL: packet @list: $(replies "jxform packet @n")"
) | tee "$work/files.out"
[ ! -s "$work/files.out" ] || fails=$((fails + 1))
# every option of 'jxform help CMD' is offered by 'jxform CMD -<TAB>',
# every value it prints by 'jxform CMD --opt=<TAB>'; and every value the
# completion offers is one jxform accepts (no usage error)
for cmd in $commands; do
  [ "$cmd" = help ] && continue
  offered=" $(replies "jxform $cmd -") "
  for opt in $(options_of <"$work/help-$cmd.txt"); do
    name=${opt%%=*}
    if [[ $offered != *" $name "* && $offered != *" $name= "* ]]; then
      fail "completion: 'jxform $cmd -' does not offer $name (of 'jxform help $cmd')"
    fi
    if [[ $opt == *=* ]]; then
      IFS='|' read -r -a vals <<<"${opt#*=}"
      replies_have "jxform $cmd $name=" "${vals[@]}"
    fi
  done
done
replies_have "jxform --lang=" zh en
check_values() { # CMD OPTION: each value offered is accepted ('-': global)
  local cmd=$1 opt=$2 v status line="jxform $1 $2="
  [ "$cmd" = - ] && line="jxform $opt="
  for v in $(replies "$line"); do
    case $cmd in
    packet) "$jxform" packet "$work/none.yaml" -o "$work/p.pdf" "$opt=$v" >/dev/null 2>&1 ;;
    -) "$jxform" "$opt=$v" --version >/dev/null 2>&1 ;;
    *) "$jxform" "$cmd" "$work/none.yaml" "$opt=$v" >/dev/null 2>&1 ;;
    esac
    status=$?
    [ $status -ne 2 ] || fail "completion offers $opt=$v, which jxform $cmd refuses (usage error)"
    for txt in "$txt_en1" "$txt_zh1"; do
      has_option "$opt=$v" <"$txt" || fail "$(basename "$txt" .txt): $opt=$v (offered by the completion) is not in the page"
    done
  done
}
check_values packet --order
check_values render --dump
check_values check --format
check_values - --lang

if [ "$fails" -ne 0 ]; then
  echo "manpages: $fails failure(s)"
  exit 1
fi
echo "manpages: ok (${formatters} formatter(s))"
