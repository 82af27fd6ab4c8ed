/*
 * cli-help.c — the help texts of the jxform command-line tool: the whole
 * tool's (`jxform --help`) and each command's (`jxform help CMD`,
 * `jxform CMD --help`).  The texts are messages of the catalogue (po/).
 */
#include "cli.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] = N_(
    "usage: jxform render FILE.yaml|BOOK.xlsx|FOLDER... [-o OUT.pdf] "
    "[--dump=model|layout]\n"
    "       jxform check FILE.yaml|BOOK.xlsx|FOLDER... [--strict] "
    "[--format=text|json]\n"
    "       jxform new [--template T] [--year YYYY] [-o FILE.yaml]\n"
    "       jxform new --xlsx -o FILE.xlsx [--template T] [--year YYYY]\n"
    "       jxform schema [--template T] [-o FILE.json]\n"
    "       jxform packet INPUTS... -o PACKET.pdf | --split DIR [options]\n"
    "       jxform import BOOK.xlsx... [-o DIR] [--template T]\n"
    "       jxform help [COMMAND] | COMMAND --help | --version\n"
    "\n"
    "Renders 项目支出绩效目标表 forms from YAML project files.\n"
    "\n"
    "  render            render each FILE.yaml to FILE.pdf beside it, or all\n"
    "                    of them into one PDF with -o; a FOLDER stands for\n"
    "                    the project files in it (.yaml, .yml, .json,\n"
    "                    searched recursively); '-' reads standard input\n"
    "  -o, --output PDF  write all forms, in order, into PDF ('-': standard\n"
    "                    output)\n"
    "  --dump=model      print the loaded project(s) as text, no PDF\n"
    "  --dump=layout     print the laid-out pages as text, no PDF\n"
    "  check             validate each FILE.yaml, or those in a FOLDER\n"
    "                    (schema and consistency rules, docs/schema.md)\n"
    "                    without rendering; exit 1 on any error\n"
    "  --format=json     (check) print the diagnostics as JSON on stdout\n"
    "  new               write a commented project skeleton to stdout, or\n"
    "                    to FILE.yaml with -o (never overwrites)\n"
    "  --xlsx            (new) write a workbook to fill in with Excel or WPS\n"
    "                    instead, to -o FILE.xlsx; import reads it back\n"
    "  --template T      (new, schema) the form's template, default\n"
    "                    yangquan-2025 (templates/NAME.yaml); (import,\n"
    "                    render, check, packet) the template of the\n"
    "                    projects in workbooks, default: the one the\n"
    "                    workbook names\n"
    "  schema            write the JSON Schema of the template's project\n"
    "                    files (for editors), to stdout or -o FILE.json\n"
    "  packet            many projects into one PDF: cover, contents,\n"
    "                    bookmarks department -> project, page numbers and\n"
    "                    labels; INPUTS are YAML files, folders (searched\n"
    "                    recursively) or @LIST (one input per line)\n"
    "  --order=MODE      (packet) the order of the projects: dept (default:\n"
    "                    department code, then project name in 拼音 order),\n"
    "                    name (project name in 拼音 order) or input (as "
    "given)\n"
    "  --duplex          (packet) start each project on an odd page\n"
    "  --split DIR       (packet) one PDF per project in DIR instead,\n"
    "  --name PATTERN      named by PATTERN (default {dept_code}-{name}.pdf;\n"
    "                    also {dept_name} {year} {index}), made safe\n"
    "  --fail-fast       (packet) stop at the first broken input; otherwise\n"
    "                    broken inputs are reported, left out and listed\n"
    "  --threads N       (packet) layout threads (default: one per CPU)\n"
    "  --title TEXT      (packet) the cover's title\n"
    "  -q, --quiet       (packet) no progress line on a terminal; (render)\n"
    "                    no 'wrote …' line\n"
    "  --pdfa            (render) write PDF/A-2b, for archives; packets are\n"
    "                    PDF/A-2b already\n"
    "  --no-pdfa         (packet) write plain PDF instead of PDF/A-2b\n"
    "  import            write each project of each workbook (.xlsx, .xls,\n"
    "                    .csv) as a project file beside it, or in DIR with\n"
    "                    -o; render, check and packet read workbooks too\n"
    "  --dump=book       (import) print the workbook's cells as read\n"
    "  --strict          (render, check, packet) count consistency warnings\n"
    "                    as errors\n"
    "  --template-dir D  look for templates in D; without it: "
    "$JXFORM_TEMPLATE_DIR,\n"
    "                    $JXFORM_DATA_DIR/templates, "
    "../share/jxform/templates\n"
    "                    beside the program, then the source tree\n"
    "                    ('jxform --version' shows the folder in use)\n"
    "  -h, --help        show this help\n"
    "  --version         show the version\n"
    "\n"
    "  --lang=zh|en      the language of messages (default: from LANGUAGE,\n"
    "                    LC_ALL, LC_MESSAGES, LANG)\n"
    "\n"
    "Exit status: 0 success, 1 input or render error, 2 usage error.\n");

