/*
 * load.c — a project file (schema v1) → jx_model.
 *
 * The YAML is parsed by yaml.c; this file walks the tree and checks it
 * against the schema, reporting every problem of the file at the line and
 * column of the value (or key) concerned, then returns NULL if there was
 * any.  The schema (docs/schema.md has the full text):
 *
 *   schema: 1                        required, must be 1
 *   template: NAME                   optional, default yangquan-2025
 *   year: 2025                       required, 4 digits
 *   project:                         required mapping
 *     name: TEXT                     required
 *     department: {code: TEXT, name: TEXT}   required, both required
 *     implementer, attribute, duration: TEXT
 *   funds:
 *     period|annual:
 *       total|central|provincial|city_county|self_raised|other: AMOUNT
 *   overview, basis, necessity, measures, plan: TEXT
 *   goals: {period: TEXT, annual: TEXT}
 *   indicators:
 *     period|annual:
 *       - {level1: TEXT, level2: TEXT, level3: TEXT, value: TEXT,
 *          note: TEXT}              level1, level2 required
 *   footer: {responsible, handler, phone, date: TEXT}
 *
 * TEXT is any scalar, taken as its raw text; null (`~`, empty) is absent.
 * AMOUNT is 123, 123.4, 123.45 or "34,060,000.00"; null or "" is absent
 * (blank on the form), which is not 0.
 */
#include "jxlimits.h"
#include "model.h"
#include "ynode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest amount accepted, in 分: 999,999,999,999,999.99 元. */
#define JX_AMOUNT_MAX_CENTS INT64_C(99999999999999999)
#define JX_DEFAULT_TEMPLATE "yangquan-2025"

#define JX_COUNT(array) (sizeof(array) / sizeof((array)[0]))

typedef struct jx_loader {
  jx_arena *arena;
  jx_diag_list *diags;
  jx_model *model;
  /* The YAML parse stopped early (syntax error): keys after that point are
   * missing from the tree, so "missing required key" is not reported. */
  bool partial;
  size_t first_diag; /* diagnostics of this file start here */
  bool capped;       /* JX_LIMIT_DIAGNOSTICS reached: unknown keys no
                        longer reported */
} jx_loader;

/* True if an error of this file is already recorded at `pos` (an alias or
 * a refused key left a placeholder there): nothing more is said about it,
 * so that one mistake gives one message. */
static bool jx_reported_at(const jx_loader *ld, jx_pos pos) {
  for (size_t i = ld->first_diag; i < ld->diags->count; i++) {
    const jx_diagnostic *d = &ld->diags->items[i];
    if (d->severity == JX_SEV_ERROR && d->line == pos.line &&
        d->column == pos.col)
      return true;
  }
  return false;
}

/* ---- keys: known lists and "did you mean" ------------------------------ */

static const char *const jx_top_keys[] = {
    "schema",    "template", "year", "project", "funds",  "overview",  "basis",
    "necessity", "measures", "plan", "goals",   "footer", "indicators"};
static const char *const jx_project_keys[] = {
    "name", "department", "implementer", "attribute", "duration"};
static const char *const jx_department_keys[] = {"code", "name"};
static const char *const jx_indicator_keys[] = {"level1", "level2", "level3",
                                                "value", "note"};
static const char *const jx_footer_keys[] = {"responsible", "handler", "phone",
                                             "date"};

static char jx_ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Edit distance (insert, delete, substitute, swap two neighbours),
 * ignoring ASCII case and treating '-' and ' ' as '_'.  Stops counting at
 * 9: only small distances matter. */
