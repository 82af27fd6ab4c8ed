/*
 * jxlimits.h — every named limit of jxform, in one place.
 *
 * jxform runs unattended on files written by many people: each limit
 * bounds the time and memory one input can take, and each is enforced by
 * exactly one stage with an error that names the limit and its value
 * (never a silent truncation).  tests/unit/test_limits.c hits every one.
 *
 * (Not called limits.h: the source folder is on the include path, and
 * that name would hide the C library's <limits.h>.)
 */
#ifndef JX_JXLIMITS_H
#define JX_JXLIMITS_H

/* Bytes per input file (project or template), checked before parsing by
 * load.c (and again by yaml.c for any YAML text). */
#define JX_LIMIT_FILE_BYTES (4u * 1024u * 1024u)
#define JX_LIMIT_FILE_TEXT "4 MiB"

/* Nesting depth of YAML mappings and sequences (yaml.c).  A project file
 * needs 4 levels, a template 6. */
#define JX_LIMIT_YAML_DEPTH 64

/* Values (scalars, mappings and sequences) in one YAML file (yaml.c):
 * bounds the memory a file can take to a few MB.  A project with the
 * largest number of indicators (500) has about 6,000. */
#define JX_LIMIT_YAML_NODES 100000

/* Characters (Unicode code points) in one text value, that is one cell of
 * the form (load.c).  About ten pages of one column of text. */
#define JX_LIMIT_CELL_CHARS 10000

/* Grid rows (indicators) per form, both sides together (load.c). */
#define JX_LIMIT_INDICATORS 500

/* Problems listed per file: past it, parsing stops (yaml.c) and unknown
 * keys are no longer listed (load.c), so a file of 500,000 repeated keys
 * or aliases costs no more than one with 100. */
#define JX_LIMIT_DIAGNOSTICS 100

/* Pages one form may take once laid out (layout.c). */
#define JX_LIMIT_PAGES 100

/* Projects in one PDF made by jx_render_pdf (render -o with several
 * inputs), which lays every form out in memory first, about 0.2 MB each
 * (session.c). */
#define JX_LIMIT_PROJECTS 1000

/* Projects per packet (jx_packet_render, packet.c), which streams pages
 * to the file with flat memory: a sanity bound, a province's worth. */
#define JX_LIMIT_PACKET_PROJECTS 100000

#endif
