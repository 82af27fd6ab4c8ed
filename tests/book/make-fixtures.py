#!/usr/bin/python3
"""Writes the workbook fixtures of tests/unit/test_book.c into this folder.

Run from anywhere:  /usr/bin/python3 tests/book/make-fixtures.py
(Debian's python3 with python3-openpyxl; `iconv` for the GB18030 file;
LibreOffice's `soffice`, when present, for libreoffice.xlsx/.xls — without
it those two committed files are left as they are).

Most .xlsx files are written part by part with zipfile, so that each
holds exactly the XML a case needs (shared strings with rich text and
phonetic runs, cells without references, broken and hostile parts); the
others come from openpyxl and LibreOffice, as real files do.  Every file
is a few kilobytes: the huge cases (limits on cells and shared strings)
are built in memory by the test itself.  freexl-crash.xls is not made
here: it is the input fuzz_book found that makes libfreexl 1.0.6 read
past a buffer, kept as it was found.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def path(name):
    return os.path.join(HERE, name)


def write_zip(name, parts, compression=zipfile.ZIP_DEFLATED):
    """parts: list of (part name, text or bytes), written in that order."""
    with zipfile.ZipFile(path(name), "w", compression) as z:
        for part, data in parts:
            if isinstance(data, str):
                data = data.encode("utf-8")
            info = zipfile.ZipInfo(part, date_time=(2025, 1, 17, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, data)


def root_rels(target="xl/workbook.xml"):
    return (XML_DECL + f'<Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
            f'Target="{target}"/></Relationships>')


def content_types(sheets=1):
    over = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/>' for i in range(1, sheets + 1))
    return (XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>' + over + '</Types>')


def workbook(sheets, date1904=False):
    """sheets: list of (name, relationship id)."""
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    items = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="{rid}"/>'
                    for i, (n, rid) in enumerate(sheets))
    return (XML_DECL + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'{pr}<sheets>{items}</sheets></workbook>')


def workbook_rels(rels):
    """rels: list of (id, type, target)."""
    items = "".join(f'<Relationship Id="{i}" Type="{REL_NS}/{t}" '
                    f'Target="{target}"/>' for i, t, target in rels)
    return XML_DECL + f'<Relationships xmlns="{PKG_REL_NS}">{items}</Relationships>'


def sheet(rows, merges=()):
    merge = ""
    if merges:
        merge = (f'<mergeCells count="{len(merges)}">' +
                 "".join(f'<mergeCell ref="{m}"/>' for m in merges) +
                 '</mergeCells>')
    return (XML_DECL + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            f'<sheetData>{rows}</sheetData>{merge}</worksheet>')


def simple_book(name, sheet_xml, extra=(), date1904=False, styles=None):
    """A one-sheet workbook named 'Sheet1' whose sheet1.xml is sheet_xml."""
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    parts = [("[Content_Types].xml", content_types()),
             ("_rels/.rels", root_rels()),
             ("xl/workbook.xml", workbook([("Sheet1", "rId1")], date1904))]
    if styles:
        rels.append(("rId2", "styles", "styles.xml"))
        parts.append(("xl/styles.xml", styles))
    parts.append(("xl/_rels/workbook.xml.rels", workbook_rels(rels)))
    parts.append(("xl/worksheets/sheet1.xml", sheet_xml))
    parts.extend(extra)
    write_zip(name, parts)


# ---- basic.xlsx: the features, part by part --------------------------------

SHARED_STRINGS = (
    XML_DECL + f'<sst xmlns="{MAIN_NS}" count="4" uniqueCount="4">'
    '<si><t>项目名称</t></si>'
    # rich text: two runs, and a phonetic reading that is not the text
    '<si><r><t>道路</t></r><r><rPr><b/></rPr><t xml:space="preserve">改造 </t></r>'
    '<rPh sb="0" eb="2"><t>ドウロ</t></rPh><phoneticPr fontId="1"/></si>'
    '<si><t>金额</t></si>'
    '<si><t>第一行_x000D_\n第二行</t></si>'
    '</sst>')

STYLES = (
    XML_DECL + f'<styleSheet xmlns="{MAIN_NS}">'
    '<numFmts count="5">'
    '<numFmt numFmtId="164" formatCode="0.00%"/>'
    '<numFmt numFmtId="165" formatCode="yyyy/m/d\\ h:mm"/>'
    '<numFmt numFmtId="166" formatCode="h:mm"/>'
    '<numFmt numFmtId="167" formatCode="[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
    '<numFmt numFmtId="168" formatCode="#,##0.0_);[Red]\\(#,##0.0\\)"/>'
    '</numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs>'
    '<cellXfs count="12">'
    '<xf numFmtId="0"/>'     # 0 General
    '<xf numFmtId="4"/>'     # 1 #,##0.00
    '<xf numFmtId="9"/>'     # 2 0%
    '<xf numFmtId="164"/>'   # 3 0.00%
    '<xf numFmtId="14"/>'    # 4 date
    '<xf numFmtId="165"/>'   # 5 date and time
    '<xf numFmtId="166"/>'   # 6 time
    '<xf numFmtId="31"/>'    # 7 zh-CN built-in yyyy"年"m"月"d"日"
    '<xf numFmtId="167"/>'   # 8 custom Chinese date
    '<xf numFmtId="49"/>'    # 9 text
    '<xf numFmtId="168"/>'   # 10 #,##0.0 with a red negative section
    '<xf numFmtId="3"/>'     # 11 #,##0
    '</cellXfs></styleSheet>')

MAIN_SHEET = sheet(
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>34060000</v></c>'
    '<c r="C2" s="1"><v>1234.5</v></c><c r="D2" s="11"><v>1234567</v></c>'
    '<c r="E2" s="10"><v>-12.25</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>完成率</t></is></c>'
    '<c r="B3" s="2"><v>0.95</v></c><c r="C3" s="3"><v>0.9512</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><r><t>日</t></r><r><t>期</t></r></is></c>'
    '<c r="B4" s="4"><v>45674</v></c><c r="C4" s="5"><v>45674.5</v></c>'
    '<c r="D4" s="6"><v>0.5</v></c><c r="E4" s="7"><v>45674</v></c>'
    '<c r="F4" s="8"><v>45674</v></c></row>'
    # formulas with their saved results; a boolean; an error
    '<row r="5"><c r="A5"><f>B2*2</f><v>68120000</v></c>'
    '<c r="B5" t="str"><f>A1&amp;"x"</f><v>项目名称x</v></c>'
    '<c r="C5" t="b"><v>1</v></c>'
    '<c r="D5" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="E5"><f t="shared" ref="E5:E6" si="0">B2+1</f><v>34060001</v></c></row>'
    # cells without references: they follow one another from column A
    '<row r="6"><c t="inlineStr"><is><t>无引用</t></is></c><c><v>7</v></c></row>'
    # a number formatted as text; an empty styled cell (left out)
    '<row r="7"><c r="A7" s="9"><v>45</v></c><c r="B7" s="2"/>'
    '<c r="C7" t="s"><v>3</v></c></row>'
    # numbers as General shows them
    '<row r="8"><c r="A8"><v>1E-5</v></c><c r="B8"><v>-0.5</v></c>'
    '<c r="C8"><v>1000000000000000</v></c><c r="D8"><v>123456789012345</v></c>'
    '<c r="E8"><v>0.1234567890123456789</v></c><c r="F8"><v>-0</v></c></row>'
    '<row r="10"><c r="A10" t="inlineStr"><is><t>合并</t></is></c></row>',
    merges=("A10:C10", "G1:G3"))

SECOND_SHEET = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>指标</t></is></c></row>')


def make_basic():
    # The workbook lists 项目表 first; its part is sheet2.xml, reached by a
    # relative target, and the second sheet by an absolute one.
    parts = [
        ("[Content_Types].xml", content_types(2)),
        ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", workbook([("项目表", "rId7"), ("绩效 指标", "rId3")])),
        ("xl/_rels/workbook.xml.rels", workbook_rels([
            ("rId3", "worksheet", "/xl/worksheets/sheet1.xml"),
            ("rId7", "worksheet", "./worksheets/../worksheets/sheet2.xml"),
            ("rId8", "sharedStrings", "sharedStrings.xml"),
            ("rId9", "styles", "styles.xml")])),
        ("xl/sharedStrings.xml", SHARED_STRINGS),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", SECOND_SHEET),
        ("xl/worksheets/sheet2.xml", MAIN_SHEET),
    ]
    write_zip("basic.xlsx", parts)


def make_date1904():
    styles = (XML_DECL + f'<styleSheet xmlns="{MAIN_NS}"><cellXfs count="2">'
              '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')
    simple_book("date1904.xlsx", sheet(
        '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>44212</v></c></row>'),
        date1904=True, styles=styles)


# ---- hostile and broken files ------------------------------------------------

def make_hostile():
    # 4 MiB of one repeated row: packs about 400 to 1
    bomb_rows = "<row><c><v>0</v></c></row>" * (4 * 1024 * 1024 // 26)
    simple_book("zip-bomb.xlsx", sheet(bomb_rows))

    deep = XML_DECL + f'<worksheet xmlns="{MAIN_NS}"><sheetData>' + \
        '<x>' * 100 + '</x>' * 100 + '</sheetData></worksheet>'
    simple_book("deep.xlsx", deep)

    doctype = (XML_DECL + '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
               '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
               f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
               '<c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
               '</sheetData></worksheet>')
    simple_book("doctype.xlsx", doctype)

    simple_book("beyond.xlsx", sheet(
        '<row r="1"><c r="A1"><v>1</v></c><c r="XFE1"><v>2</v></c></row>'))

    simple_book("no-result.xlsx", sheet(
        '<row r="1"><c r="A1"><v>1</v></c><c r="A2"><v>2</v></c>'
        '<c r="B3"><f>SUM(A1:A2)</f><v></v></c>'
        '<c r="C3"><f>A1*3</f></c></row>'))

    # a zip whose central directory is cut off (a partial download)
    make_basic_like("broken-cd.xlsx")
    data = open(path("broken-cd.xlsx"), "rb").read()
    cut = data.rfind(b"PK\x01\x02")
    open(path("broken-cd.xlsx"), "wb").write(data[:cut - 10])

    # a Word document, and a zip of something else
    write_zip("word.xlsx", [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", root_rels("word/document.xml")),
        ("word/document.xml", XML_DECL + '<w:document xmlns:w="http://'
         'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/>'
         '</w:document>')])
    write_zip("plain-zip.xlsx", [("readme.txt", "not a workbook\n")])

    # every entry marked encrypted (zip's own encryption)
    make_basic_like("zip-encrypted.xlsx")
    data = bytearray(open(path("zip-encrypted.xlsx"), "rb").read())
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at >= 0:
            data[at + flag_at] |= 1
            at = data.find(sig, at + 4)
    open(path("zip-encrypted.xlsx"), "wb").write(bytes(data))

    # a part whose directory entry says it unpacks to 100 MiB
    make_basic_like("part-too-large.xlsx")
    data = bytearray(open(path("part-too-large.xlsx"), "rb").read())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, 100 * 1024 * 1024)
        at = data.find(b"PK\x01\x02", at + 4)
    open(path("part-too-large.xlsx"), "wb").write(bytes(data))

    open(path("encrypted.xlsx"), "wb").write(
        ole_file("EncryptionInfo", "EncryptedPackage"))
    open(path("word-doc.xls"), "wb").write(ole_file("WordDocument", "1Table"))


def make_basic_like(name):
    simple_book(name, sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))


def ole_file(first, second):
    """A compound file (OLE, version 3, 512-byte sectors) with two streams
    of 4096 bytes: as Office writes a password-protected .xlsx
    (EncryptionInfo, EncryptedPackage) or a Word .doc (WordDocument,
    1Table).  The streams' contents are filler."""
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)      # FAT sectors
    struct.pack_into("<I", header, 48, 1)      # first directory sector
    struct.pack_into("<I", header, 56, 4096)   # mini stream cutoff
    struct.pack_into("<III", header, 60, end, 0, end)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<I", header, 76, 0)      # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, free)
    fat = [fat_sect, end] + list(range(3, 10)) + [end] + list(range(11, 18)) + [end]
    fat += [free] * (128 - len(fat))
    fat_sector = struct.pack("<128I", *fat)

    def entry(name, kind, left, right, child, start, size):
        e = bytearray(128)
        raw = name.encode("utf-16-le")
        e[0:len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw) + 2 if name else 0, kind, 1)
        struct.pack_into("<III", e, 68, left, right, child)
        struct.pack_into("<IQ", e, 116, start, size)
        return bytes(e)

    directory = (entry("Root Entry", 5, nostream, nostream, 1, end, 0) +
                 entry(first, 2, nostream, 2, nostream, 2, 4096) +
                 entry(second, 2, nostream, nostream, nostream, 10, 4096) +
                 entry("", 0, nostream, nostream, nostream, 0, 0))
    info = bytes.fromhex("0400040040000000") + b"\0" * (4096 - 8)
    package = struct.pack("<Q", 8000) + bytes(range(256)) * 15 + b"\0" * 248
    return bytes(header) + fat_sector + directory + info + package


