/*
 * book-write.c — the workbook of `jxform new --xlsx`: a template's form
 * as an Excel sheet to fill in, which `jxform import` reads back.
 *
 * Everything comes from the template's content (content.h), in the
 * layout docs/import-layouts.md calls layout 1 (form as sheet):
 *   - the form sheet: the title, then a row per field in the template's
 *     order, the label left (locked, grey) and the value right
 *     (unlocked); a money block as printed: per column the total as
 *     COLUMN+ROW label, its sources below it by their row label.  Each
 *     value cell checks what goes in (a list, a date, an amount ≥ 0, a
 *     year) and says what to write when it is selected;
 *   - a sheet per grid, named by the grid's label: the column headings,
 *     frozen, then empty rows ready for input, with drop-down lists for
 *     the side and for the frame's 一级 and 二级 names;
 *   - an instructions sheet, ending in the row `template | NAME`;
 *   - a hidden sheet of lists, when a list of choices is too long for a
 *     drop-down's own text.
 * The form sheet and the instructions are protected (no password) so that
 * only the input cells change; the grid sheets stay open for new rows.
 *
 * The file is written by libxlsxwriter to a temporary name beside the
 * target and linked into place, never over an existing file.  Nothing of
 * the clock goes in: the document date is SOURCE_DATE_EPOCH, else fixed,
 * so the same arguments give the same bytes.
 *
 * libxlsxwriter is loaded only when a workbook is written (lazylib.h):
 * its functions are called through XW, the table jx_write_workbook
 * checks is there before anything is written.
 */
#include "jxform/jxform.h"

#include "arena.h"
#include "content.h"
#include "diag.h"
#include "i18n.h"
#include "lazylib.h"
#include "packet.h"
#include "pdfmeta.h"
#include "template.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* libxlsxwriter's functions (lazylib.h); only used after jx_write_workbook
 * has found the library. */
#define XW (*jx_xlsxwriter(NULL))

/* The document date without SOURCE_DATE_EPOCH: 1980-01-01T00:00:00Z, the
 * date libxlsxwriter gives every member of the zip.  (0 would make
 * libxlsxwriter take the clock.) */
#define BOOK_FIXED_TIME 315532800

/* Excel's limits: a sheet name (UTF-16 units), a check's title and
 * message (characters), a drop-down list written in the check itself.
 * libxlsxwriter 1.1.4 counts that list in characters but copies it into
 * a 256-byte buffer, so a list of Chinese names longer than 85 characters
 * overflows it: lists are measured in bytes here, and longer ones go to
 * the hidden sheet. */
enum {
  SHEET_NAME_MAX = 31,
  CHECK_TITLE_MAX = 32,
  CHECK_MESSAGE_MAX = 255,
  INLINE_LIST_MAX_BYTES = 255
};

/* Empty rows of a grid sheet formatted for input, per side. */
enum { GRID_INPUT_ROWS = 30 };

/* The form sheet's columns: label, value, and two more that a paragraph's
 * value spans (widths in Excel's character units; a Chinese character
 * takes about two). */
static const double form_widths[] = {26, 36, 18, 18};
enum { FORM_COLS = 4, PARAGRAPH_ROW_PT = 90 };

/* ---- text helpers -------------------------------------------------------- */

/* Columns `s` takes: Chinese characters (3-byte UTF-8 and longer) two,
 * others one. */
static int display_width(const char *s) {
  int w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x80 || (*p & 0xE0) == 0xC0)
      w++;
    else if ((*p & 0xC0) != 0x80)
      w += 2;
  }
  return w;
}

/* The length of UTF-8 `s` in UTF-16 units (as Excel counts). */
static size_t utf16_length(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80)
      n += *p >= 0xF0 ? 2 : 1;
  return n;
}

/* `s` cut to at most `max` characters (whole UTF-8 sequences), with "…"
 * in place of what is cut. */
static const char *clip(jx_arena *arena, const char *s, size_t max) {
  if (!s || utf16_length(s) <= max)
    return s;
  size_t n = 0, keep = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) != 0x80) {
      size_t units = *p >= 0xF0 ? 2 : 1;
      if (n + units > max - 1) /* one left for the ellipsis */
        break;
      n += units;
    }
    keep = (size_t)(p - (const unsigned char *)s) + 1;
  }
  return jx_arena_printf(arena, "%.*s\u2026", (int)keep, s);
}

/* `text` with each `from` replaced by `to`. */
static const char *replace_all(jx_arena *arena, const char *text,
                               const char *from, const char *to) {
  size_t nf = strlen(from);
  if (!nf || !strstr(text, from))
    return text;
  const char *out = "";
  const char *p = text;
  for (const char *hit = strstr(p, from); hit; hit = strstr(p, from)) {
    out = jx_arena_printf(arena, "%s%.*s%s", out, (int)(hit - p), p, to);
    p = hit + nf;
  }
  return jx_arena_printf(arena, "%s%s", out, p);
}

/* Lines of wrapped text `s` in a column `width` units wide. */
static int wrapped_lines(const char *s, double width) {
  int per_line = (int)width - 2;
  if (per_line < 4)
    per_line = 4;
  int w = display_width(s);
  return w ? (w + per_line - 1) / per_line : 1;
}

/* ---- the workbook being written ------------------------------------------ */

/* A list of names that a drop-down offers from the hidden sheet: column
 * `column` of it. */
typedef struct book_list {
  const char **items;
  size_t count;
} book_list;

