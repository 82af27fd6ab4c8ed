/*
 * yaml.c — one YAML document → a jx_ynode tree with 1-based positions.
 *
 * Reads libyaml's event stream (yaml_parser_parse) and builds the tree
 * with an explicit stack of open collections, so nesting costs no C stack
 * and is capped at JX_YAML_MAX_DEPTH.  libyaml's marks are 0-based; every
 * position stored here is 1-based (column counted in characters).
 *
 * Errors:
 *  - invalid UTF-8 is found by our own check before libyaml runs, so the
 *    message can name the byte and its position;
 *  - a libyaml reader/scanner/parser error ends parsing (libyaml cannot
 *    recover); its problem text is turned into a readable message, and
 *    libyaml's own words become the diagnostic's detail;
 *  - aliases, anchors, duplicate keys, non-scalar keys and NUL characters
 *    in scalars are reported and parsing goes on, so one run shows them
 *    all;
 *  - a syntax error caused by a Chinese keyboard — a key followed by a
 *    full-width colon '：', indentation typed with full-width spaces
 *    (U+3000) — is named on its own line, instead of libyaml's problem
 *    lines later;
 *  - text that YAML reads as its own signs says to put the value in
 *    quotes: a tag ('plan: !重要', also one libyaml reads and would leave
 *    out of the text; YAML's own '!!str' is let through), a line that
 *    starts with '? ' (a key's mark) or with '%' (a directive);
 *  - a second document or nesting deeper than the limit ends parsing;
 *  - so do the limits of jxlimits.h on input size, number of values and
 *    problems listed, which bound the time and memory of any input.
 * Any error makes jx_yaml_parse return NULL.  A plain value that a
 * comment likely cut short ("对 #3 教学楼") is noted in its node for the
 * loader to warn about.  In a project file (jx_yaml_parse_partial), a
 * value written over several lines with a line break next to Chinese
 * punctuation is warned about ([text-space]: the break prints as a
 * space, "恢复， 破路"), once the file has been read without a syntax
 * error.  A UTF-8 byte-order mark is skipped.
 */
#include "i18n.h"
#include "utf8.h"
#include "ynode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* One open mapping or sequence.  `children` holds the items in order;
 * for a mapping they alternate key, value. */
typedef struct jx_yframe {
  jx_ynode *node;
  jx_ynode **children;
  size_t count, cap;
} jx_yframe;

typedef struct jx_ybuilder {
  jx_arena *arena;
  jx_diag_list *diags;
  const char *file; /* arena copy of the name */
  const char *data;
  size_t size;
  jx_yframe stack[JX_YAML_MAX_DEPTH];
  size_t depth;
  jx_ynode *root;
  bool failed;       /* an error was recorded */
  bool too_deep;     /* stopped at the depth limit: no partial tree */
  size_t first_diag; /* this parse's diagnostics start here */
  size_t nodes;      /* nodes made so far (JX_LIMIT_YAML_NODES) */
  bool stopped;      /* a limit ended the parse */
  /* jx_index_offset's cursor: character index and its byte offset. */
  size_t cursor_index, cursor_offset;
  /* a project file: warn about line breaks next to Chinese punctuation
   * inside a value (jx_check_folds), once the whole file is read */
  bool project;
  struct jx_fold *folds;
  size_t fold_count, fold_cap;
} jx_ybuilder;

/* A line break next to Chinese punctuation inside a value: where the
 * line after it starts, and the characters on either side. */
typedef struct jx_fold {
  jx_pos pos;
  char before[5], after[5];
} jx_fold;

static jx_pos jx_ypos(const jx_ybuilder *b, yaml_mark_t mark) {
  jx_pos pos = {b->file, (uint32_t)mark.line + 1, (uint32_t)mark.column + 1};
  return pos;
}

/* Length of the line break starting at byte i: \n, \r\n, \r, and the
 * Unicode breaks NEL, LS and PS that libyaml also counts; 0 if none. */
