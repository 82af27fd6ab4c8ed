# bash completion for jxform(1)                            -*- shell-script -*-
#
# Completes the commands, each command's options, the values of --lang,
# --order, --dump and --format, template names after --template (from the
# template folder that jxform itself would use), folders after
# --template-dir and --split, and input files: *.yaml, *.yml and *.json,
# workbooks (*.xlsx, *.xlsm, *.xls, *.csv) and folders (for packet also
# @LIST files; for import workbooks only).
#
# Self-contained: it does not need the bash-completion package, and works
# whether or not COMP_WORDBREAKS contains '=' and ':'.  Installed as
# share/bash-completion/completions/jxform (loaded on demand by
# bash-completion), or sourced from ~/.bashrc.
#
# Keep the option lists in step with src/cli-*.c: tests/e2e/manpages.sh
# checks that every option `jxform help CMD` prints is offered here.

# The words of the line with the pieces bash split at '=', ':' or '@'
# joined again ("--order" "=" "de" -> "--order=de", "@" "list" ->
# "@list"), in the array _jxform_words, and the index of the word under
# the cursor in _jxform_cword.
_jxform_join_words() {
  local line=$COMP_LINE pos=0 i w start joined
  _jxform_words=()
  _jxform_cword=0
  for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
    w=${COMP_WORDS[i]}
    start=$pos
    while [[ $pos -lt ${#line} && ${line:pos:1} == [[:space:]] ]]; do
      pos=$((pos + 1))
    done
    joined=0
    if ((i > 0 && pos == start && ${#_jxform_words[@]} > 0)); then
      local last=${_jxform_words[${#_jxform_words[@]} - 1]}
      if [[ $w == [=:@]* || $last == *[=:@] ]]; then
        _jxform_words[${#_jxform_words[@]} - 1]+=$w
        joined=1
      fi
    fi
    ((joined)) || _jxform_words+=("$w")
    ((i == COMP_CWORD)) && _jxform_cword=$((${#_jxform_words[@]} - 1))
    # the word as typed is in the line from here (quotes included)
    if [[ ${line:pos:${#w}} == "$w" ]]; then
      pos=$((pos + ${#w}))
    fi
  done
}

# Sets COMPREPLY to the words of $1 that start with $2 (one a line or
# separated by blanks), each given after the prefix $3: with '=' in
# COMP_WORDBREAKS bash replaces only the part after the last '=', so the
# prefix ("--order=") is left out of the replies.
_jxform_reply() {
  local words=$1 cur=$2 prefix=$3 w
  COMPREPLY=()
  while IFS= read -r w; do
    [[ -n $w ]] || continue
    if [[ -n $prefix && $COMP_WORDBREAKS != *=* ]]; then
      COMPREPLY+=("$prefix$w")
    else
      COMPREPLY+=("$w")
    fi
  done < <(compgen -W "$words" -- "$cur")
}

# Files ending in one of the extensions $2... and folders, for word $1.
_jxform_files() {
  local cur=$1 ext
  shift
  mapfile -t COMPREPLY < <(compgen -d -- "$cur")
  if [[ $# -eq 0 ]]; then
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
  else
    for ext in "$@"; do
      mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -X "!*.$ext" -- "$cur")
    done
  fi
  compopt -o filenames 2>/dev/null
}

# The jxform program of the line (its first word), as a path to run, or
# nothing.
_jxform_program() {
  local prog=${_jxform_words[0]}
  [[ $prog == "~"/* ]] && prog=$HOME/${prog#"~/"}
  if [[ $prog == */* ]]; then
    [[ -x $prog && ! -d $prog ]] && printf '%s\n' "$prog"
  else
    type -P -- "$prog" 2>/dev/null
  fi
}

# The template folder jxform would search for this line, in jxform's own
# order (src/datadir.h): --template-dir, $JXFORM_TEMPLATE_DIR,
# $JXFORM_DATA_DIR/templates, else the one jxform itself reports
# (`jxform --version` prints it: the installed tree's or the source
# tree's; an older jxform names it when asked for a template that cannot
# exist), else the installed and the build tree's folders next to the
# program.
_jxform_template_dir() {
  local i w dir=''
  for ((i = 1; i < ${#_jxform_words[@]}; i++)); do
    w=${_jxform_words[i]}
    [[ $w == -- ]] && break
    if [[ $w == --template-dir && $i -ne $_jxform_cword ]]; then
      dir=${_jxform_words[i + 1]}
    elif [[ $w == --template-dir=* ]]; then
      dir=${w#--template-dir=}
    fi
  done
  if [[ -n $dir ]]; then
    [[ $dir == "~"/* ]] && dir=$HOME/${dir#"~/"}
    printf '%s\n' "$dir"
    return
  fi
  if [[ -n ${JXFORM_TEMPLATE_DIR-} ]]; then
    printf '%s\n' "$JXFORM_TEMPLATE_DIR"
    return
  fi
  if [[ -n ${JXFORM_DATA_DIR-} ]]; then
    printf '%s\n' "$JXFORM_DATA_DIR/templates"
    return
  fi
  local prog out line
  prog=$(_jxform_program)
  if [[ -n $prog ]]; then
    out=$("$prog" --lang=en --version 2>/dev/null)
    while IFS= read -r line; do
      if [[ $line == "templates: "?* ]]; then
        printf '%s\n' "${line#templates: }"
        return
      fi
    done <<<"$out"
    out=$("$prog" --lang=en schema --template _jxform_completion_probe_ 2>&1 >/dev/null)
    if [[ $out == *"(looked in "*")"* ]]; then
      out=${out##*"(looked in "}
      printf '%s\n' "${out%%")"*}"
      return
    fi
    local bindir=${prog%/*}
    for dir in "$bindir/../share/jxform/templates" "$bindir/../templates"; do
      if [[ -d $dir ]]; then
        printf '%s\n' "$dir"
        return
      fi
    done
  fi
  for dir in /usr/local/share/jxform/templates /usr/share/jxform/templates; do
    if [[ -d $dir ]]; then
      printf '%s\n' "$dir"
      return
    fi
  done
}

# The template names (NAME of NAME.yaml) of the template folder.
_jxform_templates() {
  local dir f
  dir=$(_jxform_template_dir)
  [[ -n $dir && -d $dir ]] || return
  for f in "$dir"/*.yaml; do
    [[ -f $f ]] || continue
    f=${f##*/}
    printf '%s\n' "${f%.yaml}"
  done
}

_jxform() {
  local _jxform_words _jxform_cword
  _jxform_join_words
  local cur=${_jxform_words[_jxform_cword]}
  local prev=''
  ((_jxform_cword > 0)) && prev=${_jxform_words[_jxform_cword - 1]}
  COMPREPLY=()

  local commands="render check new schema packet import help"
  local orders="dept name input"

  # the command: the first word after the program that is not --lang
  local i w cmd='' cmd_at=0 dashdash=0
  for ((i = 1; i < _jxform_cword; i++)); do
    w=${_jxform_words[i]}
    if [[ -z $cmd ]]; then
      case $w in
      --lang) i=$((i + 1)) ;;
      --lang=*) ;;
      -*) ;;
      *) cmd=$w cmd_at=$i ;;
      esac
    elif [[ $w == -- ]]; then
      dashdash=1
      break
    fi
  done

  # values of options written --opt=VALUE
  case $cur in
  --lang=*)
    _jxform_reply "zh en" "${cur#*=}" "--lang="
    return
    ;;
  --order=*)
    _jxform_reply "$orders" "${cur#*=}" "--order="
    return
    ;;
  --dump=*)
    if [[ $cmd == import ]]; then
      _jxform_reply "book" "${cur#*=}" "--dump="
    else
      _jxform_reply "model layout" "${cur#*=}" "--dump="
    fi
    return
    ;;
  --format=*)
    _jxform_reply "text json" "${cur#*=}" "--format="
    return
    ;;
  --template=*)
    _jxform_reply "$(_jxform_templates)" "${cur#*=}" "--template="
    return
    ;;
  --template-dir=* | --split=*)
    local opt=${cur%%=*}
    if [[ $COMP_WORDBREAKS == *=* ]]; then
      mapfile -t COMPREPLY < <(compgen -d -- "${cur#*=}")
    else
      mapfile -t COMPREPLY < <(compgen -d -P "$opt=" -- "${cur#*=}")
    fi
    compopt -o filenames 2>/dev/null
    return
    ;;
  esac

  # values of options written --opt VALUE
  if ((!dashdash)); then
    case $prev in
    --lang)
      _jxform_reply "zh en" "$cur"
      return
      ;;
    --order)
      [[ $cmd == packet ]] && _jxform_reply "$orders" "$cur"
      return
      ;;
    --template | -t)
      _jxform_reply "$(_jxform_templates)" "$cur"
      return
      ;;
    --template-dir | --split)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      compopt -o filenames 2>/dev/null
      return
      ;;
    -o | --output)
      case $cmd in
      render | packet) _jxform_files "$cur" pdf ;;
      new) _jxform_files "$cur" yaml yml xlsx ;;
      schema) _jxform_files "$cur" json ;;
      import)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        compopt -o filenames 2>/dev/null
        ;;
      *) _jxform_files "$cur" ;;
      esac
      return
      ;;
    --year)
      _jxform_reply "$(date +%Y)" "$cur"
      return
      ;;
    --threads)
      _jxform_reply "0 $(getconf _NPROCESSORS_ONLN 2>/dev/null)" "$cur"
      return
      ;;
    --name)
      _jxform_reply "{dept_code}-{name}.pdf" "$cur"
      return
      ;;
    --title)
      return
      ;;
    esac
  fi

  # the command itself
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      _jxform_reply "--help --version --lang=" "$cur"
    else
      _jxform_reply "$commands" "$cur"
    fi
    [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
    return
  fi

  local opts
  case $cmd in
  render) opts="-o --output --dump= --pdfa --strict -q --quiet --template --template-dir" ;;
  check) opts="--strict --format= --template --template-dir" ;;
  new) opts="--template -t --year -o --output --xlsx --template-dir" ;;
  schema) opts="--template -t -o --output --template-dir" ;;
  packet) opts="-o --output --split --name --order= --duplex --fail-fast --pdfa --no-pdfa --threads --title -q --quiet --strict --template --template-dir" ;;
  # (not yet among the commands offered above: tests/e2e/manpages.sh
  # lists those)
  import) opts="-o --output --template -t --dump= -q --quiet --template-dir" ;;
  help)
    ((_jxform_cword == cmd_at + 1)) && _jxform_reply "${commands% help}" "$cur"
    return
    ;;
  *) return ;;
  esac
  opts+=" --lang= -h --help"

  if ((!dashdash)) && [[ $cur == -* ]]; then
    _jxform_reply "$opts" "$cur"
    [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
    return
  fi

  # inputs: project files (not the NAME.schema.json that schema writes)
  # and folders; for packet also @LIST files
  case $cmd in
  render | check | packet)
    if [[ $cmd == packet && $cur == @* ]]; then
      # not -o filenames: bash would quote the '@' as '\@'.  '@' is in
      # COMP_WORDBREAKS, but bash keeps it in the word it replaces (a
      # "special prefix"), so the replies start with it.
      local f
      while IFS= read -r f; do
        [[ -d $f ]] && f+=/
        COMPREPLY+=("@$f")
      done < <(compgen -f -- "${cur#@}")
      [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] &&
        compopt -o nospace 2>/dev/null
      return
    fi
    _jxform_files "$cur" yaml yml json xlsx xlsm xls csv
    local keep=() f
    for f in "${COMPREPLY[@]}"; do
      [[ $f == *.schema.json ]] || keep+=("$f")
    done
    COMPREPLY=("${keep[@]}")
    ;;
  import) _jxform_files "$cur" xlsx xlsm xls csv ;;
  esac
}

complete -F _jxform jxform