static size_t jx_key_distance(const char *a, const char *b) {
  enum { MAX_LEN = 40 };
  size_t la = strlen(a), lb = strlen(b);
  if (la > MAX_LEN || lb > MAX_LEN)
    return 9;
  char na[MAX_LEN], nb[MAX_LEN];
  for (size_t i = 0; i < la; i++)
    na[i] = (a[i] == '-' || a[i] == ' ') ? '_' : jx_ascii_lower(a[i]);
  for (size_t j = 0; j < lb; j++)
    nb[j] = (b[j] == '-' || b[j] == ' ') ? '_' : jx_ascii_lower(b[j]);
  size_t d[MAX_LEN + 1][MAX_LEN + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t best = d[i - 1][j - 1] + (na[i - 1] != nb[j - 1]);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && na[i - 1] == nb[j - 2] && na[i - 2] == nb[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb] < 9 ? d[la][lb] : 9;
}

/* The known key closest to `key`, or NULL when none is close enough to be
 * a likely typo (distance ≤ 1 for short keys, ≤ 2 from 5 characters). */
static const char *jx_suggest(const char *key, const char *const *known,
                              size_t count) {
  size_t limit = strlen(key) >= 5 ? 2 : 1;
  const char *best = NULL;
  size_t best_distance = limit + 1;
  for (size_t i = 0; i < count; i++) {
    size_t distance = jx_key_distance(key, known[i]);
    if (distance < best_distance) {
      best = known[i];
      best_distance = distance;
    }
  }
  return best;
}

static bool jx_in_list(const char *key, const char *const *known,
                       size_t count) {
  for (size_t i = 0; i < count; i++)
    if (!strcmp(key, known[i]))
      return true;
  return false;
}

/* "a, b, c" in the arena. */
static const char *jx_join(jx_arena *arena, const char *const *known,
                           size_t count) {
  size_t len = 0;
  for (size_t i = 0; i < count; i++)
    len += strlen(known[i]) + 2;
  char *text = jx_arena_alloc(arena, len + 1);
  for (size_t i = 0; i < count; i++) {
    if (i)
      strcat(text, ", ");
    strcat(text, known[i]);
  }
  return text;
}

/* Form labels people write as keys, and the key each stands for. */
static const char *const jx_label_keys[][2] = {
    {"项目名称", "name"},
    {"主管部门", "department"},
    {"主管部门及代码", "department"},
    {"代码", "code"},
    {"实施单位", "implementer"},
    {"项目属性", "attribute"},
    {"项目期", "duration"},
    {"项目资金", "funds"},
    {"实施期", "period"},
    {"年度", "annual"},
    {"资金总额", "total"},
    {"实施期资金总额", "total"},
    {"年度资金总额", "total"},
    {"中央财政资金", "central"},
    {"省级财政资金", "provincial"},
    {"市县（区）财政资金", "city_county"},
    {"市县财政资金", "city_county"},
    {"单位自筹", "self_raised"},
    {"其他资金", "other"},
    {"项目概况", "overview"},
    {"立项依据", "basis"},
    {"项目设立必要性", "necessity"},
    {"保证项目实施的制度、措施", "measures"},
    {"项目实施计划", "plan"},
    {"总体目标", "goals"},
    {"实施期目标", "period"},
    {"年度目标", "annual"},
    {"绩效指标", "indicators"},
    {"一级指标", "level1"},
    {"二级指标", "level2"},
    {"三级指标", "level3"},
    {"指标值", "value"},
    {"备注", "note"},
    {"负责人", "responsible"},
    {"经办人", "handler"},
    {"联系电话", "phone"},
    {"填报日期", "date"},
    {"年份", "year"}};

/* The key that the form label `key` stands for, if it is one of `known`;
 * NULL otherwise. */
static const char *jx_label_key(const char *key, const char *const *known,
                                size_t count) {
  for (size_t i = 0; i < JX_COUNT(jx_label_keys); i++)
    if (!strcmp(key, jx_label_keys[i][0]) &&
        jx_in_list(jx_label_keys[i][1], known, count))
      return jx_label_keys[i][1];
  return NULL;
}

/* True if `map` has an unknown key that was reported as standing for
 * `key` (a form label written as the key): "missing `key`" would say it
 * twice.  (A misspelt key still gets both messages.) */
static bool jx_key_misspelt(const jx_ynode *map, const char *key) {
  for (size_t i = 0; map && i < map->count; i++) {
    const char *k = map->keys[i]->str;
    if (!strcmp(k, key))
      return false;
  }
  const char *one[] = {key};
  static const struct {
    const char *const *keys;
    size_t count;
  } lists[] = {{jx_top_keys, JX_COUNT(jx_top_keys)},
               {jx_project_keys, JX_COUNT(jx_project_keys)},
               {jx_department_keys, JX_COUNT(jx_department_keys)},
               {jx_indicator_keys, JX_COUNT(jx_indicator_keys)},
               {jx_footer_keys, JX_COUNT(jx_footer_keys)}};
  for (size_t i = 0; map && i < map->count; i++) {
    const char *k = map->keys[i]->str;
    bool known = false; /* a key of the schema is no misspelling */
    for (size_t l = 0; l < JX_COUNT(lists) && !known; l++)
      known = jx_in_list(k, lists[l].keys, lists[l].count);
    if (known)
      continue;
    if (jx_label_key(k, one, 1))
      return true;
  }
  return false;
}

/* Reports every key of `map` that is not in `known`.  `where` names the
 * mapping for the message ("project", "funds.period", NULL for the top
 * level).  A key that belongs one level up or down is pointed there. */
static void jx_check_keys(jx_loader *ld, const jx_ynode *map, const char *where,
                          const char *const *known, size_t count) {
  for (size_t i = 0; i < map->count; i++) {
    const jx_ynode *key = map->keys[i];
    if (jx_in_list(key->str, known, count))
      continue;
    /* Each check below scans this file's diagnostics: keep them few. */
    if (ld->capped)
      return;
    if (ld->diags->count - ld->first_diag >= JX_LIMIT_DIAGNOSTICS) {
      ld->capped = true;
      jx_error(ld->diags, key->pos,
               "more than %d problems in this file; the rest are not listed "
               "(fix these first)",
               JX_LIMIT_DIAGNOSTICS);
      return;
    }
    if (jx_reported_at(ld, key->pos))
      continue;
    char place[128];
    if (where)
      snprintf(place, sizeof place, " in '%s'", where);
    else
      snprintf(place, sizeof place, " at the top level");
    const char *suggestion = jx_suggest(key->str, known, count);
    const char *label_key = jx_label_key(key->str, known, count);
    if (label_key) {
      jx_error(ld->diags, key->pos,
               "unknown key '%s'%s; keys are written in English: write "
               "'%s' for %s",
               key->str, place, label_key, key->str);
    } else if (suggestion) {
      jx_error(ld->diags, key->pos, "unknown key '%s'%s; did you mean '%s'?",
               key->str, place, suggestion);
    } else if (!where && jx_in_list(key->str, jx_project_keys,
                                    JX_COUNT(jx_project_keys))) {
      jx_error(ld->diags, key->pos,
               "unknown key '%s' at the top level; it belongs under "
               "'project:'",
               key->str);
    } else if (where && !strcmp(where, "project") &&
               jx_in_list(key->str, jx_top_keys, JX_COUNT(jx_top_keys))) {
      jx_error(ld->diags, key->pos,
               "unknown key '%s' in 'project'; it belongs at the top level "
               "(no indentation)",
               key->str);
    } else {
      jx_error(ld->diags, key->pos, "unknown key '%s'%s (expected one of: %s)",
               key->str, place, jx_join(ld->arena, known, count));
    }
  }
}

/* ---- values ----------------------------------------------------------- */

/* `key` of `map` (or NULL), with the key node in *key_node. */
static const jx_ynode *jx_get(const jx_ynode *map, const char *key,
                              const jx_ynode **key_node) {
  *key_node = NULL;
  if (!map || map->kind != JX_YMAP)
    return NULL;
  for (size_t i = 0; i < map->count; i++)
    if (!strcmp(map->keys[i]->str, key)) {
      *key_node = map->keys[i];
      return map->items[i];
    }
  return NULL;
}

/* Where an absent value is reported: its key when written with no value,
 * else the mapping that lacks it, else nowhere (zero). */
static jx_pos jx_absent_pos(const jx_ynode *map, const jx_ynode *key_node) {
  jx_pos none = {NULL, 0, 0};
  if (key_node)
    return key_node->pos;
  return map ? map->pos : none;
}

/* Reads the text at `key` of `map` into *text.  `path` names it in
 * messages.  Null is absent.  Returns false when the value is a mapping or
 * sequence (reported here), true otherwise. */
static bool jx_read_text(jx_loader *ld, const jx_ynode *map, const char *key,
                         const char *path, jx_text *text) {
  const jx_ynode *key_node;
  const jx_ynode *value = jx_get(map, key, &key_node);
  text->str = "";
  text->present = false;
  if (!value || (value->kind == JX_YSCALAR && value->is_null)) {
    text->pos = jx_absent_pos(map, key_node);
    return true;
  }
  text->pos = value->pos;
  if (value->kind != JX_YSCALAR) {
    jx_error(ld->diags, value->pos, "'%s' must be a string, not %s", path,
             jx_ynode_kind_name(value));
    return false;
  }
  text->str = value->str;
  text->present = true;
  size_t chars = 0; /* code points: bytes that are not continuation bytes */
  for (size_t i = 0; i < value->len; i++)
    chars += ((unsigned char)value->str[i] & 0xC0) != 0x80;
  if (chars > JX_LIMIT_CELL_CHARS)
    jx_error(ld->diags, value->pos,
             "'%s' has %zu characters, more than the limit of %d characters "
             "in one cell; shorten it",
             path, chars, JX_LIMIT_CELL_CHARS);
  return true;
}

/* Reads a required text: as jx_read_text, and reports it missing when it
 * is absent (at the key written with no value, or at the mapping that
 * lacks it). */
static void jx_read_required(jx_loader *ld, const jx_ynode *map,
                             const char *key, const char *path, jx_text *text) {
  if (!jx_read_text(ld, map, key, path, text) || text->present || ld->partial)
    return;
  const jx_ynode *key_node;
  const jx_ynode *value = jx_get(map, key, &key_node);
  if ((value && jx_reported_at(ld, value->pos)) || jx_key_misspelt(map, key))
    return;
  /* What to write, and where. */
  static const struct {
    const char *key, *label, *example;
  } hints[] = {{"year", "年度", "2025"},
               {"name", "项目名称", "…"},
               {"code", "主管部门代码", "\"045\""},
               {"level1", "一级指标", "产出指标"},
               {"level2", "二级指标", "数量指标"}};
  const char *label = "", *example = "…";
  for (size_t i = 0; i < JX_COUNT(hints); i++)
    if (!strcmp(hints[i].key, key))
      label = hints[i].label, example = hints[i].example;
  if (!strcmp(path, "project.department.name"))
    label = "主管部门";
  const char *dot = strrchr(path, '.');
  char where[96];
  if (strchr(path, '['))
    snprintf(where, sizeof where, "to this item");
  else if (!dot)
    snprintf(where, sizeof where, "at the top level");
  else {
    const char *parent = path;
    for (const char *p = path; p < dot; p++)
      if (*p == '.')
        parent = p + 1;
    snprintf(where, sizeof where, "under '%.*s:'", (int)(dot - parent), parent);
  }
  jx_error(ld->diags, text->pos,
           "missing required key '%s'%s%s%s: write '%s: %s' %s", path,
           label[0] ? " (" : "", label, label[0] ? ")" : "", key, example,
           where);
}

/* The mapping at `key` of `map`, or NULL when absent, null (both fine) or
 * of another kind (an error naming `path`).  *key_node as for jx_get. */
static const jx_ynode *jx_read_map(jx_loader *ld, const jx_ynode *map,
                                   const char *key, const char *path,
                                   const jx_ynode **key_node) {
  const jx_ynode *value = jx_get(map, key, key_node);
  if (!value || (value->kind == JX_YSCALAR && value->is_null))
    return NULL;
  if (value->kind != JX_YMAP) {
    /* What goes under the mapping, for the sections people most often
     * write as one line. */
    char hint[256] = "";
    const char *dash = value->kind == JX_YSCALAR ? strchr(value->str, '-') : 0;
    if (!strcmp(path, "project.department") && dash && dash > value->str)
      snprintf(hint, sizeof hint,
               "; write it as department: {code: \"%.*s\", name: %s}",
               (int)(dash - value->str), value->str, dash + 1);
    else if (!strcmp(path, "project.department"))
      snprintf(hint, sizeof hint,
               "; write 'code:' and 'name:' under it, like department: "
               "{code: \"045\", name: 阳泉市城市管理局}");
    else if (!strcmp(path, "goals"))
      snprintf(hint, sizeof hint,
               "; write 'period:' (实施期目标) and 'annual:' (年度目标) "
               "under it");
    jx_error(ld->diags, value->pos,
             "'%s' must be a mapping (indented 'key: value' lines), not %s%s",
             path, jx_ynode_kind_name(value), hint);
    return NULL;
  }
  return value;
}

#define JX_NOT_A_NUMBER                                                        \
  "is not a number of 元 (write it like 34060000, 34,060,000 or 1234.50)"

/* Parses an amount written as digits with optional thousands separators
 * ("34,060,000") and at most two decimals.  Returns NULL and sets *cents,
 * or returns what is wrong with it (a message fragment). */
static const char *jx_parse_amount(const char *text, int64_t *cents) {
  const char *p = text;
  while (*p == ' ')
    p++;
  if (*p == '-')
    return "must not be negative";
  if (*p < '0' || *p > '9')
    return JX_NOT_A_NUMBER;
  uint64_t yuan = 0;
  size_t group = 0;
  bool commas = false, too_large = false;
  for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
    if (*p == ',') {
      /* The first group has 1-3 digits, every later group exactly 3. */
      if (group == 0 || (commas ? group != 3 : group > 3))
        return "has a misplaced thousands separator ','";
      commas = true;
      group = 0;
      continue;
    }
    group++;
    if (yuan > (uint64_t)JX_AMOUNT_MAX_CENTS / 10)
      too_large = true;
    else
      yuan = yuan * 10 + (uint64_t)(*p - '0');
  }
  if (commas && group != 3)
    return "has a misplaced thousands separator ','";
  unsigned fraction = 0;
  if (*p == '.') {
    p++;
    size_t places = 0;
    for (; *p >= '0' && *p <= '9'; p++, places++)
      if (places < 2)
        fraction = fraction * 10 + (unsigned)(*p - '0');
    if (places == 0 || (*p && *p != ' ' && (unsigned char)*p < 0x80))
      return JX_NOT_A_NUMBER;
    if (places > 2)
      return "has more than two decimal places (amounts are in 元 with at "
             "most 分)";
    if (places == 1)
      fraction *= 10;
  }
  while (*p == ' ')
    p++;
  if (!strcmp(p, "元"))
    return "is not a number of 元 as written: leave out the unit '元'";
  if (!strcmp(p, "万元") || !strcmp(p, "万"))
    return "is not a number of 元: amounts in 万元 must be written in 元 "
           "(× 10,000), without the unit";
  if (*p)
    return JX_NOT_A_NUMBER;
  if (too_large || yuan > (uint64_t)(JX_AMOUNT_MAX_CENTS / 100))
    return "is too large (the limit is 999,999,999,999,999.99)";
  *cents = (int64_t)(yuan * 100 + fraction);
  return NULL;
}

