/*
 * document.c — a packet PDF as a whole (document.h): takes the projects'
 * pages in input order and writes them as they come (a page's content
 * does not depend on where it ends up), then, at the end, puts the
 * projects in the packet's order (order.c), numbers the pages (blank
 * pages for --duplex so that each project starts on an odd page), adds
 * the front matter and the page footers (frontmatter.c), a bookmark per
 * department and project and page labels (the cover's and the contents'
 * as the template's packet section names them, then 1… matching the
 * footers), and closes the PDF with its page tree in that order.
 */
#include "document.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

bool jx_document_open(jx_document *doc, jx_session *session,
                      const jx_packet_options *opt, const char *out_path) {
  *doc = (jx_document){.session = session, .opt = opt, .out_path = out_path};
  doc->pdf = jx_pdf_open(out_path, jx_session_diags(session));
  if (!doc->pdf)
    return false;
  jx_pdf_set_font_level(doc->pdf, 6); /* once per packet: speed over 0.2% */
  return true;
}

void jx_document_add(jx_document *doc, const jx_template *tpl,
                     const jx_entry *e, const jx_bytes *pages) {
  /* the first project's template, or the first one with a packet
   * section (cover, contents, footers) */
  if (!doc->tpl || (!doc->tpl->packet.present && tpl->packet.present))
    doc->tpl = tpl;
  if (doc->count == doc->cap) {
    doc->cap = doc->cap ? 2 * doc->cap : 64;
    doc->entries = jx_xrealloc(doc->entries, doc->cap * sizeof *doc->entries);
  }
  jx_entry *to = &doc->entries[doc->count++];
  *to = *e;
  to->objs = jx_xcalloc(e->page_count, sizeof *to->objs);
  for (size_t p = 0; p < e->page_count; p++)
    to->objs[p] = jx_pdf_add_stream(doc->pdf, &pages[p]);
}

/* Puts the entries in the packet's order and numbers their departments
 * and kinds of total (*depts, *kinds, *kind_count).  Names are compared
 * with ICU's Chinese collation (拼音 order), opened once for the packet. */
static void order_entries(jx_document *doc, jx_entry **es, size_t n,
                          size_t *depts, jx_kind **kinds, size_t *kind_count,
                          bool *overflow) {
  const jx_packet_options *opt = doc->opt;
  jx_packet_order order = opt->order_input ? JX_ORDER_INPUT : opt->order;
  const char *no_collation = NULL;
  *depts = jx_entries_order(es, n, order, &no_collation);
  if (no_collation) {
    jx_pos pos = {doc->out_path, 0, 0};
    jx_warning(jx_session_diags(doc->session), pos,
               "ICU has no Chinese collation (%s): names are sorted by code "
               "point, not in pinyin order",
               no_collation);
  }
  *kinds = jx_kinds_number(es, n, kind_count, overflow);
}

/* Numbers the form pages of es[0..n) from 0 (each entry's first_page),
 * with a blank page before a project that would start on an even page
 * when `duplex`.  Returns how many pages they take. */
static size_t number_forms(jx_entry *const *es, size_t n, bool duplex) {
  size_t main_pages = 0;
  for (size_t i = 0; i < n; i++) {
    if (duplex && main_pages % 2)
      main_pages++;
    es[i]->first_page = main_pages;
    main_pages += es[i]->page_count;
  }
  return main_pages;
}

/* Writes the front matter's pages and each form page's footer, and sets
 * pages[] (the forms from main0 on, main_pages of them; blank pages keep
 * the template's size and no content).  Returns false after recording an
 * error. */
static bool write_pages(jx_document *doc, jx_glyph_use *use, const jx_front *fr,
                        jx_entry *const *es, size_t n, size_t main0,
                        size_t main_pages, jx_pdf_page *pages) {
  jx_fonts *fonts = jx_session_fonts(doc->session);
  jx_diag_list *diags = jx_session_diags(doc->session);
  const jx_template *tpl = doc->tpl;
  bool ok = true;
  for (size_t p = 0; p < fr->layout.page_count && ok; p++) {
    jx_bytes b;
    ok = jx_page_encode(&fr->layout.pages[p], tpl->page_height, fonts, use,
                        doc->out_path, diags, &b);
    if (ok)
      pages[p].contents[0] = jx_pdf_add_stream(doc->pdf, &b);
    free(b.data);
  }
  for (size_t i = 0; i < n && ok; i++) {
    for (size_t k = 0; k < es[i]->page_count && ok; k++) {
      size_t p = es[i]->first_page + k;
      pages[p].contents[0] = es[i]->objs[k];
      pages[p].width = es[i]->page_width;
      pages[p].height = es[i]->page_height;
      jx_bytes b;
      ok = jx_footer_stream(fonts, tpl, use, diags, p - main0 + 1, main_pages,
                            &b);
      if (ok)
        pages[p].contents[1] = jx_pdf_add_stream(doc->pdf, &b);
      free(b.data);
    }
  }
  return ok;
}

/* The bookmarks of es[0..n): each department (open in packets of 100
 * projects or fewer), its projects under it.  Returns them (malloc'd, the
 * caller frees; *count of them), titles in `arena` or the entries. */
