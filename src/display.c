/*
 * display.c — building and dumping the display list (see display.h).
 */
#include "display.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

jx_dpage *jx_layout_add_page(jx_layout *layout) {
  layout->pages =
      jx_arena_grow(layout->arena, layout->pages, sizeof *layout->pages,
                    &layout->page_cap, layout->page_count + 1);
  jx_dpage *p = &layout->pages[layout->page_count++];
  memset(p, 0, sizeof *p);
  return p;
}

/* Rounds to 1/1000 pt, so that edges computed from different column sums
 * compare equal and collinear rules can be merged exactly. */
static double snap(double v) { return round(v * 1000.0) / 1000.0; }

void jx_dpage_add_rule(jx_arena *arena, jx_dpage *page, double x0, double y0,
                       double x1, double y1, double width) {
  x0 = snap(x0), y0 = snap(y0), x1 = snap(x1), y1 = snap(y1);
  page->rules = jx_arena_grow(arena, page->rules, sizeof *page->rules,
                              &page->rule_cap, page->rule_count + 1);
  page->rules[page->rule_count++] = (jx_drule){x0, y0, x1, y1, width};
}

void jx_dpage_add_box(jx_arena *arena, jx_dpage *page, double x, double y,
                      double w, double h, double gray) {
  page->boxes = jx_arena_grow(arena, page->boxes, sizeof *page->boxes,
                              &page->box_cap, page->box_count + 1);
  page->boxes[page->box_count++] = (jx_dbox){x, y, w, h, gray};
}

jx_drun *jx_dpage_add_run(jx_arena *arena, jx_dpage *page) {
  page->runs = jx_arena_grow(arena, page->runs, sizeof *page->runs,
                             &page->run_cap, page->run_count + 1);
  jx_drun *r = &page->runs[page->run_count++];
  memset(r, 0, sizeof *r);
  return r;
}

/* Prints a number with two decimals, without "-0.00". */
static void num(FILE *out, double v) {
  if (v > -0.005 && v < 0.005)
    v = 0;
  fprintf(out, "%.2f", v);
}

void jx_layout_dump(const jx_layout *layout, FILE *out) {
  for (size_t p = 0; p < layout->page_count; p++) {
    const jx_dpage *pg = &layout->pages[p];
    fprintf(out, "page %zu form %d.%d size ", p + 1, pg->form_index + 1,
            pg->form_page);
    num(out, layout->page_width);
    fputc('x', out);
    num(out, layout->page_height);
    fputc('\n', out);
    for (size_t i = 0; i < pg->box_count; i++) {
      const jx_dbox *b = &pg->boxes[i];
      fputs("  box ", out);
      num(out, b->x), fputc(' ', out), num(out, b->y), fputc(' ', out);
      num(out, b->w), fputc(' ', out), num(out, b->h), fputs(" gray ", out);
      num(out, b->gray);
      fputc('\n', out);
    }
    for (size_t i = 0; i < pg->rule_count; i++) {
      const jx_drule *r = &pg->rules[i];
      fputs("  rule ", out);
      num(out, r->x0), fputc(' ', out), num(out, r->y0), fputc(' ', out);
      num(out, r->x1), fputc(' ', out), num(out, r->y1), fputs(" w ", out);
      num(out, r->width);
      fputc('\n', out);
    }
    for (size_t i = 0; i < pg->run_count; i++) {
      const jx_drun *r = &pg->runs[i];
      fputs("  text ", out);
      num(out, r->x), fputc(' ', out), num(out, r->y);
      fprintf(out, " face %u size ", r->face);
      num(out, r->size);
      fputs(" width ", out);
      num(out, r->width);
      if (r->bold)
        fputs(" bold", out);
      if (r->char_spacing != 0) {
        fputs(" spacing ", out);
        num(out, r->char_spacing);
      }
      fprintf(out, " \"%.*s\"\n", (int)r->len, r->text);
    }
  }
}