typedef struct book {
  lxw_workbook *wb;
  jx_arena *arena;
  const jx_template *tpl;
  const jx_content *c;
  int year;
  lxw_error err; /* the first error libxlsxwriter reported */
  /* the sheets' names: form, grids…, instructions, lists */
  const char **names;
  size_t name_count, name_cap;
  const char *form_name, *help_name, *lists_name;
  book_list *lists; /* for the hidden sheet */
  size_t list_count, list_cap;
  /* formats */
  lxw_format *title, *note, *label, *sublabel, *block, *head, *help,
      *help_title, *key;
  struct {
    const char *numfmt; /* NULL: General */
    lxw_format *f;
  } inputs[16];
  size_t input_count;
} book;

/* Keeps the first error of a libxlsxwriter call. */
static void check(book *b, lxw_error e) {
  if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR)
    b->err = e;
}

/* The format of an input cell: unlocked, framed, wrapping, with number
 * format `numfmt` (NULL: General); one per number format. */
static lxw_format *input_format(book *b, const char *numfmt) {
  for (size_t i = 0; i < b->input_count; i++)
    if (numfmt == b->inputs[i].numfmt ||
        (numfmt && b->inputs[i].numfmt && !strcmp(numfmt, b->inputs[i].numfmt)))
      return b->inputs[i].f;
  lxw_format *f = XW.workbook_add_format(b->wb);
  XW.format_set_unlocked(f);
  XW.format_set_border(f, LXW_BORDER_THIN);
  XW.format_set_text_wrap(f);
  XW.format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  if (numfmt)
    XW.format_set_num_format(f, numfmt);
  if (b->input_count < sizeof b->inputs / sizeof *b->inputs) {
    b->inputs[b->input_count].numfmt = numfmt;
    b->inputs[b->input_count++].f = f;
  }
  return f;
}

static lxw_format *label_format(book *b, bool bold, uint8_t indent) {
  lxw_format *f = XW.workbook_add_format(b->wb);
  if (bold)
    XW.format_set_bold(f);
  XW.format_set_bg_color(f, 0xD9D9D9);
  XW.format_set_border(f, LXW_BORDER_THIN);
  XW.format_set_text_wrap(f);
  XW.format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  if (indent)
    XW.format_set_indent(f, indent);
  return f;
}

static void make_formats(book *b) {
  b->title = XW.workbook_add_format(b->wb);
  XW.format_set_bold(b->title);
  XW.format_set_font_size(b->title, 14);
  XW.format_set_align(b->title, LXW_ALIGN_CENTER);
  XW.format_set_align(b->title, LXW_ALIGN_VERTICAL_CENTER);
  XW.format_set_text_wrap(b->title);
  b->note = XW.workbook_add_format(b->wb);
  XW.format_set_italic(b->note);
  XW.format_set_font_color(b->note, 0x595959);
  XW.format_set_text_wrap(b->note);
  XW.format_set_align(b->note, LXW_ALIGN_VERTICAL_CENTER);
  b->label = label_format(b, true, 0);
  b->sublabel = label_format(b, true, 1);
  b->block = label_format(b, true, 0);
  b->head = label_format(b, true, 0);
  XW.format_set_align(b->head, LXW_ALIGN_CENTER);
  b->help = XW.workbook_add_format(b->wb);
  XW.format_set_text_wrap(b->help);
  XW.format_set_align(b->help, LXW_ALIGN_VERTICAL_TOP);
  b->key = XW.workbook_add_format(b->wb);
  XW.format_set_bold(b->key);
  XW.format_set_align(b->key, LXW_ALIGN_RIGHT);
  b->help_title = XW.workbook_add_format(b->wb);
  XW.format_set_bold(b->help_title);
  XW.format_set_font_size(b->help_title, 14);
}

/* ---- sheet names ----------------------------------------------------------
 */

/* `name` made a valid sheet name: the characters Excel refuses ([ ] : *
 * ? / \) become their full-width twins (the import's matching reads them
 * as the same), no apostrophe at either end.  NULL when nothing is left
 * or it is longer than Excel allows. */
static const char *sheet_name(jx_arena *arena, const char *name) {
  static const char bad[] = "[]:*?/\\";
  static const char *const wide[] = {"\uff3b", "\uff3d", "\uff1a", "\uff0a",
                                     "\uff1f", "\uff0f", "\uff3c"};
  if (!name)
    return NULL;
  const char *out = "";
  for (const char *p = name; *p; p++) {
    const char *at = strchr(bad, *p);
    out = at ? jx_arena_printf(arena, "%s%s", out, wide[at - bad])
             : jx_arena_printf(arena, "%s%c", out, *p);
  }
  while (*out == '\'')
    out++;
  size_t n = strlen(out);
  while (n && out[n - 1] == '\'')
    n--;
  out = jx_arena_strndup(arena, out, n);
  if (!*out || utf16_length(out) > SHEET_NAME_MAX)
    return NULL;
  return out;
}

/* Excel compares sheet names without regard to ASCII letter case. */
static bool name_taken(const book *b, const char *name) {
  for (size_t i = 0; i < b->name_count; i++) {
    const char *p = b->names[i], *q = name;
    for (; *p && *q; p++, q++) {
      char x = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
      char y = *q >= 'A' && *q <= 'Z' ? (char)(*q - 'A' + 'a') : *q;
      if (x != y)
        break;
    }
    if (!*p && !*q)
      return true;
  }
  return false;
}

/* Takes the sheet name made of `wanted` (else of `fallback`), made unique
 * with " (2)", " (3)"… and clipped to fit. */
