/*
 * content.h — what a form holds, as its template declares it.
 *
 * A template (templates/NAME.yaml) declares the form's content next to
 * its geometry: the fields of a project (`fields`), the money blocks
 * (`money`), the repeating lists (`grids`: the indicator grid with its
 * frame, and any other sub-table), the rules between values (`rules`) and
 * which fields a packet's cover and contents use (`index`).  The loader,
 * the validator, `jxform new`, `jxform schema` and the model dump all
 * read this; none of them knows a label, a field name or a money source.
 * docs/templates.md documents every key.
 *
 * Everything lives in the template's arena and is read-only once loaded.
 */
#ifndef JX_CONTENT_H
#define JX_CONTENT_H

#include "arena.h"
#include "diag.h"
#include "ynode.h"
#include <stdbool.h>
#include <stddef.h>

/* The type of a field or of a grid column: how a value is read, checked
 * and printed. */
typedef enum {
  JX_FT_TEXT,       /* one line of text */
  JX_FT_PARAGRAPH,  /* running text */
  JX_FT_MONEY,      /* an amount (money blocks declare these) */
  JX_FT_INTEGER,    /* 12 */
  JX_FT_DECIMAL,    /* 60.8 (printed as written) */
  JX_FT_PERCENT,    /* 95%, 95 */
  JX_FT_DATE,       /* 2025-02-10, 20250210, 2025年2月10日 */
  JX_FT_DATE_RANGE, /* 2023.07-2024.01 */
  JX_FT_DURATION,   /* N年 */
  JX_FT_CODE,       /* digits, leading zeros kept */
  JX_FT_PHONE,      /* 0353-1234567 */
  JX_FT_CHOICE,     /* one of `choices` */
  JX_FT_YEAR,       /* a 4-digit year */
  JX_FT_COUNT
} jx_ftype;

/* Type names as written in templates ("text", "date range", …). */
extern const char *const jx_ftype_names[JX_FT_COUNT];

/* A field of the project: a value at a dotted YAML path. */
typedef struct jx_field {
  const char *id;    /* "project.name": the YAML path, ASCII */
  const char *label; /* its label on the form, as printed */
  jx_ftype type;
  bool required;
  const char **choices; /* JX_FT_CHOICE: the allowed values */
  size_t choice_count;
  bool open_choice;    /* other values are a warning, not an error */
  const char *example; /* for messages and `jxform new` (may be NULL) */
  const char *hint;    /* a note for `jxform new` (may be NULL) */
  bool printed;        /* some cell or line of the template prints it */
  bool warn_empty;     /* left out, it is a warning (field-empty) */
  int money_block;     /* JX_FT_MONEY: its block, else -1 */
  jx_pos pos;          /* in the template */
} jx_field;

/* Number formatting of a money block. */
typedef enum {
  JX_DECIMALS_AUTO, /* two decimals only when not whole: 1,234.5 → 1,234.50 */
  JX_DECIMALS_FIXED,  /* always two: 1,234.00 */
  JX_DECIMALS_WRITTEN /* as written in the project file */
} jx_decimals;

/* A money block: columns (periods, e.g. a term and a year) × rows (a
 * total and its sources).
 * Its values are fields `ID.COLUMN.ROW` of type money, stored in
 * column-major order from `first_field`. */
typedef struct jx_money_block {
  const char *id, *label;
  const char *unit; /* 元, 万元 */
  bool thousands;   /* 34,060,000 */
  jx_decimals decimals;
  const char **column_ids, **column_labels;
  size_t column_count;
  const char **row_ids, **row_labels;
  size_t row_count;
  int total_row;      /* the row the others add up to, or -1 */
  bool warn_empty;    /* a column with no amount at all is a warning */
  size_t first_field; /* field index of column 0, row 0 */
  jx_pos pos;
} jx_money_block;

/* What a grid column is for: the frame columns place a row, the value
 * column is checked as a target value, the others are plain typed values. */
typedef enum {
  JX_COL_PLAIN,
  JX_COL_LEVEL1,
  JX_COL_LEVEL2,
  JX_COL_NAME,       /* the row's name (the third-level indicator) */
  JX_COL_VALUE,      /* the target value */
  JX_COL_COMPARATOR, /* the value's sign in a column of its own (≥ ≤ =),
                        or a word saying the value is qualitative */
  JX_COL_UNIT        /* the value's unit in a column of its own */
} jx_col_role;

typedef struct jx_gcol {
  const char *id, *label;
  jx_col_role role;
  jx_ftype type;
  bool required;
  const char *example;
  jx_pos pos;
} jx_gcol;

/* A second-level group of the frame. */
typedef struct jx_level2 {
  const char *name;
  const char **aliases; /* older names, suggested as the current one */
  size_t alias_count;
  const char *unit; /* the unit a bare number in this group usually has */
} jx_level2;

