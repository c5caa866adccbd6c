"""Demo data: realistic workbooks in the real layouts, loaded through the normal ETL path.

`generate_demo_files(out_dir)` writes, deterministically (same bytes on every run), the files an
analyst of the 数字龙江 office would receive for 2019 Q1 - 2025 Q4:
- national data portal exports (shared/reference/statistics-file-layouts.md §1-4): 分省年度数据 GBK
  CSVs for GDP and population listing all 31 provinces, a 分省季度数据 GBK CSV of cumulative GDP, an
  indicators x quarters 季度数据 CSV for the nation (with two sectors the catalog does not track, so it
  is loaded with skip_unknown), an old BIFF8 .xls and a new-portal .xlsx with numbers stored as text;
- the provincial bureau's 各市（地）数字经济主要指标 tables (§5), one per quarter and one per year;
- a benchmark sheet in the long template (CAICT digital-economy shares and 5G stations of the nation
  and the peer provinces), as analysts compile it.
The numbers come from etl.demo_series. `load_demo(engine)` ingests them all (flagged is_demo), the
older vintage before the revision, then the reference batch of published figures
(data/reference/published-figures.csv, is_reference).
"""
from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from etl import config
from etl.demo import series as ds
from etl.demo.xlsx import FIXED_ISO_TIME, FIXED_ZIP_TIME, stable_xlsx  # noqa: F401
from etl.wording.catalogue import both

REFERENCE_FILE = config.DATA_DIR / "reference" / "published-figures.csv"
# an illustrative 2030 target set (not policy), so that the next target period can be seen
ILLUSTRATIVE_TARGETS_DIR = config.DATA_DIR / "demo"
DEMO_USER = "demo"
REFERENCE_USER = "reference"
IDEOGRAPHIC_INDENT = "\u3000" * 3  # how portal exports indent the continuation lines of a note

LONG_TEMPLATE_COLUMNS = ("指标代码", "地区代码", "期间", "数值", "单位", "口径", "来源", "备注")
LONG_TEMPLATE_SHEETS = ("数据", "说明")  # the values, the analyst's notes
REFERENCE_SOURCE_COLUMN = "来源"  # of data/reference/published-figures.csv

# --- the portals' and the bureau's own words: the demo files are input, read back by the ETL ------
BUREAU = "黑龙江省统计局"  # the workbooks' creator
QUARTER_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四"}
PORTAL_YEAR = "{year}年"  # a portal's column of a year
PORTAL_QUARTER = "{year}年第{numeral}季度"  # ... of a quarter
PORTAL_REGION, PORTAL_INDICATOR = "地区", "指标"  # the first column's header
PORTAL_SOURCE = "数据来源：国家统计局"


@dataclass(frozen=True)
class DemoFile:
    """One generated file and how it is meant to be loaded."""

    name: str
    data: bytes
    skip_unknown: bool = False
    notes: tuple[str, ...] = ()


# --- small writers ---------------------------------------------------------------------------------

def _num(value: float | int | None) -> str:
    """A number as the portal writes it: no thousands separator, empty when missing."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}"  # 281528.0, as the portal writes it


def portal_csv(lines: list[list[str]], *, crlf: bool) -> bytes:
    """GBK bytes, no BOM; fields with a line break are quoted, as the portal does."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
    for line in lines:
        writer.writerow(line)
    return buffer.getvalue().encode("gbk")


def save_workbook(workbook) -> bytes:
    workbook.properties.creator = BUREAU
    buffer = io.BytesIO()
    workbook.save(buffer)
    return stable_xlsx(buffer.getvalue())


def province_names() -> list[tuple[str, str]]:
    """(code, full name) of the 31 provincial-level regions, in the portal's order."""
    from etl.store.seed import read_csv

    rows = read_csv(config.SEED_DIR / "regions.csv")
    return [(r["code"], r["name_zh"]) for r in rows if r["level"] == "province"]


