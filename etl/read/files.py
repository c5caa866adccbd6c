"""Read an uploaded file's bytes into a Workbook of plain cells, defensively.

The type is decided by the content, never by the name: a zip is an xlsx, an OLE compound file
(D0 CF 11 E0) is an xls, anything else must decode as text and is read as CSV. Limits come from
etl.config and are read at call time (tests and deployments change them):
- MAX_FILE_BYTES: refused before anything is parsed (too-large);
- an xlsx is a zip: every member's declared size, the total, and the compression ratio are checked
  before parsing, then each member is inflated once through a bounded, CRC-checked stream, so a
  zip that lies about its sizes is caught too (zip-bomb);
- MAX_CELLS: a sheet's dimensions are checked before its cells are materialised (too-large).
- a sheet's extent is measured from the file itself before calamine is asked for it (calamine
  allocates the whole rectangle up front, so a single cell at XFD1048576 would otherwise ask for
  hundreds of GB and abort the process): the xlsx sheet XML is scanned for the cells that hold a
  value, the xls Workbook stream is walked record by record (too-large);
Cell values stay as the file has them (numbers stored as text stay text; etl.normalise.cells parses
them); empty cells, including the empty *text* cells of old portal XLS files, are ''.
A formula without a computed value (files written by scripts such as openpyxl carry none) becomes
an `UncomputedFormula` cell holding its text, which etl.normalise.cells reports as a type-error at its
cell instead of loading it as empty or 0. Hidden rows and columns are read like any other and
listed on the Sheet, so that etl.read.layout can warn about the values found in them.
Every failure is a FileRejected carrying a typed Problem (etl.checks.problems) with a Chinese and an
English message; the reader's own accounts of a file are etl/wording/texts/read.toml's read.* texts.
calamine parses the XML itself (quick-xml, no DTD or entity expansion), so no XML is parsed here.
"""
from __future__ import annotations

import codecs
import collections
import csv
import functools
import html
import io
import logging
import re
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Any

import python_calamine
import xlrd.compdoc

