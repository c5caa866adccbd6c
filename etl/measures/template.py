"""The award-list template: `python -m etl template --awards OUT.xlsx`.

Sheets: 奖励清单 (the header the reader expects, nothing else: a template uploaded unchanged holds no
award), 说明 Instructions (Chinese, then English, with an example row in words) and 奖励类别 (every
rule of the policy: measure, code, kind, the rule in words). The extra sheets have no 企业名称 /
统一社会信用代码 header, so the reader never takes them for awards.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from etl.measures.records import COLUMNS
from etl.measures.rules import Rulebook, describe
from etl.wording.catalogue import pair

SHEET = "奖励清单"
INFO_SHEET = "说明 Instructions"
KINDS_SHEET = "奖励类别"
KINDS_HEADER = ("措施 measure", "代码 code", "奖励 award", "规则 rule", "rule")
WIDTHS = (10, 10, 34, 22, 16, 34, 8, 12, 26, 14, 16, 18, 10)

# the instruction sheet, Chinese line then English line: etl/wording/texts/templates.toml
INSTRUCTIONS = [pair(f"measures.template.instructions.{i}") for i in range(1, 8)]


def write_awards_template(path: Path, book: Rulebook) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header = [names[0] for names in COLUMNS.values()]
    ws.append(header)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, width in enumerate(WIDTHS, 1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = Font(bold=True), fill
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"
    info = wb.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 110
    for zh, en in INSTRUCTIONS:
        info.append([zh])
        info.append([en])
        info.append([])
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    info["A1"].font = Font(bold=True, size=13)
    kinds = wb.create_sheet(KINDS_SHEET)
    kinds.append(list(KINDS_HEADER))
    for rule in sorted(book.rules.values(), key=lambda r: (r.measure, r.code)):
        kinds.append([rule.measure, rule.code, rule.name_zh, describe(rule, "zh"), describe(rule, "en")])
    for col, width in zip("ABCDE", (10, 8, 36, 48, 60)):
        kinds.column_dimensions[col].width = width
    wb.save(path)
