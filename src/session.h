/*
 * session.h — internal entry points of session.c that are not part of
 * the public API: for the fuzz targets (fuzz/) and tests, which run many
 * inputs through one session.
 */
#ifndef JX_SESSION_H
#define JX_SESSION_H

#include "jxform/jxform.h"

/* Lays out the projects and renders them, in order, into one PDF held in
 * memory: *data (malloc'd, the caller frees) and *size.  Returns false
 * (with *data NULL) after recording diagnostics in the session. */
bool jx_render_pdf_memory(jx_session *session, jx_project *const *projects,
                          size_t count, char **data, size_t *size);

/* Whether render writes PDF/A-2b (jx_session_set_pdfa). */
bool jx_session_pdfa(const jx_session *session);

/* Forgets every diagnostic recorded so far (templates and fonts stay
 * loaded), so that a long-running caller does not accumulate them. */
void jx_session_clear_diagnostics(jx_session *session);

/* Loads project file `path` again, as jx_project_load does, for a second
 * pass over files whose diagnostics the first pass recorded (`render`
 * renders file by file, not holding them all): when it loads, its
 * diagnostics are dropped; when it does not (the file changed in
 * between), they are recorded in the session.  Returns NULL then. */
jx_project *jx_project_reload(jx_session *session, const char *path);

/* ---- the rules across projects, without holding the projects ----
 *
 * `check` and `render` of many files keep of each project only what the
 * rules across projects (jx_check_projects: value-other-total) read —
 * its path and name, the totals of its money blocks, and the grid values
 * that may be plain amounts with their positions: about 2 KB against
 * some 90 KB — and free the project right after loading it.  jx_check_projects
 * runs through these summaries too: the diagnostics are the same, in the same
 * order.  A jx_across points into the session's templates: free it
 * before the session. */
typedef struct jx_across jx_across;

/* An empty set of summaries (never NULL: aborts when out of memory). */
jx_across *jx_across_new(void);
void jx_across_free(jx_across *across);
/* Adds the summary of `project` after those added before; the project
 * may be freed right after. */
void jx_across_add(jx_across *across, const jx_project *project);
/* How many projects were added. */
size_t jx_across_count(const jx_across *across);
/* jx_check_projects over the projects added, in the order they were
 * added: records warnings (errors with strict) in the session; returns
 * false if any error was recorded. */
bool jx_across_check(jx_session *session, const jx_across *across);

#endif