# --- national data portal exports ------------------------------------------------------------------

PROVINCES_ANNUAL_HEAD = ("数据库：分省年度数据", "指标：{indicator}", "时间：最近10年")
GDP_NOTE_2026 = (
    "注：1.按当年价格计算。\n"
    f"{IDEOGRAPHIC_INDENT}2.根据第五次全国经济普查结果及有关制度规定，对2019-2023年地区生产总值"
    "数据进行了修订，2024年数据为最终核实数，2025年数据为初步核算数。")
POPULATION_NOTE = (
    "注：常住人口包括：居住在本乡镇街道且户口在本乡镇街道或户口待定的人；居住在本乡镇街道且离开"
    "户口登记地所在的乡镇街道半年以上的人；户口在本乡镇街道且外出不满半年或在境外工作学习的人。\n"
    f"{IDEOGRAPHIC_INDENT}2025年部分地区数据尚未发布。")


def provinces_annual_csv(indicator: str, years: list[int], values: dict[str, dict[int, float]],
                         note: str, missing: frozenset[str] = frozenset()) -> bytes:
    """分省年度数据, regions x years, newest year first (layout §1)."""
    lines = [[text.format(indicator=indicator)] for text in PROVINCES_ANNUAL_HEAD]
    lines.append([PORTAL_REGION] + [PORTAL_YEAR.format(year=y) for y in years])
    for code, name in province_names():
        lines.append([name] + ["" if (code, y) in missing else _num(values[code][y])
                               for y in years])
    lines += [[note], [PORTAL_SOURCE]]
    return portal_csv(lines, crlf=False)


PROVINCES_QUARTERLY_HEAD = ("数据库：分省季度数据", "指标：地区生产总值_累计值(亿元)", "时间：最近18季度")
PROVINCES_QUARTERLY_NOTE = ("注：1.按当年价格计算，累计值为年初至本季度末累计数。\n"
                            f"{IDEOGRAPHIC_INDENT}2.2024年起为依据第五次全国经济普查结果核算的数据。")


def portal_quarter(year: int, quarter: int) -> str:
    """2023年第四季度, as the portal heads a quarter's column."""
    return PORTAL_QUARTER.format(year=year, numeral=QUARTER_NUMERALS[quarter])


def provinces_quarterly_csv(series: ds.ProvinceSeries) -> bytes:
    """分省季度数据: cumulative GDP, 2021 Q3 - 2025 Q4, labels like 2023年第四季度 (layout §1)."""
    quarters = [(y, q) for y in range(2025, 2020, -1) for q in (4, 3, 2, 1)][:18]
    lines = [[text] for text in PROVINCES_QUARTERLY_HEAD]
    lines.append([PORTAL_REGION] + [portal_quarter(y, q) for y, q in quarters])
    for code, name in province_names():
        lines.append([name] + [_num(series.gdp_ytd[code][k]) for k in quarters])
    lines += [[PROVINCES_QUARTERLY_NOTE], [PORTAL_SOURCE]]
    return portal_csv(lines, crlf=False)


NATION_QUARTERLY_HEAD = ("数据库：季度数据", "时间：最近28季度")
NATION_QUARTERLY_ROWS = ("国内生产总值当季值(亿元)", "国内生产总值累计值(亿元)")
SECTOR_ROWS = ("{sector}增加值当季值(亿元)", "{sector}增加值累计值(亿元)")
NATION_QUARTERLY_NOTE = ("注：1.按当年价格计算。累计数据由当季数据相加得到。\n"
                         f"{IDEOGRAPHIC_INDENT}2.三次产业分类依据国家统计局2018年修订的《三次产业划分规定》。")


