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

/* ---- Workbooks read by `jxform import` (book.c, book-xlsx.c,
 * book-xls.c, book-csv.c).  A workbook is untrusted: a zip can unpack to
 * far more than its size, an XML part can nest without end, a sheet can
 * claim two million cells.  Each limit below is one error naming the
 * file (and the sheet or cell when known). ---- */

/* Bytes of one workbook file (.xlsx, .xls or .csv), checked before it is
 * read.  A 2-million-cell .xlsx is about 30 MB. */
#define JX_LIMIT_BOOK_BYTES (64u * 1024u * 1024u)
#define JX_LIMIT_BOOK_TEXT "64 MiB"

/* Unpacked bytes of one part of an .xlsx (a sheet's XML, the shared
 * strings, the styles), from the zip's directory and again while
 * unpacking; and of all the parts read together. */
#define JX_LIMIT_BOOK_PART_BYTES (64u * 1024u * 1024u)
#define JX_LIMIT_BOOK_PART_TEXT "64 MiB"
#define JX_LIMIT_BOOK_UNPACKED_BYTES (256u * 1024u * 1024u)
#define JX_LIMIT_BOOK_UNPACKED_TEXT "256 MiB"

/* Unpacked size over packed size of a part above
 * JX_LIMIT_BOOK_RATIO_FLOOR bytes: spreadsheet XML packs 10 to 30 times,
 * a zip bomb thousands of times. */
#define JX_LIMIT_BOOK_RATIO 100
#define JX_LIMIT_BOOK_RATIO_FLOOR (1024u * 1024u)

/* Files inside one .xlsx zip (Excel writes 10 to a few hundred). */
#define JX_LIMIT_BOOK_ENTRIES 10000

/* Sheets per workbook. */
#define JX_LIMIT_BOOK_SHEETS 1000

/* Non-empty cells of all the sheets of one workbook together. */
#define JX_LIMIT_BOOK_CELLS 2000000

/* Shared strings (distinct texts) of one .xlsx; their bytes are bounded
 * by JX_LIMIT_BOOK_PART_BYTES. */
#define JX_LIMIT_BOOK_STRINGS 1000000

/* Merged ranges of all the sheets of one workbook together. */
#define JX_LIMIT_BOOK_MERGES 100000

/* Number formats plus cell formats (styles.xml) of one .xlsx (Excel
 * allows 64,000 cell formats). */
#define JX_LIMIT_BOOK_STYLES 200000

/* Nesting depth of the XML elements of one .xlsx part (a sheet needs
 * 7: worksheet, sheetData, row, c, is, r, t). */
#define JX_LIMIT_BOOK_XML_DEPTH 64

/* Cell positions (rows × columns as each sheet declares them) that the
 * .xls reader looks at, all sheets together: libfreexl gives cells by
 * position only.  A full BIFF 8 sheet (65,536 × 256) is 16.8 million. */
#define JX_LIMIT_BOOK_XLS_GRID (64u * 1024u * 1024u)

/* Seconds libfreexl may take to read one .xls (it runs in a child
 * process, killed past this): it counts dates day by day, so a crafted
 * file of millions of far-future dates would keep it busy for hours. */
#define JX_LIMIT_BOOK_XLS_SECONDS 30

/* The last row and column a sheet can have, as in Excel: XFD1048576. */
#define JX_LIMIT_BOOK_ROWS 1048576u
#define JX_LIMIT_BOOK_COLS 16384u

#endif
