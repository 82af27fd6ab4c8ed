/*
 * validate.c — consistency rules of a loaded model against its template.
 *
 * The loader (load.c) has already checked the shape of the file: keys,
 * types, required fields, amounts.  The rules here check that the values
 * agree with each other and with the template, and know nothing of any
 * one form: every label in a message is the template's, and a rule only
 * reads fields the template declares.  Each diagnostic ends in its rule
 * id; docs/schema.md ("Consistency rules") documents them all.
 *
 * By field type (every field of that type):
 *   date-format (error), date range too; code-format, phone-format,
 *   duration-format, choice-known, year-range (warnings); text-space,
 *   text-tab (every text); field-empty (a printed field the template
 *   marks warn_empty, left out); field-example (a required text field
 *   still holding the template's example); unit-scale (money that looks
 *   entered in 万元 on a form in 元, or the reverse).
 * Declared under `rules:` in the template:
 *   sum            funds-total, funds-sum (errors), funds-missing
 *   not-more       its own id (error), e.g. annual-le-period
 *   term           duration-one-time (error), duration-recurring,
 *                  one-year-funds
 *   date-near-year date-year
 * By grid (columns by role, the frame):
 *   frame-level1, frame-level2 (errors); frame-order, indicator-empty,
 *   value-empty, level3-empty, value-unit, value-percent, value-form,
 *   value-fullwidth, indicator-duplicate, indicators-missing (warnings)
 * Across files: value-other-total.
 *
 * With `strict` every warning is recorded as an error, the loader's
 * (text-comment) too.
 */
#include "validate.h"
#include "i18n.h"
#include "xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct jx_checker {
  const jx_model *m;
  const jx_content *ct;
  jx_diag_list *diags;
  bool strict;
  jx_arena arena; /* scratch: formatted amounts */
} jx_checker;

/* Where a diagnostic about a value at `pos` goes: its own position, or
 * the top of the file when the value (and its mapping) is absent. */
static jx_pos jx_where(const jx_checker *c, jx_pos pos) {
  if (!pos.file)
    pos.file = c->m->path;
  if (!pos.line) {
    pos.line = 1;
    pos.col = 1;
  }
  return pos;
}