# ---- openpyxl and LibreOffice ---------------------------------------------------

def make_openpyxl(name, with_formula=False):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目表"
    ws["A1"] = "项目名称"
    ws["B1"] = "城市道路改造"
    ws.merge_cells("B1:D1")
    ws["A2"] = "实施期资金总额"
    ws["B2"] = 34060000
    ws["A3"] = "完成率"
    ws["B3"] = 0.95
    ws["B3"].number_format = "0%"
    ws["A4"] = "开工日期"
    ws["B4"] = 45674
    ws["B4"].number_format = "yyyy-mm-dd"
    ws["A5"] = "单价"
    ws["B5"] = 1234.5
    ws["B5"].number_format = "#,##0.00"
    if with_formula:
        ws["A6"] = "两倍"
        ws["B6"] = "=B2*2"
        ws["A7"] = '=A1&"！"'   # a text result
        ws["B7"] = "=1/0"       # an error
        ws["C7"] = "=B2>0"      # TRUE
    grid = wb.create_sheet("绩效指标")
    grid["A1"] = "一级指标"
    grid["B1"] = "指标值"
    grid["A2"] = "产出指标"
    grid["B2"] = "≥95%"
    wb.save(path(name) if not os.path.isabs(name) else name)


def make_libreoffice():
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: libreoffice.xlsx and libreoffice.xls kept",
              file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "libreoffice.xlsx")
        make_openpyxl(source, with_formula=True)
        out = os.path.join(tmp, "out")
        for target in ("xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97"):
            subprocess.run([soffice, "--headless", "--convert-to", target,
                            "--outdir", out, source], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for ext in ("xlsx", "xls"):
            shutil.copyfile(os.path.join(out, "libreoffice." + ext),
                            path("libreoffice." + ext))
    make_password_xls()


def make_password_xls():
    """libreoffice.xls with its first record after BOF turned into FILEPASS
    (0x002F), as Excel marks a workbook encrypted with a password."""
    data = bytearray(open(path("libreoffice.xls"), "rb").read())
    bof = data.find(bytes.fromhex("0908100000060500"))
    at = bof + 4 + 16
    data[at:at + 2] = struct.pack("<H", 0x002F)
    open(path("password.xls"), "wb").write(bytes(data))


# ---- CSV -------------------------------------------------------------------------

def make_csv():
    open(path("utf8-bom.csv"), "wb").write(
        b"\xef\xbb\xbf" + "项目名称,金额,编码\n城市道路,34060000,045\n".encode())
    text = "项目名称,金额,编码\r\n道路改造,1234.5,045\r\n"
    gb = subprocess.run(["iconv", "-f", "UTF-8", "-t", "GB18030"],
                        input=text.encode(), capture_output=True, check=True)
    open(path("gb18030.csv"), "wb").write(gb.stdout)
    open(path("quoting.csv"), "wb").write(
        b'name,"say ""hi""",plain\r\n'
        b'"two\r\nlines","a,b",1,234.50\r\n'
        b'"1,234.50",110101199001011234,-0.25\r\n'
        b',,"x"y\r\n'
        b'0.5,007,+3')
    open(path("semicolon.csv"), "wb").write(
        "项目;金额\n道路;12\n".encode())
    open(path("unclosed.csv"), "wb").write(b'a,"open\nnext line\n')


def main():
    make_basic()
    make_date1904()
    make_hostile()
    make_openpyxl("openpyxl.xlsx")
    make_libreoffice()
    make_csv()
    for name in sorted(os.listdir(HERE)):
        size = os.path.getsize(path(name))
        if size > 20 * 1024:
            sys.exit(f"{name}: {size} bytes, more than 20 KB")


if __name__ == "__main__":
    main()