static jx_pdf_outline *outlines(jx_arena *arena, jx_entry *const *es, size_t n,
                                size_t *count) {
  jx_pdf_outline *ol = jx_xcalloc(2 * n, sizeof *ol);
  size_t no = 0;
  int dept = -1;
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || !jx_same_dept(es[i], es[i - 1])) {
      ol[no].title = jx_dept_title(arena, es[i]);
      ol[no].page = es[i]->first_page;
      ol[no].parent = -1;
      ol[no].open = n <= 100;
      dept = (int)no++;
    }
    ol[no].title = es[i]->name;
    ol[no].page = es[i]->first_page;
    ol[no].parent = dept;
    no++;
  }
  *count = no;
  return ol;
}

/* The page labels: the cover's, the contents' numbered from 1 (when
 * there are such pages; their words are the template's cover_label and
 * contents_label), then 1… from the first form page main0, matching the
 * footers.  Returns how many of labels[0..3) are set. */
static size_t page_labels(jx_pdf_label labels[3], const jx_tpacket *pk,
                          const jx_front *fr, size_t main0) {
  size_t nlab = 0;
  if (fr->cover_pages)
    labels[nlab++] = pk->cover_label ? (jx_pdf_label){0, 0, pk->cover_label, 0}
                                     : (jx_pdf_label){0, 'D', NULL, 1};
  if (fr->contents_pages)
    labels[nlab++] =
        (jx_pdf_label){fr->cover_pages, 'D', pk->contents_label, 1};
  if (main0 || !nlab)
    labels[nlab++] = (jx_pdf_label){main0, 'D', NULL, 1};
  return nlab;
}

bool jx_document_finish(jx_document *doc, jx_glyph_use *use, size_t *pdf_pages,
                        size_t *form_pages) {
  const jx_packet_options *opt = doc->opt;
  jx_fonts *fonts = jx_session_fonts(doc->session);
  const jx_template *tpl = doc->tpl;
  size_t n = doc->count;
  jx_entry **es = jx_xcalloc(n, sizeof *es);
  for (size_t i = 0; i < n; i++)
    es[i] = &doc->entries[i];
  size_t depts = 0, kind_count = 0;
  jx_kind *kinds = NULL;
  bool overflow = false;
  order_entries(doc, es, n, &depts, &kinds, &kind_count, &overflow);

  /* main section: numbered 1..M (relative for now) */
  size_t main_pages = number_forms(es, n, opt->duplex);
  /* front matter: its size does not change the numbers above */
  jx_arena arena;
  jx_arena_init(&arena);
  jx_front fr = {0};
  fr.layout.arena = &arena;
  jx_front_in fin = {tpl, opt, es, n, kinds, kind_count, depts, main_pages};
  jx_front_build(fonts, &fin, 0, &fr);
  bool ok = true;
  if (overflow) {
    jx_pos pos = {doc->out_path, 0, 0};
    jx_error(jx_session_diags(doc->session), pos,
             "the total funds of the packet are too large to add up; make "
             "smaller packets");
    ok = false;
  }
  size_t front = fr.layout.page_count;
  size_t pad = opt->duplex && front % 2 ? 1 : 0;
  size_t main0 = front + pad;
  for (size_t i = 0; i < n; i++)
    es[i]->first_page += main0;

  size_t total = main0 + main_pages;
  jx_pdf_page *pages = jx_xcalloc(total, sizeof *pages);
  for (size_t p = 0; p < total; p++)
    pages[p].width = tpl->page_width, pages[p].height = tpl->page_height;
  if (ok)
    ok = write_pages(doc, use, &fr, es, n, main0, main_pages, pages);

  size_t no = 0;
  jx_pdf_outline *ol = outlines(&arena, es, n, &no);
  jx_pdf_label labels[3];
  size_t nlab = page_labels(labels, &tpl->packet, &fr, main0);
  jx_pdf_doc pd = {.pages = pages,
                   .page_count = total,
                   .outlines = ol,
                   .outline_count = no,
                   .labels = labels,
                   .label_count = nlab,
                   .show_outlines = true};
  pd.info.title = opt->title && *opt->title ? opt->title : tpl->title;
  pd.info.subject = fr.subject; /* the template's words */
  pd.info.author = tpl->author ? tpl->author : "jxform";
  pd.info.pdfa = !opt->no_pdfa;
  if (ok) {
    ok = jx_pdf_close(doc->pdf, &pd, fonts, use);
  } else {
    jx_pdf_abort(doc->pdf);
  }
  doc->pdf = NULL;
  *pdf_pages = ok ? total : 0;
  *form_pages = ok ? main_pages : 0;
  free(ol);
  free(pages);
  free(es);
  free(kinds);
  jx_arena_free(&arena);
  return ok;
}

void jx_document_abort(jx_document *doc) {
  if (doc->pdf)
    jx_pdf_abort(doc->pdf);
  doc->pdf = NULL;
}

void jx_document_free(jx_document *doc) {
  for (size_t i = 0; i < doc->count; i++) {
    jx_entry *e = &doc->entries[i];
    free(e->dept_code), free(e->dept_name), free(e->name), free(e->year);
    free(e->objs);
  }
  free(doc->entries);
  doc->entries = NULL;
  doc->count = doc->cap = 0;
}