from etl import config
from etl.read import formats
from etl.checks import problems as kinds
from etl.records import Problem, Sheet, Workbook
from etl.wording.catalogue import LANGS, pair, t
from etl.wording.numbers import fmt_bytes

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_KINDS = [  # a part that tells what a zip that is not an xlsx is (read.kind.<name>)
    ("content.xml", "ods"),
    ("xl/workbook.bin", "xlsb"),
    ("word/document.xml", "word"),
]
_NOT_SPREADSHEETS = [  # magic bytes -> what the file is (read.kind.<name>)
    (b"\x89PNG", "png"),
    (b"%PDF", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
]


class UncomputedFormula(str):
    """A formula cell that has no computed value in the file; the text is the formula ('=SUM(B6:B18)')."""


class FileRejected(Exception):
    """The file cannot be read at all; `.problem` says why, in Chinese and English."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message_en)
        self.problem = problem


def _reject(code: str, file_name: str, key: str, **values: Any) -> FileRejected:
    """The problem type `code` of etl.checks.problems, with the reader's account of the file: the text
    `key` of the wording catalogue (etl/wording/texts/read.toml) filled with `values`, where a value
    that is words itself (what the file is, why it looks cut off) is a (zh, en) pair."""
    zh, en = (t(key, lang, **{name: value[i] if isinstance(value, tuple) else value
                              for name, value in values.items()})
              for i, lang in enumerate(LANGS))
    return FileRejected(kinds.get(code).in_file(variant="detail", file=file_name, detail_zh=zh, detail_en=en))


def too_large(file_name: str, size: int, limit: int) -> Problem:
    """A file of `size` bytes over the upload `limit`: said the same here and by the upload page,
    which refuses such a file before it is read."""
    return kinds.TOO_LARGE.in_file(file=file_name, size=fmt_bytes(size), limit=fmt_bytes(limit))


def read_workbook(data: bytes, file_name: str) -> Workbook:
    """Bytes of an xlsx / xls / csv file -> Workbook; FileRejected for anything unreadable."""
    if not data or not data.strip():
        raise _reject("no-data", file_name, "read.empty")
    limit = config.settings().max_upload_bytes
    if len(data) > limit:
        raise FileRejected(too_large(file_name, len(data), limit))
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        scans = _check_zip(data, file_name)
        return _read_with_calamine(data, file_name, "xlsx", scans)
    if data[:8] == OLE_MAGIC:
        _check_ole_complete(data, file_name)
        _check_xls_extent(data, file_name)
        return _read_with_calamine(data, file_name, "xls", {})
    for magic, kind in _NOT_SPREADSHEETS:
        if data.startswith(magic):
            raise _reject("bad-file", file_name, "read.not-spreadsheet", what=pair(f"read.kind.{kind}"))
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head[:200]:
        raise _reject("bad-file", file_name, "read.html")
    if head.startswith(b"<?xml"):
        raise _reject("bad-file", file_name, "read.xml")
    return _read_csv(data, file_name)


# --- xlsx / xls ------------------------------------------------------------------------------------

@dataclass
class _SheetScan:
    """What the sheet XML says beyond calamine's values: extent, uncomputed formulas, hidden rows/cols."""
    rows: int = 0  # 1 + the last row that holds a value
    cols: int = 0
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based -> text
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_cols: set[int] = field(default_factory=set)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # scaling number formats


_XML_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>/]*>')  # a cell with content
_XML_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>/]*>')
_XML_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_XML_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>(.*?)</c>', re.S)
_XML_FORMULA_START = re.compile(rb'<f\b')
_XML_FORMULA = re.compile(rb'<f\b[^>]*?(?:/>|>(.*?)</f>)', re.S)
_XML_VALUE = re.compile(rb'<v>[^<]+</v>|<is>')
_XML_HIDDEN_ROW = re.compile(rb'<row r="([0-9]{1,7})"[^>]*?\bhidden="(?:1|true)"')
_XML_HIDDEN_COLS = re.compile(rb'<col\b[^>]*?>')
_XML_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@functools.lru_cache(maxsize=64)
def _wider_cells(cols: int) -> re.Pattern:
    """A regex for a cell with content (as _XML_CELL_REF) whose column lies right of column `cols`
    (1-based; 0: any column): column letters are longer, or as long and greater."""
    letters, n = "", cols
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    wider = [f"[A-Z]{{{len(letters) + 1},3}}"] if len(letters) < 3 else []
    for i, ch in enumerate(letters):
        if ch != "Z":
            wider.append(f"{letters[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{len(letters) - i - 1}}}")
    return re.compile(rb'<c r="(' + "|".join(wider or ["(?!)"]).encode() + rb')[0-9]{1,7}"[^>/]*>')


_XML_STYLED_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\bs="([0-9]+)"')


