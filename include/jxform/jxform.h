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
  const char *file;    /* may be NULL for problems with no file */
  unsigned line;       /* 1-based; 0 when unknown */
  unsigned column;     /* 1-based; 0 when unknown */
  const char *message; /* in the chosen language, without the rule id */
  /* The same problem as data, for programs (`check --format=json`): */
  const char *rule;   /* rule id, e.g. "funds-sum"; NULL when none */
  const char *field;  /* id of the field concerned, e.g. "funds.annual.total";
                         NULL when the problem is not about one field */
  const char *label;  /* that field's label on the form; NULL when none */
  const char *detail; /* technical detail, e.g. the YAML parser's own words;
                         NULL when none */
  size_t arg_count;   /* the values the message quotes, in order, as text */
  const char *const *args;
  const char *cell; /* in a workbook (.xlsx, .xls, .csv): the sheet and
                       cell, "项目表!C12"; line and column are then 0.
                       NULL for other files */
} jx_diagnostic;

typedef struct jx_session jx_session;
typedef struct jx_project jx_project;

/* Session options.  NULL fields take defaults. */
typedef struct jx_options {
  const char *template_dir;    /* folder holding NAME.yaml templates; default:
                                  $JXFORM_TEMPLATE_DIR, then the build/install
                                  template folder */
  const char *import_template; /* the template of the projects in
                                  workbooks (.xlsx, .xls, .csv); NULL: the
                                  one a workbook names in a `template`
                                  cell, else the default */
} jx_options;

/* Creates a session.  Returns NULL only when out of memory.  Free with
 * jx_session_free. */
JX_EXPORT jx_session *jx_session_new(const jx_options *options);
JX_EXPORT void jx_session_free(jx_session *session);

/* With `strict` (the CLI's --strict), the warnings of the consistency
 * rules are recorded as errors: a project with any of them does not
 * load.  Off by default. */
JX_EXPORT void jx_session_set_strict(jx_session *session, bool strict);

/* With `pdfa` (the CLI's --pdfa), jx_render_pdf and jx_render_pdf_stream
 * write PDF/A-2b (ISO 19005-2 level B: XMP metadata in step with the
 * Info dictionary, an embedded sRGB output intent, fonts with their
 * cmap).  Off by default.  Packets have their own option (no_pdfa). */
JX_EXPORT void jx_session_set_pdfa(jx_session *session, bool pdfa);

/* Diagnostics recorded so far, in the order they were found. */
JX_EXPORT size_t jx_diagnostic_count(const jx_session *session);
JX_EXPORT const jx_diagnostic *jx_diagnostic_at(const jx_session *session,
                                                size_t index);
/* Number of diagnostics of severity error recorded so far. */
JX_EXPORT size_t jx_error_count(const jx_session *session);
/* Prints jxform's version, the versions of the libraries in use
 * (libharu, HarfBuzz, FreeType, libyaml, libunibreak, ICU, libdeflate)
 * and the folders templates and message catalogues are taken from when
 * none is named: $JXFORM_TEMPLATE_DIR, $JXFORM_DATA_DIR/templates, the
 * install's share/jxform/templates beside the program or library, then
 * the source tree (`jxform --version`). */
JX_EXPORT void jx_print_versions(FILE *out);

/* Formats one diagnostic as "file:line:col: severity: message [rule]",
 * in the chosen language. */
JX_EXPORT void jx_diagnostic_print(const jx_diagnostic *diag, FILE *out);

/* Loads and validates one YAML project.  Returns NULL when the file has
 * errors (recorded in the session).  The project belongs to the caller:
 * free it with jx_project_free.  A workbook (.xlsx, .xls or .csv; see
 * docs/import-layouts.md) is imported: "PATH#N" names its project N
 * (from 1); plain PATH loads a workbook holding one project.  Its
 * diagnostics name the workbook and the cell (`cell`). */
JX_EXPORT jx_project *jx_project_load(jx_session *session, const char *path);
/* The number of projects workbook `path` holds (what "PATH#1" … name);
 * 0 when it cannot be read or holds none (jx_project_load then says
 * why).  Records no diagnostics. */
JX_EXPORT size_t jx_workbook_projects(jx_session *session, const char *path);
/* Same, from a buffer; `name` is used in diagnostics. */
JX_EXPORT jx_project *jx_project_load_buffer(jx_session *session,
                                             const char *name, const char *data,
                                             size_t size);
JX_EXPORT void jx_project_free(jx_project *project);

/* Consistency rules across projects loaded together (an indicator value
 * equal to another project's total): records warnings (errors with
 * `strict`).  Returns false if any error was recorded. */
JX_EXPORT bool jx_check_projects(jx_session *session,
                                 jx_project *const *projects, size_t count);

/* Writes a commented YAML skeleton of a project file for template
 * `template_name` (NULL: the default, yangquan-2025) with `year:` set to
 * `year`.  Returns false after recording diagnostics when the template
 * cannot be loaded, or on a write error. */
JX_EXPORT bool jx_write_skeleton(jx_session *session, const char *template_name,
                                 int year, FILE *out);