static size_t jx_break_len(const jx_ybuilder *b, size_t i) {
  const unsigned char *s = (const unsigned char *)b->data;
  size_t left = b->size - i;
  if (s[i] == '\n')
    return 1;
  if (s[i] == '\r')
    return left >= 2 && s[i + 1] == '\n' ? 2 : 1;
  if (left >= 2 && s[i] == 0xC2 && s[i + 1] == 0x85)
    return 2;
  if (left >= 3 && s[i] == 0xE2 && s[i + 1] == 0x80 &&
      (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
    return 3;
  return 0;
}

/* Position of byte `offset` of the input; the column counts UTF-8
 * characters, as libyaml's marks do. */
static jx_pos jx_offset_pos(const jx_ybuilder *b, size_t offset) {
  jx_pos pos = {b->file, 1, 1};
  if (offset > b->size)
    offset = b->size;
  size_t i = 0;
  while (i < offset) {
    size_t brk = jx_break_len(b, i);
    if (brk) {
      pos.line++;
      pos.col = 1;
      i += brk;
      continue;
    }
    if (((unsigned char)b->data[i] & 0xC0) != 0x80)
      pos.col++;
    i++;
  }
  return pos;
}

/* Byte offset of a libyaml mark.  The mark's index counts characters, not
 * bytes, so walk to its line and then over its column's characters. */
static size_t jx_mark_offset(const jx_ybuilder *b, yaml_mark_t mark) {
  size_t i = 0, line = 0;
  while (i < b->size && line < mark.line) {
    size_t brk = jx_break_len(b, i);
    if (brk)
      line++;
    i += brk ? brk : 1;
  }
  for (size_t col = 0; i < b->size && col < mark.column; col++) {
    i++;
    while (i < b->size && ((unsigned char)b->data[i] & 0xC0) == 0x80)
      i++;
  }
  return i;
}

/* Byte offset of a mark's index (which counts characters, a CR LF as
 * two).  Marks mostly come in increasing order, so a cursor keeps the
 * walks linear over a whole parse. */
static size_t jx_index_offset(jx_ybuilder *b, size_t index) {
  if (index < b->cursor_index)
    b->cursor_index = b->cursor_offset = 0;
  size_t i = b->cursor_offset, n = b->cursor_index;
  /* eight bytes at a time while the character sought is further on: n
   * counts the characters that start before i (which may then be inside
   * one) */
  const uint64_t high = 0x8080808080808080ull;
  while (i + 8 <= b->size) {
    uint64_t w;
    memcpy(&w, b->data + i, 8);
    /* bit 7 of each continuation byte (10xxxxxx) */
    uint64_t cont = w & high & ~((w << 1) & high);
    /* one per continuation byte, summed into the top byte */
    size_t starts = 8 - (size_t)(((cont >> 7) * 0x0101010101010101ull) >> 56);
    if (n + starts > index)
      break;
    n += starts;
    i += 8;
  }
  for (; i < b->size; i++) {
    if (((unsigned char)b->data[i] & 0xC0) == 0x80)
      continue;
    if (n == index)
      break;
    n++;
  }
  b->cursor_index = n;
  b->cursor_offset = i;
  return i;
}

/* Checks that data[0..size) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF).  Records one error at the first bad
 * byte and returns false, or returns true. */
static bool jx_check_utf8(jx_ybuilder *b) {
  const unsigned char *s = (const unsigned char *)b->data;
  size_t n = b->size;
  size_t i = 0;
  if (jx_utf8_valid(s, n, &i))
    return true;
  /* say what is wrong with the first bad byte, at offset i */
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      if (c >= 0x80 && c <= 0xBF)
        jx_error(b->diags, jx_offset_pos(b, i),
                 "invalid UTF-8: byte 0x%02X is a continuation byte without "
                 "a leading byte (save the file as UTF-8)",
                 c);
      else
        jx_error(b->diags, jx_offset_pos(b, i),
                 "invalid UTF-8: byte 0x%02X is a byte that never appears in "
                 "UTF-8 (save the file as UTF-8)",
                 c);
      return false;
    }
    for (size_t k = 1; k < len; k++) {
      if (i + k >= n) {
        jx_error(b->diags, jx_offset_pos(b, i),
                 "invalid UTF-8: the file ends in the middle of a character "
                 "(byte 0x%02X starts a %zu-byte sequence)",
                 c, len);
        return false;
      }
      unsigned char t = s[i + k];
      if ((t & 0xC0) != 0x80) {
        jx_error(b->diags, jx_offset_pos(b, i),
                 "invalid UTF-8: byte 0x%02X starts a %zu-byte sequence but "
                 "byte %zu is 0x%02X (save the file as UTF-8)",
                 c, len, k + 1, t);
        return false;
      }
      cp = (cp << 6) | (t & 0x3F);
    }
    if (cp < min) {
      jx_error(b->diags, jx_offset_pos(b, i),
               "invalid UTF-8: the bytes at this position encode a character "
               "in an overlong form");
      return false;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      jx_error(b->diags, jx_offset_pos(b, i),
               "invalid UTF-8: the bytes at this position encode no valid "
               "character (surrogate or beyond U+10FFFF)");
      return false;
    }
    i += len;
  }
  return true;
}

/* Records libyaml's syntax error `problem` (read in `context`, may be
 * NULL) at `pos` as a sentence that says what is wrong and what to type,
 * each a whole message of its own.  `at` is the input byte at the
 * problem mark (0 at end of input); tab problems are handled before this
 * is called.  A problem it does not know gets a general sentence; the
 * caller keeps libyaml's own words as the diagnostic's detail. */
static void jx_explain_problem(jx_ybuilder *b, jx_pos pos, const char *problem,
                               const char *context, unsigned char at) {
  jx_diag_list *d = b->diags;
  if (!problem)
    problem = "";
  if (!context)
    context = "";
  if (!strcmp(problem, "found character that cannot start any token")) {
    if (at == '@' || at == '`')
      jx_error(d, pos,
               "syntax error: '@' and '`' are reserved in YAML and cannot "
               "start a value; put the value in quotes");
    else if (at == '%')
      jx_error(d, pos,
               "syntax error: '%%' cannot start a value here; put the value "
               "in quotes");
    else
      jx_error(d, pos,
               "syntax error: this character cannot start a value; put the "
               "value in quotes");
  } else if (!strcmp(problem,
                     "mapping values are not allowed in this context")) {
    jx_error(d, pos,
             "syntax error: unexpected ':' — is this line indented like the "
             "keys above it?  A value that contains ': ' must be put in "
             "quotes, and a key must start its own line");
  } else if (!strcmp(problem, "did not find expected key")) {
    jx_error(d, pos,
             "syntax error: expected a 'key: value' line here; check the "
             "indentation (keys of one mapping must line up)");
  } else if (!strcmp(problem, "could not find expected ':'")) {
    jx_error(d, pos,
             "syntax error: missing ':' after a key (or a multi-line value "
             "that should be put in quotes)");
  } else if (!strcmp(problem, "did not find expected node content")) {
    jx_error(d, pos, "syntax error: expected a value here");
  } else if (!strcmp(problem, "did not find expected '-' indicator")) {
    jx_error(d, pos,
             "syntax error: expected a list item ('- ...') here; check the "
             "indentation of the list");
  } else if (!strcmp(problem, "block sequence entries are not allowed in "
                              "this context")) {
    jx_error(d, pos,
             "syntax error: a list item ('-') is not allowed here; check the "
             "indentation");
  } else if (!strcmp(problem, "did not find expected ',' or ']'")) {
    jx_error(d, pos, "syntax error: expected ',' or ']' in a [ ... ] list");
  } else if (!strcmp(problem, "did not find expected ',' or '}'")) {
    jx_error(d, pos, "syntax error: expected ',' or '}' in a { ... } mapping");
  } else if (!strcmp(problem, "found unexpected end of stream")) {
    if (strstr(context, "quoted scalar"))
      jx_error(d, pos,
               "syntax error: the file ends inside a quoted string: a "
               "closing quote is missing");
    else
      jx_error(d, pos, "syntax error: the file ends too early");
  } else if (!strcmp(problem, "found unexpected document indicator")) {
    jx_error(d, pos,
             "syntax error: a line starting with '---' or '...' ends the "
             "document inside a quoted string; indent it or close the quote "
             "first");
  } else if (!strcmp(problem, "found unknown escape character") ||
             !strcmp(problem, "did not find expected hexdecimal number") ||
             !strcmp(problem, "found invalid Unicode character escape code")) {
    jx_error(d, pos,
             "syntax error: unknown escape sequence after '\\' in a "
             "double-quoted string (use single quotes for text with "
             "backslashes)");
  } else if (!strcmp(problem, "found undefined tag handle")) {
    jx_error(d, pos, "syntax error: unknown tag handle ('!'); remove the tag");
  } else if (strstr(context, "directive")) {
    jx_error(d, pos,
             "syntax error: a line that starts with '%%' must be put in "
             "quotes (without quotes YAML reads a '%%' at the start of a line "
             "as a setting for the whole file); indent the lines of a value "
             "under its key");
  } else if (strstr(context, "a tag")) {
    jx_error(d, pos,
             "syntax error: a value that starts with '!' must be put in "
             "quotes (without quotes YAML reads '!' as the name of a type, "
             "not as text)");
  } else if (!strcmp(problem, "control characters are not allowed")) {
    jx_error(d, pos,
             "syntax error: control characters are not allowed in YAML");
  } else if (strstr(context, "block scalar") &&
             (!strcmp(problem, "did not find expected comment or line break") ||
              !strcmp(problem, "found an indentation indicator equal to 0"))) {
    jx_error(d, pos,
             "syntax error: a value that starts with '>' or '|' must be put "
             "in quotes, like '>95%%' (without quotes YAML reads '>' and '|' "
             "as the start of a text written on the lines below)");
  } else if ((strstr(context, "an alias") || strstr(context, "an anchor")) &&
             !strcmp(problem,
                     "did not find expected alphabetic or numeric character")) {
    jx_error(d, pos,
             "syntax error: a value that starts with '*' or '&' must be put "
             "in quotes (without quotes YAML reads '*' and '&' as a reference "
             "to another value)");
  } else {
    jx_error(d, pos,
             "syntax error: YAML cannot read this line; check its quotes, its "
             "colons (': ') and its indentation against the lines above it");
  }
}