static const char *take_name(book *b, const char *wanted,
                             const char *fallback) {
  const char *name = sheet_name(b->arena, wanted);
  if (!name)
    name = sheet_name(b->arena, fallback);
  if (!name)
    name = "Sheet";
  const char *unique = name;
  for (int n = 2; name_taken(b, unique); n++) {
    char tail[16];
    snprintf(tail, sizeof tail, " (%d)", n);
    const char *base = name;
    while (utf16_length(base) + strlen(tail) > SHEET_NAME_MAX)
      base = jx_arena_strndup(b->arena, base, strlen(base) - 1);
    /* never a cut UTF-8 sequence */
    size_t len = strlen(base);
    while (len && ((unsigned char)base[len - 1] & 0xC0) == 0x80)
      len--;
    if (len && (unsigned char)base[len - 1] >= 0xC0)
      len--;
    unique = jx_arena_printf(b->arena, "%.*s%s", (int)len, base, tail);
  }
  b->names = jx_arena_grow(b->arena, b->names, sizeof *b->names, &b->name_cap,
                           b->name_count + 1);
  b->names[b->name_count++] = unique;
  return unique;
}

/* `name` quoted for a formula: 'It''s'. */
static const char *quoted_sheet(jx_arena *arena, const char *name) {
  return jx_arena_printf(arena, "'%s'", replace_all(arena, name, "'", "''"));
}

/* ---- checks (data validation) -------------------------------------------- */

/* Sets the drop-down list of `dv` to items[0..n): written in the check
 * when it fits, else kept for the hidden sheet and referred to there. */
static void set_list(book *b, lxw_data_validation *dv, const char *const *items,
                     size_t n) {
  size_t bytes = n ? n - 1 : 0;
  bool plain = true;
  for (size_t i = 0; i < n; i++) {
    bytes += strlen(items[i]);
    plain = plain && !strpbrk(items[i], ",\"");
  }
  if (plain && bytes <= INLINE_LIST_MAX_BYTES) {
    char **list = jx_arena_alloc(b->arena, (n + 1) * sizeof *list);
    for (size_t i = 0; i < n; i++)
      list[i] = (char *)items[i];
    dv->validate = LXW_VALIDATION_TYPE_LIST;
    dv->value_list = list;
    return;
  }
  b->lists = jx_arena_grow(b->arena, b->lists, sizeof *b->lists, &b->list_cap,
                           b->list_count + 1);
  book_list *l = &b->lists[b->list_count++];
  l->items = jx_arena_alloc(b->arena, (n ? n : 1) * sizeof *l->items);
  memcpy(l->items, items, n * sizeof *items);
  l->count = n;
  char col[16];
  XW.lxw_col_to_name(col, (lxw_col_t)(b->list_count - 1), true);
  dv->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
  dv->value_formula = jx_arena_printf(b->arena, "=%s!%s$1:%s$%zu",
                                      quoted_sheet(b->arena, b->lists_name),
                                      col, col, n ? n : 1);
}

/* Applies check `dv` to rows r0..r1 of column `col`, with the title and
 * message shown when a cell is selected (clipped to Excel's limits). */
static void add_check(book *b, lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1,
                      lxw_col_t col, lxw_data_validation *dv, const char *title,
                      const char *message) {
  if (message && *message) {
    dv->input_title = (char *)clip(b->arena, title, CHECK_TITLE_MAX);
    dv->input_message = (char *)clip(b->arena, message, CHECK_MESSAGE_MAX);
  }
  if (dv->error_title)
    dv->error_title = (char *)clip(b->arena, dv->error_title, CHECK_TITLE_MAX);
  if (dv->error_message)
    dv->error_message =
        (char *)clip(b->arena, dv->error_message, CHECK_MESSAGE_MAX);
  if (dv->validate == LXW_VALIDATION_TYPE_NONE) {
    if (!dv->input_message)
      return;
    dv->validate = LXW_VALIDATION_TYPE_ANY;
  }
  check(b, XW.worksheet_data_validation_range(ws, r0, col, r1, col, dv));
}

/* The number format a value of type `t` is typed in (NULL: General).
 * Codes, phone numbers and the like are text (@) so that leading zeros
 * and dots survive; a paragraph stays General, since older Excel shows a
 * text-formatted cell of more than 255 characters as ####. */
static const char *type_numfmt(jx_ftype t) {
  switch (t) {
  case JX_FT_TEXT:
  case JX_FT_CODE:
  case JX_FT_PHONE:
  case JX_FT_DATE_RANGE:
  case JX_FT_DURATION:
  case JX_FT_CHOICE:
    return "@";
  case JX_FT_DATE:
    return "yyyy-mm-dd";
  case JX_FT_YEAR:
    return "0";
  default:
    return NULL;
  }
}

/* The number format of money block `mb`'s amounts. */
static const char *money_numfmt(const jx_money_block *mb) {
  if (mb->decimals == JX_DECIMALS_WRITTEN)
    return NULL; /* as typed */
  return mb->thousands ? "#,##0.00" : "0.00";
}