/* Reads the amount at `key` of `map` into *amount (see jx_parse_amount).
 * Null and "" are absent. */
static void jx_read_amount(jx_loader *ld, const jx_ynode *map, const char *key,
                           const char *path, jx_amount *amount) {
  const jx_ynode *key_node;
  const jx_ynode *value = jx_get(map, key, &key_node);
  amount->cents = 0;
  amount->present = false;
  if (!value || (value->kind == JX_YSCALAR &&
                 (value->is_null || value->str[0] == '\0'))) {
    amount->pos = jx_absent_pos(map, key_node);
    return;
  }
  amount->pos = value->pos;
  if (value->kind != JX_YSCALAR) {
    jx_error(ld->diags, value->pos, "'%s' must be an amount, not %s", path,
             jx_ynode_kind_name(value));
    return;
  }
  const char *problem = jx_parse_amount(value->str, &amount->cents);
  if (problem) {
    jx_error(ld->diags, value->pos, "'%s' %s: '%s'", path, problem, value->str);
    return;
  }
  amount->present = true;
}

/* ---- sections --------------------------------------------------------- */

static void jx_load_project(jx_loader *ld, const jx_ynode *root) {
  jx_model *m = ld->model;
  const jx_ynode *key_node;
  const jx_ynode *project =
      jx_read_map(ld, root, "project", "project", &key_node);
  if (!project) {
    const jx_ynode *value = jx_get(root, "project", &key_node);
    if ((!value || (value->kind == JX_YSCALAR && value->is_null)) &&
        !ld->partial && !(value && jx_reported_at(ld, value->pos)))
      jx_error(ld->diags, jx_absent_pos(root, key_node),
               "missing required key 'project' (with 'name' and "
               "'department')");
    /* Leave the fields absent, with no further errors. */
    jx_text *fields[] = {&m->name,        &m->dept_code, &m->dept_name,
                         &m->implementer, &m->attribute, &m->duration};
    for (size_t i = 0; i < JX_COUNT(fields); i++)
      fields[i]->str = "";
    return;
  }
  jx_check_keys(ld, project, "project", jx_project_keys,
                JX_COUNT(jx_project_keys));
  jx_read_required(ld, project, "name", "project.name", &m->name);
  jx_read_text(ld, project, "implementer", "project.implementer",
               &m->implementer);
  jx_read_text(ld, project, "attribute", "project.attribute", &m->attribute);
  jx_read_text(ld, project, "duration", "project.duration", &m->duration);

  const jx_ynode *dept =
      jx_read_map(ld, project, "department", "project.department", &key_node);
  const jx_ynode *dept_value = jx_get(project, "department", &key_node);
  if (dept) {
    jx_check_keys(ld, dept, "project.department", jx_department_keys,
                  JX_COUNT(jx_department_keys));
    jx_read_required(ld, dept, "code", "project.department.code",
                     &m->dept_code);
    jx_read_required(ld, dept, "name", "project.department.name",
                     &m->dept_name);
  } else {
    m->dept_code.str = m->dept_name.str = "";
    if ((!dept_value ||
         (dept_value->kind == JX_YSCALAR && dept_value->is_null)) &&
        !ld->partial && !(dept_value && jx_reported_at(ld, dept_value->pos)))
      jx_error(ld->diags, jx_absent_pos(project, key_node),
               "missing required key 'project.department' (with 'code' and "
               "'name')");
  }
}

