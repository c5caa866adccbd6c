"""etl.checks.annotate: faulty cells highlighted and commented, a report sheet first, text never a formula."""
from __future__ import annotations

import io

import openpyxl
import pytest

from etl.checks import annotate
from etl.read.files import FileRejected
from tests import messy_files

TYPE_ERROR = {"sheet": "各市", "cell": "B7", "code": "type-error", "severity": "error",
              "raw": "一百二十", "message_zh": "单元格不是数值", "message_en": "not a number",
              "fix_zh": "请只填写数字", "fix_en": "Enter the number alone"}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_is_annotated_in_place_with_a_report_sheet():
    data, name = messy_files.provincial_xlsx(cell_overrides={"B7": "一百二十"})
    warning = dict(TYPE_ERROR, cell="D6", severity="warning", code="suspicious-jump",
                   message_zh="跳变", message_en="jump")
    file_level = {"code": "no-data", "severity": "warning", "message_zh": "整体", "message_en": "whole"}
    book = load(annotate.annotated_xlsx(data, name, [warning, TYPE_ERROR, file_level]))
    assert book.sheetnames[0] == annotate.REPORT_SHEET and "各市" in book.sheetnames
    sheet = book["各市"]
    assert sheet["B7"].comment.text.startswith("[type-error] 单元格不是数值")
    assert "如何修改：请只填写数字 / How to fix: Enter the number alone" in sheet["B7"].comment.text
    assert sheet["B7"].fill.fgColor.rgb.endswith("FFC7CE")  # error: red
    assert sheet["D6"].fill.fgColor.rgb.endswith("FFEB9C")  # warning: yellow
    assert sheet["B6"].comment is None
    assert sheet.merged_cells.ranges  # the layout is kept
    report = list(book[annotate.REPORT_SHEET].iter_rows(values_only=True))
    assert report[1][0] == "error" and report[1][2] == "B7"  # errors first
    link = book[annotate.REPORT_SHEET]["C2"].hyperlink
    assert link.location == "'各市'!B7"
    assert any(row[3] == "no-data" for row in report)


def test_csv_is_copied_into_a_new_workbook_and_text_stays_text():
    data = "地区,GDP\n哈尔滨,=cmd|' /C calc'!A0\n齐齐哈尔,abc\n".encode("utf-8")
    problem = dict(TYPE_ERROR, sheet="b", cell="B3", raw="abc")
    book = load(annotate.annotated_xlsx(data, "b.csv", [problem]))
    sheet = book["b"]
    assert sheet["B2"].value == "=cmd|' /C calc'!A0" and sheet["B2"].data_type == "s"
    assert sheet["B3"].comment is not None and sheet["A3"].value == "齐齐哈尔"


def test_xls_is_copied_too():
    data, name = messy_files.old_portal_xls()
    book = load(annotate.annotated_xlsx(data, name, []))
    assert len(book.sheetnames) == 2
    report = list(book[annotate.REPORT_SHEET].iter_rows(values_only=True))
    assert report[1][5] == "未发现问题。"


def test_unreadable_files_are_refused_not_parsed():
    with pytest.raises(FileRejected):
        annotate.annotated_xlsx(*messy_files.zip_bomb_xlsx(), [])
    with pytest.raises(FileRejected):
        annotate.annotated_xlsx(*messy_files.png_as_xlsx(), [])