/* Sets the check of a value of type `t` (choices for a choice) on `dv`. */
static void type_check(book *b, lxw_data_validation *dv, jx_ftype t,
                       const char *const *choices, size_t choice_count,
                       bool open_choice) {
  switch (t) {
  case JX_FT_MONEY:
    dv->validate = LXW_VALIDATION_TYPE_DECIMAL;
    dv->criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    dv->value_number = 0;
    /* TRANSLATORS: the titles of the workbook's warnings (Excel shows 32
       characters at most) */
    dv->error_title = (char *)_("Not an amount");
    dv->error_message =
        (char *)_("Write the amount as a number of 0 or more, without the "
                  "unit; leave the cell empty when there is none.");
    break;
  case JX_FT_CHOICE:
    if (!choice_count)
      break;
    set_list(b, dv, choices, choice_count);
    dv->error_type = open_choice ? LXW_VALIDATION_ERROR_TYPE_WARNING
                                 : LXW_VALIDATION_ERROR_TYPE_STOP;
    dv->error_title = (char *)_("Not one of the choices");
    dv->error_message =
        (char *)(open_choice
                     ? _("This is not one of the usual values: keep it only "
                         "if you mean it.")
                     : _("Choose one of the values of the list."));
    break;
  case JX_FT_DATE:
    dv->validate = LXW_VALIDATION_TYPE_DATE;
    dv->criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    dv->minimum_datetime = (lxw_datetime){1900, 1, 1, 0, 0, 0};
    dv->maximum_datetime = (lxw_datetime){9999, 12, 31, 0, 0, 0};
    dv->error_title = (char *)_("Not a date");
    dv->error_message = jx_arena_printf(
        b->arena, _("Write a date as year-month-day, like %d-03-15."), b->year);
    break;
  case JX_FT_YEAR:
    dv->validate = LXW_VALIDATION_TYPE_INTEGER;
    dv->criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    dv->minimum_number = 1900;
    dv->maximum_number = 2100;
    dv->error_title = (char *)_("Not a year");
    dv->error_message = (char *)_("Write the year as four digits, from 1900 to "
                                  "2100.");
    break;
  default:
    break;
  }
}

/* What the selected cell of field `f` says: required or not, then the
 * template's hint (for the year field with the year written in place of
 * the example's) or its example, or what the check wants. */
static const char *field_message(book *b, const jx_field *f) {
  jx_arena *a = b->arena;
  const char *text = NULL;
  const char *hint = f->hint;
  if (hint && f->type == JX_FT_YEAR && f->example)
    hint = replace_all(a, hint, f->example, jx_arena_printf(a, "%d", b->year));
  switch (f->type) {
  case JX_FT_CHOICE:
    text = f->open_choice ? _("Choose from the list, or write another value.")
                          : _("Choose from the list.");
    break;
  case JX_FT_DATE: /* the template's hint is about the YAML file */
    text = jx_arena_printf(a, _("A date: year-month-day, like %d-03-15."),
                           b->year);
    break;
  case JX_FT_MONEY: {
    const jx_money_block *mb = &b->c->money[f->money_block];
    text = jx_arena_printf(
        a, _("An amount in %s; leave it empty when there is none."),
        mb->unit ? mb->unit : "");
    break;
  }
  default:
    if (hint)
      text = hint;
    else if (f->example)
      text = jx_arena_printf(a, _("For example: %s"), f->example);
    break;
  }
  if (f->required)
    text = text ? jx_arena_printf(a, "%s %s", _("Required."), text)
                : _("Required.");
  return text;
}

/* ---- the form sheet -------------------------------------------------------
 */

/* A label cell: the label, with * when a value is required. */
static const char *shown_label(book *b, const char *label, bool required) {
  return required ? jx_arena_printf(b->arena, "%s*", label) : label;
}

/* Sets row `row`'s height for a label and value: taller when the label
 * wraps in column A, tall for a paragraph. */
static void size_row(book *b, lxw_worksheet *ws, lxw_row_t row,
                     const char *label, bool paragraph) {
  int lines = wrapped_lines(label, form_widths[0]);
  double height = paragraph ? PARAGRAPH_ROW_PT : 0;
  if (lines > 1 && lines * 15.0 + 3 > height)
    height = lines * 15.0 + 3;
  if (height > 0)
    check(b, XW.worksheet_set_row(ws, row, height, NULL));
}

/* The row of field `fi`: label in A, value in B (B to D for a
 * paragraph), the year written in. */
static void field_row(book *b, lxw_worksheet *ws, lxw_row_t row, size_t fi) {
  const jx_field *f = &b->c->fields[fi];
  const char *label = shown_label(b, f->label, f->required);
  check(b, XW.worksheet_write_string(ws, row, 0, label, b->label));
  lxw_format *in = input_format(b, type_numfmt(f->type));
  bool paragraph = f->type == JX_FT_PARAGRAPH;
  if (paragraph)
    check(b, XW.worksheet_merge_range(ws, row, 1, row, FORM_COLS - 1, "", in));
  else if (f->type == JX_FT_YEAR)
    check(b, XW.worksheet_write_number(ws, row, 1, b->year, in));
  else
    check(b, XW.worksheet_write_blank(ws, row, 1, in));
  size_row(b, ws, row, label, paragraph);
  lxw_data_validation dv = {0};
  type_check(b, &dv, f->type, (const char *const *)f->choices, f->choice_count,
             f->open_choice);
  add_check(b, ws, row, row, 1, &dv, f->label, field_message(b, f));
}

/* The rows of money block `bi` from `row` on: its label and unit across
 * the sheet, then per column the total (labelled COLUMN+ROW) and the
 * other rows below it (labelled ROW, indented).  A block without a total
 * labels every row COLUMN+ROW.  Returns the next free row. */
