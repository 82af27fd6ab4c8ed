#!/usr/bin/env python3
"""Checks, one by one, what jxform writes for PDF/A-2b (issue 15).

No PDF/A validator is packaged in Debian, so each requirement jxform
produces is checked explicitly, through qpdf's JSON view of the file (its
objects, streams decoded) and the file's own bytes:

  every file (both writers, with or without PDF/A):
    - header "%PDF-1.7", then a comment of at least 4 bytes above 127;
    - a trailer /ID of two equal 16-byte strings, the MD5 of every byte
      before the cross-reference table (derived from the content);
    - every font embedded (FontFile2), Type0 / Identity-H / CIDFontType2
      with a CIDToGIDMap, and for every glyph a page shows: a ToUnicode
      entry (CID = Unicode code point, so the entry is that character), a
      glyph other than .notdef in the embedded font, drawn (an outline)
      unless the character is a space, and a /W width equal to the font
      program's advance within 1/1000 em;
  with --pdfa, also:
    - XMP metadata (catalog /Metadata, /Type /Metadata /Subtype /XML, not
      filtered), well-formed, without the xpacket bytes=/encoding=
      attributes, pdfaid:part 2 and pdfaid:conformance B;
    - XMP equal to the Info dictionary: Title = dc:title, Subject =
      dc:description, Author = dc:creator (one item), Creator =
      xmp:CreatorTool (with a version number), Producer = pdf:Producer,
      Keywords = pdf:Keywords, CreationDate = xmp:CreateDate, ModDate =
      xmp:ModifyDate: each in both or in neither;
    - an OutputIntent /S /GTS_PDFA1 with an OutputConditionIdentifier and
      an embedded ICC profile (DestOutputProfile: 'acsp', a display or
      printer class, RGB with /N 3, size as its header says, version 2 to
      4);
    - every embedded font program's cmap maps each shown character to the
      glyph CIDToGIDMap gives;
    - no transparency (SMask, CA/ca below 1, a blend mode other than
      Normal, a transparency group), no encryption, JavaScript, actions
      or embedded files, no LZW.
  --title/--subject/--author/--date EPOCH: Info (and so XMP) must hold
  exactly these (--date: CreationDate and ModDate; without it, no date).

--self-test FILE (with --pdfa): FILE must pass, then each of a set of
broken copies (one requirement broken each, made through qpdf's QDF form)
must fail with the message of that requirement: the checks can fail.

Usage: pdfa_check.py [--pdfa] [--title T] [--subject S] [--author A]
                     [--date EPOCH] [--self-test] FILE...
Exit status 0 when every file passes, 1 otherwise.
"""
import base64
import datetime
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = {
    'x': 'adobe:ns:meta/',
    'rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    'dc': 'http://purl.org/dc/elements/1.1/',
    'xmp': 'http://ns.adobe.com/xap/1.0/',
    'pdf': 'http://ns.adobe.com/pdf/1.3/',
    'pdfaid': 'http://www.aiim.org/pdfa/ns/id/',
}
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
SPACES = {0x20, 0xA0, 0x3000}


class Pdf:
    """A PDF's objects through `qpdf --json` (version 2, streams inline)."""

    def __init__(self, path):
        self.path = path
        self.raw = open(path, 'rb').read()
        out = subprocess.run(
            ['qpdf', '--json=2', '--json-stream-data=inline',
             '--decode-level=generalized', path, '-'],
            capture_output=True)
        if out.returncode not in (0, 3):
            raise ValueError('qpdf --json failed: ' +
                             out.stderr.decode(errors='replace'))
        import json
        self.objs = json.loads(out.stdout)['qpdf'][1]
        self.trailer = self.objs['trailer']['value']

    def get(self, v):
        """Resolves a reference ("N 0 R") to its value (streams: the
        stream's dictionary)."""
        if isinstance(v, str) and re.fullmatch(r'\d+ \d+ R', v):
            o = self.objs.get('obj:' + v)
            if o is None:
                return None
            return o['stream']['dict'] if 'stream' in o else o['value']
        return v

    def data(self, v):
        """A stream's decoded bytes (v: its reference)."""
        o = self.objs.get('obj:' + v) if isinstance(v, str) else None
        if not o or 'stream' not in o:
            return None
        return base64.b64decode(o['stream'].get('data', ''))