/* True if the line holding byte `offset` has only spaces and tabs before
 * it and contains a tab among them. */
static bool jx_tab_in_indent(const jx_ybuilder *b, size_t offset) {
  if (offset > b->size)
    return false;
  size_t start = offset;
  while (start > 0 && b->data[start - 1] != '\n' && b->data[start - 1] != '\r')
    start--;
  bool tab = false;
  size_t i = start;
  for (; i < b->size && (b->data[i] == ' ' || b->data[i] == '\t'); i++)
    tab |= b->data[i] == '\t';
  return tab && i >= offset;
}

/* U+3000 IDEOGRAPHIC SPACE and U+FF1A FULLWIDTH COLON, as a Chinese input
 * method types them in place of ' ' and ':'. */
#define JX_FW_SPACE "\xE3\x80\x80"
#define JX_FW_COLON "\xEF\xBC\x9A"
#define JX_FW_LEN 3

/* What a line near a syntax error is. */
typedef enum {
  JX_LINE_OTHER,   /* blank, a comment, a value's continuation … */
  JX_LINE_KEY,     /* an ordinary 'key:' line */
  JX_LINE_REPORTED /* a Chinese keyboard's mistake, now reported */
} jx_line_kind;

/* Characters in data[from, to). */
static size_t jx_chars(const jx_ybuilder *b, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; i++)
    n += ((unsigned char)b->data[i] & 0xC0) != 0x80;
  return n;
}

/* Looks at line `line` (1-based), data[start, end): reports indentation
 * typed with full-width spaces, or a key followed by a full-width colon
 * ('implementer：阳泉市…'), which libyaml only notices lines later as a
 * missing ':' or a misplaced key. */
static jx_line_kind jx_keyboard_line(jx_ybuilder *b, uint32_t line,
                                     size_t start, size_t end) {
  const char *s = b->data;
  size_t i = start, wide = end;
  while (i < end && (s[i] == ' ' || (end - i >= JX_FW_LEN &&
                                     !memcmp(s + i, JX_FW_SPACE, JX_FW_LEN)))) {
    if (s[i] != ' ' && wide == end)
      wide = i;
    i += s[i] == ' ' ? 1 : JX_FW_LEN;
  }
  if (i == end || s[i] == '#')
    return JX_LINE_OTHER;
  if (wide != end) {
    jx_pos pos = {b->file, line, (uint32_t)jx_chars(b, start, wide) + 1};
    jx_error(b->diags, pos,
             "syntax error: this line is indented with full-width spaces "
             "'\u3000' (U+3000, 全角空格), which YAML does not count as "
             "indentation; delete them and indent with ordinary half-width "
             "spaces, like the lines around it");
    return JX_LINE_REPORTED;
  }
  while (i < end && s[i] == '-' && (i + 1 == end || s[i + 1] == ' '))
    for (i++; i < end && s[i] == ' '; i++)
      ;
  size_t key = i;
  while (i < end && !strchr(":#\"'{}[], \t", s[i]) &&
         !(end - i >= JX_FW_LEN && !memcmp(s + i, JX_FW_COLON, JX_FW_LEN)))
    i++;
  if (i > key && end - i >= JX_FW_LEN &&
      !memcmp(s + i, JX_FW_COLON, JX_FW_LEN)) {
    /* what follows, for the line to type: up to a comment, 24 characters */
    size_t v = i + JX_FW_LEN;
    while (v < end && (s[v] == ' ' || (end - v >= JX_FW_LEN &&
                                       !memcmp(s + v, JX_FW_SPACE, JX_FW_LEN))))
      v += s[v] == ' ' ? 1 : JX_FW_LEN;
    size_t v_end = v, shown = 0;
    while (v_end < end &&
           !(s[v_end] == ' ' && v_end + 1 < end && s[v_end + 1] == '#') &&
           shown < 24) {
      v_end++;
      while (v_end < end && ((unsigned char)s[v_end] & 0xC0) == 0x80)
        v_end++;
      shown++;
    }
    while (v_end > v && s[v_end - 1] == ' ')
      v_end--;
    bool more = v_end < end && s[v_end] != ' ';
    /* at the key, where the value it leaves in the tree starts */
    jx_pos pos = {b->file, line, (uint32_t)jx_chars(b, start, key) + 1};
    jx_error(b->diags, pos,
             "syntax error: the key '%.*s' is followed by a full-width colon "
             "'：' (全角冒号), which YAML does not read as ':'; type a "
             "half-width ':' and a space instead: '%.*s:%s%.*s%s'",
             (int)(i - key), s + key, (int)(i - key), s + key,
             v_end > v ? " " : "", (int)(v_end - v), s + v, more ? "…" : "");
    return JX_LINE_REPORTED;
  }
  if (i > key && i < end && s[i] == ':' &&
      (i + 1 == end || s[i + 1] == ' ' || s[i + 1] == '\t'))
    return JX_LINE_KEY;
  return JX_LINE_OTHER;
}