static lxw_row_t money_rows(book *b, lxw_worksheet *ws, lxw_row_t row,
                            size_t bi) {
  const jx_money_block *mb = &b->c->money[bi];
  if (mb->label && *mb->label) {
    const char *head =
        mb->unit && *mb->unit
            /* TRANSLATORS: a money block's label, then its unit (a
               heading of the workbook) */
            ? jx_arena_printf(b->arena, _("%s (%s)"), mb->label, mb->unit)
            : mb->label;
    check(b, XW.worksheet_merge_range(ws, row, 0, row, FORM_COLS - 1, head,
                                      b->block));
    row++;
  }
  lxw_format *in = input_format(b, money_numfmt(mb));
  for (size_t k = 0; k < mb->column_count; k++) {
    for (size_t n = 0; n < mb->row_count; n++) {
      /* the total first, then the others in their order */
      size_t r = n;
      if (mb->total_row >= 0)
        r = n == 0 ? (size_t)mb->total_row
                   : n - (n <= (size_t)mb->total_row ? 1 : 0);
      const jx_field *f =
          &b->c->fields[mb->first_field + k * mb->row_count + r];
      bool whole = mb->total_row < 0 || n == 0;
      const char *label =
          shown_label(b, whole ? f->label : mb->row_labels[r], f->required);
      check(b, XW.worksheet_write_string(ws, row, 0, label,
                                         whole ? b->label : b->sublabel));
      check(b, XW.worksheet_write_blank(ws, row, 1, in));
      size_row(b, ws, row, label, false);
      lxw_data_validation dv = {0};
      type_check(b, &dv, JX_FT_MONEY, NULL, 0, false);
      add_check(b, ws, row, row, 1, &dv, f->label, field_message(b, f));
      row++;
    }
  }
  return row;
}

static void form_sheet(book *b, lxw_worksheet *ws) {
  for (lxw_col_t col = 0; col < FORM_COLS; col++)
    check(b, XW.worksheet_set_column(ws, col, col, form_widths[col], NULL));
  const char *title = b->tpl->title ? b->tpl->title : b->tpl->name;
  check(b,
        XW.worksheet_merge_range(ws, 0, 0, 0, FORM_COLS - 1, title, b->title));
  check(b, XW.worksheet_set_row(ws, 0, 30, NULL));
  const char *note = jx_arena_printf(
      b->arena,
      _("Fill in the white cells; select one to see what goes in it.  * marks "
        "what must be filled in.  More in the sheet '%s'."),
      b->help_name);
  check(b, XW.worksheet_merge_range(ws, 1, 0, 1, FORM_COLS - 1, note, b->note));
  check(b, XW.worksheet_set_row(ws, 1, 32, NULL));
  lxw_row_t row = 2;
  for (size_t i = 0; i < b->c->field_count; i++) {
    const jx_field *f = &b->c->fields[i];
    if (f->money_block < 0) {
      field_row(b, ws, row++, i);
    } else if (b->c->money[f->money_block].first_field == i) {
      row = money_rows(b, ws, row, (size_t)f->money_block);
    }
  }
  XW.worksheet_set_paper(ws, 9); /* A4 */
  XW.worksheet_fit_to_pages(ws, 1, 0);
  XW.worksheet_activate(ws);
  lxw_protection open = {.format_columns = 1, .format_rows = 1};
  XW.worksheet_protect(ws, NULL, &open);
}

/* ---- a grid's sheet -------------------------------------------------------
 */

/* The width of grid column `col` (Excel units): by its role and type,
 * at least its heading's. */
static double grid_width(const jx_grid_def *g, size_t col) {
  const jx_gcol *c = &g->cols[col];
  double w = 14;
  if ((int)col == g->level2)
    w = 18;
  else if ((int)col == g->name)
    w = 32;
  else if (c->type == JX_FT_PARAGRAPH)
    w = 40;
  else if (c->type == JX_FT_TEXT && (int)col != g->value &&
           (int)col != g->comparator && (int)col != g->unit &&
           (int)col != g->level1)
    w = 24;
  double head = display_width(c->label) + 4;
  return head > w ? (head > 40 ? 40 : head) : w;
}

