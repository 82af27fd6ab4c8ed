/*
 * render-forms.c — the library's `render` (jx_render_pdf,
 * jx_render_pdf_stream, jx_render_pdf_memory): loaded projects through
 * the pipeline that packets use (document.h: a plain document, one worker
 * on the calling thread) into the libharu sink (sink.h).  Kept apart from
 * session.c, which the pipeline itself calls, so that no two files call
 * each other.
 */
#include "jxform/jxform.h"

#include "document.h"
#include "jxlimits.h"
#include "packet.h"
#include "session.h"
#include "sink.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

/* Lays out `projects` (count >= 1) and writes them through the libharu
 * sink: to out_path, or, when `data` is not NULL, into a malloc'd buffer
 * (*data, *size; the caller frees *data).  The pipeline of packets
 * (document.h) with a plain document, on the calling thread; nothing is
 * written when a project cannot be laid out.  Returns true on success,
 * false after recording diagnostics in the session. */
static bool layout_and_render(jx_session *s, jx_project *const *projects,
                              size_t count, const char *out_path, char **data,
                              size_t *size) {
  const jx_template *t;
  const jx_model *m0 = jx_project_parts(projects[0], &t);
  const jx_text *name = jx_model_field(m0, t->content.index_name);
  jx_render_info info = {
      .title = t->title,
      .subject = count == 1 && name && name->present ? name->str : t->title,
      .author = t->author ? t->author : "jxform",
      .pdfa = jx_session_pdfa(s)};
  const char *where = data ? "<memory>" : out_path;
  jx_sink *sink = data ? jx_sink_hpdf_memory(jx_session_fonts(s),
                                             jx_session_diags(s), data, size)
                       : jx_sink_hpdf_open(out_path, jx_session_fonts(s),
                                           jx_session_diags(s));
  jx_document doc;
  jx_document_open_sink(&doc, s, sink, &info, where, NULL);
  const char **names = jx_xcalloc(count, sizeof *names);
  for (size_t i = 0; i < count; i++) {
    const jx_template *ti;
    names[i] = jx_project_parts(projects[i], &ti)->path;
  }
  jx_packet_options opt = {.order_input = true, .threads = 1};
  jx_pipeline run = {.inputs = names,
                     .projects = projects,
                     .count = count,
                     .opt = &opt,
                     .on_caller = true,
                     .all_or_nothing = true};
  bool ok = jx_pipeline_run(s, &run, &doc, where, NULL, NULL);
  free(names);
  return ok;
}

/* True if `count` projects may go into one PDF (named `where` in the
 * diagnostic otherwise). */
static bool count_fits(jx_session *s, size_t count, const char *where) {
  if (count == 0) {
    jx_error(jx_session_diags(s), ((jx_pos){where, 0, 0}),
             "no project to render");
    return false;
  }
  if (count > JX_LIMIT_PROJECTS) {
    jx_error(jx_session_diags(s), ((jx_pos){where, 0, 0}),
             "cannot put %zu projects in one PDF: the limit is %d; split "
             "them into several",
             count, JX_LIMIT_PROJECTS);
    return false;
  }
  return true;
}

bool jx_render_pdf(jx_session *s, jx_project *const *projects, size_t count,
                   const char *out_path) {
  return count_fits(s, count, out_path) &&
         layout_and_render(s, projects, count, out_path, NULL, NULL);
}

bool jx_render_pdf_stream(jx_session *s, jx_project *const *projects,
                          size_t count, FILE *out) {
  if (!count_fits(s, count, "<stdout>"))
    return false;
  char *data = NULL;
  size_t size = 0;
  if (!jx_render_pdf_memory(s, projects, count, &data, &size))
    return false;
  bool ok = fwrite(data, 1, size, out) == size && fflush(out) == 0;
  free(data);
  if (!ok)
    jx_error(jx_session_diags(s), ((jx_pos){"<stdout>", 0, 0}),
             "cannot write the PDF to standard output");
  return ok;
}

/* ---- internal entry points (session.h) ---- */

bool jx_render_pdf_memory(jx_session *s, jx_project *const *projects,
                          size_t count, char **data, size_t *size) {
  *data = NULL;
  *size = 0;
  if (count == 0) {
    jx_error(jx_session_diags(s), ((jx_pos){"<memory>", 0, 0}),
             "no project to render");
    return false;
  }
  return layout_and_render(s, projects, count, NULL, data, size);
}