/* After a syntax error: looks for the mistake of a Chinese keyboard that
 * likely caused it, on the error's line or the lines before it back to
 * the key being read (`while scanning a simple key`) and the value lines
 * above it, up to an ordinary key line.  Returns true when one was
 * reported (instead of libyaml's problem). */
static bool jx_explain_keyboard(jx_ybuilder *b, const yaml_parser_t *parser) {
  enum { LOOK_BACK = 20, MAX_LINES = 64 };
  size_t err_line = parser->problem_mark.line + 1;
  size_t key_line = err_line;
  if (parser->context && strstr(parser->context, "simple key") &&
      parser->context_mark.line + 1 < err_line)
    key_line = parser->context_mark.line + 1;
  size_t first = key_line > LOOK_BACK ? key_line - LOOK_BACK : 1;
  if (err_line - first + 1 > MAX_LINES)
    first = err_line - MAX_LINES + 1;
  if (key_line < first)
    key_line = first;
  /* where lines first..err_line start and end */
  size_t starts[MAX_LINES], ends[MAX_LINES];
  size_t i = 0, line = 1;
  while (i < b->size && line < first) {
    size_t brk = jx_break_len(b, i);
    line += brk != 0;
    i += brk ? brk : 1;
  }
  size_t count = err_line - first + 1;
  for (size_t k = 0; k < count; k++) {
    starts[k] = i;
    while (i < b->size && !jx_break_len(b, i))
      i++;
    ends[k] = i;
    if (i < b->size)
      i += jx_break_len(b, i);
  }
  for (size_t k = count; k-- > 0;) {
    size_t at = first + k;
    jx_line_kind kind = jx_keyboard_line(b, (uint32_t)at, starts[k], ends[k]);
    if (kind == JX_LINE_REPORTED)
      return true;
    if (kind == JX_LINE_KEY && at < key_line)
      break;
  }
  return false;
}

/* Sets libyaml's own words on a syntax error, as the detail of the last
 * diagnostic (for programs and whoever maintains the file; the message
 * says what to type in plain words): "libyaml: PROBLEM CONTEXT; it
 * started at line L, column C". */
static void jx_libyaml_detail(jx_ybuilder *b, const yaml_parser_t *parser,
                              const char *problem) {
  const yaml_mark_t *mark = &parser->problem_mark;
  const yaml_mark_t *start = &parser->context_mark;
  char where[96] = "";
  if (parser->context &&
      (start->line != mark->line || start->column != mark->column))
    snprintf(where, sizeof where, "; it started at line %zu, column %zu",
             start->line + 1, start->column + 1);
  char detail[512];
  snprintf(detail, sizeof detail, "libyaml: %s%s%s%s", problem,
           parser->context ? " " : "", parser->context ? parser->context : "",
           where);
  jx_diag_set_detail(b->diags, detail);
}

/* Records libyaml's error (parser->error is set) as a diagnostic. */
static void jx_report_libyaml(jx_ybuilder *b, const yaml_parser_t *parser) {
  b->failed = true;
  if (parser->error == YAML_MEMORY_ERROR) {
    jx_pos pos = {b->file, 0, 0};
    jx_error(b->diags, pos, "out of memory while parsing YAML");
    return;
  }
  if (parser->error == YAML_READER_ERROR) {
    jx_pos pos = jx_offset_pos(b, parser->problem_offset);
    const char *problem = parser->problem ? parser->problem : "read error";
    if (!strcmp(problem, "control characters are not allowed"))
      jx_error(b->diags, pos,
               "control character U+%04X is not allowed in YAML (only tab, "
               "line feed and carriage return are)",
               (unsigned)parser->problem_value);
    else if (strstr(problem, "UTF-8") || strstr(problem, "Unicode"))
      jx_error(b->diags, pos, "invalid UTF-8: %s", problem);
    else
      jx_error(b->diags, pos, "cannot read the file: %s", problem);
    jx_libyaml_detail(b, parser, problem);
    return;
  }
  const char *problem = parser->problem ? parser->problem : "syntax error";
  yaml_mark_t mark = parser->problem_mark;
  jx_pos pos = jx_ypos(b, mark);
  size_t offset = jx_mark_offset(b, mark);
  unsigned char at = offset < b->size ? (unsigned char)b->data[offset] : 0;
  /* Tabs get their own message: libyaml only says that a character
   * "cannot start any token", which puzzles people whose editor shows the
   * tab as spaces. */
  bool tab_problem = strstr(problem, "tab character") != NULL ||
                     (at == '\t' && !strcmp(problem, "found character that "
                                                     "cannot start any token"));
  if (!tab_problem && parser->context && jx_tab_in_indent(b, offset))
    tab_problem = true;
  if (tab_problem) {
    /* Point at the first tab of the line when the indentation holds one. */
    if (jx_tab_in_indent(b, offset)) {
      size_t start = offset;
      while (start > 0 && b->data[start - 1] != '\n' &&
             b->data[start - 1] != '\r')
        start--;
      size_t tab = start;
      while (b->data[tab] != '\t')
        tab++;
      pos = jx_offset_pos(b, tab);
      jx_error(b->diags, pos,
               "tab characters are not allowed for indentation; use spaces");
    } else {
      jx_error(b->diags, pos,
               "a tab character is not allowed here (YAML separates keys, "
               "values and list items with spaces); use spaces");
    }
    jx_libyaml_detail(b, parser, problem);
    return;
  }
  /* A tag or a directive that cannot be read: at its '!' or '%', where
   * the text that needs quotes starts. */
  if (parser->context && (strstr(parser->context, "directive") ||
                          strstr(parser->context, "a tag")))
    pos = jx_ypos(b, parser->context_mark);
  if (!jx_explain_keyboard(b, parser))
    jx_explain_problem(b, pos, problem, parser->context, at);
  jx_libyaml_detail(b, parser, problem);
}