static void grid_sheet(book *b, lxw_worksheet *ws, const jx_grid_def *g) {
  jx_arena *a = b->arena;
  lxw_col_t first = g->side_count ? 1 : 0;
  lxw_row_t last = (lxw_row_t)(GRID_INPUT_ROWS * jx_grid_lists(g));
  int head_lines = 1;
  if (g->side_count) {
    const char *head = "";
    for (size_t s = 0; s < g->side_count; s++)
      head =
          jx_arena_printf(a, "%s%s%s", head, s ? "/" : "", g->side_labels[s]);
    check(b, XW.worksheet_write_string(ws, 0, 0, head, b->head));
    double w = display_width(head) + 4;
    check(b, XW.worksheet_set_column(ws, 0, 0, w < 12 ? 12 : w, NULL));
    lxw_format *in = input_format(b, "@");
    for (lxw_row_t r = 1; r <= last; r++)
      check(b, XW.worksheet_write_blank(ws, r, 0, in));
    lxw_data_validation dv = {0};
    set_list(b, &dv, g->side_labels, g->side_count);
    dv.error_title = (char *)_("Not one of the choices");
    dv.error_message = (char *)_("Choose one of the values of the list.");
    add_check(b, ws, 1, last, 0, &dv, head,
              _("Which part of the table the row belongs to: choose from the "
                "list."));
  }
  /* the frame's names, each once, in the frame's order */
  const char **level1 =
      jx_arena_alloc(a, (g->frame_count + 1) * sizeof *level1);
  size_t n1 = 0, n2 = 0, cap2 = 0;
  const char **level2 = NULL;
  for (size_t f = 0; f < g->frame_count; f++) {
    level1[n1++] = g->frame[f].level1;
    for (size_t k = 0; k < g->frame[f].level2_count; k++) {
      const char *name = g->frame[f].level2[k].name;
      bool seen = false;
      for (size_t i = 0; i < n2 && !seen; i++)
        seen = !strcmp(level2[i], name);
      if (seen)
        continue;
      level2 = jx_arena_grow(a, level2, sizeof *level2, &cap2, n2 + 1);
      level2[n2++] = name;
    }
  }
  for (size_t col = 0; col < g->col_count; col++) {
    const jx_gcol *gc = &g->cols[col];
    lxw_col_t x = (lxw_col_t)(first + col);
    double width = grid_width(g, col);
    /* the heading is the label as it is (no *: a required column says so
     * when selected) */
    const char *label = gc->label;
    int lines = wrapped_lines(label, width);
    if (lines > head_lines)
      head_lines = lines;
    check(b, XW.worksheet_write_string(ws, 0, x, label, b->head));
    check(b, XW.worksheet_set_column(ws, x, x, width, NULL));
    lxw_format *in = input_format(b, type_numfmt(gc->type));
    for (lxw_row_t r = 1; r <= last; r++)
      check(b, XW.worksheet_write_blank(ws, r, x, in));
    lxw_data_validation dv = {0};
    const char *message = NULL;
    bool frame_col =
        g->frame_count && ((int)col == g->level1 || (int)col == g->level2);
    if (frame_col) {
      if ((int)col == g->level1)
        set_list(b, &dv, level1, n1);
      else
        set_list(b, &dv, level2, n2);
      dv.error_title = (char *)_("Not one of the choices");
      dv.error_message = (char *)_("Choose one of the values of the list.");
      message = _("Choose from the list.");
    } else {
      type_check(b, &dv, gc->type, NULL, 0, false);
      if (gc->example)
        message = jx_arena_printf(a, _("For example: %s"), gc->example);
    }
    if (gc->required)
      message = message ? jx_arena_printf(a, "%s %s", _("Required."), message)
                        : _("Required.");
    add_check(b, ws, 1, last, x, &dv, gc->label, message);
  }
  if (head_lines > 1)
    check(b, XW.worksheet_set_row(ws, 0, head_lines * 15.0 + 3, NULL));
  XW.worksheet_freeze_panes(ws, 1, 0);
  XW.worksheet_set_paper(ws, 9);
  XW.worksheet_set_landscape(ws);
  XW.worksheet_fit_to_pages(ws, 1, 0);
  check(b, XW.worksheet_repeat_rows(ws, 0, 0));
}

/* ---- the instructions -----------------------------------------------------
 */

static void help_sheet(book *b, lxw_worksheet *ws) {
  jx_arena *a = b->arena;
  const jx_content *c = b->c;
  check(b, XW.worksheet_set_column(ws, 0, 0, 100, NULL));
  check(b, XW.worksheet_set_column(ws, 1, 1, 28, NULL));
  lxw_row_t row = 0;
  check(b, XW.worksheet_write_string(
               ws, row, 0, _("How to fill in this workbook"), b->help_title));
  check(b, XW.worksheet_set_row(ws, row++, 24, NULL));
  const char *lines[64];
  size_t n = 0;
  lines[n++] = jx_arena_printf(
      a,
      _("This workbook is the form '%s' (template %s) to fill in with Excel, "
        "WPS or LibreOffice.  jxform reads it back: 'jxform import FILE.xlsx' "
        "writes the project file, 'jxform render FILE.xlsx' makes the PDF."),
      b->tpl->title ? b->tpl->title : b->tpl->name, b->tpl->name);
  lines[n++] = jx_arena_printf(
      a,
      _("Sheet '%s': write each value in the white cell right of its grey "
        "label; select a cell to see what goes in it.  A label marked * must "
        "have a value; the others may stay empty (they print blank).  The "
        "labels are locked so that they are not changed by mistake."),
      b->form_name);
  for (size_t i = 0; i < c->money_count && n < 40; i++)
    lines[n++] = jx_arena_printf(
        a,
        _("%s: amounts in %s, as plain numbers without the unit.  Leave a cell "
          "empty when there is no amount: it prints blank, not 0."),
        c->money[i].label, c->money[i].unit ? c->money[i].unit : "");
  for (size_t i = 0; i < c->grid_count && n < 60; i++) {
    const jx_grid_def *g = &c->grids[i];
    const char *text = jx_arena_printf(
        a,
        _("Sheet '%s': one row per item, from the row under the headings "
          "down, with no empty row in between (an empty row ends the list); "
          "insert or copy rows for more."),
        b->names[1 + i]);
    if (g->side_count)
      /* TRANSLATORS: %s is the sentence before, about the sheet */
      text = jx_arena_printf(
          a, _("%s  In the first column choose the part each row belongs to."),
          text);
    if (g->frame_count && g->level1 >= 0 && g->level2 >= 0)
      /* TRANSLATORS: the sentences before, then two column headings */
      text = jx_arena_printf(a, _("%s  Choose '%s' and '%s' from the lists."),
                             text, g->cols[g->level1].label,
                             g->cols[g->level2].label);
    lines[n++] = text;
  }
  lines[n++] = _("Dates are written year-month-day; codes keep their leading "
                 "zeros.");
  lines[n++] = _("Do not rename the sheets, change the labels or delete the "
                 "row 'template' below: jxform finds the values by them.");
  for (size_t i = 0; i < n; i++) {
    check(b, XW.worksheet_write_string(ws, row, 0, lines[i], b->help));
    int l = wrapped_lines(lines[i], 100);
    if (l > 1)
      check(b, XW.worksheet_set_row(ws, row, l * 15.0 + 3, NULL));
    row++;
  }
  row++;
  /* what import reads: the YAML key and the template's name */
  check(b, XW.worksheet_write_string(ws, row, 0, "template", b->key));
  check(b, XW.worksheet_write_string(ws, row, 1, b->tpl->name, NULL));
  XW.worksheet_set_paper(ws, 9);
  XW.worksheet_fit_to_pages(ws, 1, 0);
  lxw_protection open = {.format_columns = 1, .format_rows = 1};
  XW.worksheet_protect(ws, NULL, &open);
}

