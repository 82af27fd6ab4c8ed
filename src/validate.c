/*
 * validate.c — consistency rules of a loaded model against its template.
 *
 * The loader (load.c) has already checked the shape of the file: keys,
 * types, required fields, amounts.  The rules here check that the values
 * agree with each other and with the template.  Each diagnostic ends in
 * its rule id; docs/schema.md ("Consistency rules") documents them all:
 *
 *   errors                              warnings
 *   funds-sum         sources ≠ total   funds-missing     a side is empty
 *   funds-total       sources, no total one-year-funds    年度 ≠ 实施期 of a
 *   annual-le-period  年度 > 实施期                        one-year project
 *   duration-one-time 一次性 but ≠ 1年  duration-recurring 经常性 but 1年
 *   frame-level1      一级 not in frame attribute-known   unusual 项目属性
 *   frame-level2      二级 not under    duration-format   项目期 not "N年"
 *                     its 一级          frame-order       out of frame order
 *   date-format       填报日期 is not   value-empty, level3-empty,
 *                     a date            indicator-empty   half-filled rows
 *                                       value-unit        number, no unit
 *                                       value-percent     over 100%
 *                                       value-form        unusual 指标值
 *                                       indicator-duplicate
 *                                       indicators-missing a side has none
 *                                       field-empty       blank form field
 *                                       date-year         far from `year`
 *                                       year-range        not 2000-2099
 *                                       dept-code, phone-format,
 *                                       text-space, text-tab
 *                                       value-other-total (across files)
 *
 * With `strict` every warning is recorded as an error.  The end of the
 * file writes the skeleton of `jxform new`, which follows the template's
 * indicator frame.
 */
#include "validate.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define JX_COUNT(array) (sizeof(array) / sizeof((array)[0]))

typedef struct jx_checker {
  const jx_model *m;
  jx_diag_list *diags;
  bool strict;
  jx_arena arena; /* scratch: formatted amounts */
} jx_checker;