def text(v):
    """A PDF string from qpdf's JSON ("u:…" text, "b:…" bytes)."""
    if isinstance(v, str) and v.startswith('u:'):
        return v[2:]
    if isinstance(v, str) and v.startswith('b:'):
        b = bytes.fromhex(v[2:])
        if b[:2] == b'\xfe\xff':
            return b[2:].decode('utf-16-be', errors='replace')
        return b.decode('latin-1')
    return None


# ---- content streams -------------------------------------------------------

TOKEN = re.compile(rb'''
    (?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<dopen><<) | (?P<dclose>>>)
  | (?P<aopen>\[) | (?P<aclose>\])
  | (?P<lit>\()
  | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
''', re.X)


def literal(data, i):
    """Reads a literal string starting after '(' at data[i]; returns
    (bytes, next index)."""
    out, depth = bytearray(), 1
    esc = {ord('n'): 10, ord('r'): 13, ord('t'): 9, ord('b'): 8,
           ord('f'): 12, ord('('): 40, ord(')'): 41, ord('\\'): 92}
    while i < len(data):
        c = data[i]
        if c == 0x5C:
            i += 1
            d = data[i]
            if d in esc:
                out.append(esc[d])
                i += 1
            elif 0x30 <= d <= 0x37:
                j = i
                while j < len(data) and j < i + 3 and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 255)
                i = j
            elif d in (10, 13):
                i += 1
                if d == 13 and i < len(data) and data[i] == 10:
                    i += 1
            else:
                out.append(d)
                i += 1
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1
    raise ValueError('unterminated string')


def operations(data):
    """Yields (operator, operands) of a content stream (strings as bytes,
    arrays as lists)."""
    stack, i = [[]], 0
    while i < len(data):
        m = TOKEN.match(data, i)
        if not m:
            raise ValueError(f'cannot read the content at byte {i}')
        i = m.end()
        kind = m.lastgroup
        if kind == 'ws':
            continue
        if kind == 'lit':
            s, i = literal(data, i)
            stack[-1].append(s)
        elif kind == 'hex':
            h = re.sub(rb'\s', b'', m.group()[1:-1])
            if len(h) % 2:
                h += b'0'
            stack[-1].append(bytes.fromhex(h.decode()))
        elif kind in ('aopen', 'dopen'):
            stack.append([])
        elif kind in ('aclose', 'dclose'):
            inner = stack.pop()
            stack[-1].append(inner)
        elif kind == 'name':
            stack[-1].append(m.group().decode('latin-1'))
        else:
            w = m.group()
            if re.fullmatch(rb'[+-]?(\d+\.?\d*|\.\d+)', w):
                stack[-1].append(float(w))
            elif w in (b'true', b'false', b'null'):
                stack[-1].append(w.decode())
            else:
                yield w.decode('latin-1'), stack[-1]
                stack[-1] = []


# ---- TrueType --------------------------------------------------------------

