/*
 * model.c — field lookup by path, amount formatting and the model dump.
 *
 * Templates name model fields by path ("name", "department.code",
 * "funds.period.total", ...); the tables below map each path to its field,
 * so adding a field means adding one row.  The dump prints every field in
 * a fixed order, one per line, with the position it came from, for golden
 * tests and `jxform --dump=model`.
 */
#include "model.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const jx_side_keys[JX_SIDE_COUNT] = {"period", "annual"};
const char *const jx_fund_keys[JX_FUND_COUNT] = {
    "total", "central", "provincial", "city_county", "self_raised", "other"};

/* A text field's template path and its offset in jx_model, in dump order
 * (funds and indicators are printed between `duration` and `overview`). */
typedef struct jx_text_field {
  const char *path;
  size_t offset;
} jx_text_field;

#define JX_TEXT_FIELD(path, member)                                            \
  { path, offsetof(jx_model, member) }
/* Settings: how to read and draw the file, not printed on the form. */
static const jx_text_field jx_setting_fields[] = {
    JX_TEXT_FIELD("schema", schema),
    JX_TEXT_FIELD("template", template_name),
};
static const jx_text_field jx_head_fields[] = {
    JX_TEXT_FIELD("year", year),
    JX_TEXT_FIELD("name", name),
    JX_TEXT_FIELD("department.code", dept_code),
    JX_TEXT_FIELD("department.name", dept_name),
    JX_TEXT_FIELD("implementer", implementer),
    JX_TEXT_FIELD("attribute", attribute),
    JX_TEXT_FIELD("duration", duration),
};
static const jx_text_field jx_body_fields[] = {
    JX_TEXT_FIELD("overview", overview),
    JX_TEXT_FIELD("basis", basis),
    JX_TEXT_FIELD("necessity", necessity),
    JX_TEXT_FIELD("measures", measures),
    JX_TEXT_FIELD("plan", plan),
    JX_TEXT_FIELD("goals.period", goals[JX_SIDE_PERIOD]),
    JX_TEXT_FIELD("goals.annual", goals[JX_SIDE_ANNUAL]),
};
static const jx_text_field jx_footer_fields[] = {
    JX_TEXT_FIELD("footer.responsible", responsible),
    JX_TEXT_FIELD("footer.handler", handler),
    JX_TEXT_FIELD("footer.phone", phone),
    JX_TEXT_FIELD("footer.date", fill_date),
};
#undef JX_TEXT_FIELD

#define JX_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Offset of the text field at `path`, or false if there is none.
 * "schema" is dumped but is not a template path. */
static bool jx_text_offset(const char *path, size_t *offset) {
  static const struct {
    const jx_text_field *fields;
    size_t count;
  } tables[] = {{jx_setting_fields, JX_COUNT(jx_setting_fields)},
                {jx_head_fields, JX_COUNT(jx_head_fields)},
                {jx_body_fields, JX_COUNT(jx_body_fields)},
                {jx_footer_fields, JX_COUNT(jx_footer_fields)}};
  if (!path || !strcmp(path, "schema"))
    return false;
  for (size_t t = 0; t < JX_COUNT(tables); t++)
    for (size_t i = 0; i < tables[t].count; i++)
      if (!strcmp(tables[t].fields[i].path, path)) {
        *offset = tables[t].fields[i].offset;
        return true;
      }
  return false;
}

/* Side and fund of "funds.SIDE.SOURCE", or false. */
static bool jx_amount_index(const char *path, int *side, int *fund) {
  static const char prefix[] = "funds.";
  if (!path || strncmp(path, prefix, sizeof prefix - 1))
    return false;
  const char *rest = path + sizeof prefix - 1;
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    size_t n = strlen(jx_side_keys[s]);
    if (strncmp(rest, jx_side_keys[s], n) || rest[n] != '.')
      continue;
    for (int f = 0; f < JX_FUND_COUNT; f++)
      if (!strcmp(rest + n + 1, jx_fund_keys[f])) {
        *side = s;
        *fund = f;
        return true;
      }
  }
  return false;
}

const jx_text *jx_model_text(const jx_model *model, const char *path) {
  size_t offset;
  if (!model || !jx_text_offset(path, &offset))
    return NULL;
  return (const jx_text *)((const char *)model + offset);
}

const jx_amount *jx_model_amount(const jx_model *model, const char *path) {
  int side, fund;
  if (!model || !jx_amount_index(path, &side, &fund))
    return NULL;
  return &model->funds[side][fund];
}

bool jx_model_path_known(const char *path) {
  size_t offset;
  int side, fund;
  return jx_text_offset(path, &offset) || jx_amount_index(path, &side, &fund);
}

/* Size of a buffer for any formatted amount: sign, 19 digits, 6 commas,
 * point, 2 decimals, NUL. */
