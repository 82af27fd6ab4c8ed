#!/usr/bin/env bash
# Extracts the messages of src/ into po/jxform.pot and merges them into
# the catalogues po/zh_CN.po and po/en.po (en: the English texts as they
# are).  Run it after adding or changing a message, then translate the
# entries msgmerge marks new or "fuzzy" in po/zh_CN.po.
#   --check   change nothing; fail when a catalogue lacks a message of
#             the source or holds an untranslated or fuzzy one (a test)
set -euo pipefail
cd "$(dirname "$0")/.."
keywords=(-k_ -kN_ -kjx_error:3 -kjx_warning:3 -kjx_diag_add:4
  -kjx_diag_vadd:4 -kjx_rule_error:3 -kjx_rule_warning:3)
flags=(--flag=jx_error:3:c-format --flag=jx_warning:3:c-format
  --flag=jx_diag_add:4:c-format --flag=jx_rule_error:3:c-format
  --flag=jx_rule_warning:3:c-format)
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot" "$pot".*' EXIT
xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
  --no-location --sort-output --package-name=jxform \
  --msgid-bugs-address=- "${keywords[@]}" "${flags[@]}" -o "$pot" \
  src/*.c src/*.h
if [ "${1:-}" = "--check" ]; then
  status=0
  for lang in zh_CN en; do
    msgmerge --quiet --no-fuzzy-matching -o "$pot.$lang" "po/$lang.po" "$pot"
    stats=$(msgfmt --statistics -o /dev/null "$pot.$lang" 2>&1)
    case "$stats" in
    *fuzzy* | *untranslated*)
      echo "po/$lang.po: $stats" >&2
      msgattrib --only-fuzzy --no-wrap "$pot.$lang" | grep '^msgid' | head -5 >&2 || true
      msgattrib --untranslated --no-wrap "$pot.$lang" | grep '^msgid' | head -5 >&2 || true
      status=1
      ;;
    esac
  done
  exit $status
fi
cp "$pot" po/jxform.pot
if [ ! -e po/zh_CN.po ]; then
  msginit --no-translator --locale=zh_CN.UTF-8 -i "$pot" -o po/zh_CN.po
fi
msgmerge --quiet --update --backup=none --no-wrap po/zh_CN.po "$pot"
# English: every text as it is in the source (msginit fills them in).
msginit --no-translator --no-wrap --locale=en_US.UTF-8 -i "$pot" -o po/en.po 2>/dev/null
