"""read_workbook: type by content, encodings, limits, and clear rejections (never a traceback)."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from etl import config
from etl.read.files import FileRejected, read_workbook
from tests import messy_files as mf
from etl.wording.catalogue import t
from etl.wording.numbers import fmt_bytes


def rejected(data: bytes, name: str) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        read_workbook(data, name)
    problem = info.value.problem
    assert problem.severity == "error" and problem.message_zh and problem.message_en
    assert name in problem.message_zh
    return info.value


def test_gbk_csv_with_quoted_multiline_note_and_continuation_lines():
    data, name = mf.portal_regions_csv()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK
    book = read_workbook(data, name)
    assert book.format == "csv" and book.encoding == "gb18030"
    (sheet,) = book.sheets
    assert sheet.rows[0] == ["数据库：分省年度数据"]
    assert sheet.rows[3][:3] == ["地区", "2024年", "2023年"]
    assert sheet.rows[4][:2] == ["北京市", ""]  # not yet released: an empty field
    note = sheet.rows[4 + 31]
    assert len(note) == 1 and note[0].startswith("注：") and "\n" in note[0]  # one quoted record
    assert sheet.rows[4 + 32][0].startswith("\u3000" * 3)
    assert sheet.rows[-1] == ["数据来源：国家统计局"]


def test_gbk_csv_with_crlf():
    data, name = mf.portal_indicators_csv()
    assert b"\r\n" in data
    book = read_workbook(data, name)
    assert book.sheets[0].rows[2][0] == "指标"
    assert all("\r" not in cell for row in book.sheets[0].rows for cell in row)


def test_utf8_bom_and_plain_utf8_csv():
    data, name = mf.portal_periods_rows_csv(encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    book = read_workbook(data, name)
    assert book.encoding == "utf-8-sig" and book.sheets[0].rows[0] == ["数据库：季度数据"]
    book = read_workbook(mf.portal_periods_rows_csv(encoding="utf-8")[0], name)
    assert book.encoding == "utf-8" and book.sheets[0].rows[0] == ["数据库：季度数据"]


def test_gb18030_only_characters():
    data = "地区,2024年\n𠀀市,1\n".encode("gb18030")  # a character outside GBK
    book = read_workbook(data, "x.csv")
    assert book.sheets[0].rows[1][0] == "𠀀市"


def test_biff8_xls_with_empty_text_cells():
    data, name = mf.old_portal_xls()
    assert data[:4] == b"\xd0\xcf\x11\xe0"
    book = read_workbook(data, name)
    assert book.format == "xls"
    (sheet,) = book.sheets
    assert sheet.name == "分省年度数据"
    header = sheet.rows[3]
    assert header[0] == "地区" and header[1] == "2019年"
    tibet = next(row for row in sheet.rows if row and row[0] == "西藏自治区")
    assert tibet[5] == ""  # the missing 2015 value: an empty text cell reads as ''
    assert tibet[1] == mf.old_portal_value(25, 2019)


def test_xlsx_numbers_as_text_merged_title_two_row_header():
    data, name = mf.provincial_xlsx()
    book = read_workbook(data, name)
    assert book.format == "xlsx"
    (sheet,) = book.sheets
    assert sheet.rows[0][0].startswith("2024年1-9月")
    assert (0, 0, 0, 5) in sheet.merged and (2, 1, 2, 2) in sheet.merged and (2, 0, 3, 0) in sheet.merged
    assert sheet.rows[3][1] == "绝对值" and sheet.rows[3][2] == "同比增长%"
    assert sheet.rows[4][1] == "1,234.5"  # a number stored as text stays text here
    new, _ = mf.new_portal_xlsx()
    assert read_workbook(new, "n.xlsx").sheets[0].rows[3][2] == "341230.4"


def test_type_is_decided_by_content_not_name():
    data, _ = mf.portal_regions_csv()
    assert read_workbook(data, "renamed.xlsx").format == "csv"
    xlsx, _ = mf.provincial_xlsx()
    assert read_workbook(xlsx, "renamed.csv").format == "xlsx"
    xls, _ = mf.old_portal_xls()
    assert read_workbook(xls, "renamed.xlsx").format == "xls"


def test_png_renamed_xlsx_is_rejected_clearly():
    error = rejected(*mf.png_as_xlsx())
    assert error.problem.code == "bad-file" and "PNG" in error.problem.message_zh
    problem = rejected(b"\x89PNG\r\n\x1a\n", "a.xlsx").problem
    assert (problem.message_zh, problem.message_en) == (
        "文件“a.xlsx”：这是PNG 图片，不是电子表格。请上传 .xlsx、.xls 或 .csv 文件。",
        "File 'a.xlsx': this is a PNG image, not a spreadsheet. Upload an .xlsx, .xls or .csv file.")


def _zip_with(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n", "png"), (b"%PDF-1.7", "pdf"), (b"\xff\xd8\xff\xe0", "jpeg"), (b"GIF89a", "gif"),
    (b"\x1f\x8b\x08\x00", "gzip"), (b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (_zip_with("content.xml"), "ods"), (_zip_with("xl/workbook.bin"), "xlsb"),
    (_zip_with("word/document.xml"), "word"), (_zip_with("notes.txt"), "zip")])
def test_what_a_file_is_instead_is_said_in_both_languages(data, kind):
    problem = rejected(data, "a.xlsx").problem
    assert problem.code == "bad-file"
    assert t(f"read.kind.{kind}", "zh") in problem.message_zh and t(f"read.kind.{kind}", "en") in problem.message_en


def test_pdf_and_random_bytes_are_rejected():
    assert rejected(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.xlsx").problem.code == "bad-file"
    assert rejected(*mf.random_bytes_xlsx()).problem.code in ("bad-file", "encoding")


def test_truncated_xlsx_is_rejected():
    error = rejected(*mf.truncated_xlsx())
    assert error.problem.code == "bad-file"


def test_corrupt_member_is_rejected():
    data, _ = mf.provincial_xlsx()
    broken = bytearray(data)
    # flip bytes inside the sheet member's compressed data: the CRC check must catch it
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    for i in range(start, start + 20):
        broken[i] ^= 0x55
    assert rejected(bytes(broken), "broken.xlsx").problem.code == "bad-file"


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert rejected(out.getvalue(), "a.xlsx").problem.code == "bad-file"


def test_empty_file():
    error = rejected(*mf.empty_file())
    assert error.problem.code == "no-data"
    assert rejected(b"\r\n \n", "blank.csv").problem.code == "no-data"
    assert rejected(b",,,\n,,\n", "commas.csv").problem.code == "no-data"


def test_zip_bomb_by_ratio():
    data, name = mf.zip_bomb_xlsx(8 * 1024 * 1024)
    assert len(data) < 200_000
    assert rejected(data, name).problem.code == "zip-bomb"


def test_zip_bomb_by_total_size(monkeypatch):
    monkeypatch.setattr(config, "current", config.settings().replace(
        max_compression_ratio=1e9, max_uncompressed_bytes=2 * 1024 * 1024))
    data, name = mf.zip_bomb_xlsx(4 * 1024 * 1024)
    assert rejected(data, name).problem.code == "zip-bomb"


def test_too_large_file_and_too_many_cells(monkeypatch):
    data, name = mf.provincial_xlsx()
    limits = config.settings()
    monkeypatch.setattr(config, "current", limits.replace(max_upload_bytes=len(data) - 1))
    assert rejected(data, name).problem.code == "too-large"
    monkeypatch.setattr(config, "current", limits.replace(max_upload_bytes=10**9, max_cells=20))
    assert rejected(data, name).problem.code == "too-large"
    assert rejected(*mf.portal_regions_csv()).problem.code == "too-large"


def test_a_size_is_said_in_a_unit_that_fits_never_0_mb(monkeypatch):
    assert [fmt_bytes(n) for n in (20 * 2**20, int(25.3 * 2**20), 50_000, 1024, 900)] == [
        "20 MB", "25.3 MB", "48.8 KB", "1 KB", "900 B"]
    monkeypatch.setattr(config, "current", config.settings().replace(max_upload_bytes=50_000))
    problem = rejected(b"gdp,230000,2024," + b"1" * 60_000 + b"\n", "big.csv").problem
    assert (problem.code, problem.message_zh, problem.message_en) == (
        "too-large", "文件“big.csv”：文件大小 58.6 KB，超过上限 48.8 KB。",
        "File 'big.csv': the file is 58.6 KB, over the 48.8 KB limit.")


def test_undecodable_text_is_an_encoding_problem():
    data = "地区,2024年\n北京,1\n".encode("gbk") + b"\x81\x20\xff\xfe\x80\n"
    assert rejected(data, "bad.csv").problem.code in ("encoding", "bad-file")


def test_hidden_sheets_are_skipped():
    book = openpyxl.Workbook()
    book.active.title = "数据"
    hidden = book.create_sheet("lookup")
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    assert [s.name for s in read_workbook(out.getvalue(), "h.xlsx").sheets] == ["数据"]


def test_zip_that_lies_about_its_sizes_is_caught():
    data, _ = mf.provincial_xlsx()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    lying = bytearray(data)
    small = (100).to_bytes(4, "little")
    lying[info.header_offset + 22: info.header_offset + 26] = small  # local header
    central = lying.find(b"PK\x01\x02")  # central directory entries
    while central != -1:
        name_len = int.from_bytes(lying[central + 28: central + 30], "little")
        if lying[central + 46: central + 46 + name_len] == info.filename.encode():
            lying[central + 24: central + 28] = small
            break
        central = lying.find(b"PK\x01\x02", central + 4)
    else:
        raise AssertionError("central directory entry not found")
    assert zipfile.ZipFile(io.BytesIO(bytes(lying))).getinfo(info.filename).file_size == 100
    assert rejected(bytes(lying), "lying.xlsx").problem.code in ("bad-file", "zip-bomb")


@pytest.mark.parametrize("content", [b"<html><body><table><tr><td>1</td></tr></table></body></html>",
                                     b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'])
def test_html_and_xml_named_xls_are_rejected(content):
    error = rejected(content, "portal.xls")
    assert error.problem.code == "bad-file"
