/*
 * model.h — the loaded project (schema v1), every value with its origin.
 *
 * Produced by load.c from the YAML file, checked by validate.c, read by
 * layout.c.  All strings are NUL-terminated UTF-8 in the project's arena.
 */
#ifndef JX_MODEL_H
#define JX_MODEL_H

#include "arena.h"
#include "diag.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A text value.  present == false: the key was absent or null (`~`, empty).
 * An empty string "" that was written as '' is present.  str is never NULL
 * (it is "" when absent). */
typedef struct jx_text {
  const char *str;
  bool present;
  jx_pos pos; /* position of the value (of the key when absent inside a
                 present mapping; zero when the mapping itself is absent) */
} jx_text;

/* An amount of money in 元, kept exactly as hundredths (分).
 * present == false: blank on the form, which is not the same as 0. */
typedef struct jx_amount {
  int64_t cents;
  bool present;
  jx_pos pos;
} jx_amount;

enum jx_side { JX_SIDE_PERIOD, JX_SIDE_ANNUAL, JX_SIDE_COUNT };
enum jx_fund {
  JX_FUND_TOTAL,
  JX_FUND_CENTRAL,
  JX_FUND_PROVINCIAL,
  JX_FUND_CITY_COUNTY,
  JX_FUND_SELF_RAISED,
  JX_FUND_OTHER,
  JX_FUND_COUNT
};

/* YAML key of each side and each fund source, in enum order. */
extern const char *const jx_side_keys[JX_SIDE_COUNT];
extern const char *const jx_fund_keys[JX_FUND_COUNT];

/* One 三级指标 row of one side. */
typedef struct jx_indicator {
  jx_text level1; /* 一级指标, e.g. 产出指标 */
  jx_text level2; /* 二级指标, e.g. 数量指标 */
  jx_text level3; /* 三级指标 (the indicator's name) */
  jx_text value;  /* 指标值, printed as written */
  jx_text note;   /* optional 备注, for templates with such a column */
  jx_pos pos;     /* the list item */
} jx_indicator;

typedef struct jx_model {
  const char *path; /* the file it came from */
  jx_text schema;   /* "1" */
  jx_text template_name;
  jx_text year;
  jx_text name;        /* 项目名称 */
  jx_text dept_code;   /* 主管部门 code, e.g. "045" */
  jx_text dept_name;   /* 主管部门 name */
  jx_text implementer; /* 实施单位 */
  jx_text attribute;   /* 项目属性 */
  jx_text duration;    /* 项目期 */
  jx_amount funds[JX_SIDE_COUNT][JX_FUND_COUNT];
  jx_text overview;             /* 项目概况 */
  jx_text basis;                /* 立项依据 */
  jx_text necessity;            /* 项目设立必要性 */
  jx_text measures;             /* 保证项目实施的制度、措施 */
  jx_text plan;                 /* 项目实施计划 */
  jx_text goals[JX_SIDE_COUNT]; /* 总体目标 */
  jx_indicator *indicators[JX_SIDE_COUNT];
  size_t indicator_count[JX_SIDE_COUNT];
  jx_text responsible; /* 负责人 */
  jx_text handler;     /* 经办人 */
  jx_text phone;       /* 联系电话 */
  jx_text fill_date;   /* 填报日期 */
} jx_model;

/* Looks up a text field by its template path ("name", "department.code",
 * "goals.period", "footer.date", "year", ...).  Returns NULL for an
 * unknown path.  The result points into the model. */
const jx_text *jx_model_text(const jx_model *model, const char *path);
/* Looks up an amount by path "funds.SIDE.SOURCE".  NULL if unknown. */
const jx_amount *jx_model_amount(const jx_model *model, const char *path);
/* True if `path` names a text or amount field the model knows. */
bool jx_model_path_known(const char *path);

/* Formats an amount with thousands separators ("34,060,000"; two decimals
 * only when the amount has a fractional part).  Returns "" when absent.
 * The string is allocated in the arena. */
char *jx_amount_format(jx_arena *arena, const jx_amount *amount);

/* Loads a project file (libyaml event API).  On success returns the model
 * (allocated in `arena`) and true; errors go to `diags` — all the file's
 * problems, not only the first.  Returns NULL if any error was found. */
jx_model *jx_load_file(jx_arena *arena, jx_diag_list *diags, const char *path);
jx_model *jx_load_buffer(jx_arena *arena, jx_diag_list *diags, const char *name,
                         const char *data, size_t size);

/* Prints the model as stable, position-annotated text. */
void jx_model_dump(const jx_model *model, FILE *out);

#endif
