"""Read an uploaded file's bytes into a Workbook of plain cells, defensively.

The type is decided by the content, never by the name: a zip is an xlsx, an OLE compound file
(D0 CF 11 E0) is an xls, anything else must decode as text and is read as CSV. Limits come from
etl.config and are read at call time (tests and deployments change them):
- MAX_FILE_BYTES: refused before anything is parsed (too-large);
- an xlsx is a zip: every member's declared size, the total, and the compression ratio are checked
  before parsing, then each member is inflated once through a bounded, CRC-checked stream, so a
  zip that lies about its sizes is caught too (zip-bomb);
- MAX_CELLS: a sheet's dimensions are checked before its cells are materialised (too-large).
Cell values stay as the file has them (numbers stored as text stay text; etl.normalise parses
them); empty cells, including the empty *text* cells of old portal XLS files, are ''.
Every failure is a FileRejected carrying a Problem with a Chinese and an English message.
calamine parses the XML itself (quick-xml, no DTD or entity expansion), so no XML is parsed here.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile

import python_calamine

from etl import config
from etl.records import ERROR, Problem, Sheet, Workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_SPREADSHEETS = [
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"%PDF", "PDF 文档", "a PDF document"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"\x1f\x8b", "gzip 压缩文件", "a gzip archive"),
    (b"Rar!", "RAR 压缩文件", "a RAR archive"),
    (b"7z\xbc\xaf", "7z 压缩文件", "a 7z archive"),
]


class FileRejected(Exception):
    """The file cannot be read at all; `.problem` says why, in Chinese and English."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message_en)
        self.problem = problem


def _reject(code: str, file_name: str, zh: str, en: str) -> FileRejected:
    return FileRejected(Problem(code, ERROR, f"文件“{file_name}”：{zh}", f"File {file_name!r}: {en}"))


def read_workbook(data: bytes, file_name: str) -> Workbook:
    """Bytes of an xlsx / xls / csv file -> Workbook; FileRejected for anything unreadable."""
    if not data or not data.strip():
        raise _reject("no-data", file_name, "文件是空的，没有任何数据。", "the file is empty: there is no data.")
    if len(data) > config.MAX_FILE_BYTES:
        raise _reject("too-large", file_name,
                      f"文件大小 {len(data) / 1048576:.1f} MB，超过上限 {config.MAX_FILE_BYTES / 1048576:.1f} MB。",
                      f"the file is {len(data) / 1048576:.1f} MB, over the "
                      f"{config.MAX_FILE_BYTES / 1048576:.1f} MB limit.")
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        _check_zip(data, file_name)
        return _read_with_calamine(data, file_name, "xlsx")
    if data[:8] == OLE_MAGIC:
        return _read_with_calamine(data, file_name, "xls")
    for magic, zh, en in _NOT_SPREADSHEETS:
        if data.startswith(magic):
            raise _reject("bad-file", file_name, f"这是{zh}，不是电子表格。请上传 .xlsx、.xls 或 .csv 文件。",
                          f"this is {en}, not a spreadsheet. Upload an .xlsx, .xls or .csv file.")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head[:200]:
        raise _reject("bad-file", file_name, "这是网页（HTML）文件，不是电子表格。请在 Excel 中另存为 .xlsx 后上传。",
                      "this is a web page (HTML), not a spreadsheet. Save it as .xlsx in Excel and "
                      "upload again.")
    if head.startswith(b"<?xml"):
        raise _reject("bad-file", file_name, "这是 XML 文件（如 Excel 2003 XML 表格），不是 .xlsx/.xls/.csv。请另存为 .xlsx 后上传。",
                      "this is an XML file (such as an Excel 2003 XML spreadsheet), not .xlsx/.xls/.csv. "
                      "Save it as .xlsx and upload again.")
    return _read_csv(data, file_name)


# --- xlsx / xls ------------------------------------------------------------------------------------