static void jx_load_funds(jx_loader *ld, const jx_ynode *root) {
  const jx_ynode *key_node;
  const jx_ynode *funds = jx_read_map(ld, root, "funds", "funds", &key_node);
  if (funds)
    jx_check_keys(ld, funds, "funds", jx_side_keys, JX_SIDE_COUNT);
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    char side_path[32];
    snprintf(side_path, sizeof side_path, "funds.%s", jx_side_keys[s]);
    const jx_ynode *side =
        jx_read_map(ld, funds, jx_side_keys[s], side_path, &key_node);
    if (side)
      jx_check_keys(ld, side, side_path, jx_fund_keys, JX_FUND_COUNT);
    for (int f = 0; f < JX_FUND_COUNT; f++) {
      char path[64];
      snprintf(path, sizeof path, "%s.%s", side_path, jx_fund_keys[f]);
      jx_amount *amount = &ld->model->funds[s][f];
      if (side) {
        jx_read_amount(ld, side, jx_fund_keys[f], path, amount);
      } else {
        amount->present = false;
        amount->pos = jx_absent_pos(funds, key_node);
      }
    }
  }
}

/* Reads one indicator item; `path` is "indicators.SIDE[i]". */
static void jx_load_indicator(jx_loader *ld, const jx_ynode *item,
                              const char *path, jx_indicator *out) {
  out->pos = item->pos;
  jx_text *texts[] = {&out->level1, &out->level2, &out->level3, &out->value,
                      &out->note};
  if (item->kind != JX_YMAP) {
    jx_error(ld->diags, item->pos,
             "'%s' must be a mapping like {level1: 产出指标, level2: "
             "数量指标, level3: ..., value: ...}, not %s",
             path, jx_ynode_kind_name(item));
    for (size_t i = 0; i < JX_COUNT(texts); i++) {
      texts[i]->str = "";
      texts[i]->pos = item->pos;
    }
    return;
  }
  jx_check_keys(ld, item, path, jx_indicator_keys, JX_COUNT(jx_indicator_keys));
  for (size_t i = 0; i < JX_COUNT(texts); i++) {
    char field_path[96];
    snprintf(field_path, sizeof field_path, "%s.%s", path,
             jx_indicator_keys[i]);
    /* level1 and level2 place the row in the frame: required. */
    if (i < 2)
      jx_read_required(ld, item, jx_indicator_keys[i], field_path, texts[i]);
    else
      jx_read_text(ld, item, jx_indicator_keys[i], field_path, texts[i]);
  }
}