/* The hidden sheet: list k in column k. */
static void lists_sheet(book *b, lxw_worksheet *ws) {
  for (size_t k = 0; k < b->list_count; k++)
    for (size_t i = 0; i < b->lists[k].count; i++)
      check(b, XW.worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)k,
                                         b->lists[k].items[i], NULL));
  XW.worksheet_hide(ws);
}

/* SOURCE_DATE_EPOCH when it is a time from 1970 to 9999, else the fixed
 * date. */
static time_t book_time(void) {
  time_t t;
  return jx_source_epoch(&t) == 1 && t > 0 ? t : BOOK_FIXED_TIME;
}

/* Writes the workbook of template `tpl` to `path`.  Returns false after
 * recording an error at `path`. */
static bool write_book(const jx_template *tpl, int year, const char *file,
                       const char *path, jx_diag_list *diags) {
  jx_arena arena;
  jx_arena_init(&arena);
  book b = {0};
  b.arena = &arena;
  b.tpl = tpl;
  b.c = &tpl->content;
  b.year = year;
  lxw_workbook_options options = {0};
  b.wb = XW.workbook_new_opt(file, &options);
  if (!b.wb) {
    jx_error(diags, ((jx_pos){path, 0, 0}), "cannot write the workbook: %s",
             strerror(ENOMEM));
    jx_arena_free(&arena);
    return false;
  }
  /* the names first: the form refers to the instructions, the checks to
   * the lists */
  /* TRANSLATORS: the name of the form's sheet in the workbook of `new
     --xlsx` when the form's title cannot be one (31 characters at most) */
  b.form_name = take_name(&b, tpl->title, _("Form"));
  for (size_t i = 0; i < b.c->grid_count; i++)
    take_name(&b, b.c->grids[i].label, b.c->grids[i].id);
  /* TRANSLATORS: the name of the workbook's sheet that says how to fill
     it in (31 characters at most) */
  b.help_name = take_name(&b, _("Instructions"), "Instructions");
  /* TRANSLATORS: the name of the workbook's hidden sheet holding the long
     drop-down lists (31 characters at most) */
  b.lists_name = take_name(&b, _("Lists"), "Lists");
  make_formats(&b);
  lxw_doc_properties props = {0};
  props.title = (char *)(tpl->title ? tpl->title : tpl->name);
  props.created = book_time();
  check(&b, XW.workbook_set_properties(b.wb, &props));
  lxw_worksheet *form = XW.workbook_add_worksheet(b.wb, b.form_name);
  lxw_worksheet **grids =
      jx_arena_alloc(&arena, (b.c->grid_count + 1) * sizeof *grids);
  for (size_t i = 0; i < b.c->grid_count; i++)
    grids[i] = XW.workbook_add_worksheet(b.wb, b.names[1 + i]);
  lxw_worksheet *help = XW.workbook_add_worksheet(b.wb, b.help_name);
  bool sheets = form && help;
  for (size_t i = 0; i < b.c->grid_count; i++)
    sheets = sheets && grids[i];
  if (sheets) {
    form_sheet(&b, form);
    for (size_t i = 0; i < b.c->grid_count; i++)
      grid_sheet(&b, grids[i], &b.c->grids[i]);
    help_sheet(&b, help);
    if (b.list_count) {
      lxw_worksheet *lists = XW.workbook_add_worksheet(b.wb, b.lists_name);
      if (lists)
        lists_sheet(&b, lists);
      else
        sheets = false;
    }
  }
  if (!sheets && b.err == LXW_NO_ERROR)
    b.err = LXW_ERROR_SHEETNAME_ALREADY_USED; /* a name libxlsxwriter refused */
  errno = 0;
  lxw_error closed = XW.workbook_close(b.wb);
  int close_errno = errno;
  bool ok = b.err == LXW_NO_ERROR && closed == LXW_NO_ERROR;
  if (!ok) {
    lxw_error e = b.err != LXW_NO_ERROR ? b.err : closed;
    const char *why = XW.lxw_strerror(e);
    if (closed == LXW_ERROR_CREATING_XLSX_FILE ||
        closed == LXW_ERROR_CREATING_TMPFILE ||
        closed == LXW_ERROR_ZIP_FILE_OPERATION)
      why = close_errno ? strerror(close_errno) : why;
    jx_error(diags, ((jx_pos){path, 0, 0}), "cannot write the workbook: %s",
             why);
  }
  jx_arena_free(&arena);
  return ok;
}

/* ---- the file -------------------------------------------------------------
 */

/* Creates an empty file with a unique hidden name beside `path` ("DIR/.
 * NAME.XXXXXX", mode 0666 less the umask, as the finished file gets) and
 * returns its name (malloc'd), or NULL with errno set. */
