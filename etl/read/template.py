"""The long template: one value per row, for figures that do not come as a statistics workbook.

Sheets: 数据 (the columns etl.read.layout reads as the long template, with one example row and drop-down
lists), 说明 Instructions (Chinese, then English), 指标代码 (the catalog's indicators with names,
units and definitions) and 地区代码 (regions). The codes sheets hold text only, so the ETL reads
them as notes, never as data.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from etl import periods
from etl.records import Catalog
from etl.wording.catalogue import pair

DATA_SHEET = "数据"
HEADER = ("指标代码 indicator", "地区代码 region", "期间 period", "数值 value", "单位 unit",
          "口径 basis", "来源 source", "备注 note")
# the example's period is written as every page names it (etl.periods.format_period)
EXAMPLE = ("gdp", "230100", periods.format_period((2025, 3, periods.YTD), periods.FLOW_YTD, "zh"),
           4108.2, "亿元", "累计", "哈尔滨市统计局",
           "示例行：填写时请删除或覆盖 / example row: delete or overwrite it")
LEVEL_ZH = {"country": "全国", "province": "省级", "prefecture": "地级"}
INFO_SHEET, INDICATOR_SHEET, REGION_SHEET = "说明 Instructions", "指标代码", "地区代码"
INDICATOR_HEADER = ("指标代码 code", "指标名称 name", "English name", "单位 unit", "类型 measure",
                    "季度值 quarterly values", "期间写法 period as written", "计算方法 derivation")
REGION_HEADER = ("地区代码 code", "地区名称 name", "English name", "级别 level")
MEASURE_NAMES = {"flow": "流量 flow", "stock": "存量 stock", "ratio": "比率 ratio"}
PERIOD_SEP = "、"  # between the forms of a period in the 期间写法 column
BASIS_CHOICES = '"全年,累计,当季"'  # the 口径 column's drop-down list

# the instruction sheet, Chinese line then English line: etl/wording/texts/templates.toml
INSTRUCTIONS = [pair(f"template.instructions.{i}") for i in range(1, 12)]

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(sheet, titles) -> None:
    sheet.append(list(titles))
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL


def write_template(path, catalog: Catalog) -> Path:
    """Write the long template workbook to `path` (.xlsx) and return the path."""
    path = Path(path)
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    _header(data, HEADER)
    data.append(list(EXAMPLE))
    for letter, width in zip("ABCDEFGH", (26, 12, 16, 12, 8, 8, 24, 40)):
        data.column_dimensions[letter].width = width
    data.freeze_panes = "A2"

    info = book.create_sheet(INFO_SHEET)
    for zh, en in INSTRUCTIONS:
        info.append([zh])
        info.append([en])
        info.append([])
    info["A1"].font = Font(bold=True, size=14)
    info["A2"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 120
    for row in info.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    indicators = book.create_sheet(INDICATOR_SHEET)
    _header(indicators, INDICATOR_HEADER)
    for ind in catalog.indicators.values():
        kind = periods.kind_of(ind)
        q3 = (2025, 3, periods.QUARTER if kind == periods.FLOW_QUARTER else periods.YTD)
        quarterly = " ".join(periods.BASIS_NAMES[periods.basis_of(q3, kind)])
        written = PERIOD_SEP.join(periods.format_period(p, kind, "zh") for p in (q3, (2025, 0, periods.ANNUAL)))
        indicators.append([ind.code, ind.name_zh, ind.name_en, ind.unit,
                           MEASURE_NAMES.get(ind.measure, ind.measure), quarterly, written,
                           ind.derivation or ""])
    for letter, width in zip("ABCDEFGH", (26, 40, 50, 8, 12, 22, 26, 30)):
        indicators.column_dimensions[letter].width = width

    regions = book.create_sheet(REGION_SHEET)
    _header(regions, REGION_HEADER)
    for reg in catalog.regions.values():
        regions.append([reg.code, reg.name_zh, reg.name_en, LEVEL_ZH.get(reg.level, reg.level)])
        regions.cell(regions.max_row, 1).number_format = "@"  # codes are text, not numbers
    for letter, width in zip("ABCD", (14, 20, 30, 10)):
        regions.column_dimensions[letter].width = width

    last_ind = len(catalog.indicators) + 1
    last_reg = len(catalog.regions) + 1
    for column, source in (("A", f"'{INDICATOR_SHEET}'!$A$2:$A${last_ind}"),
                           ("B", f"'{REGION_SHEET}'!$A$2:$A${last_reg}"),
                           ("F", BASIS_CHOICES)):
        # a hint, not a lock: names (哈尔滨市) are accepted too, so wrong entries only warn
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
        rule.add(f"{column}2:{column}5000")
        data.add_data_validation(rule)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