static void jx_load_indicators(jx_loader *ld, const jx_ynode *root) {
  const jx_ynode *key_node;
  const jx_ynode *indicators =
      jx_read_map(ld, root, "indicators", "indicators", &key_node);
  if (!indicators)
    return;
  jx_check_keys(ld, indicators, "indicators", jx_side_keys, JX_SIDE_COUNT);
  size_t total = 0; /* indicators of both sides so far */
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    const jx_ynode *list = jx_get(indicators, jx_side_keys[s], &key_node);
    if (!list || (list->kind == JX_YSCALAR && list->is_null))
      continue;
    if (list->kind != JX_YSEQ) {
      jx_error(ld->diags, list->pos,
               "'indicators.%s' must be a list of '- {level1: ..., level2: "
               "..., level3: ..., value: ...}' items, not %s",
               jx_side_keys[s], jx_ynode_kind_name(list));
      continue;
    }
    total += list->count;
    if (total > JX_LIMIT_INDICATORS) {
      jx_error(ld->diags, list->pos,
               "the form has %zu indicators (indicators.period and "
               "indicators.annual together), more than the limit of %d",
               total, JX_LIMIT_INDICATORS);
      continue;
    }
    jx_indicator *items =
        jx_arena_alloc(ld->arena, (list->count + 1) * sizeof *items);
    for (size_t i = 0; i < list->count; i++) {
      char path[64];
      snprintf(path, sizeof path, "indicators.%s[%zu]", jx_side_keys[s], i);
      jx_load_indicator(ld, list->items[i], path, &items[i]);
    }
    ld->model->indicators[s] = items;
    ld->model->indicator_count[s] = list->count;
  }
}

