#ifndef JX_DATADIR_H
#define JX_DATADIR_H
/*
 * datadir.h — where jxform finds its data: templates and message
 * catalogues, wherever it is installed.
 *
 * Templates, first that applies:
 *   1. the folder the caller names (--template-dir, jx_options)
 *   2. $JXFORM_TEMPLATE_DIR
 *   3. $JXFORM_DATA_DIR/templates
 *   4. ../share/jxform/templates beside the program (or beside
 *      libjxform.so: its lib folder's share/jxform/templates), when it
 *      exists: an installed copy, moved anywhere with its prefix
 *   5. the source tree's templates/ (a program run from its build folder)
 * Message catalogues: $JXFORM_LOCALE_DIR, then ../share/locale beside the
 * program or library when it holds jxform's, then the build's locale/.
 */
#include <stddef.h>

/* The templates folder when none is named (steps 2–5 above).  Returns a
 * string owned by the module (valid until exit). */
const char *jx_default_template_dir(void);
/* The message catalogue folder (see above); owned by the module. */
const char *jx_default_locale_dir(void);
/* Where the program's (or library's) own file is, or "" when unknown;
 * owned by the module. */
const char *jx_self_path(void);

#endif
