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

INSTRUCTIONS = [
    ("填表说明", "Instructions"),
    ("每行填写一个数值：指标代码、地区代码、期间、数值，其余列可选。整个文件一并检查：只要有一个错误，"
     "整个文件都不会载入，报告会指出工作表和单元格。",
     "One value per row: indicator code, region code, period and value; the other columns are "
     "optional. The file is checked as a whole: one error and nothing is loaded; the report names "
     "the sheet and cell."),
    ("指标代码：见“指标代码”工作表；也可填写指标中文名称（如 地区生产总值）。",
     "Indicator: a code from the 指标代码 sheet, or the indicator's Chinese name (e.g. 地区生产总值)."),
    ("地区代码：见“地区代码”工作表（6位行政区划代码）；也可填写地区名称（如 哈尔滨市、哈尔滨、黑龙江省）。",
     "Region: a 6-digit GB/T 2260 code from the 地区代码 sheet, or the region's name (哈尔滨市, "
     "Harbin, 黑龙江省)."),
    ("期间按本系统各页面的写法：2024年（全年）；2024年一季度、2024年上半年、2024年前三季度（年初至季末累计）；"
     "2024年第三季度（季度）；2024年第三季度末（季末，存量和比率指标，如5G基站数）。也可写作 2024Q3、"
     "202403SS、2024年1-9月、2024年9月（季末，仅适用于存量和比率指标）。各指标的写法见“指标代码”工作表。",
     "Period, as every page of the dashboard writes it: 2024年 (whole year); 2024年一季度, "
     "2024年上半年, 2024年前三季度 (year to date); 2024年第三季度 (a quarter); 2024年第三季度末 (end "
     "of quarter: stock and ratio indicators such as 5G stations). Also accepted: 2024Q3, "
     "202403SS, 2024年1-9月, 2024年9月 (end of quarter, stock and ratio indicators only). The "
     "指标代码 sheet shows each indicator's form."),
    ("口径：全年、累计（年初至本季度末）、当季（仅本季度）、期末值（存量和比率在季末的水平）。留空时：全年期间为全年；"
     "季度期间按指标：GDP等累计指标为累计，存量（基站数）和比率为季末值，其余为当季。",
     "Basis: 全年 (annual), 累计 (year to date), 当季 (this quarter alone), 期末值 (end of period: "
     "the level of a stock or ratio at the quarter's end). Left empty: annual for a "
     "year; for a quarter, year to date for cumulative indicators such as GDP, the quarter-end level "
     "for stocks (stations) and ratios, otherwise the quarter alone."),
    ("单位：留空即为指标的标准单位（见“指标代码”工作表）。可填写 万元（自动换算为亿元）、%、‰、万个 等。",
     "Unit: empty means the indicator's standard unit (see the 指标代码 sheet). 万元 is converted to "
     "亿元; %, ‰ and 万个 are converted too."),
    ("缺失值：数值留空，或填写 —、-、…、/，该行不载入（不会作为0）。数值可带千分位逗号。",
     "Missing values: leave the value empty or write —, -, …, /: the row is not loaded (never read "
     "as 0). Thousands separators are fine."),
    ("同一指标、地区、期间、口径只能出现一次。比例须在0-100之间；核心产业增加值不能大于GDP；"
     "市（地）数值不能大于全省。已载入的数值若有修订，会作为新版本保存，旧版本保留。",
     "Each indicator, region, period and basis may appear once. Shares lie within 0-100; core-industry "
     "value added cannot exceed GDP; a city cannot exceed the province. A revised figure is stored as "
     "a new version; the old one is kept."),
    ("来源、备注：会随数据一起保存在批次记录中。",
     "Source and note: kept with the loaded batch."),
    ("载入：python -m etl validate 文件.xlsx 检查；python -m etl ingest 文件.xlsx 载入；或在网页“上传数据”中上传。",
     "Load: python -m etl validate FILE.xlsx to check, python -m etl ingest FILE.xlsx to load, or "
     "the dashboard's upload page."),
]

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