static void jx_load_head(jx_loader *ld, const jx_ynode *root) {
  jx_model *m = ld->model;
  bool schema_ok = jx_read_text(ld, root, "schema", "schema", &m->schema);
  if (schema_ok && !m->schema.present && !ld->partial)
    jx_error(ld->diags, m->schema.pos,
             "missing required key 'schema' (write 'schema: 1' as the first "
             "line)");
  else if (m->schema.present && strcmp(m->schema.str, "1"))
    jx_error(ld->diags, m->schema.pos,
             "unsupported schema version '%s'; this jxform reads schema 1",
             m->schema.str);

  jx_read_text(ld, root, "template", "template", &m->template_name);
  if (!m->template_name.present)
    m->template_name.str = JX_DEFAULT_TEMPLATE;
  else if (!m->template_name.str[0])
    jx_error(ld->diags, m->template_name.pos,
             "'template' is empty; leave it out to use '%s'",
             JX_DEFAULT_TEMPLATE);

  jx_read_required(ld, root, "year", "year", &m->year);
  if (m->year.present) {
    const char *y = m->year.str;
    bool four_digits = strlen(y) == 4;
    for (size_t i = 0; four_digits && i < 4; i++)
      four_digits = y[i] >= '0' && y[i] <= '9';
    if (!four_digits)
      jx_error(ld->diags, m->year.pos,
               "'year' must be a 4-digit year like 2025, not '%s'", y);
  }
}

static void jx_load_texts(jx_loader *ld, const jx_ynode *root) {
  jx_model *m = ld->model;
  static const char *const body_keys[] = {"overview", "basis", "necessity",
                                          "measures", "plan"};
  jx_text *body[] = {&m->overview, &m->basis, &m->necessity, &m->measures,
                     &m->plan};
  for (size_t i = 0; i < JX_COUNT(body); i++)
    jx_read_text(ld, root, body_keys[i], body_keys[i], body[i]);

  const jx_ynode *key_node;
  const jx_ynode *goals = jx_read_map(ld, root, "goals", "goals", &key_node);
  jx_pos goals_pos = jx_absent_pos(NULL, key_node);
  if (goals)
    jx_check_keys(ld, goals, "goals", jx_side_keys, JX_SIDE_COUNT);
  for (int s = 0; s < JX_SIDE_COUNT; s++) {
    char path[32];
    snprintf(path, sizeof path, "goals.%s", jx_side_keys[s]);
    jx_read_text(ld, goals, jx_side_keys[s], path, &m->goals[s]);
    if (!goals)
      m->goals[s].pos = goals_pos;
  }

  const jx_ynode *footer = jx_read_map(ld, root, "footer", "footer", &key_node);
  jx_pos footer_pos = jx_absent_pos(NULL, key_node);
  if (footer)
    jx_check_keys(ld, footer, "footer", jx_footer_keys,
                  JX_COUNT(jx_footer_keys));
  jx_text *footer_texts[] = {&m->responsible, &m->handler, &m->phone,
                             &m->fill_date};
  for (size_t i = 0; i < JX_COUNT(footer_texts); i++) {
    char path[32];
    snprintf(path, sizeof path, "footer.%s", jx_footer_keys[i]);
    jx_read_text(ld, footer, jx_footer_keys[i], path, footer_texts[i]);
    if (!footer)
      footer_texts[i]->pos = footer_pos;
  }
}