/* Writes a workbook (.xlsx) to fill in for template `template_name`
 * (NULL: the default) to `path`, in the layout `jxform import` reads
 * (docs/import-layouts.md, layout 1): a sheet laid out like the form
 * (labels locked, input cells with drop-down lists and checks, `year`
 * filled in), a sheet per grid named by its label, and an instructions
 * sheet holding the row `template | NAME`.  It is written under a
 * temporary name beside `path` and then named `path`; an existing file
 * is never replaced.  The same arguments give the same bytes (the
 * document's date is $SOURCE_DATE_EPOCH, else 1980-01-01).  Returns
 * false after recording diagnostics; no file is left behind then. */
JX_EXPORT bool jx_write_workbook(jx_session *session, const char *template_name,
                                 int year, const char *path);

/* Writes the JSON Schema of project files for template `template_name`
 * (NULL: the default), for editors that complete and check YAML.  Returns
 * false after recording diagnostics, or on a write error. */
JX_EXPORT bool jx_write_schema(jx_session *session, const char *template_name,
                               FILE *out);

/* As jx_render_pdf, writing the PDF to `out` (standard output for
 * `-o -`); nothing is written when it fails.  Returns false after
 * recording diagnostics. */
JX_EXPORT bool jx_render_pdf_stream(jx_session *session,
                                    jx_project *const *projects, size_t count,
                                    FILE *out);

/* Lays the project out without rendering it, recording what would stop
 * it from being rendered (a character no font can draw, too many pages).
 * Returns false if anything was recorded.  `jxform check` calls it so that
 * it passes only what `render` renders. */
JX_EXPORT bool jx_project_check_layout(jx_session *session,
                                       jx_project *project);

/* Prints the loaded model as stable text. */
JX_EXPORT bool jx_project_dump_model(const jx_project *project, FILE *out);
/* Lays the project out and prints the display list as stable text. */
JX_EXPORT bool jx_project_dump_layout(jx_session *session, jx_project *project,
                                      FILE *out);

/* Lays out the projects and writes them, in order, as one PDF at
 * out_path (written to a temporary file and renamed into place). */
JX_EXPORT bool jx_render_pdf(jx_session *session, jx_project *const *projects,
                             size_t count, const char *out_path);

/* ---- packets: many projects into one PDF, or one PDF each ---- */

/* Progress of jx_packet_render, reported after each input is handled. */
typedef struct jx_packet_progress {
  size_t inputs_done, inputs_total; /* inputs handled (good or not) */
  size_t projects_done;             /* projects rendered */
  size_t pages_done;                /* their pages */
  size_t failed;                    /* inputs left out */
  double seconds;                   /* since the start */
} jx_packet_progress;

/* The order of the projects in a packet (and of its contents and
 * bookmarks).  Names are compared in 拼音 order (ICU's Chinese
 * collation), then byte by byte, then by input position. */
typedef enum jx_packet_order {
  JX_ORDER_DEPT = 0, /* department code, then project name (the default) */
  JX_ORDER_INPUT,    /* the order given */
  JX_ORDER_NAME      /* project name only (then department code) */
} jx_packet_order;

/* What jx_packet_render wrote (options->summary), filled at its end. */
typedef struct jx_packet_summary {
  size_t files;    /* PDFs written: 1 for a packet, one a project with
                      split_dir; 0 when nothing was written */
  size_t projects; /* projects in them */
  size_t pages;    /* their pages: a packet's cover, contents and blank
                      pages included */
  size_t left_out; /* inputs left out */
} jx_packet_summary;

typedef struct jx_packet_options {
  jx_packet_order order;     /* default: by department code, then name */
  bool order_input;          /* same as order = JX_ORDER_INPUT (older name) */
  bool duplex;               /* start every project on an odd page */
  bool fail_fast;            /* stop at the first broken input, write nothing */
  bool no_pdfa;              /* packets (and --split files) are PDF/A-2b by
                                default; true: plain PDF (--no-pdfa) */
  const char *split_dir;     /* one PDF per project in this folder instead */
  const char *split_pattern; /* file names in split_dir; default
                                "{dept_code}-{name}.pdf"; also {dept_name},
                                {year}, {index} (1-based input position) */
  const char *title;         /* cover title; default: the template's */
  unsigned threads;          /* layout threads; 0 = one per CPU */
  void (*progress)(const jx_packet_progress *progress, void *user);
  void *progress_user;
  jx_packet_summary *summary; /* when not NULL: what was written */
} jx_packet_options;

/* Renders the project files `inputs` (in this order: the result's
 * contents do not depend on how threads interleave) as one packet PDF at
 * out_path — cover, contents, a bookmark per department and project, page
 * numbers and page labels — or, with split_dir, as one PDF per project.
 * A broken input is reported (diagnostics in the session, in input order)
 * and left out; `failed`, when not NULL, gets true at its index.  Returns
 * true when the output was written and every input was good; false when
 * any input was left out or nothing could be written. */
JX_EXPORT bool jx_packet_render(jx_session *session, const char *const *inputs,
                                size_t count, const jx_packet_options *options,
                                const char *out_path, bool *failed);

#ifdef __cplusplus
}
#endif
#endif
