/*
 * render-one.c — the smallest program on libjxform: renders one project
 * file to a PDF, printing the diagnostics as jxform does.
 *
 *   cc render-one.c $(pkg-config --cflags --libs jxform) -o render-one
 *   ./render-one project.yaml form.pdf
 *
 * Built by tests/e2e/install.sh against an installed libjxform, with
 * pkg-config and with CMake's find_package(jxform) (CMakeLists.txt here).
 */
#include <jxform/jxform.h>

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: render-one FILE.yaml OUT.pdf\n");
    return 2;
  }
  jx_session *session = jx_session_new(NULL);
  if (!session)
    return 1;
  jx_project *project = jx_project_load(session, argv[1]);
  bool ok = project && jx_render_pdf(session, &project, 1, argv[2]);
  for (size_t i = 0; i < jx_diagnostic_count(session); i++)
    jx_diagnostic_print(jx_diagnostic_at(session, i), stderr);
  jx_project_free(project);
  jx_session_free(session);
  return ok ? 0 : 1;
}