def nation_quarterly_csv() -> bytes:
    """季度数据, indicators x quarters for the nation, CRLF; 当季值 and 累计值 side by side (§2)."""
    quarters = [(y, q) for y in range(2025, 2018, -1) for q in (4, 3, 2, 1)]

    def by_quarter(values: dict[int, tuple[float, ...]]) -> list[str]:
        return [_num(values[y][q - 1]) for y, q in quarters]

    gdp = ds.NATION_GDP_QUARTER
    single_row, ytd_row = NATION_QUARTERLY_ROWS
    lines = [[text] for text in NATION_QUARTERLY_HEAD]
    lines += [[PORTAL_INDICATOR] + [portal_quarter(y, q) for y, q in quarters],
              [single_row] + by_quarter(gdp),
              [ytd_row] + by_quarter({y: ds.nation_ytd(v) for y, v in gdp.items()})]
    for sector in ds.SECTOR_SHARE:
        single = {y: ds.sector_quarters(sector, y) for y in gdp}
        lines.append([SECTOR_ROWS[0].format(sector=sector)] + by_quarter(single))
        lines.append([SECTOR_ROWS[1].format(sector=sector)]
                     + by_quarter({y: ds.nation_ytd(v) for y, v in single.items()}))
    lines += [[NATION_QUARTERLY_NOTE], [PORTAL_SOURCE]]
    return portal_csv(lines, crlf=True)


OLD_PORTAL_SHEET = "分省年度数据"
OLD_PORTAL_HEAD = ("数据库：分省年度数据", "指标：地区生产总值(亿元)", "时间：最近5年")
OLD_PORTAL_NOTES = ("注：1.按当年价格计算。",
                    f"{IDEOGRAPHIC_INDENT}2.2019-2022年数据为第四次全国经济普查后的核实数。",
                    f"{IDEOGRAPHIC_INDENT}3.2023年数据尚未发布。",
                    PORTAL_SOURCE)


def old_portal_xls(series: ds.ProvinceSeries) -> bytes:
    """Old portal BIFF8 export of 地区生产总值 as published in early 2024 (layout §3).

    Values are numeric cells; 2023 was not yet released, so its column holds empty *text* cells.
    """
    import xlwt

    years = [2023, 2022, 2021, 2020, 2019]
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(OLD_PORTAL_SHEET)
    for r, text in enumerate(OLD_PORTAL_HEAD):
        sheet.write(r, 0, text)
    for c, text in enumerate([PORTAL_REGION] + [PORTAL_YEAR.format(year=y) for y in years]):
        sheet.write(3, c, text)
    row = 4
    for code, name in province_names():
        sheet.write(row, 0, name)
        for c, year in enumerate(years, start=1):
            if year == 2023:
                sheet.row(row).set_cell_text(c, "")  # not released: empty text, not a blank
            else:
                sheet.write(row, c, series.gdp_original[code][year])
        row += 1
    for text in OLD_PORTAL_NOTES:
        sheet.write(row, 0, text)
        row += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


NEW_PORTAL_SHEET = "年度数据"
NEW_PORTAL_HEAD = ("数据库：年度数据", "时间：2021年-2025年")
NEW_PORTAL_ROWS = {  # the row labels, trailing space and all, by series
    "gdp": "国内生产总值 (亿元) ", "population": "年末总人口 (万人) ", "fiveg": "5G基站数 (个) ",
    "fiveg_per_10k": "每万人拥有5G基站数（个） ", "core": "数字经济核心产业增加值 (亿元) ",
    "core_share": "数字经济核心产业增加值占GDP比重 (%) ",
}
NEW_PORTAL_NOTES = (
    "注：1. 数字经济核心产业增加值自2023年起依据第五次全国经济普查结果核算，2021-2022年未发布。",
    "2. 根据第五次全国经济普查结果及有关制度规定，对2019-2023年国内生产总值数据进行修订。",
    "3. 5G基站数、每万人拥有5G基站数为年末数，来自工业和信息化部。",
    "数据来源：国家统计局、工业和信息化部",
)


