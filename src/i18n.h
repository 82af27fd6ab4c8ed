#ifndef JX_I18N_H
#define JX_I18N_H
/*
 * i18n.h — the message catalogue (GNU gettext, text domain "jxform").
 *
 * Messages are written in English in the source (the msgids); the
 * catalogues in po/ give their Chinese (zh_CN) and English texts.  The
 * library only looks messages up; which language is chosen is the
 * program's business (the CLI follows --lang, then LANGUAGE, LC_ALL,
 * LC_MESSAGES and LANG: see main.c).
 *
 *   _("text")    the text in the chosen language (static storage)
 *   N_("text")   marks a text for the catalogue without looking it up,
 *                for tables; look it up with _() where it is used
 */

/* The translation of `msgid`, or `msgid` itself when the catalogue has
 * none.  The result is never freed. */
const char *jx_tr(const char *msgid) __attribute__((format_arg(1)));

/* The msgid of `text` when it is a translation jx_tr returned, else
 * `text` itself: the source-language form of a translated fragment. */
const char *jx_tr_source(const char *text);

#define _(s) jx_tr(s)
#define N_(s) (s)

#endif