/* Each command's own help: `jxform help CMD` and `jxform CMD --help`. */
static const struct {
  const char *command, *text;
} command_help[] = {
    {"render",
     N_("usage: jxform render FILE.yaml|BOOK.xlsx|FOLDER... [-o OUT.pdf] "
        "[--dump=model|layout]\n"
        "                     [--strict] [-q] [--template T] "
        "[--template-dir D]\n"
        "\n"
        "Renders each project file to FILE.pdf beside it, or all of them, in\n"
        "order, into OUT.pdf with -o.  A FOLDER stands for the project files\n"
        "in it and its subfolders (.yaml, .yml and .json, as for packet): "
        "each\n"
        "gets its PDF beside it.  '-' reads a project from standard input\n"
        "(then -o is needed); '-o -' writes the PDF to standard output.  The\n"
        "warnings are those 'jxform check' gives for the same files.\n"
        "A workbook (.xlsx, .xls, .csv) is read as 'jxform import' reads it:\n"
        "project N of BOOK.xlsx goes to BOOK-N.pdf when it holds several.\n"
        "  --dump=model    print the loaded project(s) as text, no PDF\n"
        "  --dump=layout   print the laid-out pages as text, no PDF\n"
        "  --pdfa          write PDF/A-2b (for archives)\n"
        "  --strict        count consistency warnings as errors\n"
        "  -q, --quiet     no 'wrote …' line\n"
        "  --template T    the template of projects in workbooks (default:\n"
        "                  the one the workbook names, else yangquan-2025)\n")},
    {"check",
     N_("usage: jxform check FILE.yaml|BOOK.xlsx|FOLDER... [--strict] "
        "[--format=text|json]\n"
        "                    [--template T]\n"
        "\n"
        "Checks each project file against its template (keys, types, the\n"
        "consistency rules, and that the form can be laid out) without\n"
        "writing anything; exit 1 on any error.  A FOLDER stands for the\n"
        "project files in it and its subfolders (.yaml, .yml and .json, as\n"
        "for packet).  '-' reads standard input.  Workbooks (.xlsx, .xls,\n"
        ".csv) are checked as 'jxform import' reads them, each problem at\n"
        "its cell (book.xlsx:Sheet!C12).\n"
        "  --strict        count warnings as errors\n"
        "  --format=json   the diagnostics as JSON on standard output\n"
        "  --template T    the template of projects in workbooks\n")},
    {"new",
     N_("usage: jxform new [--template T] [--year YYYY] [-o FILE.yaml]\n"
        "       jxform new --xlsx -o FILE.xlsx [--template T] [--year YYYY]\n"
        "\n"
        "Writes a commented skeleton of a project file of template T (default\n"
        "yangquan-2025): every field with its label, ready to fill in.  -o\n"
        "never overwrites a file.\n"
        "  --xlsx   write a workbook to fill in instead (Excel, WPS,\n"
        "           LibreOffice): the form as a sheet, labels locked, lists\n"
        "           and checks on the input cells, a sheet per table;\n"
        "           'jxform import' reads it back.  Needs -o FILE.xlsx (a\n"
        "           name ending in .xlsx implies --xlsx).\n")},
    {"schema",
     N_("usage: jxform schema [--template T] [-o FILE.json]\n"
        "\n"
        "Writes the JSON Schema of template T's project files, for editors\n"
        "with yaml-language-server (completion and checks while typing).\n")},
    {"packet",
     N_("usage: jxform packet INPUTS... -o PACKET.pdf | --split DIR [options]\n"
        "\n"
        "Many projects in one PDF with a cover, contents, bookmarks and page\n"
        "numbers; INPUTS are project files, workbooks (.xlsx, .xls, .csv),\n"
        "folders (searched recursively) or @LIST files (one input a line).\n"
        "Options: --order=dept|name|input, --duplex, --split DIR [--name\n"
        "PATTERN], --fail-fast, --threads N, --title TEXT, -q, --no-pdfa\n"
        "(plain PDF; packets are PDF/A-2b), --template T (of projects in\n"
        "workbooks).  See 'jxform --help'.\n")},
    {"import",
     N_("usage: jxform import BOOK.xlsx|BOOK.csv... [-o DIR] [--template T]\n"
        "                     [--dump=book] [-q] [--template-dir D]\n"
        "\n"
        "Reads each workbook (.xlsx, .xls or .csv), laid out as the form\n"
        "(each label with its value in the cell right of it) or as a list (a\n"
        "row of labels, then one project a row), and writes each project in\n"
        "it as a project file named after its department code and name,\n"
        "beside the workbook or in DIR.  A project with errors is not\n"
        "written; each error names its cell (book.xlsx:Sheet!C12).  BOOK#N\n"
        "imports project N.\n"
        "  -o, --output DIR  write the project files into DIR\n"
        "  --template T      the projects' template (default: the one the\n"
        "                    workbook names in its row 'template', else\n"
        "                    yangquan-2025)\n"
        "  --dump=book       print the cells as read; nothing is written\n"
        "  -q, --quiet       no 'wrote …' line for each file\n")},
};

int cli_help(const char *command) {
  if (!command) {
    fputs(_(usage_text), stdout);
    return EXIT_OK;
  }
  for (size_t i = 0; i < sizeof command_help / sizeof *command_help; i++)
    if (!strcmp(command, command_help[i].command)) {
      fputs(_(command_help[i].text), stdout);
      return EXIT_OK;
    }
  return cli_usage_error(_("help: no such command"), command);
}