def new_portal_xlsx() -> bytes:
    """New portal (2026) 年度数据 export for the nation: numbers stored as text (layout §4)."""
    from openpyxl import Workbook

    years = [2025, 2024, 2023, 2022, 2021]
    core_share = {y: ds.r1(v / ds.NATION_GDP_ANNUAL[y] * 100)
                  for y, v in ds.NATION_CORE_VA.items()}
    rows = [(NEW_PORTAL_ROWS[name], values) for name, values in (
        ("gdp", ds.NATION_GDP_ANNUAL), ("population", ds.NATION_POPULATION), ("fiveg", ds.NATION_FIVEG),
        ("fiveg_per_10k", {y: ds.nation_fiveg_per_10k(y) for y in years}), ("core", ds.NATION_CORE_VA),
        ("core_share", core_share))]
    book = Workbook()
    sheet = book.active
    sheet.title = NEW_PORTAL_SHEET
    for text in NEW_PORTAL_HEAD:
        sheet.append([text])
    sheet.append([PORTAL_INDICATOR] + [PORTAL_YEAR.format(year=y) for y in years])
    for label, values in rows:
        sheet.append([label] + [_num(values.get(y)) if y in values else "" for y in years])
    for text in NEW_PORTAL_NOTES:
        sheet.append([text])
    sheet.column_dimensions["A"].width = 36
    return save_workbook(book)


# --- provincial 各市（地） tables (layout §5) ----------------------------------------------------

QUARTER_WORDS = {  # the period words vary from one release to the next, as they do in real tables
    1: ("1-3月", "一季度"),
    2: ("上半年", "1-6月"),
    3: ("1~3季度", "前三季度", "1-9月"),
    4: ("1~4季度", "1-12月"),
}
TABLE_COLUMNS = [  # (header, sub-header or None, TableRow field, number format)
    ("地区生产总值", "绝对值", "gdp", "0.0"),
    ("地区生产总值", "同比增长%", "gdp_growth", "0.0"),
    ("数字经济核心产业增加值", "绝对值", "core", "0.0"),
    ("数字经济核心产业增加值", "同比增长%", "core_growth", "0.0"),
    ("数字经济核心产业增加值占GDP比重", None, "core_share", "0.0"),
    ("关键业务环节全面数字化的大型制造企业比例", None, "large_mfg", "0.0"),
    ("关键业务环节全面数字化的规模以上企业比例", None, "above_scale", "0.0"),
    ("5G基站数", None, "fiveg", "#,##0"),
    ("5G网络覆盖的市（地）比例", None, "city_cov", "0.0"),
    ("5G网络覆盖的县（市、区）比例", None, "county_cov", "0.0"),
    ("5G网络覆盖的重点园区比例", None, "park_cov", "0.0"),
    ("5G网络通达的行政村比例", None, "village_cov", "0.0"),
    ("千兆宽带接入端口占比", None, "gigabit", "0.0"),
    ("移动网络IPv6流量占比", None, "ipv6", "0.0"),
]
PRELIMINARY_MARK = ("230000", 2025, 0, "gdp")  # one footnote-marked figure (*), as bureaux do
TABLE_ANNUAL_WORD = "全年"
TABLE_TITLE = "{year}年{period}各市（地）数字经济主要指标"
TABLE_SHEET = "各市（地）"
TABLE_TITLE_FONT = "黑体"
TABLE_UNIT_LINE = "单位：亿元、%、个"
TABLE_REGION = "地区"
TABLE_SOURCE = "数据来源：黑龙江省统计局、省工业和信息化厅、省通信管理局"
TABLE_NOTES = {  # the footnotes below a table: 1 differs between a quarter's and a year's table
    "1q": "注：1. 地区生产总值、数字经济核心产业增加值为年初至本期末累计数，按当年价格计算；增速按可比价格计算。",
    "1y": "注：1. 地区生产总值、数字经济核心产业增加值为全年数，按当年价格计算；增速按可比价格计算。",
    2: "2. 5G基站数为期末累计建成数；各项比例为期末数。",
    3: "3. 各市（地）地区生产总值合计与全省数据不等，系分级核算所致。",
    4: "4. “—”表示无数据或不适用（大兴安岭地区无大型制造企业）。",
    "2019": "5. 5G网络通达的行政村比例、千兆宽带接入端口占比自2020年起统计。",
    "preliminary": "6. 带“*”的数据为初步核算数。",
}


