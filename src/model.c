/*
 * model.c — value lookup by field id, money formatting and the model dump.
 *
 * The dump prints every declared field in the template's order, one per
 * line, with the position it came from, then each grid's rows, for golden
 * tests and `jxform --dump=model`.
 */
#include "model.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const jx_text *jx_model_text(const jx_model *model, const char *id) {
  if (!model || !id)
    return NULL;
  if (!strcmp(id, "template"))
    return &model->template_name;
  int f = jx_content_field(model->content, id);
  return f < 0 ? NULL : &model->fields[f];
}

const jx_text *jx_model_field(const jx_model *model, int field) {
  return field < 0 ? NULL : &model->fields[field];
}

/* Size of a buffer for any formatted amount: sign, 19 digits, 6 commas,
 * point, 2 decimals, NUL. */
#define JX_AMOUNT_TEXT_MAX 32

/* Writes `cents` as "-1,234,567.80" into `out` (commas when `thousands`,
 * decimals when `fixed` or not whole); returns the length. */
static size_t jx_format_cents(int64_t cents, bool thousands, bool fixed,
                              char out[JX_AMOUNT_TEXT_MAX]) {
  bool negative = cents < 0;
  /* Magnitude without overflow, also for INT64_MIN. */
  uint64_t magnitude =
      negative ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  char digits[24];
  int ndigits = snprintf(digits, sizeof digits, "%" PRIu64, magnitude / 100);
  size_t len = 0;
  if (negative)
    out[len++] = '-';
  for (int i = 0; i < ndigits; i++) {
    if (thousands && i > 0 && (ndigits - i) % 3 == 0)
      out[len++] = ',';
    out[len++] = digits[i];
  }
  unsigned fraction = (unsigned)(magnitude % 100);
  if (fraction || fixed)
    len += (size_t)snprintf(out + len, JX_AMOUNT_TEXT_MAX - len, ".%02u",
                            fraction);
  out[len] = '\0';
  return len;
}

char *jx_cents_format(jx_arena *arena, int64_t cents) {
  char text[JX_AMOUNT_TEXT_MAX];
  size_t len = jx_format_cents(cents, true, false, text);
  return jx_arena_strndup(arena, text, len);
}

char *jx_money_format(jx_arena *arena, const jx_money_block *block,
                      int64_t cents) {
  char text[JX_AMOUNT_TEXT_MAX];
  size_t len =
      jx_format_cents(cents, !block || block->thousands,
                      block && block->decimals == JX_DECIMALS_FIXED, text);
  return jx_arena_strndup(arena, text, len);
}

const char *jx_model_print(jx_arena *arena, const jx_model *model, int field) {
  const jx_text *t = jx_model_field(model, field);
  if (!t || !t->present)
    return "";
  const jx_field *f = &model->content->fields[field];
  if (f->type != JX_FT_MONEY)
    return t->str;
  const jx_money_block *b = &model->content->money[f->money_block];
  if (b->decimals == JX_DECIMALS_WRITTEN && !b->thousands)
    return t->str;
  char text[JX_AMOUNT_TEXT_MAX];
  size_t len = jx_format_cents(t->cents, b->thousands,
                               b->decimals == JX_DECIMALS_FIXED, text);
  if (b->decimals == JX_DECIMALS_WRITTEN) {
    /* thousands separators, and the decimals exactly as written */
    const char *point = strchr(t->str, '.');
    char *dot = strchr(text, '.');
    if (dot)
      len = (size_t)(dot - text);
    if (point) {
      size_t n = strlen(point);
      if (len + n >= sizeof text)
        n = sizeof text - len - 1;
      memcpy(text + len, point, n);
      len += n;
    }
    text[len] = '\0';
  }
  return jx_arena_strndup(arena, text, len);
}

/* Writes `s` as a double-quoted string: \" \\ \n \r \t escaped, other
 * control bytes as \xNN, UTF-8 text as is. */
void jx_dump_quoted(const char *s, FILE *out) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      fputs("\\\"", out);
      break;
    case '\\':
      fputs("\\\\", out);
      break;
    case '\n':
      fputs("\\n", out);
      break;
    case '\r':
      fputs("\\r", out);
      break;
    case '\t':
      fputs("\\t", out);
      break;
    default:
      if (*p < 0x20 || *p == 0x7F)
        fprintf(out, "\\x%02X", *p);
      else
        fputc(*p, out);
    }
  }
  fputc('"', out);
}

