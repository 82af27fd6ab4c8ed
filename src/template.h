/*
 * template.h — a form variant as data (templates/NAME.yaml).
 *
 * A template gives what the form holds (its `content`, content.h: fields,
 * money blocks, grids, rules) and how it looks: the page, the font roles,
 * the text rules, the lines above the table, the table as a list of
 * bands, and the footer.  A band has its own column widths: either fixed
 * rows of cells, or a declared grid whose rows come from the data.  Cell
 * content is a pattern: literal text with {id} placeholders naming the fields
 * the template declares (content.h); money is formatted as its block says.
 * "{{" and "}}" stand for literal braces.
 *
 * Lengths in the template are in em of the body font unless the key ends
 * in _pt.  All memory is in the session's arena.
 */
#ifndef JX_TEMPLATE_H
#define JX_TEMPLATE_H

#include "arena.h"
#include "content.h"
#include "diag.h"
#include "fonts.h"
#include "text.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum { JX_HALIGN_LEFT, JX_HALIGN_CENTER, JX_HALIGN_RIGHT } jx_halign;
typedef enum { JX_VALIGN_TOP, JX_VALIGN_MIDDLE, JX_VALIGN_BOTTOM } jx_valign;

/* A named font role: faces in fallback order, size, fake bold. */
typedef struct jx_font_role {
  const char *name;
  jx_font_chain chain;
  double line_pitch; /* baseline-to-baseline distance, points */
} jx_font_role;

/* One cell of a fixed row or of the indicator grid's header. */
typedef struct jx_tcell {
  const char *pattern; /* literal text with {path} placeholders */
  int col;             /* first column (0-based) */
  int colspan, rowspan;
  jx_halign halign;
  jx_valign valign;
  int font;      /* index into template font roles */
  bool vertical; /* one character per line, centred; a text with line
                    breaks keeps its lines (年度\n履职\n目标) */
  /* with a rowspan: the text goes in rows text_row.. of the span (0-based),
   * aligned there by valign; 0 = the whole span */
  int text_row;
  bool rule_above; /* in a band without borders: a line over the cell */
  jx_pos pos;
} jx_tcell;

typedef struct jx_trow {
  jx_tcell *cells;
  size_t count;
  double min_height;   /* points; 0 = as tall as the text needs */
  bool keep_with_next; /* on one page with the row after it */
  /* a packet's cover (`each`): a row repeated for each kind of total
   * (JX_EACH_TOTAL), or shown instead of those that do not fit on the
   * page (JX_EACH_MORE); 0 for any other row */
  enum { JX_EACH_NONE, JX_EACH_TOTAL, JX_EACH_MORE } each;
  jx_pos pos;
} jx_trow;

/* Cell style for the grid's data cells. */
typedef struct jx_tstyle {
  jx_halign halign;
  jx_valign valign;
  int font;
} jx_tstyle;

/* Where one side of a grid (or the plain list) puts its cells: the band
 * column of each declared grid column (-1: not printed by this side), and
 * each column's style. */
typedef struct jx_tside {
  int list;    /* the side's index in the grid's declaration (0 if none) */
  int *col_at; /* per grid column */
  jx_tstyle *styles;
} jx_tside;

/* A band that prints a declared grid (content.h): the indicator grid
 * with its frame, or a plain sub-table. */
typedef struct jx_tgrid {
  int grid;        /* index of the grid in the template's content */
  jx_trow *header; /* the column-header rows (a cell may span them) */
  size_t header_count;
  bool repeat_header; /* repeat it on continuation pages */
  int label_col;      /* vertical label spanning header + rows; -1 none */
  const char *label;  /* the grid's vertical label */
  int level1_col;     /* shared 一级 column; -1 none */
  bool level1_repeat; /* print the 一级 on every row, not merged */
  bool hide_empty;    /* leave out 二级 groups with no rows */
  int min_rows;       /* a plain list prints at least this many rows */
  bool *merge; /* per grid column: in a plain list, a run of rows with the
                  same value here (and in the merged columns before it)
                  is one cell spanning them; NULL: none */
  jx_tside *sides;
  size_t side_count;
  jx_tstyle label_style, level1_style;
  jx_halign label_align; /* the vertical label across its column */
} jx_tgrid;

typedef enum { JX_BAND_ROWS, JX_BAND_GRID } jx_band_kind;

typedef struct jx_tband {
  jx_band_kind kind;
  bool borderless; /* `borders: false`: no rules but cells' rule_above */
  double *columns; /* widths, points */
  size_t column_count;
  jx_trow *rows; /* JX_BAND_ROWS */
  size_t row_count;
  jx_tgrid grid; /* JX_BAND_GRID */
} jx_tband;