/* ---- entry points ----------------------------------------------------- */

/* After a syntax error: the first line up to the error's line whose
 * quoted value is opened and not closed on that line.  libyaml then reads
 * on to the next quote and reports a puzzling error lines later, so a
 * note points at the quote that starts it. */
static void jx_note_open_quote(jx_diag_list *diags, const char *file,
                               const char *data, size_t size, size_t first) {
  uint32_t error_line = 0;
  for (size_t i = first; i < diags->count; i++)
    if (diags->items[i].severity == JX_SEV_ERROR && diags->items[i].line &&
        (!error_line || diags->items[i].line < error_line))
      error_line = diags->items[i].line;
  uint32_t line = 1, col = 1, open_col = 0;
  char quote = 0;
  bool comment = false, line_start = true;
  char prev = ' ';
  for (size_t i = 0; i < size && line <= error_line; i++) {
    char ch = data[i];
    if (ch == '\n') {
      if (quote && line < error_line) {
        jx_pos pos = {file, line, open_col};
        jx_diag_add(diags, JX_SEV_NOTE, pos,
                    "the %s quote opened here is not closed on its line; "
                    "add the closing %c at the end of the value (a quoted "
                    "value runs on to the next %c, which causes the error at "
                    "line %u)",
                    quote == '"' ? "double" : "single", quote, quote,
                    error_line);
        return;
      }
      line++, col = 1, quote = 0, comment = false, line_start = true;
      prev = ' ';
      continue;
    }
    if (((unsigned char)ch & 0xC0) != 0x80)
      col++;
    if (comment)
      continue;
    if (quote) {
      if (ch == quote && !(quote == '"' && prev == '\\'))
        quote = 0;
    } else if (ch == '#' && (prev == ' ' || line_start)) {
      comment = true;
    } else if ((ch == '"' || ch == '\'') &&
               (prev == ' ' || prev == ':' || prev == '[' || prev == '{' ||
                prev == ',' || prev == '-' || line_start)) {
      quote = ch;
      open_col = col - 1;
    }
    if (ch != ' ')
      line_start = false;
    prev = ch;
  }
}

/* True if data[0..size) is well-formed UTF-8; else *bad is the offset of
 * the first byte that is not. */
static bool jx_valid_utf8(const unsigned char *s, size_t size, size_t *bad) {
  for (size_t i = 0; i < size;) {
    unsigned char c = s[i];
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    bool ok = len > 0 && i + len <= size;
    for (size_t k = 1; ok && k < len; k++)
      ok = (s[i + k] & 0xC0) == 0x80;
    if (ok && len == 3)
      ok = !(c == 0xE0 && s[i + 1] < 0xA0) && !(c == 0xED && s[i + 1] > 0x9F);
    if (ok && len == 4)
      ok = !(c == 0xF0 && s[i + 1] < 0x90) && !(c == 0xF4 && s[i + 1] > 0x8F);
    if (!ok) {
      *bad = i;
      return false;
    }
    i += len;
  }
  return true;
}

/* True if every byte above 0x7F pairs up as a GBK / GB18030 two-byte
 * character (lead 0x81-0xFE, trail 0x40-0xFE but not 0x7F). */
static bool jx_looks_gbk(const unsigned char *s, size_t size) {
  size_t pairs = 0;
  for (size_t i = 0; i < size; i++) {
    if (s[i] < 0x80)
      continue;
    if (s[i] == 0x80 || s[i] == 0xFF || i + 1 == size || s[i + 1] < 0x40 ||
        s[i + 1] == 0x7F || s[i + 1] == 0xFF)
      return false;
    i++;
    pairs++;
  }
  return pairs > 0;
}

/* Checks the encoding before the YAML parser sees the file: a byte-order
 * mark is reported (the parse goes on), a file in GBK, as Chinese Windows
 * saves "ANSI" text, is reported in one line naming the encoding (returns
 * true: nothing more can be read).  Other invalid UTF-8 is left to the
 * YAML parser, which names the byte. */