/* "@line:col", or "@Sheet!C12" for a workbook cell (diag.h JX_POS_CELL). */
static void jx_dump_pos(jx_pos pos, FILE *out) {
  const char *cell = pos.file ? strstr(pos.file, JX_POS_CELL) : NULL;
  if (cell)
    fprintf(out, "@%s", cell + strlen(JX_POS_CELL));
  else
    fprintf(out, "@%" PRIu32 ":%" PRIu32, pos.line, pos.col);
}

/* `value` as "text" or the word absent. */
static void jx_dump_text_value(const jx_text *text, FILE *out) {
  if (text->present)
    jx_dump_quoted(text->str, out);
  else
    fputs("absent", out);
}

/* A setting, unquoted — quoted strings in the dump are exactly the texts
 * printed on the form (tests/e2e/check_samples.py relies on it):
 * "template @5:11 yangquan-2025", "template @1:1 default yangquan-2025".
 * Spaces, quotes, backslashes and control bytes are written as \xNN. */
static void jx_dump_setting(const char *path, const jx_text *text, FILE *out) {
  fprintf(out, "%s ", path);
  jx_dump_pos(text->pos, out);
  if (!text->present && !text->str[0]) {
    fputs(" absent\n", out);
    return;
  }
  fputs(text->present ? " " : " default ", out);
  for (const unsigned char *p = (const unsigned char *)text->str; *p; p++) {
    if (*p <= ' ' || *p == '"' || *p == '\\' || *p == 0x7F)
      fprintf(out, "\\x%02X", *p);
    else
      fputc(*p, out);
  }
  fputc('\n', out);
}

/* "ID @L:C "text"", "ID @L:C absent", money as "ID @L:C 34,060,000". */
static void jx_dump_field(const jx_model *model, size_t i, FILE *out) {
  const jx_field *f = &model->content->fields[i];
  const jx_text *t = &model->fields[i];
  fprintf(out, "%s ", f->id);
  jx_dump_pos(t->pos, out);
  fputc(' ', out);
  if (f->type == JX_FT_MONEY && t->present) {
    char text[JX_AMOUNT_TEXT_MAX];
    jx_format_cents(t->cents, true, false, text);
    fputs(text, out);
  } else {
    jx_dump_text_value(t, out);
  }
  fputc('\n', out);
}

/* "GRID.SIDE[i] @L:C col="…" …": every column; plain columns only when
 * present. */
static void jx_dump_row(const jx_grid_def *g, const char *list, size_t index,
                        const jx_row *row, FILE *out) {
  fprintf(out, "%s[%zu] ", list, index + 1); /* from 1, as in messages */
  jx_dump_pos(row->pos, out);
  for (size_t c = 0; c < g->col_count; c++) {
    const jx_text *t = &row->cells[c];
    if (g->cols[c].role == JX_COL_PLAIN && !t->present)
      continue;
    fprintf(out, " %s=", g->cols[c].id);
    jx_dump_text_value(t, out);
  }
  fputc('\n', out);
}

void jx_model_dump(const jx_model *model, FILE *out) {
  const jx_content *c = model->content;
  jx_dump_setting("schema", &model->schema, out);
  jx_dump_setting("template", &model->template_name, out);
  for (size_t i = 0; i < c->field_count; i++)
    jx_dump_field(model, i, out);
  for (size_t g = 0; g < c->grid_count; g++) {
    const jx_grid_def *grid = &c->grids[g];
    for (size_t s = 0; s < jx_grid_lists(grid); s++) {
      const jx_rows *rows = &model->lists[g][s];
      char name[160];
      if (grid->side_count)
        snprintf(name, sizeof name, "%s.%s", grid->id, grid->side_ids[s]);
      else
        snprintf(name, sizeof name, "%s", grid->id);
      fprintf(out, "%s count=%zu\n", name, rows->count);
      for (size_t i = 0; i < rows->count; i++)
        jx_dump_row(grid, name, i, &rows->items[i], out);
    }
  }
}
