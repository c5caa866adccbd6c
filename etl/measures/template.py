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

SHEET = "奖励清单"
INFO_SHEET = "说明 Instructions"
KINDS_SHEET = "奖励类别"
KINDS_HEADER = ("措施 measure", "代码 code", "奖励 award", "规则 rule", "rule")
WIDTHS = (10, 10, 34, 22, 16, 34, 8, 12, 26, 14, 16, 18, 10)

INSTRUCTIONS = [
    ("填表说明", "Instructions"),
    ("每行一项奖励（补助）。措施编号、企业名称、统一社会信用代码、年度和奖励金额（万元）必填。整个文件一并检查："
     "只要有一个错误，整个文件都不会载入，报告会指出工作表和单元格。",
     "One award (or subsidy) a row. Measure, enterprise, credit code, year and amount (10k yuan) are "
     "required. The file is checked as a whole: one error and nothing is loaded; the report names "
     "the sheet and cell."),
    ("措施编号：政策措施的条目号（1—4、9、11—14 有资金奖补）。奖励类别：见“奖励类别”工作表；一条措施只有一类"
     "奖励时可留空，第2、4、13条按是否填写基数和金额判断，也可直接填写代码（如2a、4z、13b）。",
     "Measure: the measure's number (1–4, 9, 11–14 carry money). Award kind: a code from the 奖励类别 "
     "sheet; may be left empty when the measure has one kind (for 2, 4, 13 the basis and amount decide)."),
    ("基数（万元）：按比例计算的奖励填写计算基数（中央支持额度、实际完成投资额、产品实际销售价格）；第9条填营业收入，"
     "第11条填接入企业数（家），第13条CMMI奖励填等级（3、4、5）。",
     "Basis: for rate-based awards the basis (central support, investment, sale price); m.9 revenue, "
     "m.11 connected enterprises, m.13 CMMI level."),
    ("市（地）或县：如“哈尔滨市”或“哈尔滨市南岗区”。批准日期：2023-05-12。另有规定：按其他规定可重复支持时填“是”。",
     "City or county: e.g. 哈尔滨市 or 哈尔滨市南岗区. Approval date: 2023-05-12. 另有规定: 是 when "
     "another provision allows support twice."),
    ("检查：统一社会信用代码校验位（GB 32100）；同一代码两个名称或同一名称两个代码；上限；比例×基数（误差0.01万元）"
     "和门槛；每年名额（第4条每年50户，计入已载入的清单）；一次性奖励不重复；政策有效期（2021-10-20起4年）；"
     "同一企业同一项目同一年度按从高不重复支持（另有规定的除外）。",
     "Checks: the credit code's check digit (GB 32100); one code with two names or one name with two "
     "codes; caps; rate × basis (to 0.01) and thresholds; yearly quotas (m.4: 50 a year, counting "
     "lists already loaded); one-off awards once; the validity (four years from 2021-10-20); one "
     "project supported once a year at the highest amount (从高不重复) unless 另有规定."),
    ("示例：12 | 12 | 哈尔滨某智能装备有限公司 | 91230100MA1B2C3D4X | 哈尔滨市 | 智能传感器产线 | 2023 | "
     "2023-06-30 | 黑工信发〔2023〕45号 | 3000 | 300 | 省工信厅 | 否",
     "Example: measure 12, basis 3000, amount 300 (10% of the investment)."),
]


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