static char *create_temp(const char *path) {
  const char *slash = strrchr(path, '/');
  int dir_len = slash ? (int)(slash - path + 1) : 0;
  const char *base = slash ? slash + 1 : path;
  size_t size = strlen(path) + 16;
  char *tmp = malloc(size);
  if (!tmp)
    return NULL;
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t seed = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL) ^
                  (uint64_t)(uintptr_t)tmp;
  for (int attempt = 0; attempt < 100; attempt++) {
    char suffix[7];
    for (int i = 0; i < 6; i++) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      suffix[i] = digits[(seed >> 33) % 36];
    }
    suffix[6] = '\0';
    snprintf(tmp, size, "%.*s.%s.%s", dir_len, path, base, suffix);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      close(fd);
      return tmp;
    }
    if (errno != EEXIST)
      break;
  }
  int err = errno;
  free(tmp);
  errno = err;
  return NULL;
}

/* Gives finished file `tmp` the name `path` unless a file has it: a hard
 * link where the file system has them (atomic, never replaces), else a
 * rename after looking.  Returns false after recording an error. */
static bool put_in_place(const char *tmp, const char *path,
                         jx_diag_list *diags) {
  jx_pos at = {path, 0, 0};
  int fd = open(tmp, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    int synced = fsync(fd);
    int err = errno;
    close(fd);
    if (synced != 0 && err != EINVAL && err != EROFS) {
      jx_error(diags, at, "cannot write the workbook: %s", strerror(err));
      return false;
    }
  }
  if (link(tmp, path) == 0) {
    unlink(tmp);
    return true;
  }
  int err = errno;
  if (err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EXDEV ||
      err == EMLINK || err == ENOSYS) { /* no hard links here */
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT) {
      if (rename(tmp, path) == 0)
        return true;
      err = errno;
    } else {
      err = EEXIST;
    }
  }
  if (err == EEXIST)
    jx_error(diags, at,
             "cannot write the workbook: %s exists already; choose another "
             "name (new never replaces a file)",
             path);
  else
    jx_error(diags, at,
             "cannot write the workbook: cannot rename temporary file %s to "
             "%s: %s",
             tmp, path, strerror(err));
  return false;
}

/* The template `name` (NULL: the default) as the session has it.  The
 * session keeps its templates to itself (session.c); what reaches one
 * from outside is a project that loads.  The skeleton of `jxform new`
 * is such a project (it checks clean by design, and e2e/workbook.sh
 * checks it does for every template): it is written to `scratch` and
 * loaded.  A template that does not load has its errors recorded in the
 * session, as `jxform new` records them; the skeleton's own warnings
 * (fields left empty) are dropped.  The template lives as long as the
 * session. */
static const jx_template *session_template(jx_session *s, const char *name,
                                           int year, const char *scratch,
                                           jx_arena *arena) {
  jx_diag_list *diags = jx_session_diags(s);
  FILE *f = fopen(scratch, "w");
  if (!f) {
    jx_error(diags, ((jx_pos){scratch, 0, 0}), "cannot write the workbook: %s",
             strerror(errno));
    return NULL;
  }
  size_t errors = diags->errors;
  bool written = jx_write_skeleton(s, name, year, f);
  written = fclose(f) == 0 && written;
  if (!written) {
    if (diags->errors == errors)
      jx_error(diags, ((jx_pos){scratch, 0, 0}),
               "cannot write the workbook: %s", strerror(errno ? errno : EIO));
    return NULL;
  }
  jx_diag_list own = {0};
  const jx_template *tpl = NULL;
  jx_session_load_model(s, arena, scratch, &own, NULL, &tpl);
  if (!tpl) {
    jx_error(diags, ((jx_pos){NULL, 0, 0}),
             "template '%s' cannot be made into a workbook: a project file "
             "of it does not load (the problems follow)",
             name ? name : "");
    for (size_t i = 0; i < own.count; i++)
      if (own.items[i].severity == JX_SEV_ERROR)
        jx_diag_add_copy(diags, &own.items[i]);
  }
  jx_diag_list_free(&own);
  return tpl;
}

bool jx_write_workbook(jx_session *s, const char *template_name, int year,
                       const char *path) {
  jx_diag_list *diags = jx_session_diags(s);
  jx_pos at = {path, 0, 0};
  const char *missing = NULL;
  if (!jx_xlsxwriter(&missing)) {
    jx_error(diags, at, "cannot write the workbook: %s", missing);
    return false;
  }
  struct stat st;
  if (lstat(path, &st) == 0) {
    jx_error(diags, at,
             "cannot write the workbook: %s exists already; choose another "
             "name (new never replaces a file)",
             path);
    return false;
  }
  jx_arena arena;
  jx_arena_init(&arena);
  char *tmp = create_temp(path);
  if (!tmp) {
    int err = errno;
    const char *slash = strrchr(path, '/');
    const char *dir =
        slash ? jx_arena_strndup(&arena, path, (size_t)(slash - path + 1))
              : ".";
    jx_error(diags, at,
             "cannot write the workbook: cannot create a file in folder %s: "
             "%s",
             dir, strerror(err));
    jx_arena_free(&arena);
    return false;
  }
  const jx_template *tpl =
      session_template(s, template_name, year, tmp, &arena);
  bool ok = tpl && write_book(tpl, year, tmp, path, diags) &&
            put_in_place(tmp, path, diags);
  jx_arena_free(&arena);
  if (!ok)
    unlink(tmp);
  free(tmp);
  return ok;
}