def _check_zip(data: bytes, file_name: str) -> None:
    """Refuse a zip that is not a workbook, or that would inflate past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # BadZipFile, ValueError, OSError ...
        raise _reject("bad-file", file_name, "文件已损坏或不完整（无法作为 xlsx/zip 打开）。",
                      f"the file is corrupt or truncated (not a readable xlsx/zip: {exc}).") from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        what_zh, what_en = "压缩包", "a zip archive"
        if "content.xml" in names:
            what_zh, what_en = "OpenDocument 表格（.ods）", "an OpenDocument spreadsheet (.ods)"
        elif "xl/workbook.bin" in names:
            what_zh, what_en = "二进制 Excel 工作簿（.xlsb）", "a binary Excel workbook (.xlsb)"
        elif "word/document.xml" in names:
            what_zh, what_en = "Word 文档", "a Word document"
        raise _reject("bad-file", file_name,
                      f"这是{what_zh}，不是 Excel 工作簿（.xlsx）。请另存为 .xlsx 后上传。",
                      f"this is {what_en}, not an Excel workbook (.xlsx). Save it as .xlsx and upload again.")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > config.MAX_UNCOMPRESSED_BYTES or (
                member.file_size > 1_000_000 and ratio > config.MAX_COMPRESSION_RATIO):
            raise _zip_bomb(file_name)
    # Declared sizes can lie: inflate each member once, bounded by its declared size, with CRC check.
    try:
        for member in members:
            with archive.open(member) as stream:
                while stream.read(1 << 20):
                    pass
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, unsupported compression ...
        raise _reject("bad-file", file_name, "文件已损坏（压缩内容校验失败）。",
                      f"the file is corrupt (a compressed part fails its check: {exc}).") from None


def _zip_bomb(file_name: str) -> FileRejected:
    limit = config.MAX_UNCOMPRESSED_BYTES / 1048576
    return _reject("zip-bomb", file_name,
                   f"解压后会超过 {limit:.0f} MB 或压缩比超过 {config.MAX_COMPRESSION_RATIO:g} 倍，已拒绝（疑似压缩炸弹）。",
                   f"it would inflate past {limit:.0f} MB or a compression ratio of "
                   f"{config.MAX_COMPRESSION_RATIO:g} when unzipped; refused (possible zip bomb).")


def _read_with_calamine(data: bytes, file_name: str, fmt: str) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            if str(meta.visible) != str(python_calamine.SheetVisibleEnum.Visible):
                continue  # hidden sheets hold lookups, not data to load
            sheet = book.get_sheet_by_name(meta.name)
            height, width = sheet.total_height, sheet.total_width
            if height * width > config.MAX_CELLS:
                raise _reject("too-large", file_name,
                              f"工作表“{meta.name}”有 {height}×{width} 个单元格，超过上限 {config.MAX_CELLS}。",
                              f"sheet {meta.name!r} spans {height}x{width} cells, over the "
                              f"{config.MAX_CELLS} cell limit.")
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            sheets.append(Sheet(meta.name, rows, merged))
    except FileRejected:
        raise
    except Exception as exc:  # calamine raises its own errors, and panics surface as others
        kind_zh = "xlsx" if fmt == "xlsx" else "xls"
        raise _reject("bad-file", file_name, f"文件已损坏，无法作为 {kind_zh} 工作簿读取。",
                      f"the file is corrupt and cannot be read as an {fmt} workbook ({exc}).") from None
    return Workbook(file_name, fmt, sheets)


# --- csv -------------------------------------------------------------------------------------------

def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (a GBK superset)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _control_share(text) > 0.01:
            break
        return text, encoding
    if b"\x00" in data[:4096] or _control_share(data[:4096].decode("latin-1")) > 0.05:
        raise _reject("bad-file", file_name, "这不是电子表格或文本文件（内容为二进制数据）。请上传 .xlsx、.xls 或 .csv 文件。",
                      "this is not a spreadsheet or a text file (binary content). Upload an .xlsx, "
                      ".xls or .csv file.")
    raise _reject("encoding", file_name, "无法识别文本编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）。",
                  "the text encoding cannot be recognised (UTF-8, UTF-8 with BOM and GBK/GB18030 are "
                  "supported).")


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
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells += len(row)
            if cells > config.MAX_CELLS:
                raise _reject("too-large", file_name, f"单元格超过上限 {config.MAX_CELLS} 个。",
                              f"more than {config.MAX_CELLS} cells.")
            rows.append(row)
    except csv.Error as exc:
        raise _reject("bad-file", file_name, "CSV 格式错误，无法解析。",
                      f"the CSV cannot be parsed ({exc}).") from None
    if not any(cell.strip() for row in rows for cell in row):
        raise _reject("no-data", file_name, "文件中没有任何数据。", "the file holds no data.")
    name = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "csv"
    return Workbook(file_name, "csv", [Sheet(name, rows)], encoding=encoding)