def _scan_sheet_xml(stream, styles: dict[bytes, str] | None = None) -> _SheetScan:
    """One pass over a worksheet's XML, a row at a time, in bounded memory (regexes, no XML parser)."""
    scan = _SheetScan()
    tail = b""
    while True:
        chunk = stream.read(1 << 22)
        buf = tail + chunk
        if chunk:
            cut = buf.rfind(b"</row>")
            if cut < 0 and len(buf) < (64 << 20):
                tail = buf
                continue
            cut = cut + 6 if cut >= 0 else len(buf)
            work, tail = buf[:cut], buf[cut:]
        else:
            work, tail = buf, b""
        if _XML_CELL_REF.search(work):
            # the widest cell: only cells right of the widest so far are looked for (a regex),
            # not every cell's letters collected
            wider, steps = _wider_cells(scan.cols).search(work), 0
            while wider:
                scan.cols, steps = _col_number(wider.group(1)), steps + 1
                if steps > 32:  # a sheet that widens row after row: every cell's letters after all
                    scan.cols = max(scan.cols, max(map(_col_number, set(_XML_CELL_REF.findall(work)))))
                    break
                wider = _wider_cells(scan.cols).search(work, wider.end())
            last_row = max(map(int, _XML_ROW.findall(work)))
            if last_row * scan.cols > config.settings().max_cells:
                # row tags are an upper bound; only cells with content make calamine allocate
                last_row = max(int(r) for r in _XML_CELL_ROW.findall(work))
            scan.rows = max(scan.rows, last_row)
        if _XML_FORMULA_START.search(work):  # what _XML_FORMULA needs (a regex beats `b"<f" in`)
            for m in _XML_FORMULA_CELL.finditer(work):
                body = m.group(3)
                formula = _XML_FORMULA.search(body)
                if formula and not _XML_VALUE.search(body):
                    text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
                    where = (int(m.group(2)) - 1, _col_number(m.group(1)) - 1)
                    scan.formulas[where] = "=" + text if text else "=…"
        if styles:  # cells whose number format scales what they show (etl.read.formats)
            for m in _XML_STYLED_CELL.finditer(work):
                code = styles.get(m.group(3))
                if code:
                    scan.formats[(int(m.group(2)) - 1, _col_number(m.group(1)) - 1)] = code
        if b"hidden=" in work:
            scan.hidden_rows.update(int(r) - 1 for r in _XML_HIDDEN_ROW.findall(work))
            for tag in _XML_HIDDEN_COLS.findall(work):
                attrs = dict(_XML_ATTR.findall(tag))
                if attrs.get(b"hidden") in (b"1", b"true"):
                    first, last = int(attrs.get(b"min", 0)), int(attrs.get(b"max", 0))
                    scan.hidden_cols.update(range(first - 1, min(last, 16384)))
        if not chunk:
            return scan