/* True when the parse must stop: it has recorded JX_LIMIT_DIAGNOSTICS
 * problems, or made JX_LIMIT_YAML_NODES nodes.  The first time, records
 * the error saying so at `mark`. */
static bool jx_over_limit(jx_ybuilder *b, yaml_mark_t mark) {
  if (b->stopped)
    return true;
  if (b->diags->count - b->first_diag >= JX_LIMIT_DIAGNOSTICS)
    jx_error(b->diags, jx_ypos(b, mark),
             "more than %d problems in this file; the rest are not listed "
             "(fix these first)",
             JX_LIMIT_DIAGNOSTICS);
  else if (b->nodes > JX_LIMIT_YAML_NODES)
    jx_error(b->diags, jx_ypos(b, mark),
             "the file has more than %d values (keys, items and texts); a "
             "project file has a few thousand at most",
             JX_LIMIT_YAML_NODES);
  else
    return false;
  b->stopped = b->failed = true;
  return true;
}

/* A new node of `kind` at `mark`. */
static jx_ynode *jx_ynode_new(jx_ybuilder *b, jx_ynode_kind kind,
                              yaml_mark_t mark) {
  jx_ynode *node = jx_arena_alloc(b->arena, sizeof *node);
  b->nodes++;
  node->kind = kind;
  node->pos = jx_ypos(b, mark);
  node->str = "";
  return node;
}

/* A null scalar standing in for a refused node (alias, non-scalar key). */
static jx_ynode *jx_placeholder(jx_ybuilder *b, yaml_mark_t mark) {
  jx_ynode *node = jx_ynode_new(b, JX_YSCALAR, mark);
  node->is_null = true;
  return node;
}

/* True if the innermost open collection is a mapping waiting for a key. */
static bool jx_expecting_key(const jx_ybuilder *b) {
  if (b->depth == 0)
    return false;
  const jx_yframe *top = &b->stack[b->depth - 1];
  return top->node->kind == JX_YMAP && top->count % 2 == 0;
}

/* Hands a finished node to the open collection (or makes it the root). */
static void jx_attach(jx_ybuilder *b, jx_ynode *node) {
  if (b->depth == 0) {
    b->root = node;
    return;
  }
  jx_yframe *top = &b->stack[b->depth - 1];
  top->children = jx_arena_grow(b->arena, top->children, sizeof *top->children,
                                &top->cap, top->count + 1);
  top->children[top->count++] = node;
}

/* Opens a collection; false (with an error) when too deep. */
static bool jx_open(jx_ybuilder *b, jx_ynode_kind kind, yaml_mark_t mark) {
  if (b->depth == JX_YAML_MAX_DEPTH) {
    jx_error(b->diags, jx_ypos(b, mark),
             "nesting is deeper than the limit of %d levels",
             JX_YAML_MAX_DEPTH);
    b->failed = true;
    b->too_deep = true;
    return false;
  }
  jx_yframe *frame = &b->stack[b->depth++];
  memset(frame, 0, sizeof *frame);
  frame->node = jx_ynode_new(b, kind, mark);
  return true;
}

/* A key with its index in the mapping, sorted to find repeats. */
typedef struct jx_keyref {
  const jx_ynode *key;
  size_t index;
} jx_keyref;

