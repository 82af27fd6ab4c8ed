#!/usr/bin/env bash
# Messages in the users' language (issue 13):
#   - every message of the source has a Chinese text in po/zh_CN.po, none
#     fuzzy (scripts/update-po.sh --check), and each keeps its rule id and
#     its printf conversions (msgfmt --check; po_check.py);
#   - the language follows --lang, then LANGUAGE, LC_ALL, LC_MESSAGES and
#     LANG, on a machine without a zh_CN locale installed;
#   - help, usage errors and summaries come out in Chinese too.
# Usage: i18n.sh JXFORM SOURCE_DIR WORK_DIR
set -uo pipefail
jxform=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
export JXFORM_TEMPLATE_DIR="$src/templates"
unset LANGUAGE LC_ALL LC_MESSAGES LANG
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

bash "$src/scripts/update-po.sh" --check || fail "the catalogue lacks messages of the source (run scripts/update-po.sh and translate)"
for lang in zh_CN en; do
  msgfmt --check -o /dev/null "$src/po/$lang.po" || fail "msgfmt --check po/$lang.po"
done
python3 "$src/tests/e2e/po_check.py" "$src/po/zh_CN.po" || fail "po_check.py"

bad="$src/tests/bad/63-funds-sum-period.yaml"
# The severity word tells the language: error (en) or 错误 (zh).
lang_of() { # ENV... -- ARGS...
  local out
  out=$(env "$@" 2>&1 >/dev/null)
  case "$out" in
  *": 错误: "*) echo zh ;;
  *": error: "*) echo en ;;
  *) echo "?: $out" ;;
  esac
}
expect() { # WANT ENV... -- (runs check on $bad)
  local want=$1
  shift
  local got
  got=$(lang_of "$@" "$jxform" check "$bad")
  [ "$got" = "$want" ] || fail "$* → $got, expected $want"
}
expect en
expect zh LANG=zh_CN.UTF-8
expect zh LANG=zh_CN.GB18030
expect zh LANGUAGE=zh_CN:en LANG=C.UTF-8
expect en LANGUAGE=en LANG=zh_CN.UTF-8
expect en LC_ALL=C LANG=zh_CN.UTF-8
expect zh LC_ALL=zh_CN.UTF-8 LANG=en_US.UTF-8
expect zh LC_MESSAGES=zh_CN.UTF-8 LANG=en_US.UTF-8
expect en LANG=de_DE.UTF-8
got=$(lang_of LANG=zh_CN.UTF-8 "$jxform" check --lang=en "$bad")
[ "$got" = en ] || fail "--lang=en under LANG=zh_CN: $got"
got=$(lang_of LANG=C "$jxform" --lang zh check "$bad")
[ "$got" = zh ] || fail "--lang zh under LANG=C: $got"
"$jxform" check --lang=fr "$bad" >/dev/null 2>"$work/fr.txt"
[ $? = 2 ] || fail "--lang=fr: not a usage error"
grep -q "zh or en" "$work/fr.txt" || fail "--lang=fr: $(cat "$work/fr.txt")"

# Help, usage errors and the summary line in Chinese: no line of English
# words outside the command and option names.
"$jxform" --lang=zh help >"$work/help.txt" || fail "help --lang=zh"
grep -q "用法" "$work/help.txt" || fail "help --lang=zh is not Chinese: $(head -3 "$work/help.txt")"
for cmd in render check new schema packet; do
  "$jxform" --lang=zh help "$cmd" >"$work/help-$cmd.txt" || fail "help $cmd"
  grep -q "用法" "$work/help-$cmd.txt" || fail "help $cmd --lang=zh is not Chinese"
done
"$jxform" --lang=zh frobnicate 2>"$work/usage.txt"
grep -q "frobnicate" "$work/usage.txt" && ! grep -q "unknown command" "$work/usage.txt" ||
  fail "unknown command in Chinese: $(cat "$work/usage.txt")"
"$jxform" --lang=zh check "$bad" 2>"$work/summary.txt"
tail -1 "$work/summary.txt" | grep -q "jxform: .*1" && ! tail -1 "$work/summary.txt" | grep -q "checked" ||
  fail "check summary in Chinese: $(tail -1 "$work/summary.txt")"

echo "i18n: $fails failures"
[ "$fails" = 0 ]