class TrueType:
    def __init__(self, data):
        self.data = data
        n = struct.unpack('>H', data[4:6])[0]
        self.tables = {}
        for k in range(n):
            tag, _, off, length = struct.unpack('>4sIII',
                                                data[12 + 16 * k:28 + 16 * k])
            self.tables[tag.decode('latin-1')] = (off, length)
        head = self.table('head')
        self.upem = struct.unpack('>H', head[18:20])[0]
        self.long_loca = struct.unpack('>h', head[50:52])[0] == 1
        self.num_glyphs = struct.unpack('>H', self.table('maxp')[4:6])[0]
        self.num_hmetrics = struct.unpack('>H', self.table('hhea')[34:36])[0]

    def table(self, tag):
        if tag not in self.tables:
            return b''
        off, length = self.tables[tag]
        return self.data[off:off + length]

    def advance(self, gid):
        hmtx = self.table('hmtx')
        k = min(gid, self.num_hmetrics - 1)
        return struct.unpack('>H', hmtx[4 * k:4 * k + 2])[0]

    def has_outline(self, gid):
        loca = self.table('loca')
        if self.long_loca:
            a, b = struct.unpack('>II', loca[4 * gid:4 * gid + 8])
        else:
            a, b = (2 * x for x in struct.unpack('>HH', loca[2 * gid:2 * gid + 4]))
        return b > a

    def cmap(self):
        """Code point → glyph from the best Unicode subtable, or None when
        the font has none."""
        t = self.table('cmap')
        if len(t) < 4:
            return None
        n = struct.unpack('>H', t[2:4])[0]
        best = None
        for k in range(n):
            pid, eid, off = struct.unpack('>HHI', t[4 + 8 * k:12 + 8 * k])
            if (pid, eid) in ((3, 10), (0, 4), (0, 6)):
                best = off
                break
            if (pid, eid) in ((3, 1), (0, 3), (0, 1), (0, 0)) and best is None:
                best = off
        if best is None or best >= len(t):
            return None
        fmt = struct.unpack('>H', t[best:best + 2])[0]
        out = {}
        if fmt == 4:
            seg2 = struct.unpack('>H', t[best + 6:best + 8])[0]
            ends = best + 14
            starts = ends + seg2 + 2
            deltas = starts + seg2
            ranges = deltas + seg2
            for s in range(seg2 // 2):
                end, = struct.unpack('>H', t[ends + 2 * s:ends + 2 * s + 2])
                start, = struct.unpack('>H', t[starts + 2 * s:starts + 2 * s + 2])
                delta, = struct.unpack('>h', t[deltas + 2 * s:deltas + 2 * s + 2])
                ro_at = ranges + 2 * s
                ro, = struct.unpack('>H', t[ro_at:ro_at + 2])
                for c in range(start, end + 1):
                    if c == 0xFFFF:
                        continue
                    if ro == 0:
                        g = (c + delta) & 0xFFFF
                    else:
                        at = ro_at + ro + 2 * (c - start)
                        g, = struct.unpack('>H', t[at:at + 2])
                        if g:
                            g = (g + delta) & 0xFFFF
                    if g:
                        out[c] = g
        elif fmt == 12:
            ngroups = struct.unpack('>I', t[best + 12:best + 16])[0]
            for k in range(ngroups):
                a, b, g = struct.unpack('>III', t[best + 16 + 12 * k:best + 28 + 12 * k])
                for c in range(a, b + 1):
                    out[c] = g + c - a
        else:
            return None
        return out


def to_unicode(data):
    """A ToUnicode CMap → {code: text}."""
    out = {}
    for blk in re.findall(rb'beginbfchar(.*?)endbfchar', data, re.S):
        for a, b in re.findall(rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>', blk):
            out[int(a, 16)] = bytes.fromhex(b.decode()).decode(
                'utf-16-be', errors='replace')
    for blk in re.findall(rb'beginbfrange(.*?)endbfrange', data, re.S):
        for m in re.finditer(rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*'
                             rb'(?:<([0-9A-Fa-f]+)>|\[(.*?)\])', blk, re.S):
            lo, hi = int(m.group(1), 16), int(m.group(2), 16)
            if m.group(3):
                dst = bytearray(bytes.fromhex(m.group(3).decode()))
                for c in range(lo, hi + 1):
                    out[c] = bytes(dst).decode('utf-16-be', errors='replace')
                    dst[-1] = (dst[-1] + 1) & 255
            else:
                items = re.findall(rb'<([0-9A-Fa-f]*)>', m.group(4))
                for c, h in zip(range(lo, hi + 1), items):
                    out[c] = bytes.fromhex(h.decode()).decode(
                        'utf-16-be', errors='replace')
    return out


def widths(cid_font):
    """/W and /DW of a CIDFont → (dict cid → width, default)."""
    w, dw = {}, cid_font.get('/DW', 1000)
    arr, i = cid_font.get('/W', []), 0
    while i < len(arr):
        first = arr[i]
        if isinstance(arr[i + 1], list):
            for k, v in enumerate(arr[i + 1]):
                w[int(first) + k] = v
            i += 2
        else:
            for c in range(int(first), int(arr[i + 1]) + 1):
                w[c] = arr[i + 2]
            i += 3
    return w, dw


# ---- the checks ------------------------------------------------------------

class Check:
    def __init__(self, pdf, args):
        self.pdf, self.args, self.problems = pdf, args, []

    def fail(self, msg):
        self.problems.append(msg)

    def header_and_id(self):
        raw = self.pdf.raw
        m = re.match(rb'%PDF-1\.(\d)\r?\n%([^\r\n]*)\r?\n', raw)
        if not m or m.group(1) != b'7':
            self.fail('header: not "%PDF-1.7" on the first line')
        elif sum(1 for b in m.group(2) if b > 127) < 4:
            self.fail('header: no comment of four bytes above 127 on the '
                      'second line')
        if not re.search(rb'%%EOF\r?\n?$', raw):
            self.fail('end: bytes after %%EOF')
        sx = re.findall(rb'startxref\s+(\d+)', raw)
        at = int(sx[-1]) if sx else -1
        if at < 0 or raw[at:at + 4] != b'xref':
            self.fail('trailer: startxref does not point at a '
                      'cross-reference table')
            return
        ids = self.pdf.trailer.get('/ID')
        if not isinstance(ids, list) or len(ids) != 2:
            self.fail('trailer: no /ID of two strings')
            return
        a, b = (bytes.fromhex(x[2:]) if x.startswith('b:')
                else x[2:].encode('latin-1') for x in ids)
        if len(a) != 16 or a != b:
            self.fail('trailer: /ID is not two equal 16-byte strings')
        if a != hashlib.md5(raw[:at]).digest():
            self.fail('trailer: /ID is not the MD5 of the bytes before the '
                      'cross-reference table (not derived from the content)')

    def pages(self):
        out, seen = [], set()

        def walk(ref, inherited):
            if ref in seen:
                return
            seen.add(ref)
            node = self.pdf.get(ref) or {}
            res = node.get('/Resources', inherited)
            if node.get('/Type') == '/Pages' or '/Kids' in node:
                for kid in node.get('/Kids', []):
                    walk(kid, res)
            else:
                out.append((ref, node, self.pdf.get(res) or {}))

        catalog = self.pdf.get(self.pdf.trailer['/Root'])
        walk(catalog['/Pages'], None)
        return out

    def fonts(self):
        shown = {}  # font ref -> set of codes
        for ref, page, res in self.pages():
            fonts = self.pdf.get(res.get('/Font', {})) or {}
            contents = page.get('/Contents', [])
            if not isinstance(contents, list):
                contents = [contents]
            data = b'\n'.join(self.pdf.data(c) or b'' for c in contents)
            font = None
            for op, args in operations(data):
                if op == 'Tf':
                    font = fonts.get(args[0])
                    if font is None:
                        self.fail(f'page {ref}: font {args[0]} is not in its '
                                  'resources')
                strings = []
                if op in ('Tj', "'"):
                    strings = args[-1:]
                elif op == '"':
                    strings = args[-1:]
                elif op == 'TJ':
                    strings = [x for x in args[0] if isinstance(x, bytes)]
                for s in strings:
                    if font is None:
                        self.fail(f'page {ref}: text shown with no font')
                        continue
                    codes = shown.setdefault(font, set())
                    for k in range(0, len(s) - 1, 2):
                        codes.add(s[k] << 8 | s[k + 1])
        if not shown:
            self.fail('fonts: no text shown at all')
        for ref, codes in sorted(shown.items()):
            self.font(ref, codes)

    def font(self, ref, codes):
        t0 = self.pdf.get(ref)
        name = t0.get('/BaseFont', ref)
        if t0.get('/Subtype') != '/Type0' or t0.get('/Encoding') != '/Identity-H':
            self.fail(f'font {name}: not a Type0 font with Identity-H')
            return
        cid = self.pdf.get(t0['/DescendantFonts'][0])
        if cid.get('/Subtype') != '/CIDFontType2':
            self.fail(f'font {name}: not a CIDFontType2')
            return
        desc = self.pdf.get(cid.get('/FontDescriptor'))
        if not desc or '/FontFile2' not in desc:
            self.fail(f'font {name}: not embedded (no FontFile2)')
            return
        if '/FontFile' in desc or '/FontFile3' in desc:
            self.fail(f'font {name}: more than one font program')
        tt = TrueType(self.pdf.data(desc['/FontFile2']))
        mapping = cid.get('/CIDToGIDMap', '/Identity')
        gidmap = None if mapping == '/Identity' else self.pdf.data(mapping)
        tou_ref = t0.get('/ToUnicode')
        tou = to_unicode(self.pdf.data(tou_ref)) if tou_ref else {}
        if not tou_ref:
            self.fail(f'font {name}: no ToUnicode')
        cmap = tt.cmap()
        if self.args.pdfa and cmap is None:
            self.fail(f'font {name}: the embedded font has no Unicode cmap')
        w, dw = widths(cid)
        bad = {'tounicode': [], 'notdef': [], 'cmap': [], 'width': [],
               'outline': []}
        for c in sorted(codes):
            ch = chr(c) if not 0xD800 <= c <= 0xDFFF else '?'
            if tou_ref and tou.get(c) != ch:
                bad['tounicode'].append(c)
            if gidmap is None:
                gid = c
            else:
                gid = (gidmap[2 * c] << 8 | gidmap[2 * c + 1]
                       if 2 * c + 1 < len(gidmap) else 0)
            if gid == 0 or gid >= tt.num_glyphs:
                bad['notdef'].append(c)
                continue
            if self.args.pdfa and cmap is not None and cmap.get(c) != gid:
                bad['cmap'].append(c)
            if abs(w.get(c, dw) - tt.advance(gid) * 1000.0 / tt.upem) > 1:
                bad['width'].append(c)
            if c not in SPACES and not tt.has_outline(gid):
                bad['outline'].append(c)
        what = {
            'tounicode': 'ToUnicode does not map to the character',
            'notdef': 'CIDToGIDMap gives .notdef (or no glyph)',
            'cmap': 'the embedded font\'s cmap does not map to the glyph drawn',
            'width': '/W differs from the font program\'s advance',
            'outline': 'the glyph drawn has no outline',
        }
        for k, cs in bad.items():
            if cs:
                listed = ' '.join(f'U+{c:04X}' for c in cs[:8])
                more = ' …' if len(cs) > 8 else ''
                self.fail(f'font {name}: {what[k]}: {len(cs)} of '
                          f'{len(codes)} shown: {listed}{more}')

    def xmp(self):
        catalog = self.pdf.get(self.pdf.trailer['/Root'])
        info = self.pdf.get(self.pdf.trailer.get('/Info')) or {}
        ref = catalog.get('/Metadata')
        d = self.pdf.get(ref) if ref else None
        if not d:
            self.fail('XMP: the catalog has no /Metadata stream')
            return
        if d.get('/Type') != '/Metadata' or d.get('/Subtype') != '/XML':
            self.fail('XMP: the metadata stream is not /Type /Metadata '
                      '/Subtype /XML')
        if '/Filter' in d:
            self.fail('XMP: the metadata stream is filtered')
        data = self.pdf.data(ref)
        head = re.match(rb'<\?xpacket ([^?]*)\?>', data)
        if not head:
            self.fail('XMP: no xpacket header')
        elif re.search(rb'\b(bytes|encoding)=', head.group(1)):
            self.fail('XMP: the xpacket header has bytes= or encoding=')
        try:
            root = ET.fromstring(data)
        except ET.ParseError as e:
            self.fail(f'XMP: not well-formed XML: {e}')
            return
        props = {}
        for desc in root.iter(f'{{{NS["rdf"]}}}Description'):
            for k, v in desc.attrib.items():
                props[k] = v
            for child in desc:
                props[child.tag] = child

        def simple(ns, key):
            v = props.get(f'{{{NS[ns]}}}{key}')
            return v if v is None or isinstance(v, str) else (v.text or '')

        def alt(key):
            v = props.get(f'{{{NS["dc"]}}}{key}')
            if v is None:
                return None
            for li in v.iter(f'{{{NS["rdf"]}}}li'):
                if li.get(XML_LANG) == 'x-default':
                    return li.text or ''
            return ''

        def seq(key):
            v = props.get(f'{{{NS["dc"]}}}{key}')
            if v is None:
                return None
            return [li.text or '' for li in v.iter(f'{{{NS["rdf"]}}}li')]

        if simple('pdfaid', 'part') != '2':
            self.fail('XMP: pdfaid:part is not 2')
        if simple('pdfaid', 'conformance') != 'B':
            self.fail('XMP: pdfaid:conformance is not B')
        pairs = [('/Title', 'dc:title', alt('title')),
                 ('/Subject', 'dc:description', alt('description')),
                 ('/Creator', 'xmp:CreatorTool', simple('xmp', 'CreatorTool')),
                 ('/Producer', 'pdf:Producer', simple('pdf', 'Producer')),
                 ('/Keywords', 'pdf:Keywords', simple('pdf', 'Keywords'))]
        for key, prop, xv in pairs:
            iv = text(info.get(key))
            if iv != xv:
                self.fail(f'XMP: {prop} {xv!r} differs from Info {key} {iv!r}')
        authors = seq('creator')
        iv = text(info.get('/Author'))
        if (iv is None) != (authors is None) or (
                authors is not None and authors != [iv]):
            self.fail(f'XMP: dc:creator {authors!r} differs from Info /Author '
                      f'{iv!r}')
        tool = simple('xmp', 'CreatorTool') or ''
        if not re.search(r'\d+\.\d+', tool):
            self.fail(f'XMP: xmp:CreatorTool {tool!r} has no version')
        for key, prop in (('/CreationDate', 'CreateDate'),
                          ('/ModDate', 'ModifyDate')):
            iv, xv = text(info.get(key)), simple('xmp', prop)
            if (iv is None) != (xv is None) or (
                    iv is not None and pdf_date(iv) != xmp_date(xv)):
                self.fail(f'XMP: xmp:{prop} {xv!r} differs from Info {key} '
                          f'{iv!r}')

    def info(self):
        info = self.pdf.get(self.pdf.trailer.get('/Info')) or {}
        for key, want in (('/Title', self.args.title),
                          ('/Subject', self.args.subject),
                          ('/Author', self.args.author)):
            if want is not None and text(info.get(key)) != want:
                self.fail(f'Info: {key} is {text(info.get(key))!r}, expected '
                          f'{want!r}')
        want = None
        if self.args.date is not None:
            want = datetime.datetime.fromtimestamp(
                int(self.args.date), datetime.timezone.utc)
        for key in ('/CreationDate', '/ModDate'):
            got = text(info.get(key))
            if (want is None) != (got is None) or (
                    got is not None and pdf_date(got) != want):
                self.fail(f'Info: {key} is {got!r}, expected '
                          f'{want.isoformat() if want else "none"} '
                          '(SOURCE_DATE_EPOCH)')

    def output_intent(self):
        catalog = self.pdf.get(self.pdf.trailer['/Root'])
        intents = self.pdf.get(catalog.get('/OutputIntents')) or []
        pdfa = [self.pdf.get(i) for i in intents
                if (self.pdf.get(i) or {}).get('/S') == '/GTS_PDFA1']
        if not pdfa:
            self.fail('OutputIntent: none with /S /GTS_PDFA1')
            return
        profiles = set()
        for oi in pdfa:
            if text(oi.get('/OutputConditionIdentifier')) is None:
                self.fail('OutputIntent: no OutputConditionIdentifier')
            ref = oi.get('/DestOutputProfile')
            d = self.pdf.get(ref) if ref else None
            if not d:
                self.fail('OutputIntent: no embedded ICC profile '
                          '(DestOutputProfile)')
                continue
            icc = self.pdf.data(ref)
            profiles.add(icc)
            n = {b'RGB ': 3, b'GRAY': 1, b'CMYK': 4}.get(icc[16:20])
            if (len(icc) < 128 or icc[36:40] != b'acsp' or
                    struct.unpack('>I', icc[:4])[0] != len(icc)):
                self.fail('OutputIntent: the profile is not an ICC profile')
            elif icc[12:16] not in (b'mntr', b'prtr'):
                self.fail('OutputIntent: the profile is not a display or '
                          'printer profile')
            elif n is None or d.get('/N') != n:
                self.fail('OutputIntent: the profile\'s colour space does not '
                          'match its /N')
            elif not 2 <= icc[8] <= 4:
                self.fail('OutputIntent: the profile\'s ICC version is not 2 '
                          'to 4')
        if len(profiles) > 1:
            self.fail('OutputIntent: the PDF/A output intents have different '
                      'profiles')

    def forbidden(self):
        if '/Encrypt' in self.pdf.trailer:
            self.fail('forbidden: the file is encrypted')
        for key, o in self.pdf.objs.items():
            if not key.startswith('obj:'):
                continue
            v = o['stream']['dict'] if 'stream' in o else o['value']
            for d in dicts(v):
                where = key[4:]
                sm = d.get('/SMask')
                if sm is not None and sm != '/None':
                    self.fail(f'transparency: a soft mask in {where}')
                for k in ('/CA', '/ca'):
                    if isinstance(d.get(k), (int, float)) and d[k] < 1:
                        self.fail(f'transparency: {k} {d[k]} in {where}')
                if d.get('/BM') not in (None, '/Normal', '/Compatible'):
                    self.fail(f'transparency: blend mode {d["/BM"]} in {where}')
                g = self.pdf.get(d.get('/Group')) if '/Group' in d else None
                if isinstance(g, dict) and g.get('/S') == '/Transparency':
                    self.fail(f'transparency: a transparency group in {where}')
                for k in ('/JavaScript', '/JS', '/AA', '/EmbeddedFiles'):
                    if k in d:
                        self.fail(f'forbidden: {k} in {where}')
                f = d.get('/Filter')
                if f == '/LZWDecode' or (isinstance(f, list) and
                                         '/LZWDecode' in f):
                    self.fail(f'forbidden: LZW in {where}')

    def run(self):
        self.header_and_id()
        self.info()
        self.fonts()
        if self.args.pdfa:
            self.xmp()
            self.output_intent()
            self.forbidden()
        return self.problems


def dicts(v):
    if isinstance(v, dict):
        yield v
        for x in v.values():
            yield from dicts(x)
    elif isinstance(v, list):
        for x in v:
            yield from dicts(x)


def pdf_date(s):
    m = re.match(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?"
                 r"(Z|[+-]\d\d'?\d\d'?)?", s or '')
    if not m:
        return s
    parts = [int(x) if x else d for x, d in
             zip(m.groups()[:6], (0, 1, 1, 0, 0, 0))]
    t = datetime.datetime(*parts, tzinfo=datetime.timezone.utc)
    z = m.group(7)
    if z and z != 'Z':
        sign = 1 if z[0] == '+' else -1
        digits = re.sub(r"\D", '', z)
        t -= sign * datetime.timedelta(hours=int(digits[:2]),
                                       minutes=int(digits[2:4] or 0))
    return t


def xmp_date(s):
    try:
        return datetime.datetime.fromisoformat((s or '').replace('Z', '+00:00'))
    except ValueError:
        return s


def check(path, args):
    try:
        return Check(Pdf(path), args).run()
    except (ValueError, KeyError, IndexError, struct.error) as e:
        return [f'cannot check: {type(e).__name__}: {e}']


# ---- self-test: broken copies must fail ------------------------------------

def qdf(path, out):
    subprocess.run(['qpdf', '--qdf', '--object-streams=disable', path, out],
                   check=False, capture_output=True)
    return open(out, 'rb').read()


def write_fixed(data, out):
    """Writes QDF bytes through fix-qdf (offsets and lengths)."""
    r = subprocess.run(['fix-qdf'], input=data, capture_output=True)
    open(out, 'wb').write(r.stdout)


def mutate(kind, path, out):
    """Writes to `out` a copy of `path` with one requirement broken."""
    raw = open(path, 'rb').read()
    if kind == 'id':  # one hex digit of the /ID
        i = raw.rindex(b'/ID')
        j = raw.index(b'<', i) + 1
        c = b'0' if raw[j:j + 1] != b'0' else b'1'
        open(out, 'wb').write(raw[:j] + c + raw[j + 1:])
        return 'trailer: /ID is not the MD5'
    data = qdf(path, out + '.qdf')
    if kind == 'xmp-title':  # the first character of dc:title
        i = data.index(b'xml:lang="x-default">') + len(b'xml:lang="x-default">')
        data = data[:i] + '＃'.encode() + data[i + 3:]
        expect = 'XMP: dc:title'
    elif kind == 'pdfaid':
        data = data.replace(b'<pdfaid:part>2<', b'<pdfaid:part>1<')
        expect = 'XMP: pdfaid:part is not 2'
    elif kind == 'no-xmp':
        data = data.replace(b'/Metadata ', b'/Metadatx ', 1)
        expect = 'XMP: the catalog has no /Metadata'
    elif kind == 'creator':
        data = data.replace(b'<xmp:CreatorTool>jxform',
                            b'<xmp:CreatorTool>jxforn', 1)
        expect = 'XMP: xmp:CreatorTool'
    elif kind == 'intent':
        data = data.replace(b'/GTS_PDFA1', b'/GTS_PDFX1')
        expect = 'OutputIntent: none with /S /GTS_PDFA1'
    elif kind == 'icc':
        data = data.replace(b'acsp', b'acsq', 1)
        expect = 'OutputIntent: the profile is not an ICC profile'
    elif kind == 'tounicode':  # one entry maps to U+FFFD
        m = re.search(rb'<(4E[0-9A-F]{2}|[5-9][0-9A-F]{3})><\1>', data)
        data = data[:m.start()] + b'<%s><FFFD>' % m.group(1) + data[m.end():]
        expect = 'ToUnicode does not map to the character'
    elif kind == 'cmap':  # the embedded font's cmap emptied
        i = data.index(b'/Length1')
        s = data.index(b'stream\n', i) + 7
        n = struct.unpack('>H', data[s + 4:s + 6])[0]
        for k in range(n):
            rec = s + 12 + 16 * k
            if data[rec:rec + 4] == b'cmap':
                off, length = struct.unpack('>II', data[rec + 8:rec + 16])
                data = (data[:s + off] + bytes(length) +
                        data[s + off + length:])
        expect = "the embedded font has no Unicode cmap"
    elif kind == 'transparency':
        data = data.replace(b'/Type /Page\n', b'/Type /Page\n  /Group << '
                            b'/S /Transparency /CS /DeviceRGB >>\n', 1)
        expect = 'transparency: a transparency group'
    elif kind == 'date':
        i = data.index(b'/Producer')
        data = data[:i] + b"/CreationDate (D:20200101000000Z)\n  " + data[i:]
        expect = 'differs from Info /CreationDate'
    else:
        raise ValueError(kind)
    write_fixed(data, out)
    return expect


MUTATIONS = ['id', 'xmp-title', 'pdfaid', 'no-xmp', 'creator', 'intent',
             'icc', 'tounicode', 'cmap', 'transparency', 'date']


def self_test(path, args):
    problems = check(path, args)
    if problems:
        return [f'{path} itself fails: {p}' for p in problems]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in MUTATIONS:
            broken = os.path.join(tmp, kind + '.pdf')
            expect = mutate(kind, path, broken)
            got = check(broken, args)
            if not any(expect in p for p in got):
                out.append(f'self-test {kind}: the broken copy was not caught '
                           f'(wanted "{expect}", got {got})')
            else:
                print(f'pdfa_check: self-test {kind}: caught: '
                      f'{[p for p in got if expect in p][0]}')
    return out


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--pdfa', action='store_true')
    ap.add_argument('--title')
    ap.add_argument('--subject')
    ap.add_argument('--author')
    ap.add_argument('--date')
    ap.add_argument('--self-test', action='store_true')
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    bad = 0
    for f in args.files:
        problems = self_test(f, args) if args.self_test else check(f, args)
        for p in problems:
            print(f'FAIL: {f}: {p}')
        bad += bool(problems)
        if not problems:
            print(f'pdfa_check: {f}: ok' + (' (PDF/A-2b)' if args.pdfa else ''))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