/* qsort order: by key bytes, then by position in the mapping. */
static int jx_compare_keyref(const void *pa, const void *pb) {
  const jx_keyref *a = pa, *b = pb;
  size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
  int c = memcmp(a->key->str, b->key->str, n);
  if (c)
    return c;
  if (a->key->len != b->key->len)
    return a->key->len < b->key->len ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

static bool jx_same_key(const jx_ynode *a, const jx_ynode *b) {
  return a->len == b->len && !memcmp(a->str, b->str, a->len);
}

/* Reports every repeated key of a finished mapping, in source order,
 * naming the line of the first occurrence. */
static void jx_check_duplicates(jx_ybuilder *b, const jx_ynode *map) {
  size_t n = map->count;
  if (n < 2)
    return;
  /* first[i]: index of the first key equal to key i (i itself if none). */
  size_t *first = jx_arena_alloc(b->arena, n * sizeof *first);
  if (n <= 32) {
    /* a few keys: each against those before it */
    bool any = false;
    for (size_t i = 0; i < n; i++) {
      first[i] = i;
      for (size_t j = 0; j < i; j++)
        if (jx_same_key(map->keys[j], map->keys[i])) {
          first[i] = j;
          any = true;
          break;
        }
    }
    if (!any)
      return;
  } else {
    jx_keyref *sorted = jx_arena_alloc(b->arena, n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
      first[i] = i;
      sorted[i].key = map->keys[i];
      sorted[i].index = i;
    }
    qsort(sorted, n, sizeof *sorted, jx_compare_keyref);
    for (size_t k = 1; k < n; k++)
      if (jx_same_key(sorted[k - 1].key, sorted[k].key))
        first[sorted[k].index] = first[sorted[k - 1].index];
  }
  for (size_t i = 0; i < n; i++) {
    if (first[i] == i)
      continue;
    const jx_ynode *key = map->keys[i];
    yaml_mark_t mark = {0, key->pos.line - 1, key->pos.col - 1};
    if (jx_over_limit(b, mark))
      return;
    jx_error(b->diags, key->pos,
             "duplicate key '%s' (first given at line %u, column %u)", key->str,
             map->keys[first[i]]->pos.line, map->keys[first[i]]->pos.col);
    b->failed = true;
  }
}

/* Closes the innermost collection and attaches it to its parent. */
static void jx_close(jx_ybuilder *b) {
  jx_yframe *frame = &b->stack[--b->depth];
  jx_ynode *node = frame->node;
  if (node->kind == JX_YMAP) {
    node->count = frame->count / 2;
    node->keys =
        jx_arena_alloc(b->arena, (node->count + 1) * sizeof *node->keys);
    node->items =
        jx_arena_alloc(b->arena, (node->count + 1) * sizeof *node->items);
    for (size_t i = 0; i < node->count; i++) {
      node->keys[i] = frame->children[2 * i];
      node->items[i] = frame->children[2 * i + 1];
    }
    jx_check_duplicates(b, node);
  } else {
    node->count = frame->count;
    node->items = frame->children;
  }
  bool was_key = jx_expecting_key(b);
  if (was_key) {
    if (node->kind == JX_YMAP)
      jx_error(b->diags, node->pos,
               "a key must be a scalar (plain text), not a mapping");
    else
      jx_error(b->diags, node->pos,
               "a key must be a scalar (plain text), not a sequence");
    b->failed = true;
    yaml_mark_t mark = {0, node->pos.line - 1, node->pos.col - 1};
    node = jx_placeholder(b, mark);
  }
  jx_attach(b, node);
}

/* Reports an anchor (`&name`) on a node; anchors only serve aliases. */
static void jx_refuse_anchor(jx_ybuilder *b, const yaml_char_t *anchor,
                             yaml_mark_t mark) {
  if (!anchor)
    return;
  jx_error(b->diags, jx_ypos(b, mark),
           "anchors ('&%s') are not allowed; write the value out in full",
           (const char *)anchor);
  b->failed = true;
}

/* Notes in `node` (a plain value ending at `end`) a comment that starts
 * one space after it with text right after the '#' ("对 #3 教学楼"):
 * likely part of the value, cut off by YAML's " #" (see ynode.h). */
static void jx_find_cut_comment(jx_ybuilder *b, jx_ynode *node,
                                yaml_mark_t end) {
  const char *s = b->data;
  size_t i = jx_index_offset(b, end.index);
  if (i + 2 >= b->size || s[i] != ' ' || s[i + 1] != '#')
    return;
  char after = s[i + 2];
  if (after == ' ' || after == '\t' || after == '#' || jx_break_len(b, i + 2))
    return;
  size_t j = i + 1;
  while (j < b->size && !jx_break_len(b, j))
    j++;
  while (j > i + 1 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
    j--;
  node->comment = jx_arena_strndup(b->arena, s + i + 1, j - i - 1);
  node->comment_pos =
      (jx_pos){b->file, (uint32_t)end.line + 1, (uint32_t)end.column + 2};
}

/* Reports a tag ('!name') that libyaml read on a node: YAML takes it for
 * the name of a type and leaves it out of the text ("plan: !急 …" would
 * lose "!急"), so a value that starts with '!' must be put in quotes.  The
 * standard tags of YAML itself ('!!str') are let through. */
static void jx_refuse_tag(jx_ybuilder *b, const yaml_char_t *tag,
                          yaml_mark_t mark) {
  static const char standard[] = "tag:yaml.org,2002:";
  if (!tag || !strncmp((const char *)tag, standard, sizeof standard - 1))
    return;
  jx_error(b->diags, jx_ypos(b, mark),
           "syntax error: a value that starts with '!' must be put in "
           "quotes (without quotes YAML reads '!' as the name of a type, "
           "not as text)");
  b->failed = true;
}

/* Reports a key written after '? ' ("? 待定" on a line of its own): YAML
 * reads '? ' as the mark of a key, not as text.  The key node is moved to
 * the '?', so that the loader says nothing more about it. */
static void jx_refuse_question_key(jx_ybuilder *b, jx_ynode *node,
                                   yaml_mark_t mark) {
  /* "? 待定: 1": the '?' is of the mapping the key starts, whose error
   * (a key must be a scalar) says it */
  const jx_ynode *open = b->depth ? b->stack[b->depth - 1].node : NULL;
  if (open && b->stack[b->depth - 1].count == 0 &&
      open->pos.line == node->pos.line && open->pos.col == node->pos.col)
    return;
  const char *s = b->data;
  size_t i = jx_index_offset(b, mark.index);
  size_t q = i;
  while (q > 0 && s[q - 1] == ' ')
    q--;
  if (q == i || q == 0 || s[q - 1] != '?')
    return;
  q--;
  /* the '?' starts its line (after the indentation and list dashes) */
  size_t k = q;
  while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '-'))
    k--;
  if (k > 0 && s[k - 1] != '\n' && s[k - 1] != '\r')
    return;
  node->pos.col -= (uint32_t)jx_chars(b, q, i);
  jx_error(b->diags, node->pos,
           "syntax error: a line that starts with '? ' must be put in quotes "
           "(without quotes YAML reads '? ' as the mark of a key, not as "
           "text); indent the lines of a value under its key");
  b->failed = true;
}

/* Chinese punctuation, full-width or CJK: ，。、；：！？（）《》〈〉「」『』
 * 【】〔〕〖〗 and the like, which need no space around them. */
static bool jx_is_cjk_punct(uint32_t cp) {
  static const uint32_t marks[] = {
      0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3B, 0xFF3D,
      0xFF5B, 0xFF5D, 0xFF5F, 0xFF60, 0xFF61, 0xFF62, 0xFF63, 0xFF64};
  if ((cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) ||
      (cp >= 0x3014 && cp <= 0x301F))
    return true;
  for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
    if (marks[i] == cp)
      return true;
  return false;
}