/* A line of text outside the table (title, subtitle, footer item). */
typedef struct jx_tline {
  const char *pattern;
  int font;
  double x;        /* points from the table's left edge (footer), or 0 */
  double baseline; /* points below the top margin (heading lines) */
  jx_halign halign;
} jx_tline;

/* A packet's cover or contents (`packet: {cover, contents}`): a table of
 * borderless bands set from top_first points below the top margin (its
 * continuation pages from top_next), its placeholders filled from the
 * packet's facts. */
typedef struct jx_tpart {
  double top_first, top_next;
  jx_tband *bands; /* the cover's rows; the contents' first rows (its
                      heading), with the columns of the rows below */
  size_t band_count;
} jx_tpart;

/* The kinds of row of a packet's contents, in the order of the keys of
 * `packet.contents.rows` (template.c packet_row_keys). */
typedef enum {
  JX_PROW_DEPARTMENT,     /* a department's heading */
  JX_PROW_CONTINUED,      /* its heading again on a page it goes on to */
  JX_PROW_PROJECT,        /* a project: name, amount, first page */
  JX_PROW_SUBTOTAL,       /* a department's total */
  JX_PROW_SUBTOTAL_KINDS, /* one kind of it, in a packet of several kinds */
  JX_PROW_SECTION,        /* heads the departments' totals when departments
                             interleave (--order=input, name) */
  JX_PROW_DEPT_SUM,       /* a department's total there */
  JX_PROW_DEPT_SUM_KINDS, /* one kind of it, in a packet of several kinds */
  JX_PROW_TOTAL,          /* the packet's total */
  JX_PROW_TOTAL_KINDS,    /* one kind of it, in a packet of several kinds */
  JX_PROW_COUNT
} jx_prow_kind;

/* What the packet adds to its forms (`packet:`), all of it words and
 * places a bureau changes: see docs/templates.md 3.17. */
typedef struct jx_tpacket {
  bool present;                /* the template has a `packet` section */
  jx_tpart cover;              /* one page */
  jx_tpart contents;           /* its bands[0] also gives the rows' columns */
  jx_trow rows[JX_PROW_COUNT]; /* count 0: not printed; the _KINDS rows
                                  default to their plain ones */
  jx_tline footer;             /* on each form page; pattern NULL: none */
  double footer_bottom;        /* its baseline above the page's bottom */
  const char *year_range;      /* {packet.years} of several years */
  const char *blank;           /* {packet.blank} when the front ends with a
                                  blank page (--duplex) */
  const char *missing;         /* {amount} of a project that has none */
  const char *subject;         /* the PDF's subject; NULL: none */
  const char *cover_label, *contents_label; /* page labels; NULL: none */
} jx_tpacket;

typedef struct jx_template {
  const char *name;
  const char *path;
  const char *title;  /* document title, e.g. the form's title */
  const char *author; /* document author; may be NULL */
  double page_width, page_height;
  double margin_left, margin_right, margin_top, margin_bottom;
  double table_width;
  double table_top_first; /* points below top margin, first page of a form */
  double table_top_next;  /* continuation pages */
  double padding_x, padding_y;
  double rule_width;
  jx_font_role *fonts;
  size_t font_count;
  int body_font;
  jx_break_rules rules;
  jx_tline *heading; /* title lines on a form's first page */
  size_t heading_count;
  jx_tline *footer; /* after the last row */
  size_t footer_count;
  double footer_gap; /* points between the table and the footer baseline */
  /* When footer_flow is set the items are set one after another on one
   * line, footer_item_gap points apart, and the line is aligned in the
   * table's width by footer_align (their x is ignored). */
  bool footer_flow;
  jx_halign footer_align;
  double footer_item_gap;
  jx_tband *bands;
  size_t band_count;
  jx_content content; /* what the form holds (content.h) */
  jx_tpacket packet;  /* the cover, contents and footers of a packet */
} jx_template;

/* Loads templates/NAME.yaml from `dir`, resolving its fonts in `fonts`.
 * Returns NULL with diagnostics on error.  Allocated in `arena`. */
jx_template *jx_template_load(jx_arena *arena, jx_diag_list *diags,
                              jx_fonts *fonts, const char *dir,
                              const char *name);

/* As jx_template_load, for a template held in memory (data[0..size),
 * named `name` in messages); a base it `extends` is read from `dir`.  For
 * the template fuzz target and tests. */
jx_template *jx_template_load_buffer(jx_arena *arena, jx_diag_list *diags,
                                     jx_fonts *fonts, const char *dir,
                                     const char *name, const char *data,
                                     size_t size);

#endif