def _worksheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member path -> sheet name, from xl/workbook.xml and its relationships."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = dict(_XML_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get(b"Id", b"")] = target
    names = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        attrs = dict(_XML_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        if rid in targets and b"name" in attrs:
            names[targets[rid]] = html.unescape(attrs[b"name"].decode("utf-8", "replace"))
    return names


def _too_many_cells(file_name: str, sheet: str, height: int, width: int) -> FileRejected:
    return FileRejected(kinds.TOO_LARGE.in_file(variant="cells", file=file_name, sheet=sheet, height=height,
                                                width=width, limit=config.settings().max_cells))


def _check_zip(data: bytes, file_name: str) -> dict[str, _SheetScan]:
    """Refuse a zip that is not a workbook, or that would inflate past the limits; scan its sheets."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # BadZipFile, ValueError, OSError ...
        raise _reject("bad-file", file_name, "read.zip.unreadable", error=exc) from None
    names = {m.filename for m in members}
    if len(names) < len(members):  # which of two same-named parts a reader takes is anyone's guess
        twice = sorted(n for n, k in collections.Counter(m.filename for m in members).items() if k > 1)
        raise _reject("bad-file", file_name, "read.zip.same-name",
                      parts=tuple(sep.join(twice[:3]) for sep in pair("list.separator")))
    if "xl/workbook.xml" not in names:
        kind = next((kind for part, kind in _ZIP_KINDS if part in names), "zip")
        raise _reject("bad-file", file_name, "read.zip.not-xlsx", what=pair(f"read.kind.{kind}"))
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > config.settings().max_uncompressed_bytes or (
                member.file_size > 1_000_000 and ratio > config.settings().max_compression_ratio):
            raise _zip_bomb(file_name)
    # Declared sizes can lie: inflate each member once, bounded by its declared size, with CRC check.
    # Worksheets are scanned on the way (extent, formulas, hidden rows).
    scans: dict[str, _SheetScan] = {}
    try:
        sheet_names = _worksheet_names(archive)  # inflates two parts: may fail like any other
        styles = formats.interesting_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else {}
        for member in members:
            with archive.open(member) as stream:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    scan = _scan_sheet_xml(stream, styles)
                    name = sheet_names.get(member.filename, member.filename)
                    if scan.rows * scan.cols > config.settings().max_cells:
                        raise _too_many_cells(file_name, name, scan.rows, scan.cols)
                    scans[name] = scan
                else:
                    while stream.read(1 << 20):
                        pass
    except FileRejected:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, unsupported compression ...
        raise _reject("bad-file", file_name, "read.zip.check", error=exc) from None
    return scans


_OLE_FREE, _OLE_END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def _check_ole_complete(data: bytes, file_name: str) -> None:
    """Refuse an OLE compound file (xls) that is cut off: a sector its allocation table uses lies
    beyond the end of the file, or is not whole. (calamine would often panic on it, printing a Rust
    message on stderr; the panic is caught too, but this says what is wrong.) Only truncation is
    refused here; anything else unusual is left to calamine."""
    damaged = _reject("bad-file", file_name, "read.xls.cut-off")
    if len(data) < 512:
        raise damaged
    shift, = struct.unpack_from("<H", data, 0x1E)
    if not 7 <= shift <= 16:
        return
    size = 1 << shift
    sectors = (len(data) - 512) // size  # whole sectors: writers pad the last one (calamine needs it)
    fat_count, = struct.unpack_from("<I", data, 0x2C)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C)[:fat_count] if s < _OLE_END_OF_CHAIN]
    last_used = -1
    per_sector = size // 4
    for position, sector in enumerate(fat_sectors):
        start = 512 + sector * size
        if start >= len(data):
            raise damaged  # the allocation table itself is missing
        table = struct.unpack_from(f"<{per_sector}I", data[start:start + size].ljust(size, b"\xff"))
        used = [index for index, entry in enumerate(table) if entry != _OLE_FREE]
        if used:
            last_used = max(last_used, position * per_sector + used[-1])
    if last_used >= sectors:
        raise damaged


# BIFF8 records that hold a cell value: (row, col) are their first two 16-bit fields
_XLS_CELL_RECORDS = {0x0203, 0x00FD, 0x027E, 0x0204, 0x0205, 0x0006, 0x00D6}
_XLS_MULRK, _XLS_BOF, _XLS_BOUNDSHEET, _XLS_DIMENSIONS = 0x00BD, 0x0809, 0x0085, 0x0200


def _check_xls_extent(data: bytes, file_name: str) -> None:
    """Walk the BIFF8 Workbook stream's records and refuse a sheet whose cells span too many cells.

    Anything unexpected is left to calamine, which reports a corrupt file as bad-file.
    """
    try:
        doc = xlrd.compdoc.CompDoc(data, logfile=io.StringIO(), ignore_workbook_corruption=True)
        mem, base, length = doc.locate_named_stream("Workbook")
        if mem is None:
            mem, base, length = doc.locate_named_stream("Book")
    except Exception:
        return
    if mem is None:
        return
    names: dict[int, str] = {}
    extents: dict[int, list[int]] = {}
    current = None
    pos, end = base, min(base + length, len(mem))
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", mem, pos)
        body = pos + 4
        if body + size > end:
            break  # a record running past the stream: damage that calamine reports
        if kind == _XLS_BOF:
            current = pos - base
            extents[current] = [0, 0]
        elif kind == _XLS_BOUNDSHEET and size >= 8:
            offset, = struct.unpack_from("<I", mem, body)
            count, flags = mem[body + 6], mem[body + 7]
            raw = bytes(mem[body + 8: body + 8 + (count * 2 if flags & 1 else count)])
            names[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
        elif current is not None and kind == _XLS_DIMENSIONS and size >= 14:
            # calamine sizes a sheet by this record: first > last (a flipped byte) would make it
            # ask for ~1 TB and abort the process
            first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", mem, body)
            if first_row > last_row or first_col > last_col:
                raise _reject("bad-file", file_name, "read.xls.reversed")
            extent = extents[current]
            extent[0], extent[1] = max(extent[0], last_row), max(extent[1], last_col)
        elif current is not None and size >= 4 and (kind in _XLS_CELL_RECORDS or kind == _XLS_MULRK):
            row, col = struct.unpack_from("<HH", mem, body)
            if kind == _XLS_MULRK and size >= 6:
                col, = struct.unpack_from("<H", mem, body + size - 2)
            extent = extents[current]
            extent[0], extent[1] = max(extent[0], row + 1), max(extent[1], col + 1)
        pos = body + size
    for offset, (height, width) in extents.items():
        if height * width > config.settings().max_cells:
            raise _too_many_cells(file_name, names.get(offset, "?"), height, width)


def _zip_bomb(file_name: str) -> FileRejected:
    settings = config.settings()
    return FileRejected(kinds.ZIP_BOMB.in_file(file=file_name, limit=fmt_bytes(settings.max_uncompressed_bytes),
                                               ratio=f"{settings.max_compression_ratio:g}"))


def _read_with_calamine(data: bytes, file_name: str, fmt: str, scans: dict[str, _SheetScan]) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets, hidden = [], []
        xls_formats = formats.xls_formats(data, book.sheet_names) if fmt == "xls" else {}
        for meta in book.sheets_metadata:
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            if str(meta.visible) != str(python_calamine.SheetVisibleEnum.Visible):
                hidden.append(meta.name)  # lookups or drafts: not read, listed as skipped
                continue
            sheet = book.get_sheet_by_name(meta.name)
            height, width = sheet.total_height, sheet.total_width
            if height * width > config.settings().max_cells:
                raise _too_many_cells(file_name, meta.name, height, width)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            scan = scans.get(meta.name) or _SheetScan()
            _mark_formulas(rows, scan.formulas)
            sheets.append(Sheet(meta.name, rows, merged, hidden_rows=sorted(scan.hidden_rows),
                                hidden_cols=sorted(scan.hidden_cols),
                                formats=scan.formats or xls_formats.get(meta.name, {})))
    except FileRejected:
        raise
    except BaseException as exc:  # calamine's own errors, and its Rust panics (see is_panic)
        if not (isinstance(exc, Exception) or is_panic(exc)):
            raise  # KeyboardInterrupt, SystemExit
        log.info("calamine could not read %s as %s: %s: %s", file_name, fmt, type(exc).__name__, exc)
        raise _reject("bad-file", file_name, "read.damaged", fmt=fmt,
                      error=pair("read.damaged.panic") if is_panic(exc) else str(exc)) from None
    return Workbook(file_name, fmt, sheets, hidden_sheets=hidden)


def is_panic(exc: BaseException) -> bool:
    """A Rust panic inside python-calamine: pyo3 raises `pyo3_runtime.PanicException`, which derives
    from BaseException (not Exception) and has no importable module, so it is known by its name."""
    return type(exc).__name__ == "PanicException"


def _mark_formulas(rows: list[list], formulas: dict[tuple[int, int], str]) -> None:
    """Formula cells that calamine read as empty (no computed value in the file) -> UncomputedFormula."""
    for (r, c), text in formulas.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in ("", None):
            rows[r][c] = UncomputedFormula(text)


# --- csv -------------------------------------------------------------------------------------------

def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 (with or without BOM), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]  # Excel's "Unicode text" (UTF-16, tab separated)
    elif _utf16_without_bom(data):
        candidates = [_utf16_without_bom(data)]
    else:
        candidates = ["utf-8", "gb18030"]
    cut = False  # the only undecodable bytes are an incomplete character at the very end
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            cut = cut or _cut_character(data, encoding, exc)
            continue
        if "\x00" in text or _control_share(text) > 0.01:
            break
        return text, encoding
    if b"\x00" in data[:4096] or _control_share(data[:4096].decode("latin-1")) > 0.05:
        raise _reject("bad-file", file_name, "read.binary")
    if cut:
        raise _truncated(file_name, "read.truncated.last-character")
    raise FileRejected(kinds.ENCODING.in_file(file=file_name))


def _cut_character(data: bytes, encoding: str, exc: UnicodeDecodeError) -> bool:
    """True when `data` decodes as `encoding` except for an incomplete character at its very end."""
    if exc.end < len(data) or exc.start < len(data) - 4:
        return False
    try:
        data[:exc.start].decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte of the sample is NUL, as in UTF-16 text."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls / len(sample)


def _delimiter(text: str) -> str:
    """Comma unless the sample's lines are clearly split by tabs or semicolons."""
    sample = text[:20000].splitlines()[:50]
    counts = {d: sum(line.count(d) for line in sample) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] > counts[","] else ","


def _read_csv(data: bytes, file_name: str) -> Workbook:
    text, encoding = _decode(data, file_name)
    delimiter = _delimiter(text)
    try:
        try:
            rows = _csv_rows(text, delimiter, file_name, strict=True)
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):  # a quoted field (a note) that never ends
                raise _truncated(file_name, "read.truncated.quoted-field") from None
            # a stray quote inside a field ('x,"y"z'): read it as Excel does, not strictly
            rows = _csv_rows(text, delimiter, file_name, strict=False)
    except csv.Error as exc:
        raise _reject("bad-file", file_name, "read.csv.unparsable", error=exc) from None
    if not any(cell.strip() for row in rows for cell in row):
        raise _reject("no-data", file_name, "read.csv-empty")
    _check_complete(text, rows, file_name)
    name = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "csv"
    return Workbook(file_name, "csv", [Sheet(name, rows)], encoding=encoding)