static bool jx_check_encoding(jx_diag_list *diags, const char *file,
                              const char *data, size_t size) {
  const unsigned char *s = (const unsigned char *)data;
  if (size >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    jx_pos pos = {file, 1, 1};
    jx_error(diags, pos,
             "the file starts with a byte-order mark (BOM, bytes EF BB BF); "
             "save it as UTF-8 without BOM (Notepad: Save As, Encoding "
             "'UTF-8', not 'UTF-8 with BOM')");
  }
  size_t bad = 0;
  if (jx_valid_utf8(s, size, &bad) || !jx_looks_gbk(s, size))
    return false;
  jx_pos pos = {file, 1, 1};
  for (size_t i = 0; i < bad; i++) {
    if (s[i] == '\n') {
      pos.line++;
      pos.col = 1;
    } else if ((s[i] & 0xC0) != 0x80) {
      pos.col++;
    }
  }
  jx_error(diags, pos,
           "the file is not UTF-8: it looks like GBK (GB2312/GB18030, what "
           "Chinese Windows calls 'ANSI'); save it as UTF-8 (in Notepad: "
           "Save As, Encoding 'UTF-8')");
  return true;
}

jx_model *jx_load_buffer(jx_arena *arena, jx_diag_list *diags, const char *name,
                         const char *data, size_t size) {
  size_t errors_before = diags->errors;
  const char *file = jx_arena_strdup(arena, name ? name : "<input>");
  jx_pos file_pos = {file, 0, 0};
  if (size > JX_LIMIT_FILE_BYTES) {
    jx_error(diags, file_pos,
             "file is larger than the " JX_LIMIT_FILE_TEXT " limit");
    return NULL;
  }
  size_t first_diag = diags->count;
  if (jx_check_encoding(diags, file, data, size))
    return NULL;
  bool complete = false;
  jx_ynode *root =
      jx_yaml_parse_partial(arena, diags, file, data, size, &complete);
  if (!root || (diags->errors > errors_before && root->kind != JX_YMAP))
    return NULL;
  if (root->kind != JX_YMAP) {
    jx_pos pos = root->pos;
    if (root->kind == JX_YSCALAR && root->is_null)
      jx_error(diags, pos,
               "the file is empty; a project needs at least 'schema', "
               "'year' and 'project'");
    else
      jx_error(diags, pos,
               "a project file must be a mapping of 'key: value' lines, not "
               "%s",
               jx_ynode_kind_name(root));
    return NULL;
  }
  if (!complete)
    jx_note_open_quote(diags, file, data, size, first_diag);
  jx_model *model = jx_arena_alloc(arena, sizeof *model);
  model->path = file;
  jx_loader ld = {arena, diags, model, !complete, first_diag, false};
  jx_check_keys(&ld, root, NULL, jx_top_keys, JX_COUNT(jx_top_keys));
  jx_load_head(&ld, root);
  jx_load_project(&ld, root);
  jx_load_funds(&ld, root);
  jx_load_texts(&ld, root);
  jx_load_indicators(&ld, root);
  /* The sections are checked one after the other, not in file order. */
  jx_diag_sort(diags, first_diag, arena);
  return diags->errors > errors_before ? NULL : model;
}

jx_model *jx_load_file(jx_arena *arena, jx_diag_list *diags, const char *path) {
  jx_pos file_pos = {path, 0, 0};
  /* Opened without blocking, so that a FIFO nobody writes to cannot hang
   * an unattended run (reading it then ends at once: an empty file). */
  FILE *in = NULL;
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0)
    in = fdopen(fd, "rb");
  if (!in && fd >= 0) {
    int err = errno;
    close(fd);
    errno = err;
  }
  if (!in) {
    jx_error(diags, file_pos, "cannot open the file: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  bool regular = fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode);
  if (regular && st.st_size > (off_t)JX_LIMIT_FILE_BYTES) {
    fclose(in);
    jx_error(diags, file_pos,
             "file is larger than the " JX_LIMIT_FILE_TEXT " limit");
    return NULL;
  }
  /* Read at most one byte over the limit, to tell "too large" apart. */
  size_t cap = regular ? (size_t)st.st_size + 1 : 65536;
  char *data = NULL;
  size_t size = 0, alloc = 0;
  data = jx_arena_grow(arena, data, 1, &alloc, cap);
  for (;;) {
    if (size == alloc)
      data = jx_arena_grow(arena, data, 1, &alloc, size + 1);
    size_t n = fread(data + size, 1, alloc - size, in);
    size += n;
    if (size > JX_LIMIT_FILE_BYTES || n == 0)
      break;
  }
  bool read_error = ferror(in);
  int saved_errno = errno;
  fclose(in);
  if (read_error) {
    jx_error(diags, file_pos, "cannot read the file: %s",
             strerror(saved_errno));
    return NULL;
  }
  if (size > JX_LIMIT_FILE_BYTES) {
    jx_error(diags, file_pos,
             "file is larger than the " JX_LIMIT_FILE_TEXT " limit");
    return NULL;
  }
  return jx_load_buffer(arena, diags, path, data, size);
}
