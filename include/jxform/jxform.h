/*
 * jxform.h — public interface of the jxform library.
 *
 * jxform turns YAML project definitions into PDFs of the Chinese
 * 项目支出绩效目标表 (project expenditure performance-target form).
 * The pipeline is load → validate → layout → render; a jx_session owns
 * the templates and fonts shared by every project it handles, and each
 * jx_project owns its own memory (one arena, freed by jx_project_free).
 *
 * Convention: functions returning bool return true on success.  Problems
 * are recorded as diagnostics in the session; the library never prints.
 */
#ifndef JXFORM_JXFORM_H
#define JXFORM_JXFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define JX_EXPORT __attribute__((visibility("default")))
#else
#define JX_EXPORT
#endif

#define JXFORM_VERSION "0.1.0"

typedef enum { JX_SEV_NOTE, JX_SEV_WARNING, JX_SEV_ERROR } jx_severity;

/* One diagnostic.  Strings live as long as the session that made them. */
typedef struct jx_diagnostic {
  jx_severity severity;
  const char *file; /* may be NULL for problems with no file */
  unsigned line;    /* 1-based; 0 when unknown */
  unsigned column;  /* 1-based; 0 when unknown */
  const char *message;
} jx_diagnostic;

typedef struct jx_session jx_session;
typedef struct jx_project jx_project;

/* Session options.  NULL fields take defaults. */
typedef struct jx_options {
  const char *template_dir; /* folder holding NAME.yaml templates; default:
                               $JXFORM_TEMPLATE_DIR, then the build/install
                               template folder */
} jx_options;

/* Creates a session.  Returns NULL only when out of memory.  Free with
 * jx_session_free. */
JX_EXPORT jx_session *jx_session_new(const jx_options *options);
JX_EXPORT void jx_session_free(jx_session *session);

/* Diagnostics recorded so far, in the order they were found. */
JX_EXPORT size_t jx_diagnostic_count(const jx_session *session);
JX_EXPORT const jx_diagnostic *jx_diagnostic_at(const jx_session *session,
                                                size_t index);
/* Number of diagnostics of severity error recorded so far. */
JX_EXPORT size_t jx_error_count(const jx_session *session);
/* Formats one diagnostic as "file:line:col: severity: message". */
JX_EXPORT void jx_diagnostic_print(const jx_diagnostic *diag, FILE *out);

/* Loads and validates one YAML project.  Returns NULL when the file has
 * errors (recorded in the session).  The project belongs to the caller:
 * free it with jx_project_free. */
JX_EXPORT jx_project *jx_project_load(jx_session *session, const char *path);
/* Same, from a buffer; `name` is used in diagnostics. */
JX_EXPORT jx_project *jx_project_load_buffer(jx_session *session,
                                             const char *name, const char *data,
                                             size_t size);
JX_EXPORT void jx_project_free(jx_project *project);

/* Prints the loaded model as stable text. */
JX_EXPORT bool jx_project_dump_model(const jx_project *project, FILE *out);
/* Lays the project out and prints the display list as stable text. */
JX_EXPORT bool jx_project_dump_layout(jx_session *session, jx_project *project,
                                      FILE *out);

/* Lays out the projects and writes them, in order, as one PDF at
 * out_path (written to a temporary file and renamed into place). */
JX_EXPORT bool jx_render_pdf(jx_session *session, jx_project *const *projects,
                             size_t count, const char *out_path);

#ifdef __cplusplus
}
#endif
#endif