def _csv_rows(text: str, delimiter: str, file_name: str, *, strict: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    cells, limit = 0, config.settings().max_cells
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict):
        cells += len(row)
        if cells > limit:
            raise FileRejected(kinds.TOO_LARGE.in_file(variant="csv", file=file_name, limit=limit))
        rows.append(row)
    return rows


def _truncated(file_name: str, why: str, **values: Any) -> FileRejected:
    """The file looks cut off; `why` is the key of the reason (read.truncated.*), filled with `values`."""
    return _reject("bad-file", file_name, "read.truncated", why=pair(why, **values))


# Input vocabulary, not wording: the words by which a national data portal's CSV export is known
# (its first line, 数据库：年度数据) and by which its end is (the source line, 数据来源：国家统计局).
PORTAL_FIRST_LINE = re.compile(r"^\s*数据库[:：]")
PORTAL_SOURCE_LINE = re.compile(r"^\s*(?:数据)?来源[:：]")


def _check_complete(text: str, rows: list[list[str]], file_name: str) -> None:
    """Refuse a CSV whose end is missing, so that a cut-off last number (2384 -> 23) never loads.

    - the last line holds data (two or more filled fields) but has no line end: whether its last
      number is whole cannot be told, so the file is refused (every program that writes CSV, Excel
      and the portal included, ends the last line);
    - a national data portal export (first line 数据库：…) always ends with its source line
      (数据来源：国家统计局); without one, rows at the end may be missing.
    """
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    last = filled[-1]
    if not text.endswith(("\n", "\r")) and sum(1 for cell in last if cell.strip()) >= 2:
        header = max((len(row) for row in filled[:-1]), default=0)
        short = len(last) < header
        raise _truncated(file_name, "read.truncated.no-line-end-short" if short else "read.truncated.no-line-end",
                         fields=len(last), header=header, line=",".join(last)[-60:])
    if PORTAL_FIRST_LINE.match(filled[0][0] if filled[0] else "") and not any(
            PORTAL_SOURCE_LINE.match(row[0]) for row in filled if row):
        raise _truncated(file_name, "read.truncated.no-source-line")