def period_words(year: int, quarter: int) -> str:
    if quarter == 0:
        return TABLE_ANNUAL_WORD
    words = QUARTER_WORDS[quarter]
    return words[year % len(words)]


def table_title(year: int, quarter: int) -> str:
    return TABLE_TITLE.format(year=year, period=period_words(year, quarter))


def table_notes(year: int, quarter: int) -> list[str]:
    notes = [TABLE_NOTES["1q" if quarter else "1y"], TABLE_NOTES[2], TABLE_NOTES[3], TABLE_NOTES[4]]
    if year == 2019:
        notes.append(TABLE_NOTES["2019"])
    if (year, quarter) == PRELIMINARY_MARK[1:3]:
        notes.append(TABLE_NOTES["preliminary"])
    return notes


def provincial_table_xlsx(tables: ds.ProvincialTables, year: int, quarter: int) -> bytes:
    """A formatted 各市（地） workbook: merged title, unit line, two-row header, notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last_col = len(TABLE_COLUMNS) + 1

    book = Workbook()
    sheet = book.active
    sheet.title = TABLE_SHEET
    sheet.cell(1, 1, table_title(year, quarter)).font = Font(name=TABLE_TITLE_FONT, size=16, bold=True)
    sheet.cell(1, 1).alignment = centre
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    sheet.cell(2, 1, TABLE_UNIT_LINE).alignment = Alignment(horizontal="right")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)

    # two header rows: a merged group over 绝对值 / 同比增长%, the other headers span both rows
    sheet.cell(3, 1, TABLE_REGION)
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    col = 2
    while col <= last_col:
        header, sub, _, _ = TABLE_COLUMNS[col - 2]
        if sub is None:
            sheet.cell(3, col, header)
            sheet.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            col += 1
            continue
        span = sum(1 for h, s, _, _ in TABLE_COLUMNS if h == header and s)
        sheet.cell(3, col, header)
        sheet.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
        for offset in range(span):
            sheet.cell(4, col + offset, TABLE_COLUMNS[col - 2 + offset][1])
        col += span
    for r in (3, 4):
        for c in range(1, last_col + 1):
            sheet.cell(r, c).alignment = centre
            sheet.cell(r, c).font = Font(bold=True)
            sheet.cell(r, c).border = box

    row = 5
    for item in tables.rows(year, quarter):
        sheet.cell(row, 1, item.label).border = box
        for c, (_, _, name, fmt) in enumerate(TABLE_COLUMNS, start=2):
            value = getattr(item, name)
            cell = sheet.cell(row, c)
            if value is None:
                cell.value = "—"
                cell.alignment = Alignment(horizontal="center")
            elif (item.code, year, quarter, name) == PRELIMINARY_MARK:
                cell.value = f"{value:.1f}*"
                cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = value
                cell.number_format = fmt
            cell.border = box
        row += 1
    for text in table_notes(year, quarter):
        sheet.cell(row, 1, text)
        row += 1
    sheet.cell(row, 1, TABLE_SOURCE)

    sheet.column_dimensions["A"].width = 14
    for c in range(2, last_col + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 12
    sheet.row_dimensions[3].height = 48
    sheet.freeze_panes = "B5"
    return save_workbook(book)


# --- benchmark sheet in the long template ---------------------------------------------------------

BENCHMARK_SOURCES = {"caict": "中国信息通信研究院《中国数字经济发展白皮书》",
                     "synthetic": "演示数据（模拟）/ demo data (synthetic)"}
BENCHMARK_WORDS = {"annual": "年度", "national": "全国 / national", "count": "个", "year_end": "年末数"}
BENCHMARK_FILE = "数字经济对标数据_全国及兄弟省份.xlsx"
BENCHMARK_INSTRUCTIONS = (
    "全国及兄弟省份（吉林、辽宁、内蒙古、广东、浙江）数字经济对标数据，分析员整理。",
    "数字经济规模占GDP比重为中国信通院广义口径；5G基站数为年末数，每万人拥有5G基站数按年末常住人口计算。",
    "全国2019-2023年数字经济规模占比为中国信通院公开数据，其余为演示数据。",
)


def benchmark_rows(series: ds.ProvinceSeries) -> list[tuple]:
    """CAICT digital-economy shares and 5G stations of the nation and peers, as analysts compile them."""
    caict_real, synthetic = BENCHMARK_SOURCES["caict"], BENCHMARK_SOURCES["synthetic"]
    annual, count, year_end = BENCHMARK_WORDS["annual"], BENCHMARK_WORDS["count"], BENCHMARK_WORDS["year_end"]
    rows = []
    for y, v in ds.NATION_DIGITAL_ECONOMY_SHARE.items():
        rows.append(("digital_economy_share", ds.NATION, str(y), v, "%", annual,
                     caict_real if y <= 2023 else synthetic, BENCHMARK_WORDS["national"]))
    for code, values in ds.DIGITAL_ECONOMY_SHARE.items():
        for y, v in zip(ds.YEARS, values):
            rows.append(("digital_economy_share", code, str(y), v, "%", annual, synthetic, ""))
    for code, values in ds.PEER_FIVEG.items():
        for y, v in zip(ds.YEARS, values):
            rows.append(("fiveg_base_stations", code, str(y), v, count, annual, synthetic, year_end))
            per_10k = ds.stock_per_10k(v, series.population[code][y])
            rows.append(("fiveg_per_10k", code, str(y), per_10k, count, annual, synthetic, year_end))
    return rows


def long_template_xlsx(rows: list[tuple], instructions: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = LONG_TEMPLATE_SHEETS[0]
    sheet.append(list(LONG_TEMPLATE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for letter, width in zip("ABCDEFGH", (24, 10, 10, 12, 8, 8, 40, 16)):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet(LONG_TEMPLATE_SHEETS[1])
    for text in instructions:
        notes.append([text])
    return save_workbook(book)


# --- the whole demo set ----------------------------------------------------------------------------

# the batches' notes (shown on the history page) are catalogue texts, Chinese / English in one line
DEMO_NOTE = both("demo.note.demo", sep="/ ")
PORTAL_FILES = {  # the portal exports' file names, as the portals name a download
    "old_gdp": "分省年度数据_地区生产总值_2024年导出.xls",
    "quarterly_gdp": "分省季度数据_地区生产总值累计值_2026年导出.csv",
    "nation_quarterly": "季度数据_国内生产总值_2026年导出.csv",
    "population": "分省年度数据_年末常住人口_2026年导出.csv",
    "gdp": "分省年度数据_地区生产总值_2026年导出.csv",
    "nation_annual": "年度数据_全国_2026年导出.xlsx",
}
PORTAL_INDICATORS = {"population": "年末常住人口(万人)", "gdp": "地区生产总值(亿元)"}


def demo_files() -> list[DemoFile]:
    """Every demo file, in load order: older vintages before the files that revise them."""
    series = ds.province_series()
    tables = ds.ProvincialTables(series)
    files = []
    for year in ds.YEARS:
        for quarter in (1, 2, 3, 4, 0):
            files.append(DemoFile(f"{table_title(year, quarter)}.xlsx",
                                  provincial_table_xlsx(tables, year, quarter), notes=(DEMO_NOTE,)))
    files.append(DemoFile(PORTAL_FILES["old_gdp"], old_portal_xls(series),
                          notes=(DEMO_NOTE, both("demo.note.old_portal"))))
    files.append(DemoFile(PORTAL_FILES["quarterly_gdp"], provinces_quarterly_csv(series), notes=(DEMO_NOTE,)))
    files.append(DemoFile(PORTAL_FILES["nation_quarterly"], nation_quarterly_csv(), skip_unknown=True,
                          notes=(DEMO_NOTE, both("demo.note.untracked"))))
    years = list(range(2025, 2015, -1))
    late = frozenset((code, 2025) for code in ("540000", "630000", "650000"))
    files.append(DemoFile(
        PORTAL_FILES["population"],
        provinces_annual_csv(PORTAL_INDICATORS["population"], years, series.population, POPULATION_NOTE, late),
        notes=(DEMO_NOTE,)))
    files.append(DemoFile(
        PORTAL_FILES["gdp"],
        provinces_annual_csv(PORTAL_INDICATORS["gdp"], years, series.gdp_revised, GDP_NOTE_2026),
        notes=(DEMO_NOTE, both("demo.note.revised", sep="/ "))))
    files.append(DemoFile(PORTAL_FILES["nation_annual"], new_portal_xlsx(), notes=(DEMO_NOTE,)))
    files.append(DemoFile(BENCHMARK_FILE,
                          long_template_xlsx(benchmark_rows(series), list(BENCHMARK_INSTRUCTIONS)),
                          notes=(DEMO_NOTE,)))
    from etl.measures.demo import demo_files as measure_files  # awards register, task progress (issue 15)

    files.extend(DemoFile(name, data, notes=(DEMO_NOTE,)) for name, data in measure_files())
    return files


def generate_demo_files(out_dir: Path, items: Optional[list] = None) -> list[Path]:
    """Write the demo workbooks (`items`, default: demo_files()) into out_dir; returns their paths
    in load order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in demo_files() if items is None else items:
        path = out_dir / item.name
        path.write_bytes(item.data)
        paths.append(path)
    return paths


