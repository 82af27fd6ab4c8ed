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
 * A packet's PDF is a streaming sink (sink.h): the forms' pages come
 * encoded by its encoders on the workers, the front matter and footers as
 * display pages.  A plain document (`render` through the libharu sink, a
 * --split file through a streaming sink) is the forms' pages in input
 * order and nothing else; a sink that does not encode is handed the
 * display pages as they come.
 */
#include "document.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

bool jx_document_open(jx_document *doc, jx_session *session,
                      const jx_packet_options *opt, const char *out_path) {
  jx_sink *sink =
      jx_sink_stream_open(out_path, jx_session_fonts(session),
                          &JX_SINK_STREAM_PACKET, jx_session_diags(session));
  *doc = (jx_document){0};
  if (sink)
    jx_document_open_packet(doc, session, opt, sink, out_path);
  return sink != NULL;
}

void jx_document_open_packet(jx_document *doc, jx_session *session,
                             const jx_packet_options *opt, jx_sink *sink,
                             const char *out_path) {
  *doc = (jx_document){.session = session,
                       .opt = opt,
                       .out_path = out_path,
                       .sink = sink,
                       .packet = true,
                       .diags = jx_session_diags(session)};
}

void jx_document_open_sink(jx_document *doc, jx_session *session, jx_sink *sink,
                           const jx_render_info *info, const char *where,
                           jx_diag_list *diags) {
  *doc = (jx_document){.session = session,
                       .out_path = where,
                       .sink = sink,
                       .info = *info,
                       .diags = diags ? diags : jx_session_diags(session)};
}

void jx_document_add(jx_document *doc, const jx_template *tpl,
                     const jx_entry *e, const jx_bytes *pages,
                     const jx_layout *layout) {
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
  for (size_t p = 0; p < e->page_count && !doc->failed; p++) {
    if (pages) {
      to->objs[p] = jx_sink_add_encoded(doc->sink, &pages[p]);
    } else {
      to->objs[p] =
          jx_sink_add_page(doc->sink, &layout->pages[p], layout->page_height);
      doc->failed = to->objs[p] == 0;
    }
  }
}

/* Finishes a plain document: its forms' pages in input order, nothing
 * added (see jx_document_finish). */
static bool finish_plain(jx_document *doc, size_t *pdf_pages,
                         size_t *form_pages) {
  size_t total = 0;
  for (size_t i = 0; i < doc->count; i++)
    total += doc->entries[i].page_count;
  bool ok = !doc->failed;
  if (ok && total == 0) {
    jx_error(doc->diags, ((jx_pos){doc->out_path, 0, 0}),
             "cannot write the PDF: no pages to write");
    ok = false;
  }
  jx_sink_page *pages = jx_xcalloc(total ? total : 1, sizeof *pages);
  for (size_t i = 0, p = 0; i < doc->count; i++) {
    jx_entry *e = &doc->entries[i];
    e->first_page = p;
    for (size_t k = 0; k < e->page_count; k++, p++)
      pages[p] = (jx_sink_page){.contents = {e->objs[k], 0},
                                .width = e->page_width,
                                .height = e->page_height};
  }
  jx_sink_doc pd = {.pages = pages, .page_count = total, .info = doc->info};
  if (ok)
    ok = jx_sink_close(doc->sink, &pd);
  else
    jx_sink_abort(doc->sink);
  doc->sink = NULL;
  *pdf_pages = *form_pages = ok ? total : 0;
  free(pages);
  return ok;
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
static bool write_pages(jx_document *doc, const jx_front *fr,
                        jx_entry *const *es, size_t n, size_t main0,
                        size_t main_pages, jx_sink_page *pages) {
  jx_measure *ms = jx_session_measure(doc->session);
  const jx_template *tpl = doc->tpl;
  bool ok = true;
  for (size_t p = 0; p < fr->layout.page_count && ok; p++) {
    pages[p].contents[0] =
        jx_sink_add_page(doc->sink, &fr->layout.pages[p], tpl->page_height);
    ok = pages[p].contents[0] != 0;
  }
  for (size_t i = 0; i < n && ok; i++) {
    for (size_t k = 0; k < es[i]->page_count && ok; k++) {
      size_t p = es[i]->first_page + k;
      pages[p].contents[0] = es[i]->objs[k];
      pages[p].width = es[i]->page_width;
      pages[p].height = es[i]->page_height;
      /* one footer at a time: memory does not grow with the pages */
      jx_arena arena;
      jx_arena_init(&arena);
      jx_layout footer = {.arena = &arena};
      jx_footer_page(ms, tpl, p - main0 + 1, main_pages, &footer);
      pages[p].contents[1] =
          jx_sink_add_page(doc->sink, &footer.pages[0], tpl->page_height);
      ok = pages[p].contents[1] != 0;
      jx_arena_free(&arena);
    }
  }
  return ok;
}

/* The bookmarks of es[0..n): each department (open in packets of 100
 * projects or fewer), its projects under it.  Returns them (malloc'd, the
 * caller frees; *count of them), titles in `arena` or the entries. */
static jx_sink_outline *outlines(jx_arena *arena, jx_entry *const *es, size_t n,
                                 size_t *count) {
  jx_sink_outline *ol = jx_xcalloc(2 * n, sizeof *ol);
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
static size_t page_labels(jx_sink_label labels[3], const jx_tpacket *pk,
                          const jx_front *fr, size_t main0) {
  size_t nlab = 0;
  if (fr->cover_pages)
    labels[nlab++] = pk->cover_label ? (jx_sink_label){0, 0, pk->cover_label, 0}
                                     : (jx_sink_label){0, 'D', NULL, 1};
  if (fr->contents_pages)
    labels[nlab++] =
        (jx_sink_label){fr->cover_pages, 'D', pk->contents_label, 1};
  if (main0 || !nlab)
    labels[nlab++] = (jx_sink_label){main0, 'D', NULL, 1};
  return nlab;
}

bool jx_document_finish(jx_document *doc, size_t *pdf_pages,
                        size_t *form_pages) {
  if (!doc->packet)
    return finish_plain(doc, pdf_pages, form_pages);
  const jx_packet_options *opt = doc->opt;
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
  jx_front_build(jx_session_measure(doc->session), &fin, 0, &fr);
  bool ok = !doc->failed; /* a page the sink could not take: recorded */
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
  jx_sink_page *pages = jx_xcalloc(total, sizeof *pages);
  for (size_t p = 0; p < total; p++)
    pages[p].width = tpl->page_width, pages[p].height = tpl->page_height;
  if (ok)
    ok = write_pages(doc, &fr, es, n, main0, main_pages, pages);

  size_t no = 0;
  jx_sink_outline *ol = outlines(&arena, es, n, &no);
  jx_sink_label labels[3];
  size_t nlab = page_labels(labels, &tpl->packet, &fr, main0);
  jx_sink_doc pd = {.pages = pages,
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
  if (ok)
    ok = jx_sink_close(doc->sink, &pd);
  else
    jx_sink_abort(doc->sink);
  doc->sink = NULL;
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
  jx_sink_abort(doc->sink);
  doc->sink = NULL;
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