static bool jx_is_ideograph(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* A Chinese character or mark, counting those Chinese shares with English
 * text (“” ‘’ … —). */
static bool jx_is_chinese(uint32_t cp) {
  return jx_is_ideograph(cp) || jx_is_cjk_punct(cp) || cp == 0x201C ||
         cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0x2026 ||
         cp == 0x2014;
}

/* The code point of the (valid UTF-8) character starting at data[i]. */
static uint32_t jx_cp_at(const jx_ybuilder *b, size_t i, size_t *len) {
  const unsigned char *u = (const unsigned char *)b->data + i;
  size_t n = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
  if (i + n > b->size)
    n = b->size - i;
  uint32_t cp = n == 1 ? u[0] : u[0] & (0x7F >> n);
  for (size_t k = 1; k < n; k++)
    cp = (cp << 6) | (u[k] & 0x3F);
  *len = n;
  return cp;
}

/* Warns when a value written over several lines breaks a line next to
 * Chinese punctuation ("…恢复，" then "破路恢复…" on the next line): YAML
 * joins the lines with a space, which prints as a gap on the form
 * ("…恢复， 破路…").  The first such break of the value, at the start of
 * the line after it.  A break between two Chinese characters is
 * validate.c's (text-space, by field); a line typed with a space in it is
 * left alone. */
static void jx_check_folds(jx_ybuilder *b, const yaml_event_t *event) {
  yaml_scalar_style_t style = event->data.scalar.style;
  yaml_mark_t start = event->start_mark, end = event->end_mark;
  if (start.line == end.line || (style != YAML_PLAIN_SCALAR_STYLE &&
                                 style != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
                                 style != YAML_DOUBLE_QUOTED_SCALAR_STYLE))
    return;
  const char *s = b->data;
  size_t from = jx_index_offset(b, start.index);
  size_t to = jx_index_offset(b, end.index);
  bool quoted = style != YAML_PLAIN_SCALAR_STYLE;
  uint32_t line = (uint32_t)start.line + 1;
  for (size_t i = from; i < to;) {
    size_t brk = jx_break_len(b, i);
    if (!brk) {
      i++;
      continue;
    }
    line++;
    size_t e = i; /* end of the text on the line of the break */
    while (e > from && (s[e - 1] == ' ' || s[e - 1] == '\t'))
      e--;
    size_t line_start = i + brk, n = line_start;
    while (n < to && (s[n] == ' ' || s[n] == '\t'))
      n++;
    i = n;
    /* a blank line (a line break, not a space), the opening or closing
     * quote, or a double-quoted line ending in '\' (no space) */
    if (n >= to || jx_break_len(b, n) || e == from ||
        (quoted && (e - 1 == from || n + 1 == to)) ||
        (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && s[e - 1] == '\\'))
      continue;
    size_t b0 = e - 1;
    while (b0 > from && ((unsigned char)s[b0] & 0xC0) == 0x80)
      b0--;
    size_t blen, alen;
    uint32_t before = jx_cp_at(b, b0, &blen), after = jx_cp_at(b, n, &alen);
    if (jx_is_ideograph(before) && jx_is_ideograph(after))
      continue;
    if (!jx_is_cjk_punct(before) && !jx_is_cjk_punct(after) &&
        !(jx_is_chinese(before) && jx_is_chinese(after)))
      continue;
    b->folds = jx_arena_grow(b->arena, b->folds, sizeof *b->folds, &b->fold_cap,
                             b->fold_count + 1);
    jx_fold *fold = &b->folds[b->fold_count++];
    fold->pos =
        (jx_pos){b->file, line, (uint32_t)jx_chars(b, line_start, n) + 1};
    memcpy(fold->before, s + b0, blen);
    fold->before[blen] = '\0';
    memcpy(fold->after, s + n, alen);
    fold->after[alen] = '\0';
    return;
  }
}

/* Warns about the line breaks jx_check_folds found (after a syntax error
 * they are not said: an unclosed quote runs over lines that are not a
 * value's). */
static void jx_report_folds(jx_ybuilder *b) {
  for (size_t i = 0; i < b->fold_count &&
                     b->diags->count - b->first_diag < JX_LIMIT_DIAGNOSTICS;
       i++)
    jx_warning(b->diags, b->folds[i].pos,
               "this line continues the value above it, and the line break "
               "prints as a space between '%s' and '%s' on the form, a gap "
               "next to Chinese punctuation; write the value on one line "
               "[text-space]",
               b->folds[i].before, b->folds[i].after);
}

/* True if the C string s (len bytes, then a NUL; it may hold a NUL
 * before) is `lit`, as strcmp(s, lit) == 0 tells, without walking a long
 * s. */
static bool c_string_is(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit);
  return len >= n && !memcmp(s, lit, n) && s[n] == '\0';
}

/* Builds a scalar node from a SCALAR event; `key` when it is a mapping's
 * key. */
static jx_ynode *jx_scalar(jx_ybuilder *b, const yaml_event_t *event,
                           bool key) {
  jx_ynode *node = jx_ynode_new(b, JX_YSCALAR, event->start_mark);
  const char *value = (const char *)event->data.scalar.value;
  size_t len = event->data.scalar.length;
  node->str = jx_arena_strndup(b->arena, value, len);
  node->len = len;
  node->quoted = event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
  const char *tag = (const char *)event->data.scalar.tag;
  if (tag)
    node->is_null = !strcmp(tag, YAML_NULL_TAG);
  else
    node->is_null =
        !node->quoted && (len == 0 || c_string_is(node->str, len, "~") ||
                          c_string_is(node->str, len, "null") ||
                          c_string_is(node->str, len, "Null") ||
                          c_string_is(node->str, len, "NULL"));
  jx_refuse_tag(b, event->data.scalar.tag, event->start_mark);
  if (key && !node->quoted)
    jx_refuse_question_key(b, node, event->start_mark);
  if (!key && b->project)
    jx_check_folds(b, event);
  if (!key && !node->quoted && len > 0)
    jx_find_cut_comment(b, node, event->end_mark);
  if (memchr(value, '\0', len)) {
    jx_error(b->diags, node->pos,
             "the text contains a NUL character ('\\0'), which is not "
             "allowed");
    b->failed = true;
  }
  return node;
}

/* Runs libyaml over the input and builds the tree.  Returns false when
 * parsing had to stop early (libyaml error, second document, too deep). */