#define JX_AMOUNT_TEXT_MAX 32

/* Writes `cents` as "-1,234,567.80" (decimals only when not whole) into
 * `out`; returns the length. */
static size_t jx_format_cents(int64_t cents, char out[JX_AMOUNT_TEXT_MAX]) {
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
    if (i > 0 && (ndigits - i) % 3 == 0)
      out[len++] = ',';
    out[len++] = digits[i];
  }
  unsigned fraction = (unsigned)(magnitude % 100);
  if (fraction)
    len += (size_t)snprintf(out + len, JX_AMOUNT_TEXT_MAX - len, ".%02u",
                            fraction);
  out[len] = '\0';
  return len;
}

char *jx_amount_format(jx_arena *arena, const jx_amount *amount) {
  if (!amount || !amount->present)
    return jx_arena_strdup(arena, "");
  char text[JX_AMOUNT_TEXT_MAX];
  size_t len = jx_format_cents(amount->cents, text);
  return jx_arena_strndup(arena, text, len);
}

/* Writes `s` as a double-quoted string: \" \\ \n \r \t escaped, other
 * control bytes as \xNN, UTF-8 text as is. */
static void jx_dump_quoted(const char *s, FILE *out) {
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

static void jx_dump_pos(jx_pos pos, FILE *out) {
  fprintf(out, "@%" PRIu32 ":%" PRIu32, pos.line, pos.col);
}

/* `value` as "text" or the word absent. */
static void jx_dump_text_value(const jx_text *text, FILE *out) {
  if (text->present)
    jx_dump_quoted(text->str, out);
  else
    fputs("absent", out);
}

/* "PATH @L:C "text"" or "PATH @L:C absent". */
static void jx_dump_text(const char *path, const jx_text *text, FILE *out) {
  fprintf(out, "%s ", path);
  jx_dump_pos(text->pos, out);
  fputc(' ', out);
  jx_dump_text_value(text, out);
  fputc('\n', out);
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

static void jx_dump_fields(const jx_model *model, const jx_text_field *fields,
                           size_t count, FILE *out) {
  for (size_t i = 0; i < count; i++)
    jx_dump_text(fields[i].path,
                 (const jx_text *)((const char *)model + fields[i].offset),
                 out);
}

/* "funds.period.total @9:12 34,060,000", or "... absent" (not 0). */
static void jx_dump_amount(const char *side, const char *fund,
                           const jx_amount *amount, FILE *out) {
  fprintf(out, "funds.%s.%s ", side, fund);
  jx_dump_pos(amount->pos, out);
  if (!amount->present) {
    fputs(" absent\n", out);
    return;
  }
  char text[JX_AMOUNT_TEXT_MAX];
  jx_format_cents(amount->cents, text);
  fprintf(out, " %s\n", text);
}

static void jx_dump_indicator(const char *side, size_t index,
                              const jx_indicator *item, FILE *out) {
  fprintf(out, "indicators.%s[%zu] ", side, index);
  jx_dump_pos(item->pos, out);
  const struct {
    const char *name;
    const jx_text *text;
  } parts[] = {{"level1", &item->level1},
               {"level2", &item->level2},
               {"level3", &item->level3},
               {"value", &item->value}};
  for (size_t i = 0; i < JX_COUNT(parts); i++) {
    fprintf(out, " %s=", parts[i].name);
    jx_dump_text_value(parts[i].text, out);
  }
  if (item->note.present) {
    fputs(" note=", out);
    jx_dump_quoted(item->note.str, out);
  }
  fputc('\n', out);
}

void jx_model_dump(const jx_model *model, FILE *out) {
  for (size_t i = 0; i < JX_COUNT(jx_setting_fields); i++)
    jx_dump_setting(
        jx_setting_fields[i].path,
        (const jx_text *)((const char *)model + jx_setting_fields[i].offset),
        out);
  jx_dump_fields(model, jx_head_fields, JX_COUNT(jx_head_fields), out);
  for (int s = 0; s < JX_SIDE_COUNT; s++)
    for (int f = 0; f < JX_FUND_COUNT; f++)
      jx_dump_amount(jx_side_keys[s], jx_fund_keys[f], &model->funds[s][f],
                     out);
  jx_dump_fields(model, jx_body_fields, JX_COUNT(jx_body_fields), out);
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    fprintf(out, "indicators.%s count=%zu\n", jx_side_keys[s],
            model->indicator_count[s]);
    for (size_t i = 0; i < model->indicator_count[s]; i++)
      jx_dump_indicator(jx_side_keys[s], i, &model->indicators[s][i], out);
  }
  jx_dump_fields(model, jx_footer_fields, JX_COUNT(jx_footer_fields), out);
}