# --- loading ---------------------------------------------------------------------------------------

def reference_sources(data: bytes) -> tuple[str, ...]:
    """The distinct 来源 texts of the reference file, for the batch notes."""
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    seen: dict[str, None] = {}
    for row in rows:
        seen.setdefault(f"{both('demo.note.source')}: {row[REFERENCE_SOURCE_COLUMN]}", None)
    return tuple(seen)


def load_reference(engine, *, progress=None):
    """Ingest data/reference/published-figures.csv as a reference batch (not demo)."""
    from etl.pipeline import ingest_file

    data = REFERENCE_FILE.read_bytes()
    notes = (both("demo.note.reference"),)
    return ingest_file(engine, data, REFERENCE_FILE.name, loaded_by=REFERENCE_USER,
                       is_reference=True, is_demo=False,
                       extra_notes=notes + reference_sources(data), progress=progress)


def load_demo(engine, *, work_dir: Optional[Path] = None,
              progress: Optional[Callable] = None,
              on_file: Optional[Callable[[int, int, str], None]] = None) -> list:
    """Generate the demo files into work_dir and ingest them all, then the reference batch.

    Idempotent: a second run finds every file unchanged and loads nothing. on_file(done, total,
    name) is called after each file (a progress bar on the terminal at the first start).
    """
    from etl.store.db import ensure_db
    from etl.pipeline import ingest_file

    ensure_db(engine)
    load_illustrative_targets(engine)
    work_dir = Path(work_dir) if work_dir else config.instance_dir() / "demo"
    work_dir.mkdir(parents=True, exist_ok=True)
    outcomes = []
    files = demo_files()
    total = len(files) + 1
    for done, item in enumerate(files, start=1):
        (work_dir / item.name).write_bytes(item.data)  # kept, so the files can be opened and read
        outcomes.append(already_loaded(engine, item.data, item.name) or ingest_file(
            engine, item.data, item.name, loaded_by=DEMO_USER, skip_unknown=item.skip_unknown,
            is_demo=True, extra_notes=item.notes, progress=progress))
        if on_file:
            on_file(done, total, item.name)
    data = REFERENCE_FILE.read_bytes()
    outcomes.append(already_loaded(engine, data, REFERENCE_FILE.name)
                    or load_reference(engine, progress=progress))
    if on_file:
        on_file(total, total, REFERENCE_FILE.name)
    return outcomes