/* Chinese names of the sides and fund sources, as printed on the form. */
static const char *const jx_side_names[JX_SIDE_COUNT] = {"实施期", "年度"};
static const char *const jx_fund_names[JX_FUND_COUNT] = {
    "资金总额",           "中央财政资金", "省级财政资金",
    "市县（区）财政资金", "单位自筹",     "其他资金"};

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
                         const char *fmt, va_list ap) {
  char text[1024];
  vsnprintf(text, sizeof text, fmt, ap);
  if (c->strict && sev == JX_SEV_WARNING)
    sev = JX_SEV_ERROR;
  jx_diag_add(c->diags, sev, jx_where(c, pos), "%s", text);
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

/* "34,060,000" for `cents` (in the checker's scratch arena). */
static const char *jx_money(jx_checker *c, int64_t cents) {
  jx_amount a = {cents, true, {NULL, 0, 0}};
  return jx_amount_format(&c->arena, &a);
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

/* Edit distance between two UTF-8 strings counted in code points (at most
 * 32 of them; longer strings count as far apart). */
static size_t jx_cp_distance(const char *a, const char *b) {
  enum { MAX = 32 };
  uint32_t ca[MAX], cb[MAX];
  size_t la = 0, lb = 0;
  uint32_t cp;
  while ((cp = jx_next_cp(&a)) != 0) {
    if (la == MAX)
      return 99;
    ca[la++] = cp;
  }
  while ((cp = jx_next_cp(&b)) != 0) {
    if (lb == MAX)
      return 99;
    cb[lb++] = cp;
  }
  size_t d[MAX + 1][MAX + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t best = d[i - 1][j - 1] + (ca[i - 1] != cb[j - 1]);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

/* True if `name` is a likely misspelling of `known`: one contains the
 * other, or they differ in at most two characters. */
static bool jx_close_name(const char *name, const char *known) {
  if (!name[0])
    return false;
  if (strstr(known, name) || strstr(name, known))
    return true;
  return jx_cp_distance(name, known) <= 2;
}

/* ---- funds ------------------------------------------------------------ */

/* True if the project runs one year: 一次性 attribute or 项目期 1年. */
static bool jx_one_time(const jx_model *m) {
  return m->attribute.present && strstr(m->attribute.str, "一次性");
}

static void jx_check_funds(jx_checker *c) {
  const jx_model *m = c->m;
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    const jx_amount *total = &m->funds[s][JX_FUND_TOTAL];
    int64_t sum = 0;
    size_t sources = 0;
    for (int f = JX_FUND_CENTRAL; f < JX_FUND_COUNT; f++)
      if (m->funds[s][f].present) {
        sum += m->funds[s][f].cents;
        sources++;
      }
    if (!total->present && sources) {
      jx_rule_error(c, total->pos,
                    "'funds.%s.total' is empty but the sources add up to %s; "
                    "write 'total: %s' (%s%s) [funds-total]",
                    jx_side_keys[s], jx_money(c, sum), jx_money(c, sum),
                    jx_side_names[s], jx_fund_names[JX_FUND_TOTAL]);
    } else if (total->present && sources && sum != total->cents) {
      jx_rule_error(c, total->pos,
                    "'funds.%s' sources add up to %s but total is %s (%s资金); "
                    "correct the total or one of central, provincial, "
                    "city_county, self_raised, other [funds-sum]",
                    jx_side_keys[s], jx_money(c, sum),
                    jx_money(c, total->cents), jx_side_names[s]);
    } else if (!total->present && !sources) {
      jx_rule_warning(c, total->pos,
                      "'funds.%s' has no amounts: the %s column of 项目资金 "
                      "prints blank; write at least 'total:' [funds-missing]",
                      jx_side_keys[s], jx_side_names[s]);
    }
  }
  const jx_amount *period = &m->funds[JX_SIDE_PERIOD][JX_FUND_TOTAL];
  const jx_amount *annual = &m->funds[JX_SIDE_ANNUAL][JX_FUND_TOTAL];
  if (!period->present || !annual->present)
    return;
  if (annual->cents > period->cents) {
    jx_rule_error(c, annual->pos,
                  "'funds.annual.total' %s is more than 'funds.period.total' "
                  "%s: the 年度 money is part of the 实施期 money; swap or "
                  "correct them [annual-le-period]",
                  jx_money(c, annual->cents), jx_money(c, period->cents));
  } else if (annual->cents != period->cents && jx_one_time(m)) {
    jx_rule_warning(c, annual->pos,
                    "'funds.annual.total' %s differs from 'funds.period.total' "
                    "%s, but a 一次性项目（1年结束） lasts one year, so its "
                    "年度 and 实施期 money should be equal [one-year-funds]",
                    jx_money(c, annual->cents), jx_money(c, period->cents));
  }
}

/* ---- 项目属性 and 项目期 ------------------------------------------------ */

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

static void jx_check_attribute(jx_checker *c) {
  const jx_model *m = c->m;
  static const char one_time[] = "一次性项目（1年结束）";
  static const char recurring[] = "经常性项目（长期开展）";
  bool is_one_time = false, is_recurring = false;
  if (m->attribute.present && m->attribute.str[0]) {
    is_one_time = strstr(m->attribute.str, "一次性") != NULL;
    is_recurring = strstr(m->attribute.str, "经常性") != NULL;
    if (strcmp(m->attribute.str, one_time) &&
        strcmp(m->attribute.str, recurring)) {
      const char *hint = is_one_time    ? one_time
                         : is_recurring ? recurring
                                        : NULL;
      if (hint)
        jx_rule_warning(c, m->attribute.pos,
                        "'project.attribute' is '%s'; the form writes it as "
                        "'%s' [attribute-known]",
                        m->attribute.str, hint);
      else
        jx_rule_warning(c, m->attribute.pos,
                        "'project.attribute' is '%s'; 项目属性 is usually "
                        "'%s' or '%s' [attribute-known]",
                        m->attribute.str, one_time, recurring);
    }
  }
  if (!m->duration.present || !m->duration.str[0])
    return;
  long years = jx_duration_years(m->duration.str);
  if (years < 0) {
    jx_rule_warning(c, m->duration.pos,
                    "'project.duration' is '%s'; write 项目期 as a number of "
                    "years, like 1年 or 99年 (99年 for a long-running "
                    "project) [duration-format]",
                    m->duration.str);
    return;
  }
  if (years == 0)
    jx_rule_warning(c, m->duration.pos,
                    "'project.duration' is 0年; a project lasts at least 1年 "
                    "[duration-format]");
  if (is_one_time && years != 1)
    jx_rule_error(c, m->duration.pos,
                  "'project.duration' is %s but 'project.attribute' is "
                  "一次性项目（1年结束）, which lasts one year; write "
                  "'duration: 1年', or make the attribute %s "
                  "[duration-one-time]",
                  m->duration.str, recurring);
  else if (is_recurring && years == 1)
    jx_rule_warning(c, m->duration.pos,
                    "'project.duration' is 1年 but 'project.attribute' is "
                    "经常性项目（长期开展）; a long-running project is "
                    "usually 99年, a one-year one %s [duration-recurring]",
                    one_time);
}

/* ---- text fields ------------------------------------------------------ */

/* A text field of the form, its YAML path and its label on the form. */
typedef struct jx_text_rule {
  size_t offset;
  const char *path, *label;
} jx_text_rule;

#define JX_TEXT_RULE(member, path, label)                                      \
  { offsetof(jx_model, member), path, label }
/* Fields that print blank when absent: a warning each. */
static const jx_text_rule jx_form_texts[] = {
    JX_TEXT_RULE(implementer, "project.implementer", "实施单位"),
    JX_TEXT_RULE(attribute, "project.attribute", "项目属性"),
    JX_TEXT_RULE(duration, "project.duration", "项目期"),
    JX_TEXT_RULE(overview, "overview", "项目概况"),
    JX_TEXT_RULE(basis, "basis", "立项依据"),
    JX_TEXT_RULE(necessity, "necessity", "项目设立必要性"),
    JX_TEXT_RULE(measures, "measures", "保证项目实施的制度、措施"),
    JX_TEXT_RULE(plan, "plan", "项目实施计划"),
    JX_TEXT_RULE(goals[JX_SIDE_PERIOD], "goals.period", "实施期目标"),
    JX_TEXT_RULE(goals[JX_SIDE_ANNUAL], "goals.annual", "年度目标"),
};
/* Every other printed text, checked for stray spaces and tabs. */
static const jx_text_rule jx_other_texts[] = {
    JX_TEXT_RULE(name, "project.name", "项目名称"),
    JX_TEXT_RULE(dept_name, "project.department.name", "主管部门"),
    JX_TEXT_RULE(responsible, "footer.responsible", "负责人"),
    JX_TEXT_RULE(handler, "footer.handler", "经办人"),
};
#undef JX_TEXT_RULE

static const jx_text *jx_field(const jx_model *m, const jx_text_rule *r) {
  return (const jx_text *)((const char *)m + r->offset);
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

static void jx_check_texts(jx_checker *c) {
  for (size_t i = 0; i < JX_COUNT(jx_form_texts); i++) {
    const jx_text_rule *r = &jx_form_texts[i];
    const jx_text *t = jx_field(c->m, r);
    if (!t->present)
      jx_rule_warning(c, t->pos,
                      "'%s' (%s) is missing: it prints blank on the form; "
                      "write the text, or '' to leave it blank on purpose "
                      "[field-empty]",
                      r->path, r->label);
    else
      jx_check_spacing(c, t, r->path, r->label);
  }
  for (size_t i = 0; i < JX_COUNT(jx_other_texts); i++)
    jx_check_spacing(c, jx_field(c->m, &jx_other_texts[i]),
                     jx_other_texts[i].path, jx_other_texts[i].label);
}

/* ---- head and footer -------------------------------------------------- */

static bool jx_all_digits(const char *s) {
  if (!*s)
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

static void jx_check_head(jx_checker *c) {
  const jx_model *m = c->m;
  if (m->year.present && jx_all_digits(m->year.str)) {
    long year = strtol(m->year.str, NULL, 10);
    if (year < 2000 || year > 2099)
      jx_rule_warning(c, m->year.pos,
                      "'year' is %ld; is that the budget year you mean? "
                      "[year-range]",
                      year);
  }
  if (m->dept_code.present && !jx_all_digits(m->dept_code.str))
    jx_rule_warning(c, m->dept_code.pos,
                    "'project.department.code' is '%s'; a department code "
                    "is digits only, like \"045\" (主管部门代码) [dept-code]",
                    m->dept_code.str);
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

/* Parses a 填报日期: yyyyMMddHHmmss, yyyyMMdd, yyyy-M-d, yyyy/M/d,
 * yyyy.M.d or yyyy年M月d日, the separated forms optionally followed by
 * " H:mm" or " H:mm:ss".  Stores the year; returns NULL if valid, else
 * what is wrong. */
static const char *jx_parse_date(const char *text, long *year_out) {
  const char *p = text;
  long y, mo, d, h = 0, mi = 0, s = 0;
  size_t len = strlen(text);
  if (jx_all_digits(text)) {
    if (len != 14 && len != 8)
      return "has the wrong number of digits (a date stamp has 14, "
             "yyyyMMddHHmmss, or 8, yyyyMMdd)";
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
      return "is not a date";
    bool chinese = !strncmp(p, "年", strlen("年"));
    char sep = *p;
    if (chinese)
      p += strlen("年");
    else if (sep == '-' || sep == '/' || sep == '.')
      p++;
    else
      return "is not a date";
    if (!jx_digits12(&p, &mo))
      return "is not a date";
    if (chinese && !strncmp(p, "月", strlen("月")))
      p += strlen("月");
    else if (!chinese && *p == sep)
      p++;
    else
      return "is not a date";
    if (!jx_digits12(&p, &d))
      return "is not a date";
    if (chinese) {
      if (!strncmp(p, "日", strlen("日")))
        p += strlen("日");
      else
        return "is not a date";
    }
    if (*p == ' ' || *p == 'T') {
      p++;
      if (!jx_digits12(&p, &h) || *p++ != ':' || !jx_digits(&p, 2, &mi))
        return "has a time that is not H:mm or H:mm:ss";
      if (*p == ':' && (p++, !jx_digits(&p, 2, &s)))
        return "has a time that is not H:mm or H:mm:ss";
    }
    if (*p)
      return "has extra text after the date";
  }
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12)
    return "has no such month";
  if (d < 1 || d > days[mo - 1] + (mo == 2 && jx_leap(y)))
    return "has no such day in that month";
  if (h > 23 || mi > 59 || s > 59)
    return "has no such time of day";
  *year_out = y;
  return NULL;
}

static void jx_check_footer(jx_checker *c) {
  const jx_model *m = c->m;
  const jx_text *date = &m->fill_date;
  if (date->present && date->str[0]) {
    long date_year = 0;
    const char *problem = jx_parse_date(date->str, &date_year);
    if (problem) {
      jx_rule_error(c, date->pos,
                    "'footer.date' '%s' %s; write 填报日期 as 20250210111110 "
                    "(yyyyMMddHHmmss), 2025-02-10 or 2025年2月10日 "
                    "[date-format]",
                    date->str, problem);
    } else if (m->year.present && jx_all_digits(m->year.str)) {
      long year = strtol(m->year.str, NULL, 10);
      if (date_year < year - 1 || date_year > year + 1)
        jx_rule_warning(c, date->pos,
                        "'footer.date' is in %ld but the form is for %ld; "
                        "check 填报日期 and 'year' [date-year]",
                        date_year, year);
    }
  }
  const jx_text *phone = &m->phone;
  if (phone->present && phone->str[0]) {
    size_t digits = 0;
    bool odd = false;
    for (const char *p = phone->str; *p; p++) {
      if (*p >= '0' && *p <= '9')
        digits++;
      else if (!strchr(" -+()", *p))
        odd = true;
    }
    if (odd || digits < 7 || digits > 20)
      jx_rule_warning(c, phone->pos,
                      "'footer.phone' is '%s'; write 联系电话 as digits, "
                      "like 0353-1234567 or 13812345678 [phone-format]",
                      phone->str);
  }
}

/* ---- indicator values ------------------------------------------------- */

/* Comparison prefixes of a 指标值, longest first where one is a prefix of
 * another. */
static const char *const jx_comparisons[] = {
    "≥",      "≤",    "＞",     "＜",     "＝",     ">=",     "<=",
    "=>",     "=<",   ">",      "<",      "=",      "≧",      "≦",
    "≈",      "约",   "不低于", "不少于", "不高于", "不超过", "不大于",
    "不小于", "大于", "小于",   "高于",   "低于",   "超过",   "达到",
    "至少",   "最多", "多于",   "少于",   "≮",      "≯"};

/* Words that make a qualitative 指标值 (提高, 有效保障, 及时发放, 长期,
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

/* Classifies a 指标值: a comparison (optional) with a number and a unit,
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

static void jx_check_value(jx_checker *c, const jx_indicator *ind,
                           const char *where) {
  const jx_text *v = &ind->value;
  const char *s = v->str;
  switch (jx_classify_value(s)) {
  case JX_VALUE_OK:
    return;
  case JX_VALUE_BARE_NUMBER: {
    /* Suggest the unit its 二级 usually has. */
    const char *l2 = ind->level2.str;
    const char *unit = strstr(l2, "成本")                           ? "元"
                       : strstr(l2, "质量") || strstr(l2, "满意度") ? "%"
                       : strstr(l2, "时效")                         ? "天"
                                                                    : "个";
    jx_rule_warning(c, v->pos,
                    "%s 指标值 '%s' is a number with no unit; write its unit, "
                    "e.g. '%s%s' [value-unit]",
                    where, s, s, unit);
    return;
  }
  case JX_VALUE_PERCENT_OVER:
    jx_rule_warning(c, v->pos,
                    "%s 指标值 '%s' is more than 100%%; check the number "
                    "[value-percent]",
                    where, s);
    return;
  case JX_VALUE_NO_NUMBER:
    jx_rule_warning(c, v->pos,
                    "%s 指标值 '%s' has a comparison sign but no number; "
                    "write it like '≥95%%' or '≤5年' [value-form]",
                    where, s);
    return;
  case JX_VALUE_NEGATIVE:
    jx_rule_warning(c, v->pos,
                    "%s 指标值 '%s' is negative; write the target as a "
                    "non-negative number, like '≤5%%' or '降低5%%' "
                    "[value-form]",
                    where, s);
    return;
  case JX_VALUE_DECIMALS:
    jx_rule_warning(c, v->pos,
                    "%s 指标值 '%s' has more than two decimals; amounts of "
                    "元 have at most two (分) [value-form]",
                    where, s);
    return;
  case JX_VALUE_UNUSUAL:
  default:
    jx_rule_warning(c, v->pos,
                    "%s 指标值 '%s' is not a comparison with a number and "
                    "unit (≥95%%, ≤5年, 117条), a percentage, an amount or "
                    "a usual word (提高, 保障, 有效保障, 及时); check it "
                    "[value-form]",
                    where, s);
    return;
  }
}

/* ---- the indicator frame ---------------------------------------------- */

/* "一、二、三" list of a frame's 一级 or of a group's 二级. */
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
static int jx_find_group(const jx_tgrid *g, const char *level1) {
  for (size_t f = 0; f < g->frame_count; f++)
    if (!strcmp(g->frame[f].level1, level1))
      return (int)f;
  return -1;
}

/* Index of `level2` in group `grp`, or -1. */
static int jx_find_level2(const jx_tgroup *grp, const char *level2) {
  for (size_t k = 0; k < grp->level2_count; k++)
    if (!strcmp(grp->level2[k], level2))
      return (int)k;
  return -1;
}

/* Checks an indicator's 一级 and 二级 against the frame.  Returns its
 * place in the frame (group * 1000 + 二级 index), or -1 if it has none. */
static int jx_check_frame(jx_checker *c, const jx_tgrid *g,
                          const jx_indicator *ind, const char *where) {
  const char *l1 = ind->level1.str, *l2 = ind->level2.str;
  int group = jx_find_group(g, l1);
  /* The group that has this 二级, for suggestions. */
  int owner = -1, owner_k = -1;
  for (size_t f = 0; f < g->frame_count && owner < 0; f++) {
    int k = jx_find_level2(&g->frame[f], l2);
    if (k >= 0)
      owner = (int)f, owner_k = k;
  }
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
    if (owner >= 0)
      jx_rule_error(c, ind->level1.pos,
                    "%s 'level1' is '%s', which this form does not have; "
                    "%s is under %s, so write 'level1: %s' [frame-level1]",
                    where, l1, l2, g->frame[owner].level1,
                    g->frame[owner].level1);
    else if (close)
      jx_rule_error(c, ind->level1.pos,
                    "%s 'level1' is '%s', which this form does not have; did "
                    "you mean '%s'? (一级指标: %s) [frame-level1]",
                    where, l1, close, list);
    else
      jx_rule_error(c, ind->level1.pos,
                    "%s 'level1' is '%s', which this form does not have; use "
                    "one of %s [frame-level1]",
                    where, l1, list);
    return -1;
  }
  const jx_tgroup *grp = &g->frame[group];
  int k = jx_find_level2(grp, l2);
  if (k >= 0)
    return group * 1000 + k;
  char list[512];
  jx_list(list, sizeof list, grp->level2, grp->level2_count);
  if (owner >= 0) {
    jx_rule_error(c, ind->level2.pos,
                  "%s 'level2' %s is under %s, not %s; change 'level1' to "
                  "%s, or 'level2' to one of %s [frame-level2]",
                  where, l2, g->frame[owner].level1, l1, g->frame[owner].level1,
                  list);
    (void)owner_k;
    return -1;
  }
  /* Names older frames use for a 二级 of today's (财预〔2015〕88号). */
  static const char *const renamed[][2] = {
      {"环境效益指标", "生态效益指标"},
      {"社会公众或服务对象满意度指标", "服务对象满意度指标"},
      {"社会公众满意度指标", "服务对象满意度指标"},
      {"满意度指标", "服务对象满意度指标"}};
  const char *close = NULL;
  for (size_t i = 0; i < JX_COUNT(renamed) && !close; i++)
    if (!strcmp(l2, renamed[i][0]) && jx_find_level2(grp, renamed[i][1]) >= 0)
      close = renamed[i][1];
  for (size_t i = 0; i < grp->level2_count && !close; i++)
    if (jx_close_name(l2, grp->level2[i]))
      close = grp->level2[i];
  if (close)
    jx_rule_error(c, ind->level2.pos,
                  "%s 'level2' is '%s', which is not under %s on this form; "
                  "did you mean '%s'? (二级指标 of %s: %s) [frame-level2]",
                  where, l2, l1, close, l1, list);
  else
    jx_rule_error(c, ind->level2.pos,
                  "%s 'level2' is '%s', which is not under %s on this form; "
                  "use one of %s [frame-level2]",
                  where, l2, l1, list);
  return -1;
}

static void jx_check_indicators(jx_checker *c, const jx_tgrid *g) {
  const jx_model *m = c->m;
  for (size_t s = 0; s < g->side_count; s++) {
    int side = g->sides[s].side;
    size_t count = m->indicator_count[side];
    if (count == 0) {
      jx_rule_warning(c,
                      m->indicators[side] ? m->indicators[side][0].pos
                                          : (jx_pos){NULL, 0, 0},
                      "'indicators.%s' has no items: the %s side of 绩效指标 "
                      "prints only the frame's labels; add items like "
                      "'- {level1: 产出指标, level2: 数量指标, level3: ..., "
                      "value: ...}' [indicators-missing]",
                      jx_side_keys[side], jx_side_names[side]);
      continue;
    }
    int last_place = -1;
    const jx_indicator *last = NULL;
    const jx_indicator *first_out = NULL, *first_after = NULL;
    size_t out_of_order = 0;
    for (size_t i = 0; i < count; i++) {
      const jx_indicator *ind = &m->indicators[side][i];
      char where[48];
      snprintf(where, sizeof where, "%s", jx_side_names[side]);
      int place = jx_check_frame(c, g, ind, where);
      if (place >= 0) {
        if (place < last_place) {
          if (!out_of_order++)
            first_out = ind, first_after = last;
        } else {
          last_place = place;
          last = ind;
        }
      }
      bool has3 = ind->level3.present && ind->level3.str[0];
      bool hasv = ind->value.present && ind->value.str[0];
      if (!has3 && !hasv)
        jx_rule_warning(c, ind->pos,
                        "%s %s › %s item has neither 'level3' nor 'value': "
                        "it prints an empty row; fill them in or delete the "
                        "item (an empty 二级 group needs no item) "
                        "[indicator-empty]",
                        where, ind->level1.str, ind->level2.str);
      else if (!hasv)
        jx_rule_warning(c, ind->level3.pos,
                        "%s 三级指标 '%s' has no 'value' (指标值); write "
                        "one, like '≥95%%' or '及时' [value-empty]",
                        where, ind->level3.str);
      else if (!has3)
        jx_rule_warning(c, ind->value.pos,
                        "%s 指标值 '%s' has no 'level3' (三级指标): write "
                        "what it measures [level3-empty]",
                        where, ind->value.str);
      if (hasv)
        jx_check_value(c, ind, where);
      if (has3)
        for (size_t j = 0; j < i; j++) {
          const jx_indicator *o = &m->indicators[side][j];
          if (!strcmp(o->level2.str, ind->level2.str) &&
              !strcmp(o->level3.str, ind->level3.str)) {
            jx_rule_warning(c, ind->level3.pos,
                            "%s 三级指标 '%s' is already listed under %s at "
                            "line %u; delete one of them "
                            "[indicator-duplicate]",
                            where, ind->level3.str, ind->level2.str,
                            o->level3.pos.line);
            break;
          }
        }
      if (has3)
        jx_check_spacing(c, &ind->level3, "level3", "三级指标");
    }
    /* One warning per side: the first item out of order, and how many. */
    if (out_of_order) {
      char more[64] = "";
      if (out_of_order > 1)
        snprintf(more, sizeof more,
                 " (%zu items of this side are out of order)", out_of_order);
      jx_rule_warning(c, first_out->level2.pos,
                      "%s %s › %s is listed after %s › %s, but the form "
                      "prints it before that group%s; list the items in the "
                      "form's order of 一级 and 二级 [frame-order]",
                      jx_side_names[side], first_out->level1.str,
                      first_out->level2.str, first_after->level1.str,
                      first_after->level2.str, more);
    }
  }
}

/* ---- entry points ----------------------------------------------------- */

bool jx_validate(const jx_model *model, const jx_template *tpl, bool strict,
                 jx_diag_list *diags) {
  size_t before = diags->errors;
  jx_checker c = {model, diags, strict, {0}};
  jx_arena_init(&c.arena);
  jx_check_head(&c);
  jx_check_attribute(&c);
  jx_check_funds(&c);
  jx_check_texts(&c);
  for (size_t b = 0; b < tpl->band_count; b++)
    if (tpl->bands[b].kind == JX_BAND_INDICATORS)
      jx_check_indicators(&c, &tpl->bands[b].grid);
  jx_check_footer(&c);
  jx_arena_free(&c.arena);
  return diags->errors == before;
}

/* The amount a 指标值 states when it is a plain number of 元 ("22487000",
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

bool jx_validate_across(const jx_model *const *models, size_t count,
                        bool strict, jx_diag_list *diags) {
  size_t before = diags->errors;
  for (size_t i = 0; i < count; i++) {
    jx_checker c = {models[i], diags, strict, {0}};
    jx_arena_init(&c.arena);
    const jx_model *m = models[i];
    for (int s = 0; s < JX_SIDE_COUNT; s++)
      for (size_t k = 0; k < m->indicator_count[s]; k++) {
        const jx_text *v = &m->indicators[s][k].value;
        int64_t cents;
        if (!v->present || !jx_value_amount(v->str, &cents))
          continue;
        bool own = false;
        for (int t = 0; t < JX_SIDE_COUNT; t++)
          own |= m->funds[t][JX_FUND_TOTAL].present &&
                 m->funds[t][JX_FUND_TOTAL].cents == cents;
        if (own)
          continue;
        for (size_t j = 0; j < count; j++) {
          if (j == i)
            continue;
          const jx_model *o = models[j];
          int hit = -1;
          for (int t = JX_SIDE_COUNT - 1; t >= 0; t--)
            if (o->funds[t][JX_FUND_TOTAL].present &&
                o->funds[t][JX_FUND_TOTAL].cents == cents)
              hit = t;
          if (hit < 0)
            continue;
          jx_rule_warning(&c, v->pos,
                          "%s 指标值 '%s' equals the %s total of another "
                          "project, '%s' (%s), not an amount of this one; "
                          "was it copied from that form? [value-other-total]",
                          jx_side_names[s], v->str, jx_side_names[hit],
                          o->name.str, o->path);
          break;
        }
      }
    jx_arena_free(&c.arena);
  }
  return diags->errors == before;
}

/* ---- the skeleton of a new project file -------------------------------- */

/* Writes "INDENTkey: value" padded to a comment column, then "# comment". */
static void jx_skel_line(FILE *out, int indent, const char *key,
                         const char *value, const char *comment) {
  int n =
      fprintf(out, "%*s%s:%s%s", indent, "", key, value[0] ? " " : "", value);
  if (comment) {
    for (; n < 30; n++)
      fputc(' ', out);
    fprintf(out, "  # %s", comment);
  }
  fputc('\n', out);
}

/* The schema beside the template folder (…/schema/project.schema.json)
 * when it exists, for the editor modeline; NULL otherwise. */
static char *jx_schema_beside(const jx_template *tpl) {
  if (!tpl->path)
    return NULL;
  char *path = malloc(strlen(tpl->path) + 40);
  if (!path)
    return NULL;
  strcpy(path, tpl->path);
  for (int up = 0; up < 2; up++) {
    char *slash = strrchr(path, '/');
    if (!slash) {
      free(path);
      return NULL;
    }
    *slash = '\0';
  }
  strcat(path, "/schema/project.schema.json");
  FILE *f = fopen(path, "r");
  if (!f) {
    free(path);
    return NULL;
  }
  fclose(f);
  return path;
}

bool jx_skeleton_write(const jx_template *tpl, int year, FILE *out) {
  char *schema = jx_schema_beside(tpl);
  if (schema)
    fprintf(out, "# yaml-language-server: $schema=%s\n", schema);
  free(schema);
  fprintf(out,
          "# %s — a new project.\n"
          "# Write each value after its ':'; the comment says where it goes "
          "on the form.\n"
          "# A value left empty prints blank (for money: blank, not 0).  "
          "Quote values\n"
          "# that start with [ ] { } , & * ! | > ' \" %% @ or contain ': '.  "
          "Then run\n"
          "#   jxform check FILE.yaml\n"
          "# and fix what it reports, before `jxform render FILE.yaml`.\n",
          tpl->title ? tpl->title : tpl->name);
  jx_skel_line(out, 0, "schema", "1", "file format version, keep 1");
  jx_skel_line(out, 0, "template", tpl->name, "表式");
  char year_text[16];
  snprintf(year_text, sizeof year_text, "%d", year);
  jx_skel_line(out, 0, "year", year_text, "年度 (required), under the title");
  fputs("\nproject:\n", out);
  jx_skel_line(out, 2, "name", "", "项目名称 (required)");
  jx_skel_line(out, 2, "department", "", "主管部门及代码, printed code-name");
  jx_skel_line(out, 4, "code", "", "代码 (required), digits, e.g. \"045\"");
  jx_skel_line(out, 4, "name", "", "主管部门 (required)");
  jx_skel_line(out, 2, "implementer", "", "实施单位");
  jx_skel_line(out, 2, "attribute", "",
               "项目属性: 一次性项目（1年结束） or 经常性项目（长期开展）");
  jx_skel_line(out, 2, "duration", "", "项目期: 1年 (一次性), 99年 (经常性)");
  fputs("\n# 项目资金（元）: amounts like 34060000, \"34,060,000\" or 1234.50;"
        "\n# the five sources of a side add up to its total.\n",
        out);
  fputs("funds:\n", out);
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    char comment[96];
    snprintf(comment, sizeof comment, "%s%s", jx_side_names[s],
             s == JX_SIDE_ANNUAL ? " (at most the 实施期 total)" : "");
    jx_skel_line(out, 2, jx_side_keys[s], "", comment);
    for (int f = 0; f < JX_FUND_COUNT; f++) {
      snprintf(comment, sizeof comment, "%s%s",
               f == JX_FUND_TOTAL     ? jx_side_names[s]
               : f == JX_FUND_CENTRAL ? "其中："
                                      : "",
               jx_fund_names[f]);
      jx_skel_line(out, 4, jx_fund_keys[f], "", comment);
    }
  }
  fputs("\n# Paragraphs: write each on one line (or use '|' to keep line "
        "breaks).\n",
        out);
  jx_skel_line(out, 0, "overview", "", "项目概况");
  jx_skel_line(out, 0, "basis", "", "立项依据");
  jx_skel_line(out, 0, "necessity", "", "项目设立必要性");
  jx_skel_line(out, 0, "measures", "", "保证项目实施的制度、措施");
  jx_skel_line(out, 0, "plan", "", "项目实施计划");
  fputs("\n", out);
  jx_skel_line(out, 0, "goals", "", "总体目标");
  jx_skel_line(out, 2, "period", "", "实施期目标");
  jx_skel_line(out, 2, "annual", "", "年度目标");
  fputs("\n# 绩效指标: one item per 三级指标, in the order below.  Delete the "
        "items you\n# do not need (an empty 二级 group still prints its "
        "label); copy an item for\n# more rows.  指标值 is printed as "
        "written: ≥95%, ≤5年, 117条, 及时, 有效保障.\n",
        out);
  fputs("indicators:\n", out);
  for (size_t b = 0; b < tpl->band_count; b++) {
    if (tpl->bands[b].kind != JX_BAND_INDICATORS)
      continue;
    const jx_tgrid *g = &tpl->bands[b].grid;
    for (size_t s = 0; s < g->side_count; s++) {
      int side = g->sides[s].side;
      jx_skel_line(out, 2, jx_side_keys[side], "", jx_side_names[side]);
      for (size_t f = 0; f < g->frame_count; f++)
        for (size_t k = 0; k < g->frame[f].level2_count; k++) {
          fprintf(out, "    - level1: %s\n", g->frame[f].level1);
          fprintf(out, "      level2: %s\n", g->frame[f].level2[k]);
          jx_skel_line(out, 6, "level3", "", "三级指标");
          jx_skel_line(out, 6, "value", "", "指标值");
          if (g->sides[s].note_col >= 0)
            jx_skel_line(out, 6, "note", "", "备注");
        }
    }
    break;
  }
  fputs("\n", out);
  jx_skel_line(out, 0, "footer", "", "under the table");
  jx_skel_line(out, 2, "responsible", "", "负责人");
  jx_skel_line(out, 2, "handler", "", "经办人");
  jx_skel_line(out, 2, "phone", "", "联系电话");
  jx_skel_line(out, 2, "date", "",
               "填报日期: \"20250210111110\" or 2025-02-10");
  return !ferror(out);
}