static bool jx_run_parser(jx_ybuilder *b) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    jx_pos pos = {b->file, 0, 0};
    jx_error(b->diags, pos, "out of memory while starting the YAML parser");
    b->failed = true;
    return false;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)b->data,
                               b->size);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
  int documents = 0;
  bool done = false, ok = true;
  while (!done) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      jx_report_libyaml(b, &parser);
      ok = false;
      break;
    }
    switch (event.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_DOCUMENT_START_EVENT:
      if (++documents > 1) {
        jx_error(b->diags, jx_ypos(b, event.start_mark),
                 "a file holds one YAML document; a second one starts here "
                 "(remove the '---' line and what follows, or merge them)");
        b->failed = true;
        ok = false;
        done = true;
      }
      break;
    case YAML_ALIAS_EVENT:
      jx_error(b->diags, jx_ypos(b, event.start_mark),
               "aliases ('*%s') are not allowed; write the value out in full",
               (const char *)event.data.alias.anchor);
      b->failed = true;
      jx_attach(b, jx_placeholder(b, event.start_mark));
      break;
    case YAML_SCALAR_EVENT:
      jx_refuse_anchor(b, event.data.scalar.anchor, event.start_mark);
      jx_attach(b, jx_scalar(b, &event, jx_expecting_key(b)));
      break;
    case YAML_SEQUENCE_START_EVENT:
      jx_refuse_anchor(b, event.data.sequence_start.anchor, event.start_mark);
      jx_refuse_tag(b, event.data.sequence_start.tag, event.start_mark);
      if (!jx_open(b, JX_YSEQ, event.start_mark))
        ok = false, done = true;
      break;
    case YAML_MAPPING_START_EVENT:
      jx_refuse_anchor(b, event.data.mapping_start.anchor, event.start_mark);
      jx_refuse_tag(b, event.data.mapping_start.tag, event.start_mark);
      if (!jx_open(b, JX_YMAP, event.start_mark))
        ok = false, done = true;
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      jx_close(b);
      break;
    default: /* stream start, document end, no event */
      break;
    }
    if (!done && jx_over_limit(b, event.start_mark))
      ok = false, done = true;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  return ok;
}

/* Closes every collection left open when parsing stopped early, dropping
 * a mapping key that never got its value, so the caller gets the part of
 * the tree read before the error. */
static void jx_close_all(jx_ybuilder *b) {
  while (b->depth > 0) {
    jx_yframe *top = &b->stack[b->depth - 1];
    if (top->node->kind == JX_YMAP && top->count % 2)
      top->count--;
    jx_close(b);
  }
}

/* The parse behind jx_yaml_parse and jx_yaml_parse_partial: returns the
 * tree built (complete or not), *complete false when parsing stopped
 * early, *failed true when any error was recorded. */
static jx_ynode *jx_yaml_parse_tree(jx_arena *arena, jx_diag_list *diags,
                                    const char *name, const char *data,
                                    size_t size, bool project, bool utf8_valid,
                                    bool *complete, bool *failed) {
  *complete = false;
  *failed = true;
  jx_ybuilder builder;
  memset(&builder, 0, sizeof builder);
  jx_ybuilder *b = &builder;
  b->arena = arena;
  b->diags = diags;
  b->project = project;
  b->file = jx_arena_strdup(arena, name ? name : "<input>");
  b->data = data ? data : "";
  b->size = data ? size : 0;
  /* A UTF-8 byte order mark is accepted and skipped: positions are then
   * counted as an editor shows them, without the invisible mark. */
  if (b->size >= 3 && !memcmp(b->data, "\xEF\xBB\xBF", 3)) {
    b->data += 3;
    b->size -= 3;
  }
  size_t first_diag = diags->count;
  b->first_diag = first_diag;
  jx_ynode *root = NULL;
  if (b->size > JX_LIMIT_FILE_BYTES) {
    jx_pos pos = {b->file, 0, 0};
    jx_error(diags, pos, "file is larger than the %s limit (%zu bytes)",
             JX_LIMIT_FILE_TEXT, b->size);
    return NULL;
  }
  if (utf8_valid || jx_check_utf8(b)) {
    *complete = jx_run_parser(b);
    if (*complete)
      jx_report_folds(b);
    jx_close_all(b);
    root = b->too_deep || b->stopped ? NULL : b->root;
    if (!root && *complete) {
      yaml_mark_t start = {0, 0, 0};
      root = jx_placeholder(b, start);
    }
  }
  *failed = b->failed || !*complete;
  /* Duplicate keys are only found when their mapping closes. */
  jx_diag_sort(diags, first_diag, arena);
  return root;
}

jx_ynode *jx_yaml_parse(jx_arena *arena, jx_diag_list *diags, const char *name,
                        const char *data, size_t size) {
  bool complete, failed;
  jx_ynode *root = jx_yaml_parse_tree(arena, diags, name, data, size, false,
                                      false, &complete, &failed);
  return failed ? NULL : root;
}

jx_ynode *jx_yaml_parse_partial(jx_arena *arena, jx_diag_list *diags,
                                const char *name, const char *data, size_t size,
                                bool *complete) {
  bool failed;
  return jx_yaml_parse_tree(arena, diags, name, data, size, true, false,
                            complete, &failed);
}

jx_ynode *jx_yaml_parse_partial_utf8(jx_arena *arena, jx_diag_list *diags,
                                     const char *name, const char *data,
                                     size_t size, bool *complete) {
  bool failed;
  return jx_yaml_parse_tree(arena, diags, name, data, size, true, true,
                            complete, &failed);
}

const jx_ynode *jx_ymap_get(const jx_ynode *map, const char *key) {
  if (!map || map->kind != JX_YMAP)
    return NULL;
  for (size_t i = 0; i < map->count; i++)
    if (!strcmp(map->keys[i]->str, key))
      return map->items[i];
  return NULL;
}

const char *jx_ynode_kind_name(const jx_ynode *node) {
  /* English words, marked for the catalogue.  yaml.c's and load.c's
   * messages name the kind in their own text instead (one message per
   * kind), so that a diagnostic's arguments (jx_diagnostic.args) stay the
   * same in every language. */
  if (!node)
    return N_("nothing");
  switch (node->kind) {
  case JX_YMAP:
    return N_("a mapping");
  case JX_YSEQ:
    return N_("a sequence");
  case JX_YSCALAR:
  default:
    return N_("a scalar");
  }
}