def load_illustrative_targets(engine) -> None:
    """The demo's illustrative 2030 target set (data/demo/target_sets.csv, targets.csv; marked
    illustrative: labelled 'not policy' wherever it shows, never the overview's default view)."""
    from etl.store.db import session_scope
    from etl.store.seed import read_csv, seed_targets

    with session_scope(engine) as session:
        seed_targets(session, read_csv(ILLUSTRATIVE_TARGETS_DIR / "target_sets.csv"),
                     read_csv(ILLUSTRATIVE_TARGETS_DIR / "targets.csv"))


def already_loaded(engine, data: bytes, file_name: str):
    """An 'unchanged' outcome when this very file is in a loaded batch, else None.

    Why not simply ingest again: the older vintage (the 2022 table with GDP 15,901.0) differs from
    the current value after the revision, so re-ingesting it would undo the revision.
    """
    from sqlalchemy import select

    from etl.store.models import Batch
    from etl.pipeline import IngestOutcome, sha256_of
    from etl.checks.report import Report

    digest = sha256_of(data)
    with engine.connect() as conn:
        batch_id = conn.scalar(select(Batch.id).where(Batch.sha256 == digest,
                                                      Batch.status == "loaded").limit(1))
    if batch_id is None:
        return None
    report = Report(file_name, sha256=digest, status="unchanged", batch_id=batch_id,
                    loaded_before=[batch_id])
    return IngestOutcome("unchanged", report, batch_id)