/* One group of the frame: a 一级 with its 二级 list. */
typedef struct jx_tgroup {
  const char *level1;
  jx_level2 *level2;
  size_t level2_count;
} jx_tgroup;

/* A repeating list: the indicator grid, or any sub-table.  With sides the
 * YAML is `ID: {SIDE: [rows…]}`, without `ID: [rows…]`. */
typedef struct jx_grid_def {
  const char *id, *label;
  jx_gcol *cols;
  size_t col_count;
  const char **side_ids, **side_labels;
  size_t side_count; /* 0: one plain list */
  jx_tgroup *frame;  /* may be empty: rows print in the order given */
  size_t frame_count;
  int level1, level2, name, value; /* column indexes by role, or -1 */
  int comparator, unit;            /* likewise */
  bool warn_empty;                 /* a side with no row is a warning */
  jx_pos pos;
} jx_grid_def;

/* The number of row lists of a grid: its sides, or 1. */
static inline size_t jx_grid_lists(const jx_grid_def *g) {
  return g->side_count ? g->side_count : 1;
}

/* The kinds of declared rule. */
typedef enum {
  JX_RULE_SUM,        /* the rows of a money block add up to its total row */
  JX_RULE_NOT_MORE,   /* one amount is at most another */
  JX_RULE_TERM,       /* a choice field and a duration field agree */
  JX_RULE_DATE_NEAR,  /* a date field within a year of the year field */
  JX_RULE_EQUAL,      /* two amounts are equal */
  JX_RULE_COLUMN_SUM, /* a grid column's numbers add up to a field */
  JX_RULE_COUNT
} jx_rule_kind;

typedef struct jx_rule {
  jx_rule_kind kind;
  const char *id;  /* the rule id printed in brackets */
  int block;       /* SUM */
  int field, than; /* NOT_MORE: field ≤ than; DATE_NEAR: field, year */
  /* TERM: `field` is the choice, `than` the duration; a one-time choice
   * lasts one year, a recurring one more; `equal` are two amounts that a
   * one-time project has equal (or -1) */
  const char *one_time, *recurring;
  int equal_a, equal_b;
  int grid, column; /* COLUMN_SUM: the grid and its column; `field` the
                       total they add up to */
  jx_pos pos;
} jx_rule;

/* A mapping of the project file that holds fields (project,
 * project.department, goals …), with its label. */
typedef struct jx_group {
  const char *id, *label;
  const char *example; /* how to write it on one line, for messages */
} jx_group;

typedef struct jx_content {
  jx_field *fields;
  size_t field_count;
  jx_group *groups;
  size_t group_count;
  jx_money_block *money;
  size_t money_count;
  jx_grid_def *grids;
  size_t grid_count;
  jx_rule *rules;
  size_t rule_count;
  /* For packets: the fields of the cover and contents (-1: none). */
  int index_name, index_dept_code, index_dept_name, index_year, index_total;
  const char *index_total_label; /* the cover's words for the total, or
                                    NULL: the total field's label */
  int year_field;                /* the JX_FT_YEAR field, or -1 */
} jx_content;

/* Reads the content keys of a template's root mapping into `content`.
 * Records errors (with positions in the template) and returns false on
 * any. */
bool jx_content_load(jx_arena *arena, jx_diag_list *diags, const jx_ynode *root,
                     jx_content *content);

/* Reports, as template errors, every key of mapping `map` (nothing when
 * `map` is NULL or not a mapping) that is not in the NULL-terminated list
 * `known`, with the closest known key or the list; `what` names the
 * mapping ("a field", "the page").  A misspelt key would otherwise be
 * ignored without a word.  Returns false if any was reported. */
bool jx_template_keys(jx_diag_list *diags, const jx_ynode *map,
                      const char *what, const char *const *known);

/* The value of `key` in template mapping `map`: true or false as
 * written, `fallback` when absent; anything else is a template error
 * (and gives `fallback`).  Shared by content.c and template.c. */
bool jx_template_bool(jx_diag_list *diags, const jx_ynode *map, const char *key,
                      bool fallback);

/* Edit distance between two UTF-8 names counted in code points (at most
 * 32 of them; longer names count as far apart): for "did you mean". */
size_t jx_name_distance(const char *a, const char *b);

/* The field with id `id`, or -1. */
int jx_content_field(const jx_content *content, const char *id);
/* The grid with id `id`, or -1. */
int jx_content_grid(const jx_content *content, const char *id);
/* The group with id `id`, or NULL. */
const jx_group *jx_content_group(const jx_content *content, const char *id);
/* The index of column `id` of grid `g`, or -1. */
int jx_grid_col(const jx_grid_def *g, const char *id);

#endif