static void jx_rule_error(jx_checker *c, jx_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void jx_rule_warning(jx_checker *c, jx_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void jx_rule_vadd(jx_checker *c, jx_severity sev, jx_pos pos,
                         const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void jx_rule_vadd(jx_checker *c, jx_severity sev, jx_pos pos,
                         const char *fmt, va_list ap) {
  if (c->strict && sev == JX_SEV_WARNING)
    sev = JX_SEV_ERROR;
  jx_diag_vadd(c->diags, sev, jx_where(c, pos), fmt, ap);
}

static void jx_rule_error(jx_checker *c, jx_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  jx_rule_vadd(c, JX_SEV_ERROR, pos, fmt, ap);
  va_end(ap);
}

static void jx_rule_warning(jx_checker *c, jx_pos pos, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  jx_rule_vadd(c, JX_SEV_WARNING, pos, fmt, ap);
  va_end(ap);
}

/* `cents` as money block `b` prints it, "34,060,000" (in the checker's
 * scratch arena). */
static const char *jx_money(jx_checker *c, const jx_money_block *b,
                            int64_t cents) {
  return jx_money_format(&c->arena, b, cents);
}

/* The money block of field `field`. */
static const jx_money_block *jx_block_of(const jx_checker *c, int field) {
  int b = c->ct->fields[field].money_block;
  return b >= 0 ? &c->ct->money[b] : NULL;
}

static const jx_text *jx_val(const jx_checker *c, int field) {
  return &c->m->fields[field];
}

static const jx_field *jx_fld(const jx_checker *c, int field) {
  return &c->ct->fields[field];
}

/* ---- UTF-8 helpers ---------------------------------------------------- */

/* Decodes the code point at *p and advances *p; the input is valid UTF-8
 * (the loader checked it).  Returns 0 at the end. */
static uint32_t jx_next_cp(const char **p) {
  const unsigned char *s = (const unsigned char *)*p;
  uint32_t cp;
  size_t len;
  if (!s[0])
    return 0;
  if (s[0] < 0x80)
    cp = s[0], len = 1;
  else if (s[0] < 0xE0)
    cp = s[0] & 0x1F, len = 2;
  else if (s[0] < 0xF0)
    cp = s[0] & 0x0F, len = 3;
  else
    cp = s[0] & 0x07, len = 4;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) {
      *p += k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  *p += len;
  return cp;
}

static bool jx_is_ideograph(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* True if `name` is a likely misspelling of `known`: one contains the
 * other, or they differ in at most two characters. */
static bool jx_close_name(const char *name, const char *known) {
  if (!name[0])
    return false;
  if (strstr(known, name) || strstr(name, known))
    return true;
  return jx_name_distance(name, known) <= 2;
}

/* Reports a tab, or a space between two Chinese characters (a plain
 * scalar folded over lines gets one at each fold), in `text`. */
static void jx_check_spacing(jx_checker *c, const jx_text *text,
                             const char *path, const char *label) {
  if (!text->present)
    return;
  if (strchr(text->str, '\t')) {
    jx_rule_warning(c, text->pos,
                    "'%s' (%s) contains a tab character, which prints as a "
                    "space; use a space or nothing [text-tab]",
                    path, label);
    return;
  }
  const char *p = text->str;
  uint32_t before = 0, cp;
  while ((cp = jx_next_cp(&p)) != 0) {
    if (cp == ' ' && jx_is_ideograph(before)) {
      const char *q = p;
      while (*q == ' ')
        q++;
      const char *after_start = q;
      uint32_t after = jx_next_cp(&q);
      if (jx_is_ideograph(after)) {
        char around[32];
        int n = (int)(q - after_start);
        snprintf(around, sizeof around, "%.*s", n, after_start);
        jx_rule_warning(c, text->pos,
                        "'%s' (%s) has a space before '%s' between Chinese "
                        "characters; it prints on the form (a value folded "
                        "over several lines gets one at each fold: write it "
                        "on one line) [text-space]",
                        path, label, around);
        return;
      }
    }
    before = cp;
  }
}

static bool jx_all_digits(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

static bool jx_leap(long y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads `n` ASCII digits at *p into *value; advances *p. */
static bool jx_digits(const char **p, int n, long *value) {
  *value = 0;
  for (int i = 0; i < n; i++) {
    char ch = (*p)[i];
    if (ch < '0' || ch > '9')
      return false;
    *value = *value * 10 + (ch - '0');
  }
  *p += n;
  return true;
}

/* Reads 1 or 2 ASCII digits. */
static bool jx_digits12(const char **p, long *value) {
  if (!jx_digits(p, 1, value))
    return false;
  long more;
  const char *q = *p;
  if (jx_digits(&q, 1, &more)) {
    *value = *value * 10 + more;
    *p = q;
  }
  return true;
}

/* Parses a date: yyyyMMddHHmmss, yyyyMMdd, yyyy-M-d, yyyy/M/d,
 * yyyy.M.d or yyyy年M月d日, the separated forms optionally followed by
 * " H:mm" or " H:mm:ss".  Stores the year; returns NULL if valid, else
 * what is wrong (an English msgid: look it up with _()). */
static const char *jx_parse_date_key(const char *text, long *year_out,
                                     long *key_out);

/* As jx_parse_date_key, without the day's key. */
static const char *jx_parse_date(const char *text, long *year_out) {
  long key;
  return jx_parse_date_key(text, year_out, &key);
}

/* Parses a date; stores its year and, in *key_out, yyyymmdd (for
 * comparing two dates).  Returns NULL if valid, else what is wrong. */
static const char *jx_parse_date_key(const char *text, long *year_out,
                                     long *key_out) {
  const char *p = text;
  long y, mo, d, h = 0, mi = 0, s = 0;
  size_t len = strlen(text);
  if (jx_all_digits(text)) {
    if (len != 14 && len != 8)
      /* TRANSLATORS: this and the other "is not a date"-style fragments
         of jx_parse_date_key complete the [date-format] message: '%s'
         '%s' <fragment>; write ... (field id, the value typed, then this
         fragment, saying what is wrong with the value). */
      return N_("has the wrong number of digits (a date stamp has 14, "
                "yyyyMMddHHmmss, or 8, yyyyMMdd)");
    jx_digits(&p, 4, &y);
    jx_digits(&p, 2, &mo);
    jx_digits(&p, 2, &d);
    if (len == 14) {
      jx_digits(&p, 2, &h);
      jx_digits(&p, 2, &mi);
      jx_digits(&p, 2, &s);
    }
  } else {
    if (!jx_digits(&p, 4, &y))
      return N_("is not a date");
    bool chinese = !strncmp(p, "年", strlen("年"));
    char sep = *p;
    if (chinese)
      p += strlen("年");
    else if (sep == '-' || sep == '/' || sep == '.')
      p++;
    else
      return N_("is not a date");
    if (!jx_digits12(&p, &mo))
      return N_("is not a date");
    if (chinese && !strncmp(p, "月", strlen("月")))
      p += strlen("月");
    else if (!chinese && *p == sep)
      p++;
    else
      return N_("is not a date");
    if (!jx_digits12(&p, &d))
      return N_("is not a date");
    if (chinese) {
      if (!strncmp(p, "日", strlen("日")))
        p += strlen("日");
      else
        return N_("is not a date");
    }
    if (*p == ' ' || *p == 'T') {
      p++;
      if (!jx_digits12(&p, &h) || *p++ != ':' || !jx_digits(&p, 2, &mi))
        return N_("has a time that is not H:mm or H:mm:ss");
      if (*p == ':' && (p++, !jx_digits(&p, 2, &s)))
        return N_("has a time that is not H:mm or H:mm:ss");
    }
    if (*p)
      return N_("has extra text after the date");
  }
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12)
    return N_("has no such month");
  if (d < 1 || d > days[mo - 1] + (mo == 2 && jx_leap(y)))
    return N_("has no such day in that month");
  if (h > 23 || mi > 59 || s > 59)
    return N_("has no such time of day");
  *year_out = y;
  *key_out = y * 10000 + mo * 100 + d;
  return NULL;
}

/* Comparison prefixes of a target value, longest first where one is a prefix of
 * another.  The two-character signs typed full-width (＞＝, ＜＝, or half
 * of them: ＞=) are read as ≥ and ≤; [value-fullwidth] names them. */
static const char *const jx_comparisons[] = {
    "≥",      "≤",      "＞＝", "＜＝", "＞=",    "＜=",    ">＝",    "<＝",
    "＝＞",   "＝＜",   "=＞",  "=＜",  "＝>",    "＝<",    "＞",     "＜",
    "＝",     ">=",     "<=",   "=>",   "=<",     ">",      "<",      "=",
    "≧",      "≦",      "≈",    "约",   "不低于", "不少于", "不高于", "不超过",
    "不大于", "不小于", "大于", "小于", "高于",   "低于",   "超过",   "达到",
    "至少",   "最多",   "多于", "少于", "≮",      "≯"};

/* Words that make a qualitative target value (提高, 有效保障, 及时发放, 长期,
 * 每年年底前, ...): a value containing one of them is usual. */
static const char *const jx_qualitative[] = {
    "提高", "提升", "保障",   "保证", "确保", "有效", "及时", "按时", "按期",
    "准时", "长期", "持续",   "稳定", "改善", "增强", "加强", "推进", "促进",
    "完成", "达标", "达到",   "合格", "良好", "优良", "优秀", "满意", "显著",
    "明显", "逐步", "全面",   "全部", "降低", "减少", "下降", "增加", "增长",
    "上升", "符合", "正常",   "规范", "完善", "健全", "实现", "年底", "月底",
    "年内", "当年", "按规定", "是",   "否",   "高",   "良",   "好",   "优",
    "无",   "低",   "长效",   "改进", "巩固", "扩大", "落实", "覆盖", "安全"};

typedef enum {
  JX_VALUE_OK,
  JX_VALUE_BARE_NUMBER,  /* a number with no unit */
  JX_VALUE_PERCENT_OVER, /* more than 100% */
  JX_VALUE_NO_NUMBER,    /* a comparison sign and no number */
  JX_VALUE_NEGATIVE,
  JX_VALUE_DECIMALS, /* an amount of 元 with more than 2 decimals */
  JX_VALUE_UNUSUAL
} jx_value_kind;

/* Classifies a target value: a comparison (optional) with a number and a unit,
 * a percentage, an amount, or a qualitative word. */
static jx_value_kind jx_classify_value(const char *value) {
  const char *p = value;
  while (*p == ' ')
    p++;
  bool comparison = false;
  for (size_t i = 0; i < JX_COUNT(jx_comparisons); i++) {
    size_t n = strlen(jx_comparisons[i]);
    if (!strncmp(p, jx_comparisons[i], n)) {
      p += n;
      comparison = true;
      break;
    }
  }
  while (*p == ' ')
    p++;
  bool negative = *p == '-';
  if (negative)
    p++;
  if (*p >= '0' && *p <= '9') {
    double number = 0;
    int decimals = -1;
    for (; (*p >= '0' && *p <= '9') || *p == ',' || *p == '.'; p++) {
      if (*p == '.') {
        if (decimals >= 0)
          return JX_VALUE_UNUSUAL;
        decimals = 0;
      } else if (*p != ',') {
        if (decimals >= 0)
          decimals++;
        number = number * 10 + (*p - '0');
      }
    }
    for (int i = 0; i < decimals; i++)
      number /= 10;
    if (negative)
      return JX_VALUE_NEGATIVE;
    while (*p == ' ')
      p++;
    if (!*p)
      return JX_VALUE_BARE_NUMBER;
    if (!strncmp(p, "%", 1) || !strncmp(p, "％", strlen("％")))
      return number > 100 ? JX_VALUE_PERCENT_OVER : JX_VALUE_OK;
    if ((!strncmp(p, "元", strlen("元")) ||
         !strncmp(p, "万元", strlen("万元"))) &&
        decimals > 2)
      return JX_VALUE_DECIMALS;
    return JX_VALUE_OK;
  }
  if (negative)
    return JX_VALUE_UNUSUAL;
  for (size_t i = 0; i < JX_COUNT(jx_qualitative); i++)
    if (strstr(p, jx_qualitative[i]))
      return JX_VALUE_OK;
  if (comparison)
    return JX_VALUE_NO_NUMBER;
  /* A description with a number in it ("每年12月前", "覆盖3个区") */
  for (const char *q = p; *q; q++)
    if (*q >= '0' && *q <= '9')
      return JX_VALUE_OK;
  return JX_VALUE_UNUSUAL;
}

/* The amount a target value states when it is a plain number of 元 ("22487000",
 * "22,487,000元"); false otherwise. */
static bool jx_value_amount(const char *value, int64_t *cents) {
  const char *p = value;
  int64_t yuan = 0;
  size_t digits = 0;
  for (; (*p >= '0' && *p <= '9') || *p == ','; p++)
    if (*p != ',') {
      if (++digits > 15)
        return false;
      yuan = yuan * 10 + (*p - '0');
    }
  if (digits < 4)
    return false; /* small numbers match by chance */
  if (*p && strcmp(p, "元"))
    return false;
  *cents = yuan * 100;
  return true;
}

/* ---- fields by type --------------------------------------------------- */

/* Checks a date field; returns its year in *year (0 if invalid). */
static void jx_check_date(jx_checker *c, const jx_field *f, const jx_text *t,
                          const char *text, long *year) {
  *year = 0;
  const char *problem = jx_parse_date(text, year);
  if (problem)
    jx_rule_error(c, t->pos,
                  "'%s' '%s' %s; write %s as 20250210111110 "
                  "(yyyyMMddHHmmss), 2025-02-10 or 2025年2月10日 "
                  "[date-format]",
                  f->id, text, _(problem), f->label);
}

/* A date range: two dates (or year.month) joined by -, –, —, ~ or 至. */
static void jx_check_date_range(jx_checker *c, const jx_field *f,
                                const jx_text *t) {
  static const char *const joins[] = {"至", "—", "–", "~", "～", "-"};
  const char *s = t->str;
  for (size_t i = 0; i < JX_COUNT(joins); i++) {
    const char *j = strstr(s, joins[i]);
    /* "2023-07-01" has '-' inside its dates: take the middle one */
    if (!strcmp(joins[i], "-")) {
      size_t dashes = 0;
      for (const char *p = s; *p; p++)
        dashes += *p == '-';
      if (dashes != 1 && dashes != 5)
        continue;
      if (dashes == 5)
        for (int k = 0; k < 3; k++)
          j = strchr(j + 1, '-');
    }
    if (!j)
      continue;
    return; /* the shape is a range; its ends are written as people do */
  }
  jx_rule_error(c, t->pos,
                "'%s' '%s' is not a range; write %s like 2023.07-2024.01 or "
                "2023年7月至2024年1月 [date-format]",
                f->id, s, f->label);
}

/* Parses "N年" (ASCII digits, optional spaces); returns N or -1. */
static long jx_duration_years(const char *text) {
  const char *p = text;
  while (*p == ' ')
    p++;
  if (*p < '0' || *p > '9')
    return -1;
  long years = 0;
  for (; *p >= '0' && *p <= '9'; p++)
    if ((years = years * 10 + (*p - '0')) > 9999)
      return -1;
  while (*p == ' ')
    p++;
  if (strcmp(p, "年"))
    return -1;
  return years;
}

/* The checks of value `t` by the type of field `f` (a declared field, or
 * a grid column seen as one). */
static void jx_check_typed_value(jx_checker *c, const jx_field *f,
                                 const jx_text *t) {
  if (!t->present || !t->str[0] || f->type == JX_FT_MONEY)
    return;
  const char *s = t->str;
  long year;
  switch (f->type) {
  case JX_FT_DATE:
    jx_check_date(c, f, t, s, &year);
    break;
  case JX_FT_DATE_RANGE:
    jx_check_date_range(c, f, t);
    break;
  case JX_FT_YEAR:
    if (jx_all_digits(s)) {
      year = strtol(s, NULL, 10);
      if (year < 2000 || year > 2099)
        jx_rule_warning(c, t->pos,
                        "'%s' is %ld; is that the budget year you mean? "
                        "[year-range]",
                        f->id, year);
    }
    break;
  case JX_FT_CODE:
    if (!jx_all_digits(s))
      jx_rule_warning(c, t->pos,
                      "'%s' is '%s'; %s is digits only, like %s "
                      "[code-format]",
                      f->id, s, f->label, f->example ? f->example : "\"045\"");
    break;
  case JX_FT_PHONE: {
    size_t digits = 0;
    bool odd = false;
    for (const char *p = s; *p; p++) {
      if (*p >= '0' && *p <= '9')
        digits++;
      else if (!strchr(" -+()", *p))
        odd = true;
    }
    if (odd || digits < 7 || digits > 20)
      jx_rule_warning(c, t->pos,
                      "'%s' is '%s'; write %s as digits, like 0353-1234567 "
                      "or 13812345678 [phone-format]",
                      f->id, s, f->label);
    break;
  }
  case JX_FT_DURATION: {
    long years = jx_duration_years(s);
    if (years < 0)
      jx_rule_warning(c, t->pos,
                      "'%s' is '%s'; write %s as a number of years, like 1年 "
                      "or 3年 [duration-format]",
                      f->id, s, f->label);
    else if (years == 0)
      jx_rule_warning(c, t->pos,
                      "'%s' is 0年; a project lasts at least 1年 "
                      "[duration-format]",
                      f->id);
    break;
  }
  case JX_FT_CHOICE: {
    for (size_t k = 0; k < f->choice_count; k++)
      if (!strcmp(s, f->choices[k]))
        return;
    char list[512] = "";
    const char *close = NULL;
    for (size_t k = 0; k < f->choice_count; k++) {
      if (k)
        strncat(list, "、", sizeof list - strlen(list) - 1);
      strncat(list, f->choices[k], sizeof list - strlen(list) - 1);
      if (!close && jx_close_name(s, f->choices[k]))
        close = f->choices[k];
    }
    if (close)
      jx_rule_warning(c, t->pos,
                      "'%s' is '%s'; the form writes it as '%s' "
                      "[choice-known]",
                      f->id, s, close);
    else if (f->open_choice)
      jx_rule_warning(c, t->pos,
                      "'%s' is '%s'; %s is usually one of %s [choice-known]",
                      f->id, s, f->label, list);
    else
      jx_rule_error(c, t->pos, "'%s' is '%s'; %s is one of %s [choice-known]",
                    f->id, s, f->label, list);
    break;
  }
  default:
    break;
  }
}

static void jx_check_typed(jx_checker *c, int i) {
  jx_check_typed_value(c, jx_fld(c, i), jx_val(c, i));
}

/* Money that looks entered in the other unit, one warning per block at
 * its largest amount: in a block of 元, every amount below 10,000 元 (a
 * project's funds entered in 万元: `total: 386.00` for 3,860,000 元); in
 * a block of 万元, an amount of 1,000,000 万元 (100亿元) or more (entered
 * in 元).  Blocks in other units are not checked. */
static void jx_check_unit_scale(jx_checker *c, const jx_money_block *b) {
  bool yuan = b->unit && !strcmp(b->unit, "元");
  bool wan = b->unit && !strcmp(b->unit, "万元");
  if (!yuan && !wan)
    return;
  int largest = -1;
  int64_t max = 0;
  for (size_t k = 0; k < b->column_count * b->row_count; k++) {
    const jx_text *t = jx_val(c, (int)(b->first_field + k));
    if (t->present && t->cents > max) {
      max = t->cents;
      largest = (int)(b->first_field + k);
    }
  }
  if (largest < 0)
    return;
  const jx_text *t = jx_val(c, largest);
  const char *id = jx_fld(c, largest)->id;
  jx_diag_subject(c->diags, id, jx_fld(c, largest)->label);
  if (yuan && max < INT64_C(10000) * 100)
    jx_rule_warning(c, t->pos,
                    "'%s' is %s, and every amount of %s is below 10,000 元: "
                    "were they written in 万元? This form's amounts are in "
                    "元, so %s 万元 is written %" PRId64 " (multiply every "
                    "amount by 10,000) [unit-scale]",
                    id, jx_money(c, b, max), b->label, jx_money(c, b, max),
                    max * 100);
  else if (wan && max >= INT64_C(1000000) * 100)
    jx_rule_warning(c, t->pos,
                    "'%s' is %s 万元, which is 1,000,000 万元 (100亿元) or "
                    "more: was it written in 元? This form's amounts are in "
                    "万元, so %s 元 is written %s (divide every amount by "
                    "10,000) [unit-scale]",
                    id, jx_money(c, b, max), jx_money(c, b, max),
                    jx_money(c, b, max / 10000));
  jx_diag_subject(c->diags, NULL, NULL);
}

/* Warns when field `f` still holds the template's example, as `jxform
 * new` writes it for a required field (某某项目, 某某局): a placeholder the
 * clerk forgot to replace.  Only text fields: the example of a code, a
 * date or a year (045, 2025-01-01) can be a project's real value.  An
 * example given in quotes ("\"…\"") is compared without them. */
static void jx_check_example(jx_checker *c, const jx_field *f,
                             const jx_text *t) {
  if (!f->required || !f->example || !t->present ||
      (f->type != JX_FT_TEXT && f->type != JX_FT_PARAGRAPH))
    return;
  const char *ex = f->example;
  size_t n = strlen(ex);
  if (n >= 2 && ex[0] == '"' && ex[n - 1] == '"')
    ex++, n -= 2;
  if (!n || strlen(t->str) != n || memcmp(t->str, ex, n))
    return;
  jx_rule_warning(c, t->pos,
                  "'%s' (%s) is still '%s', the template's example that "
                  "`jxform new` writes; replace it with the real %s "
                  "[field-example]",
                  f->id, f->label, t->str, f->label);
}

static void jx_check_fields(jx_checker *c) {
  for (size_t i = 0; i < c->ct->field_count; i++) {
    const jx_field *f = jx_fld(c, (int)i);
    const jx_text *t = jx_val(c, (int)i);
    if (f->type == JX_FT_MONEY)
      continue;
    jx_diag_subject(c->diags, f->id, f->label);
    if (!t->present && f->printed && f->warn_empty && !f->required)
      jx_rule_warning(c, t->pos,
                      "'%s' (%s) is missing: it prints blank on the form; "
                      "write the text, or '' to leave it blank on purpose "
                      "[field-empty]",
                      f->id, f->label);
    jx_check_example(c, f, t);
    jx_check_spacing(c, t, f->id, f->label);
    jx_check_typed(c, (int)i);
    jx_diag_subject(c->diags, NULL, NULL);
  }
  for (size_t b = 0; b < c->ct->money_count; b++)
    jx_check_unit_scale(c, &c->ct->money[b]);
}

/* ---- declared rules --------------------------------------------------- */

/* True if a cell of the template prints some field of block `b`. */
static bool jx_block_printed(const jx_checker *c, const jx_money_block *b) {
  size_t n = b->column_count * b->row_count;
  for (size_t k = 0; k < n; k++)
    if (c->ct->fields[b->first_field + k].printed)
      return true;
  return false;
}

static void jx_rule_sum(jx_checker *c, const jx_rule *r) {
  const jx_money_block *b = &c->ct->money[r->block];
  for (size_t col = 0; col < b->column_count; col++) {
    size_t base = b->first_field + col * b->row_count;
    const jx_text *total = jx_val(c, (int)(base + (size_t)b->total_row));
    const jx_field *total_f = jx_fld(c, (int)(base + (size_t)b->total_row));
    const char *total_id = total_f->id;
    int64_t sum = 0;
    size_t sources = 0;
    char names[512] = "";
    for (size_t row = 0; row < b->row_count; row++) {
      if ((int)row == b->total_row)
        continue;
      /* the sources by their labels on the form, then their keys,
       * "LABEL (key)、LABEL (key)", in every language (the labels are the
       * form's, and the list is one of the diagnostic's arguments, which do not
       * change with the language) */
      size_t used = strlen(names);
      snprintf(names + used, sizeof names - used, "%s%s (%s)",
               names[0] ? "、" : "", b->row_labels[row], b->row_ids[row]);
      const jx_text *t = jx_val(c, (int)(base + row));
      if (t->present) {
        sum += t->cents;
        sources++;
      }
    }
    jx_diag_subject(c->diags, total_id, total_f->label);
    if (!total->present && sources && c->m->workbook) {
      jx_rule_error(c, total->pos,
                    "'%s' is empty but the sources add up to %s; fill in %s "
                    "as %s%s [funds-total]",
                    total_id, jx_money(c, b, sum), jx_money(c, b, sum),
                    b->column_labels[col], b->row_labels[b->total_row]);
    } else if (!total->present && sources) {
      jx_rule_error(c, total->pos,
                    "'%s' is empty but the sources add up to %s; write "
                    "'%s: %s' (%s%s) [funds-total]",
                    total_id, jx_money(c, b, sum), b->row_ids[b->total_row],
                    jx_money(c, b, sum), b->column_labels[col],
                    b->row_labels[b->total_row]);
    } else if (total->present && sources && sum != total->cents) {
      jx_rule_error(c, total->pos,
                    "'%s.%s' sources add up to %s but %s is %s (%s%s); "
                    "correct the total or one of %s [funds-sum]",
                    b->id, b->column_ids[col], jx_money(c, b, sum),
                    b->row_ids[b->total_row], jx_money(c, b, total->cents),
                    b->column_labels[col], b->row_labels[b->total_row], names);
    } else if (!total->present && !sources && b->warn_empty &&
               jx_block_printed(c, b)) {
      if (b->column_labels[col][0])
        jx_rule_warning(c, total->pos,
                        "'%s.%s' has no amounts: the %s column of %s prints "
                        "blank; write at least '%s:' [funds-missing]",
                        b->id, b->column_ids[col], b->column_labels[col],
                        b->label, b->row_ids[b->total_row]);
      else
        jx_rule_warning(c, total->pos,
                        "'%s.%s' has no amounts: %s prints blank; write at "
                        "least '%s:' [funds-missing]",
                        b->id, b->column_ids[col], b->label,
                        b->row_ids[b->total_row]);
    }
    jx_diag_subject(c->diags, NULL, NULL);
  }
}

static void jx_rule_not_more(jx_checker *c, const jx_rule *r) {
  const jx_text *small = jx_val(c, r->field), *large = jx_val(c, r->than);
  if (jx_fld(c, r->field)->type == JX_FT_DATE) {
    /* two dates: the first is not after the second */
    long y, first, second;
    if (!small->present || !large->present ||
        jx_parse_date_key(small->str, &y, &first) ||
        jx_parse_date_key(large->str, &y, &second) || first <= second)
      return;
    jx_diag_subject(c->diags, jx_fld(c, r->field)->id,
                    jx_fld(c, r->field)->label);
    jx_rule_error(c, small->pos,
                  "'%s' %s is after '%s' %s: %s comes first; swap or "
                  "correct them [%s]",
                  jx_fld(c, r->field)->id, small->str, jx_fld(c, r->than)->id,
                  large->str, jx_fld(c, r->field)->label, r->id);
    jx_diag_subject(c->diags, NULL, NULL);
    return;
  }
  if (!small->present || !large->present || small->cents <= large->cents)
    return;
  const jx_field *fs = jx_fld(c, r->field), *fl = jx_fld(c, r->than);
  jx_diag_subject(c->diags, fs->id, fs->label);
  jx_rule_error(c, small->pos,
                "'%s' %s is more than '%s' %s: the %s is part of the %s; "
                "swap or correct them [%s]",
                fs->id, jx_money(c, jx_block_of(c, r->field), small->cents),
                fl->id, jx_money(c, jx_block_of(c, r->than), large->cents),
                fs->label, fl->label, r->id);
  jx_diag_subject(c->diags, NULL, NULL);
}

static void jx_rule_term(jx_checker *c, const jx_rule *r) {
  const jx_text *choice = jx_val(c, r->field), *dur = jx_val(c, r->than);
  const jx_field *fc = jx_fld(c, r->field), *fd = jx_fld(c, r->than);
  bool one_time = choice->present && !strcmp(choice->str, r->one_time);
  bool recurring = choice->present && !strcmp(choice->str, r->recurring);
  if (dur->present && dur->str[0]) {
    long years = jx_duration_years(dur->str);
    jx_diag_subject(c->diags, fd->id, fd->label);
    if (one_time && years >= 0 && years != 1)
      jx_rule_error(c, dur->pos,
                    "'%s' is %s but '%s' is %s, which lasts one year; write "
                    "'%s: 1年', or make %s %s [duration-one-time]",
                    fd->id, dur->str, fc->id, r->one_time,
                    strrchr(fd->id, '.') ? strrchr(fd->id, '.') + 1 : fd->id,
                    fc->label, r->recurring);
    else if (recurring && years == 1)
      jx_rule_warning(c, dur->pos,
                      "'%s' is 1年 but '%s' is %s; a long-running project "
                      "usually lasts longer, a one-year one is %s "
                      "[duration-recurring]",
                      fd->id, fc->id, r->recurring, r->one_time);
    jx_diag_subject(c->diags, NULL, NULL);
  }
  if (r->equal_a < 0 || !one_time)
    return;
  const jx_text *a = jx_val(c, r->equal_a), *b = jx_val(c, r->equal_b);
  if (!a->present || !b->present || a->cents >= b->cents)
    return;
  jx_diag_subject(c->diags, jx_fld(c, r->equal_a)->id,
                  jx_fld(c, r->equal_a)->label);
  jx_rule_warning(c, a->pos,
                  "'%s' %s differs from '%s' %s, but %s lasts one year, so "
                  "its %s and %s should be equal [one-year-funds]",
                  jx_fld(c, r->equal_a)->id,
                  jx_money(c, jx_block_of(c, r->equal_a), a->cents),
                  jx_fld(c, r->equal_b)->id,
                  jx_money(c, jx_block_of(c, r->equal_b), b->cents),
                  r->one_time, jx_fld(c, r->equal_a)->label,
                  jx_fld(c, r->equal_b)->label);
  jx_diag_subject(c->diags, NULL, NULL);
}

static void jx_rule_date_near(jx_checker *c, const jx_rule *r) {
  const jx_text *date = jx_val(c, r->field);
  int yf = c->ct->year_field;
  if (yf < 0 || !date->present || !date->str[0])
    return;
  const jx_text *y = jx_val(c, yf);
  long date_year = 0;
  if (jx_parse_date(date->str, &date_year) || !y->present ||
      !jx_all_digits(y->str))
    return;
  long year = strtol(y->str, NULL, 10);
  if (date_year >= year - 1 && date_year <= year + 1)
    return;
  jx_diag_subject(c->diags, jx_fld(c, r->field)->id,
                  jx_fld(c, r->field)->label);
  jx_rule_warning(c, date->pos,
                  "'%s' is in %ld but the form is for %ld; check %s and "
                  "'%s' [%s]",
                  jx_fld(c, r->field)->id, date_year, year,
                  jx_fld(c, r->field)->label, jx_fld(c, yf)->id, r->id);
  jx_diag_subject(c->diags, NULL, NULL);
}

static void jx_rule_equal(jx_checker *c, const jx_rule *r) {
  const jx_text *a = jx_val(c, r->field), *b = jx_val(c, r->than);
  if (!a->present || !b->present || a->cents == b->cents)
    return;
  jx_diag_subject(c->diags, jx_fld(c, r->field)->id,
                  jx_fld(c, r->field)->label);
  jx_rule_error(
      c, a->pos,
      "'%s' %s differs from '%s' %s: %s and %s are the same "
      "amount; correct one of them [%s]",
      jx_fld(c, r->field)->id, jx_money(c, jx_block_of(c, r->field), a->cents),
      jx_fld(c, r->than)->id, jx_money(c, jx_block_of(c, r->than), b->cents),
      jx_fld(c, r->field)->label, jx_fld(c, r->than)->label, r->id);
  jx_diag_subject(c->diags, NULL, NULL);
}

/* Reads a plain number with at most two decimals ("12", "1,234.5") as
 * hundredths; false for anything else. */
static bool jx_number_cents(const char *s, int64_t *cents) {
  int64_t whole = 0;
  size_t digits = 0;
  const char *p = s;
  while (*p == ' ')
    p++;
  for (; (*p >= '0' && *p <= '9') || *p == ','; p++)
    if (*p != ',') {
      if (++digits > 15)
        return false;
      whole = whole * 10 + (*p - '0');
    }
  if (!digits)
    return false;
  int64_t fraction = 0;
  int places = 0;
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++) {
      if (++places > 2)
        return false;
      fraction = fraction * 10 + (*p - '0');
    }
  }
  if (places == 1)
    fraction *= 10;
  while (*p == ' ')
    p++;
  if (*p)
    return false;
  *cents = whole * 100 + fraction;
  return true;
}

static void jx_rule_column_sum(jx_checker *c, const jx_rule *r) {
  const jx_grid_def *g = &c->ct->grids[r->grid];
  const jx_text *total = jx_val(c, r->field);
  const jx_field *tf = jx_fld(c, r->field);
  int64_t want;
  if (!total->present || !total->str[0])
    return;
  if (tf->type == JX_FT_MONEY)
    want = total->cents;
  else if (!jx_number_cents(total->str, &want))
    return; /* not a number: its own type check says so */
  int64_t sum = 0;
  size_t count = 0;
  for (size_t s = 0; s < jx_grid_lists(g); s++) {
    const jx_rows *rows = &c->m->lists[r->grid][s];
    for (size_t i = 0; i < rows->count; i++) {
      const jx_text *t = &rows->items[i].cells[r->column];
      int64_t v;
      if (!t->present || !t->str[0])
        continue;
      if (!jx_number_cents(t->str, &v))
        return; /* a value that is no number: not summed */
      sum += v;
      count++;
    }
  }
  if (!count || sum == want)
    return;
  const jx_money_block *b = jx_block_of(c, r->field);
  jx_diag_subject(c->diags, tf->id, tf->label);
  jx_rule_error(c, total->pos,
                "the %s of %s add up to %s but '%s' (%s) is %s; correct the "
                "total or the rows [%s]",
                g->cols[r->column].label, g->label, jx_money(c, b, sum), tf->id,
                tf->label, jx_money(c, b, want), r->id);
  jx_diag_subject(c->diags, NULL, NULL);
}

static void jx_check_rules(jx_checker *c) {
  for (size_t i = 0; i < c->ct->rule_count; i++) {
    const jx_rule *r = &c->ct->rules[i];
    switch (r->kind) {
    case JX_RULE_SUM:
      jx_rule_sum(c, r);
      break;
    case JX_RULE_NOT_MORE:
      jx_rule_not_more(c, r);
      break;
    case JX_RULE_TERM:
      jx_rule_term(c, r);
      break;
    case JX_RULE_DATE_NEAR:
      jx_rule_date_near(c, r);
      break;
    case JX_RULE_EQUAL:
      jx_rule_equal(c, r);
      break;
    case JX_RULE_COLUMN_SUM:
      jx_rule_column_sum(c, r);
      break;
    case JX_RULE_COUNT:
      break;
    }
  }
}

/* ---- grids ------------------------------------------------------------- */

/* True if `sign`, written in a comparator column, says the value is
 * qualitative (定性) rather than a comparison: it has no ASCII or
 * mathematical sign in it. */
static bool jx_sign_is_word(const char *sign) {
  for (size_t i = 0; i < JX_COUNT(jx_comparisons); i++)
    if (!strcmp(sign, jx_comparisons[i]))
      return false;
  return true;
}

/* One of > < = at `s`, half-width or full-width (＞ ＜ ＝, EF BC 9E/9C/9D):
 * returns it as ASCII and sets *len (bytes) and *wide; 0 if none. */
static char jx_sign_char(const char *s, size_t *len, bool *wide) {
  const unsigned char *u = (const unsigned char *)s;
  *wide = u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x9C && u[2] <= 0x9E;
  if (*wide) {
    *len = 3;
    return "<=>"[u[2] - 0x9C];
  }
  *len = 1;
  return *s == '>' || *s == '<' || *s == '=' ? *s : 0;
}

/* A comparison sign of two characters at `s` with a full-width one in it
 * (＞＝, ＜＝, ＞=, >＝, ＝＞ …): returns "≥" or "≤" and sets *len (bytes);
 * NULL if there is none (">=" typed half-width is left as it is). */
static const char *jx_wide_pair_sign(const char *s, size_t *len) {
  size_t n1, n2;
  bool w1, w2;
  char a = jx_sign_char(s, &n1, &w1);
  if (!a)
    return NULL;
  char b = jx_sign_char(s + n1, &n2, &w2);
  if (!b || (!w1 && !w2) || (a == '=') == (b == '=') || a == b)
    return NULL;
  *len = n1 + n2;
  return a == '>' || b == '>' ? "≥" : "≤";
}

/* True if `s` starts with a digit, half-width or full-width. */
static bool jx_digit_at(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  return (*s >= '0' && *s <= '9') ||
         (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99);
}

/* Reports a target value typed with full-width (全角) digits ("≥９０%")
 * or a full-width two-character comparison sign ("＞＝95%"), naming the
 * full-width characters and the value written half-width: the digits,
 * the signs of numbers (％ ． ， ＋ －) and the sign (≥, ≤).  It prints as
 * typed, but is not read as a number.  Returns false when it has none. */
static bool jx_check_value_fullwidth(jx_checker *c, const jx_text *v,
                                     const char *where, const char *label) {
  enum { MAX_WIDE = 24 };
  const char *s = v->str;
  char half[512], found[256] = "";
  const char *wide[MAX_WIDE]; /* the distinct full-width characters */
  size_t len = 0, distinct = 0;
  bool alarm = false, digits_only = true;
  const char *p = s;
  while (*p == ' ' && len + 1 < sizeof half)
    half[len++] = *p++;
  size_t pair_len = 0;
  const char *pair = jx_wide_pair_sign(p, &pair_len);
  const char *pair_end = pair ? p + pair_len : p;
  if (pair) {
    if (len + strlen(pair) >= sizeof half)
      return false;
    memcpy(half + len, pair, strlen(pair));
    len += strlen(pair);
    alarm = true;
  }
  for (const char *q = p; *q;) {
    const unsigned char *u = (const unsigned char *)q;
    bool fw = u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x80 && u[2] <= 0xBF;
    char to = 0; /* its half-width form, 0 to keep it */
    if (fw && u[2] >= 0x90 && u[2] <= 0x99)
      to = (char)('0' + (u[2] - 0x90)), alarm = true;
    else if (fw && u[2] == 0x8E) /* ． */
      to = '.', alarm = true;
    else if (fw && u[2] == 0x85) /* ％ */
      to = '%';
    else if (fw && (u[2] == 0x8B || u[2] == 0x8D) && /* ＋ － by a digit */
             ((len && half[len - 1] >= '0' && half[len - 1] <= '9') ||
              jx_digit_at(q + 3)))
      to = u[2] == 0x8B ? '+' : '-';
    else if (fw && u[2] == 0x8C && len && half[len - 1] >= '0' &&
             half[len - 1] <= '9' && jx_digit_at(q + 3)) /* ， in 1，340 */
      to = ',';
    bool in_pair = q < pair_end;
    if (in_pair && !fw) {
      q++;
      continue;
    }
    if (to || in_pair) {
      bool seen = false;
      for (size_t i = 0; i < distinct && !seen; i++)
        seen = !memcmp(wide[i], q, 3);
      if (!seen && distinct < MAX_WIDE) {
        wide[distinct++] = q;
        digits_only &= u[2] >= 0x90 && u[2] <= 0x99;
      }
      if (to && len + 1 >= sizeof half)
        return false;
      if (to)
        half[len++] = to;
      q += 3;
      continue;
    }
    if (len + 1 >= sizeof half)
      return false;
    half[len++] = *q++;
  }
  half[len] = '\0';
  if (!alarm)
    return false;
  for (size_t i = 0; i < distinct; i++) {
    /* '９', '０', '．': the same in every language (an argument) */
    const char *sep = i ? ", " : "";
    size_t used = strlen(found);
    snprintf(found + used, sizeof found - used, "%s'%.3s'", sep, wide[i]);
  }
  /* TRANSLATORS: the 4th argument of [value-fullwidth] ("digits" or,
     with a full-width point or sign, "characters") */
  const char *kind = !digits_only
                         ? (distinct == 1 ? _("character") : _("characters"))
                         : (distinct == 1 ? _("digit") : _("digits"));
  /* TRANSLATORS: the 6th argument of [value-fullwidth]: type it / them
     half-width (the characters just listed) */
  const char *them = distinct == 1 ? _("it") : _("them");
  jx_rule_warning(c, v->pos,
                  "%s %s '%s' is typed with the full-width (全角) %s %s; "
                  "type %s half-width (半角; Shift+Space switches the input "
                  "method): '%s' [value-fullwidth]",
                  where, label, s, kind, found, them, half);
  return true;
}

static void jx_check_value(jx_checker *c, const jx_grid_def *g,
                           const jx_row *row, const jx_level2 *group,
                           const char *where) {
  const jx_text *v = &row->cells[g->value];
  const char *label = g->cols[g->value].label;
  if (jx_check_value_fullwidth(c, v, where, label))
    return;
  /* A sign and a unit in columns of their own are read with the value:
   * "≥" "300" "天" is checked as ≥300天. */
  const jx_text *sign = g->comparator >= 0 ? &row->cells[g->comparator] : NULL;
  const jx_text *unit = g->unit >= 0 ? &row->cells[g->unit] : NULL;
  bool has_sign = sign && sign->present && sign->str[0];
  if (has_sign) {
    /* a sign typed full-width in its own column (＞＝): said of that
     * column */
    const jx_gcol *col = &g->cols[g->comparator];
    jx_diag_subject(c->diags, col->id, col->label);
    bool wide = jx_check_value_fullwidth(c, sign, where, col->label);
    jx_diag_subject(c->diags, g->cols[g->value].id, label);
    if (wide)
      return;
  }
  bool has_unit = unit && unit->present && unit->str[0];
  if (has_sign && jx_sign_is_word(sign->str))
    return; /* qualitative: the value is a description */
  const char *s = v->str;
  if (has_sign || has_unit)
    s = jx_arena_printf(&c->arena, "%s%s%s", has_sign ? sign->str : "", v->str,
                        has_unit ? unit->str : "");
  switch (jx_classify_value(s)) {
  case JX_VALUE_OK:
    return;
  case JX_VALUE_BARE_NUMBER:
    if (g->unit >= 0)
      jx_rule_warning(c, v->pos,
                      "%s %s '%s' is a number with no unit; write its unit in "
                      "'%s' (%s) [value-unit]",
                      where, label, s, g->cols[g->unit].id,
                      g->cols[g->unit].label);
    else if (group && group->unit)
      jx_rule_warning(c, v->pos,
                      "%s %s '%s' is a number with no unit; write its unit, "
                      "e.g. '%s%s' [value-unit]",
                      where, label, s, s, group->unit);
    else
      jx_rule_warning(c, v->pos,
                      "%s %s '%s' is a number with no unit; write its unit "
                      "after it [value-unit]",
                      where, label, s);
    return;
  case JX_VALUE_PERCENT_OVER:
    jx_rule_warning(c, v->pos,
                    "%s %s '%s' is more than 100%%; check the number "
                    "[value-percent]",
                    where, label, s);
    return;
  case JX_VALUE_NO_NUMBER:
    jx_rule_warning(c, v->pos,
                    "%s %s '%s' has a comparison sign but no number; "
                    "write it like '≥95%%' or '≤5年' [value-form]",
                    where, label, s);
    return;
  case JX_VALUE_NEGATIVE:
    jx_rule_warning(c, v->pos,
                    "%s %s '%s' is negative; write the target as a "
                    "non-negative number, like '≤5%%' or '降低5%%' "
                    "[value-form]",
                    where, label, s);
    return;
  case JX_VALUE_DECIMALS:
    jx_rule_warning(c, v->pos,
                    "%s %s '%s' has more than two decimals; amounts have at "
                    "most two [value-form]",
                    where, label, s);
    return;
  case JX_VALUE_UNUSUAL:
  default:
    jx_rule_warning(c, v->pos,
                    "%s %s '%s' is not a comparison with a number and "
                    "unit (≥95%%, ≤5年, 117条), a percentage, an amount or "
                    "a usual word (提高, 保障, 有效保障, 及时); check it "
                    "[value-form]",
                    where, label, s);
    return;
  }
}

/* "一、二、三" list of names. */
static void jx_list(char *out, size_t size, const char *const *names,
                    size_t count) {
  out[0] = '\0';
  for (size_t i = 0; i < count; i++) {
    if (i)
      strncat(out, "、", size - strlen(out) - 1);
    strncat(out, names[i], size - strlen(out) - 1);
  }
}

/* Index of the frame group of `level1`, or -1. */
static int jx_find_group(const jx_grid_def *g, const char *level1) {
  for (size_t f = 0; f < g->frame_count; f++)
    if (!strcmp(g->frame[f].level1, level1))
      return (int)f;
  return -1;
}

/* Index of `level2` in group `grp`, or -1. */
static int jx_find_level2(const jx_tgroup *grp, const char *level2) {
  for (size_t k = 0; k < grp->level2_count; k++)
    if (!strcmp(grp->level2[k].name, level2))
      return (int)k;
  return -1;
}

/* Checks a row's 一级 and 二级 against the frame.  Returns its place in
 * the frame (group * 1000 + 二级 index), or -1 if it has none. */
static int jx_check_frame(jx_checker *c, const jx_grid_def *g,
                          const jx_row *row, const char *where) {
  const jx_text *t1 = &row->cells[g->level1], *t2 = &row->cells[g->level2];
  const char *l1 = t1->str, *l2 = t2->str;
  const char *n1 = g->cols[g->level1].id, *n2 = g->cols[g->level2].id;
  const char *lab1 = g->cols[g->level1].label, *lab2 = g->cols[g->level2].label;
  int group = jx_find_group(g, l1);
  /* The group that has this 二级, for suggestions. */
  int owner = -1;
  for (size_t f = 0; f < g->frame_count && owner < 0; f++)
    if (jx_find_level2(&g->frame[f], l2) >= 0)
      owner = (int)f;
  if (group < 0) {
    const char *names[64] = {NULL};
    size_t n = 0;
    for (size_t f = 0; f < g->frame_count && n < JX_COUNT(names); f++)
      names[n++] = g->frame[f].level1;
    char list[512];
    jx_list(list, sizeof list, names, n);
    const char *close = NULL;
    for (size_t f = 0; f < g->frame_count && !close; f++)
      if (jx_close_name(l1, g->frame[f].level1))
        close = g->frame[f].level1;
    jx_diag_subject(c->diags, n1, lab1);
    if (owner >= 0)
      jx_rule_error(c, t1->pos,
                    "%s '%s' is '%s', which this form does not have; "
                    "%s is under %s, so write '%s: %s' [frame-level1]",
                    where, n1, l1, l2, g->frame[owner].level1, n1,
                    g->frame[owner].level1);
    else if (close)
      jx_rule_error(c, t1->pos,
                    "%s '%s' is '%s', which this form does not have; did "
                    "you mean '%s'? (%s: %s) [frame-level1]",
                    where, n1, l1, close, lab1, list);
    else
      jx_rule_error(c, t1->pos,
                    "%s '%s' is '%s', which this form does not have; use "
                    "one of %s [frame-level1]",
                    where, n1, l1, list);
    jx_diag_subject(c->diags, NULL, NULL);
    return -1;
  }
  const jx_tgroup *grp = &g->frame[group];
  int k = jx_find_level2(grp, l2);
  if (k >= 0)
    return group * 1000 + k;
  const char *names[64] = {NULL};
  size_t n = 0;
  for (size_t i = 0; i < grp->level2_count && n < JX_COUNT(names); i++)
    names[n++] = grp->level2[i].name;
  char list[512];
  jx_list(list, sizeof list, names, n);
  jx_diag_subject(c->diags, n2, lab2);
  if (owner >= 0) {
    jx_rule_error(c, t2->pos,
                  "%s '%s' %s is under %s, not %s; change '%s' to %s, or "
                  "'%s' to one of %s [frame-level2]",
                  where, n2, l2, g->frame[owner].level1, l1, n1,
                  g->frame[owner].level1, n2, list);
    jx_diag_subject(c->diags, NULL, NULL);
    return -1;
  }
  /* Names older frames use for a 二级 of today's (the template's
   * aliases), then likely misspellings. */
  const char *close = NULL;
  for (size_t i = 0; i < grp->level2_count && !close; i++)
    for (size_t a = 0; a < grp->level2[i].alias_count && !close; a++)
      if (!strcmp(l2, grp->level2[i].aliases[a]))
        close = grp->level2[i].name;
  for (size_t i = 0; i < grp->level2_count && !close; i++)
    if (jx_close_name(l2, grp->level2[i].name))
      close = grp->level2[i].name;
  if (close)
    jx_rule_error(c, t2->pos,
                  "%s '%s' is '%s', which is not under %s on this form; "
                  "did you mean '%s'? (%s of %s: %s) [frame-level2]",
                  where, n2, l2, l1, close, lab2, l1, list);
  else
    jx_rule_error(c, t2->pos,
                  "%s '%s' is '%s', which is not under %s on this form; "
                  "use one of %s [frame-level2]",
                  where, n2, l2, l1, list);
  jx_diag_subject(c->diags, NULL, NULL);
  return -1;
}

/* True if some band of the template prints grid `grid`. */
static bool jx_grid_printed(const jx_template *tpl, size_t grid) {
  for (size_t b = 0; b < tpl->band_count; b++)
    if (tpl->bands[b].kind == JX_BAND_GRID &&
        tpl->bands[b].grid.grid == (int)grid)
      return true;
  return false;
}

/* An example row of grid `g` for messages: "- {a: …, b: …}". */
static void jx_row_example(const jx_grid_def *g, char *out, size_t size) {
  snprintf(out, size, "- {");
  for (size_t k = 0; k < g->col_count && k < 4; k++) {
    const char *ex = g->cols[k].example;
    if (!ex && (int)k == g->level1 && g->frame_count)
      ex = g->frame[0].level1;
    if (!ex && (int)k == g->level2 && g->frame_count)
      ex = g->frame[0].level2[0].name;
    char one[128];
    snprintf(one, sizeof one, "%s%s: %s", k ? ", " : "", g->cols[k].id,
             ex ? ex : "...");
    strncat(out, one, size - strlen(out) - 1);
  }
  strncat(out, "}", size - strlen(out) - 1);
}

static void jx_check_list(jx_checker *c, const jx_template *tpl, size_t gi,
                          size_t side) {
  const jx_grid_def *g = &c->ct->grids[gi];
  const jx_rows *rows = &c->m->lists[gi][side];
  const char *where = g->side_count ? g->side_labels[side] : g->label;
  char name[160];
  if (g->side_count)
    snprintf(name, sizeof name, "%s.%s", g->id, g->side_ids[side]);
  else
    snprintf(name, sizeof name, "%s", g->id);
  if (rows->count == 0) {
    if (g->warn_empty && jx_grid_printed(tpl, gi)) {
      char example[400];
      jx_diag_subject(c->diags, name, where);
      jx_row_example(g, example, sizeof example);
      if (g->side_count)
        jx_rule_warning(c, rows->pos,
                        "'%s' has no items: the %s side of %s prints only "
                        "the frame's labels; add items like '%s' "
                        "[indicators-missing]",
                        name, where, g->label, example);
      else
        jx_rule_warning(c, rows->pos,
                        "'%s' has no items: %s prints empty; add items like "
                        "'%s' [indicators-missing]",
                        name, g->label, example);
      jx_diag_subject(c->diags, NULL, NULL);
    }
    return;
  }
  bool framed = g->frame_count > 0;
  int last_place = -1;
  const jx_row *last = NULL, *first_out = NULL, *first_after = NULL;
  size_t out_of_order = 0;
  for (size_t i = 0; i < rows->count; i++) {
    const jx_row *row = &rows->items[i];
    const jx_level2 *group = NULL;
    if (framed) {
      int place = jx_check_frame(c, g, row, where);
      if (place >= 0) {
        group = &g->frame[place / 1000].level2[place % 1000];
        if (place < last_place) {
          if (!out_of_order++)
            first_out = row, first_after = last;
        } else {
          last_place = place;
          last = row;
        }
      }
    }
    const jx_text *name3 = g->name >= 0 ? &row->cells[g->name] : NULL;
    const jx_text *value = g->value >= 0 ? &row->cells[g->value] : NULL;
    bool has3 = name3 && name3->present && name3->str[0];
    bool hasv = value && value->present && value->str[0];
    bool any = false;
    for (size_t k = 0; k < g->col_count; k++)
      if ((int)k != g->level1 && (int)k != g->level2 && row->cells[k].present &&
          row->cells[k].str[0])
        any = true;
    if (!any) {
      jx_diag_subject(c->diags, name, where);
      if (framed)
        jx_rule_warning(c, row->pos,
                        "%s %s › %s item has nothing but its groups: it "
                        "prints an empty row; fill it in or delete the "
                        "item (an empty %s group needs no item) "
                        "[indicator-empty]",
                        where, row->cells[g->level1].str,
                        row->cells[g->level2].str, g->cols[g->level2].label);
      else
        jx_rule_warning(c, row->pos,
                        "%s item %zu is empty: it prints an empty row; fill "
                        "it in or delete it [indicator-empty]",
                        where, i + 1);
    } else if (name3 && value && !hasv && has3) {
      jx_diag_subject(c->diags, g->cols[g->value].id, g->cols[g->value].label);
      jx_rule_warning(c, name3->pos,
                      "%s %s '%s' has no '%s' (%s); write one, like '≥95%%' "
                      "or '及时' [value-empty]",
                      where, g->cols[g->name].label, name3->str,
                      g->cols[g->value].id, g->cols[g->value].label);
    } else if (name3 && value && hasv && !has3) {
      jx_diag_subject(c->diags, g->cols[g->name].id, g->cols[g->name].label);
      jx_rule_warning(c, value->pos,
                      "%s %s '%s' has no '%s' (%s): write what it measures "
                      "[level3-empty]",
                      where, g->cols[g->value].label, value->str,
                      g->cols[g->name].id, g->cols[g->name].label);
    }
    if (hasv) {
      jx_diag_subject(c->diags, g->cols[g->value].id, g->cols[g->value].label);
      jx_check_value(c, g, row, group, where);
    }
    if (has3) {
      jx_diag_subject(c->diags, g->cols[g->name].id, g->cols[g->name].label);
      for (size_t j = 0; j < i; j++) {
        const jx_row *o = &rows->items[j];
        bool same_group = !framed || !strcmp(o->cells[g->level2].str,
                                             row->cells[g->level2].str);
        if (same_group && !strcmp(o->cells[g->name].str, name3->str)) {
          if (framed)
            jx_rule_warning(c, name3->pos,
                            "%s %s '%s' is already listed under %s at line "
                            "%u; delete one of them [indicator-duplicate]",
                            where, g->cols[g->name].label, name3->str,
                            row->cells[g->level2].str,
                            o->cells[g->name].pos.line);
          else
            jx_rule_warning(c, name3->pos,
                            "%s %s '%s' is already listed at line %u; "
                            "delete one of them [indicator-duplicate]",
                            where, g->cols[g->name].label, name3->str,
                            o->cells[g->name].pos.line);
          break;
        }
      }
    }
    for (size_t k = 0; k < g->col_count; k++) {
      if ((int)k == g->level1 || (int)k == g->level2)
        continue;
      jx_diag_subject(c->diags, g->cols[k].id, g->cols[k].label);
      jx_check_spacing(c, &row->cells[k], g->cols[k].id, g->cols[k].label);
      /* a typed column is checked like a field of its type */
      jx_field as_field = {.id = g->cols[k].id,
                           .label = g->cols[k].label,
                           .type = g->cols[k].type,
                           .example = g->cols[k].example,
                           .money_block = -1};
      if (g->cols[k].type != JX_FT_TEXT && g->cols[k].type != JX_FT_PARAGRAPH)
        jx_check_typed_value(c, &as_field, &row->cells[k]);
    }
    jx_diag_subject(c->diags, NULL, NULL);
  }
  /* One warning per side: the first item out of order, and how many. */
  if (out_of_order) {
    char more[160] = "";
    if (out_of_order > 1)
      snprintf(more, sizeof more,
               /* TRANSLATORS: the 6th argument of [frame-order], right
                  after "...prints it before that group" */
               _(" (%zu items of this side are out of order)"), out_of_order);
    jx_diag_subject(c->diags, g->cols[g->level2].id, g->cols[g->level2].label);
    jx_rule_warning(
        c, first_out->cells[g->level2].pos,
        "%s %s › %s is listed after %s › %s, but the form "
        "prints it before that group%s; list the items in the "
        "form's order of %s and %s [frame-order]",
        where, first_out->cells[g->level1].str, first_out->cells[g->level2].str,
        first_after->cells[g->level1].str, first_after->cells[g->level2].str,
        more, g->cols[g->level1].label, g->cols[g->level2].label);
    jx_diag_subject(c->diags, NULL, NULL);
  }
}

/* ---- entry points ----------------------------------------------------- */

/* With `strict`, the warnings the loader recorded for this file (a value
 * cut short by ' #', text-comment: load.c) count as errors too, as the
 * rules' own warnings do. */
static void jx_strict_loader_warnings(jx_checker *c) {
  for (size_t i = 0; c->strict && i < c->diags->count; i++) {
    jx_diagnostic *d = &c->diags->items[i];
    if (d->severity == JX_SEV_WARNING && d->file && c->m->path &&
        !strcmp(d->file, c->m->path)) {
      d->severity = JX_SEV_ERROR;
      c->diags->errors++;
    }
  }
}

bool jx_validate(const jx_model *model, const jx_template *tpl, bool strict,
                 jx_diag_list *diags) {
  size_t before = diags->errors;
  jx_checker c = {model, model->content, diags, strict, {0}};
  jx_strict_loader_warnings(&c);
  jx_arena_init(&c.arena);
  jx_check_fields(&c);
  jx_check_rules(&c);
  for (size_t g = 0; g < c.ct->grid_count; g++)
    for (size_t s = 0; s < jx_grid_lists(&c.ct->grids[g]); s++)
      jx_check_list(&c, tpl, g, s);
  jx_arena_free(&c.arena);
  return diags->errors == before;
}

/* The totals of a model's money blocks, for value-other-total. */
static bool jx_is_total(const jx_model *m, int64_t cents, const char **label) {
  const jx_content *ct = m->content;
  for (size_t b = 0; b < ct->money_count; b++) {
    const jx_money_block *mb = &ct->money[b];
    if (mb->total_row < 0)
      continue;
    for (size_t col = 0; col < mb->column_count; col++) {
      size_t f = mb->first_field + col * mb->row_count + (size_t)mb->total_row;
      if (m->fields[f].present && m->fields[f].cents == cents) {
        *label = ct->fields[f].label;
        return true;
      }
    }
  }
  return false;
}

bool jx_validate_across(const jx_model *const *models, size_t count,
                        bool strict, jx_diag_list *diags) {
  size_t before = diags->errors;
  for (size_t i = 0; i < count; i++) {
    const jx_model *m = models[i];
    const jx_content *ct = m->content;
    jx_checker c = {m, ct, diags, strict, {0}};
    jx_arena_init(&c.arena);
    for (size_t gi = 0; gi < ct->grid_count; gi++) {
      const jx_grid_def *g = &ct->grids[gi];
      if (g->value < 0)
        continue;
      for (size_t s = 0; s < jx_grid_lists(g); s++)
        for (size_t k = 0; k < m->lists[gi][s].count; k++) {
          const jx_text *v = &m->lists[gi][s].items[k].cells[g->value];
          int64_t cents;
          const char *label;
          if (!v->present || !jx_value_amount(v->str, &cents) ||
              jx_is_total(m, cents, &label))
            continue;
          for (size_t j = 0; j < count; j++) {
            const jx_model *o = models[j];
            if (j == i || !jx_is_total(o, cents, &label))
              continue;
            const jx_text *oname = jx_model_field(o, o->content->index_name);
            jx_diag_subject(c.diags, g->cols[g->value].id,
                            g->cols[g->value].label);
            jx_rule_warning(
                &c, v->pos,
                "%s %s '%s' equals the %s of another project, '%s' (%s), "
                "not an amount of this one; was it copied from that form? "
                "[value-other-total]",
                g->side_count ? g->side_labels[s] : g->label,
                g->cols[g->value].label, v->str, label,
                oname && oname->present ? oname->str : "", o->path);
            jx_diag_subject(c.diags, NULL, NULL);
            break;
          }
        }
    }
    jx_arena_free(&c.arena);
  }
  return diags->errors == before;
}