def demo_loaded(engine) -> bool:
    """True when a demo batch is loaded (and not rolled back)."""
    from sqlalchemy import exists, select

    from etl.store.db import is_initialised
    from etl.store.models import Batch

    if not is_initialised(engine):
        return False
    with engine.connect() as conn:
        return bool(conn.scalar(select(exists().where(Batch.is_demo.is_(True),
                                                      Batch.status == "loaded"))))


# --- command line: python -m etl demo ---------------------------------------------------------------

def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help=both("cli.help.demo"), description=both("cli.demo.description"))
    parser.add_argument("--out", type=Path, default=None,
                        help=both("cli.help.demo_out"))
    parser.add_argument("--generate-only", action="store_true",
                        help=both("cli.help.generate_only"))
    parser.set_defaults(handler=run_demo_command)


def run_demo_command(args, engine) -> int:
    out = args.out or config.instance_dir() / "demo"
    if args.generate_only:
        items = demo_files()  # generated once: written, then listed with their flags
        paths = generate_demo_files(out, items)
        print(both("cli.demo.wrote", n=len(paths), folder=out))
        print(both("cli.demo.load_order") + ":")
        for item, path in zip(items, paths):
            flag = "  (--skip-unknown)" if item.skip_unknown else ""
            print(f"  {path.name}{flag}")
        return 0
    outcomes = load_demo(engine, work_dir=out)
    failed = 0
    for outcome in outcomes:
        print(f"  {outcome.status:<9} batch {outcome.batch_id or '-':>4}  {outcome.report.file_name}")
        if outcome.status == "rejected":
            failed += 1
            for problem in outcome.report.errors[:5]:
                print(f"      {problem.where} {problem.code}: {problem.message_zh}"
                      f" / {problem.message_en}")
    loaded = sum(o.status == "loaded" for o in outcomes)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    print(both("cli.demo.tally", loaded=loaded, unchanged=unchanged, failed=failed))
    return 1 if failed else 0
