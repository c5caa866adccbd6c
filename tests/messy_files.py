"""Builders of messy statistics files in the real layouts (shared/reference/statistics-file-layouts.md).

Each builder returns `(file_bytes, file_name)`, built in memory, so tests anywhere (read, layout,
normalise, pipeline, CLI, uploads) can feed real-looking files through the real ETL. Keyword
arguments let a test plant a specific defect (a wrong region name, a text value, a bad period).

Layouts:
- portal_regions_csv            1. portal export, regions x periods, GBK, notes, quoted multi-line
                                   note, U+3000 continuation lines, empty unreleased field
- portal_indicators_csv         2. portal export, indicators x periods (季度数据), CRLF, 当季/累计
- portal_periods_rows_csv          layout 2 transposed: periods as rows, indicators as columns
- portal_regions_transposed_csv    layout 1 transposed: periods as rows, regions as columns
- old_portal_xls                3. BIFF8 .xls (xlwt): numeric cells, missing = empty *text* cell
- new_portal_xlsx               4. new portal .xlsx: numbers as text, labels with ' (' and trailing
                                   spaces, time range line, 202404SS codes, empty unreleased columns
- provincial_xlsx               5. 各市（地）主要指标: merged title naming the period, unit line,
                                   two-row header (绝对值 / 同比增长%), 全省 + 13 cities, footnotes,
                                   footnote marks, thousands separators, full-width digits, '—'
- provincial_transposed_xlsx       layout 5 transposed: indicators (and 绝对值/增速) as rows,
                                   regions as columns
- long_template_xlsx            our long template (指标代码 | 地区代码 | 期间 | 数值 | ...)
- table_xlsx, table_csv         any small table given as rows (for one-off shapes in a test)
- no_data_xlsx, empty_file, png_as_xlsx, truncated_xlsx, zip_bomb_xlsx, random_bytes_xlsx
"""
from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import xlwt

IDEOGRAPHIC_SPACE = "\u3000"

PROVINCES = [
    ("北京市", 2183), ("天津市", 1364), ("河北省", 7421), ("山西省", 3467), ("内蒙古自治区", 2392),
    ("辽宁省", 4155), ("吉林省", 2317), ("黑龙江省", 3029), ("上海市", 2480), ("江苏省", 8526),
    ("浙江省", 6670), ("安徽省", 6123), ("福建省", 4193), ("江西省", 4502), ("山东省", 10080),
    ("河南省", 9785), ("湖北省", 5834), ("湖南省", 6539), ("广东省", 12780), ("广西壮族自治区", 5027),
    ("海南省", 1048), ("重庆市", 3190), ("四川省", 8364), ("贵州省", 3860), ("云南省", 4655),
    ("西藏自治区", 370), ("陕西省", 3953), ("甘肃省", 2458), ("青海省", 594), ("宁夏回族自治区", 729),
    ("新疆维吾尔自治区", 2623),
]
CITIES = ["哈尔滨市", "齐齐哈尔市", "鸡西市", "鹤岗市", "双鸭山市", "大庆市", "伊春市", "佳木斯市",
          "七台河市", "牡丹江市", "黑河市", "绥化市", "大兴安岭地区"]
CITY_SHORT = ["哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山", "大庆", "伊春", "佳木斯", "七台河",
              "牡丹江", "黑河", "绥化", "大兴安岭"]
YEARS = [2024, 2023, 2022, 2021, 2020]


def population(region: str, year: int) -> float:
    """A deterministic, realistic-looking population (万人) for a province and year."""
    base = dict(PROVINCES)[region]
    return round(base * (1 + 0.004 * (2024 - year)), 0)


def _csv_bytes(lines: list[str], encoding: str, newline: str) -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


# --- 1. portal export, regions x periods -----------------------------------------------------------

def portal_regions_csv(*, encoding: str = "gbk", newline: str = "\n", indicator: str = "年末常住人口(万人)",
                       database: str = "分省年度数据", years=YEARS, rename: dict | None = None,
                       overrides: dict | None = None, blank_newest_for: str = "北京市") -> tuple[bytes, str]:
    """Layout 1: `数据库：/指标：/时间：` lines, 地区 x 年 header, 31 provinces, notes, source.

    rename: {'黑龙江省': '黑龙江X'} changes a region label (for unknown-region tests);
    overrides: {('黑龙江省', 2024): 'abc'} puts a raw text in a cell.
    The newest period of `blank_newest_for` is an empty field (not yet released).
    Value of region R in year Y = population(R, Y); row of region i is line 5 + i (1-based).
    """
    rename, overrides = rename or {}, overrides or {}
    lines = [f"数据库：{database}", f"指标：{indicator}", f"时间：最近{len(years)}年",
             "地区," + ",".join(f"{y}年" for y in years)]
    for region, _ in PROVINCES:
        cells = []
        for y in years:
            value = overrides.get((region, y), f"{population(region, y):g}")
            if region == blank_newest_for and y == years[0] and (region, y) not in overrides:
                value = ""
            cells.append(str(value))
        lines.append(rename.get(region, region) + "," + ",".join(cells))
    lines += [
        '"注：常住人口包括：居住在本乡镇街道且户口在本乡镇街道或户口待定的人；\n'
        '居住在本乡镇街道且离开户口登记地所在的乡镇街道半年以上的人。"',
        f"{IDEOGRAPHIC_SPACE * 3}2.2020年数据为第七次全国人口普查数据。",
        "数据来源：国家统计局",
    ]
    return _csv_bytes(lines, encoding, newline), "分省年度数据_年末常住人口.csv"


def portal_regions_transposed_csv(*, encoding: str = "gbk", newline: str = "\r\n") -> tuple[bytes, str]:
    """Layout 1 transposed: periods as rows, regions as columns (UTF-8 with BOM when asked)."""
    lines = ["数据库：分省年度数据", "指标：年末常住人口(万人)", "时间：最近5年",
             "时间," + ",".join(r for r, _ in PROVINCES)]
    for y in YEARS:
        lines.append(f"{y}年," + ",".join(f"{population(r, y):g}" for r, _ in PROVINCES))
    lines.append("数据来源：国家统计局")
    return _csv_bytes(lines, encoding, newline), "常住人口_转置.csv"


# --- 2. portal export, indicators x periods -------------------------------------------------------

QUARTERS = ["2022年第一季度", "2021年第四季度", "2021年第三季度", "2021年第二季度", "2021年第一季度",
            "2020年第四季度"]
GDP_QUARTER = [270177.8, 324237.4, 289919.3, 281528.0, 247985.0, 295618.8]
GDP_YTD = [270177.8, 1143669.7, 819432.3, 529513.0, 247985.0, 1013567.0]


def portal_indicators_csv(*, encoding: str = "gbk", newline: str = "\r\n", database: str = "季度数据",
                          region_line: str | None = None, extra_indicator: bool = True,
                          periods=QUARTERS) -> tuple[bytes, str]:
    """Layout 2: 季度数据, 国内生产总值当季值/累计值 rows, plus an indicator the catalog lacks.

    GDP 当季 values are GDP_QUARTER, 累计 values GDP_YTD, in `periods` order; rows 4 and 5 (1-based)
    hold them. With extra_indicator, row 6 is 第一产业增加值当季值 (not in the catalog).
    """
    lines = [f"数据库：{database}"]
    if region_line:
        lines.append(f"地区：{region_line}")
    lines += [f"时间：最近{len(periods)}季度", "指标," + ",".join(periods),
              "国内生产总值当季值(亿元)," + ",".join(f"{v}" for v in GDP_QUARTER[:len(periods)]),
              "国内生产总值累计值(亿元)," + ",".join(f"{v}" for v in GDP_YTD[:len(periods)])]
    if extra_indicator:
        lines.append("第一产业增加值当季值(亿元),10953.8,31472.2,23100.5,17139.0,11373.8,29715.7")
    lines += ["注：1.按当年价格计算。累计数据由当季数据相加得到。",
              f"{IDEOGRAPHIC_SPACE * 3}2.三次产业分类依据国家统计局2018年修订的《三次产业划分规定》,"
              "2023年起按新分类。",  # an unquoted comma: the line splits into two fields
              "数据来源：国家统计局"]
    return _csv_bytes(lines, encoding, newline), "季度数据.csv"


def portal_periods_rows_csv(*, encoding: str = "utf-8-sig", newline: str = "\n") -> tuple[bytes, str]:
    """Layout 2 transposed (a user's pivot): periods as rows, indicators as columns; UTF-8 BOM."""
    lines = ["数据库：季度数据", "时间：最近6季度",
             "时间,国内生产总值当季值(亿元),国内生产总值累计值(亿元)"]
    for period, q, ytd in zip(QUARTERS, GDP_QUARTER, GDP_YTD):
        lines.append(f"{period},{q},{ytd}")
    lines.append("数据来源：国家统计局")
    return _csv_bytes(lines, encoding, newline), "季度数据_转置.csv"


# --- 3. old portal XLS ----------------------------------------------------------------------------

def old_portal_xls(*, database: str = "分省年度数据", indicator: str = "地区生产总值(亿元)",
                   regions=None, years=(2019, 2018, 2017, 2016, 2015),
                   missing: tuple[str, int] | None = ("西藏自治区", 2015), transposed: bool = False,
                   value=None, notes=None) -> tuple[bytes, str]:
    """Layout 3: a real BIFF8 .xls (xlwt) with numeric cells and an empty *text* cell for `missing`.

    Value of (region index i, year y) = value(i, y), by default 1000 + 10 * i + (y - 2000) ('' is
    written as an empty text cell). With a city database (`主要城市年度数据`) pass regions like
    CITY_SHORT (names without 市). `notes`: the lines below the table (a revision note and the source).
    """
    given = value or old_portal_value
    regions = list(regions or [r for r, _ in PROVINCES])
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(database)
    sheet.write(0, 0, f"数据库：{database}")
    sheet.write(1, 0, f"指标：{indicator}")
    sheet.write(2, 0, f"时间：最近{len(years)}年")

    def value(i, y):
        return "" if (regions[i], y) == missing else given(i, y)

    if not transposed:
        sheet.write(3, 0, "地区")
        for j, y in enumerate(years):
            sheet.write(3, 1 + j, f"{y}年")
        for i, region in enumerate(regions):
            sheet.write(4 + i, 0, region)
            for j, y in enumerate(years):
                sheet.write(4 + i, 1 + j, value(i, y))  # '' is written as an empty text cell
        last = 4 + len(regions)
    else:
        sheet.write(3, 0, "时间")
        for i, region in enumerate(regions):
            sheet.write(3, 1 + i, region)
        for j, y in enumerate(years):
            sheet.write(4 + j, 0, f"{y}年")
            for i in range(len(regions)):
                sheet.write(4 + j, 1 + i, value(i, y))
        last = 4 + len(years)
    if notes is None:
        notes = [f"{IDEOGRAPHIC_SPACE * 3}注：2019年数据为第四次全国经济普查后修订数。", "数据来源：国家统计局"]
    for k, note in enumerate(notes):
        sheet.write(last + k, 0, note)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), f"{database}.xls"


def old_portal_value(index: int, year: int) -> float:
    return float(1000 + 10 * index + (year - 2000))


# --- 4. new portal XLSX --------------------------------------------------------------------------

def new_portal_xlsx(*, indicator: str = "国内生产总值 (亿元) ", database: str = "季度数据",
                    periods=("202504SS", "202503SS", "202502SS", "202501SS", "202404SS"),
                    values=(None, "341230.4", "334210.7", "318758.3", "362720.0"),
                    extra_indicator: str | None = "社会消费品零售总额（亿元） ",
                    transposed: bool = False) -> tuple[bytes, str]:
    """Layout 4: numbers as text, a trailing-space label, a time range line, quarter codes.

    `values` pairs with `periods` for the first data row (row 4, from column B); None = an empty,
    unreleased column. transposed: periods down column A from row 4, indicators across row 3.
    """
    book, sheet = _workbook("数据")
    sheet["A1"] = f"数据库：{database}"
    sheet["A2"] = "时间：2024年-2025年"
    extra = [None if v is None else "123456.7" for v in values]
    if transposed:
        sheet.append(["时间", indicator, *([extra_indicator] if extra_indicator else [])])
        for period, value, other in zip(periods, values, extra):
            sheet.append([period, value, *([other] if extra_indicator else [])])
    else:
        sheet.append(["指标", *periods])
        sheet.append([indicator, *values])
        if extra_indicator:
            sheet.append([extra_indicator, *extra])
    sheet.append(["注：1. 国内生产总值按当年价格计算。"])
    sheet.append(["2. 根据第五次全国经济普查结果及有关制度规定，对2019-2023年数据进行修订。"])
    sheet.append(["数据来源：国家统计局"])
    return _save(book), "新版数据.xlsx"


# --- 5. provincial tables --------------------------------------------------------------------------

PROVINCE_CORE_VA = 1234.5
CITY_CORE_VA = [512.3, 98.7, 21.4, 12.0, 15.6, 210.9, 9.8, 40.2, 8.1, 60.3, 18.2, 35.6, 5.4]
CITY_STATIONS = [31234, 8123, 3012, 2210, 2401, 9012, 1808, 4010, 1502, 5120, 2608, 4301, 902]


def provincial_xlsx(*, title: str = "2024年1-9月各市（地）数字经济主要指标", unit_line: str = "单位：亿元、个、%",
                    city_labels=None, cell_overrides: dict | None = None, two_header_rows: bool = True
                    ) -> tuple[bytes, str]:
    """Layout 5: merged title, unit line, two header rows, 全省 + 13 cities, footnotes.

    Columns: A 地区 | B/C 数字经济核心产业增加值 (绝对值, 同比增长%) | D/E 5G基站数 (绝对值, 比上年增长%)
    | F 千兆宽带接入端口占比. Row 5 (1-based) is 全省, rows 6..18 the cities in CITIES order.
    Values are written in messy forms: text with thousands separators, full-width digits, a
    footnote mark, and a '—' for a missing value (鹤岗 stations). cell_overrides: {'B7': 'x'}.
    """
    city_labels = list(city_labels or CITIES)
    book, sheet = _workbook("各市", title=title, last_column="F", unit_line=unit_line)
    if two_header_rows:
        sheet.append(["地区", "数字经济核心产业增加值", None, "5G基站数", None, "千兆宽带接入端口占比"])
        sheet.append([None, "绝对值", "同比增长%", "绝对值", "比上年增长%", None])
        sheet.merge_cells("A3:A4")
        sheet.merge_cells("B3:C3")
        sheet.merge_cells("D3:E3")
        sheet.merge_cells("F3:F4")
        first = 5
    else:
        sheet.append(["地区", "数字经济核心产业增加值", "同比增长%", "5G基站数（个）", "比上年增长%",
                      "千兆宽带接入端口占比（%）"])
        first = 4
    rows = [("全省", PROVINCE_CORE_VA, sum(CITY_STATIONS), 55.2)]
    rows += [(label, va, st, 40 + i) for i, (label, va, st) in
             enumerate(zip(city_labels, CITY_CORE_VA, CITY_STATIONS))]
    for i, (label, va, stations, share) in enumerate(rows):
        r = first + i
        sheet.cell(r, 1, label)
        sheet.cell(r, 2, va if i % 3 else f"{va:,.1f}")  # some as text, some numeric
        sheet.cell(r, 3, 8.5 + i)
        stations_text = f"{stations:,}" if i % 2 else stations
        if label in ("全省",):
            stations_text = f"{stations:,}*"  # a footnote mark
        if i == 4:
            stations_text = "—"  # 鹤岗: not reported
        if i == 6:
            stations_text = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in str(stations))
        sheet.cell(r, 4, stations_text)
        sheet.cell(r, 5, "12.1")
        sheet.cell(r, 6, share)
    for ref, value in (cell_overrides or {}).items():
        sheet[ref] = value
    last = first + len(rows)
    sheet.cell(last, 1, "注：1.数字经济核心产业增加值为初步核算数。*含铁塔公司共建共享基站。")
    sheet.cell(last + 1, 1, "2.“—”表示未报送。")
    sheet.cell(last + 2, 1, "资料来源：黑龙江省统计局、省通信管理局")
    return _save(book), "2024年1-9月各市主要指标.xlsx"


def provincial_transposed_xlsx(*, title: str = "2024年上半年全省及各市（地）数字经济主要指标",
                               unit_line: str = "单位：万元") -> tuple[bytes, str]:
    """Layout 5 transposed: indicator rows (with 绝对值 / 增速 sub-rows), region columns.

    Row 3: A 指标 | B '' | C 全省 | D..P the 13 cities (short names). Column A holds the indicator,
    merged over its two rows; column B says 绝对值 or 增速. Rows: 4 核心产业增加值 绝对值 (in 万元,
    the unit line, so normalise divides by 10,000), 5 增速, 6 5G基站数（个） 绝对值, 7 增速.
    """
    book, sheet = _workbook("上半年", title=title, last_column="P", unit_line=unit_line)
    sheet.append(["指标", "", "全省", *CITY_SHORT])
    regions_va = [PROVINCE_CORE_VA] + CITY_CORE_VA
    sheet.append(["数字经济核心产业增加值", "绝对值", *[v * 10000 for v in regions_va]])
    sheet.append([None, "增速", *[5.5] * 14])
    sheet.append(["5G基站数（个）", "绝对值", sum(CITY_STATIONS), *CITY_STATIONS])
    sheet.append([None, "增速", *[7.5] * 14])
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("A6:A7")
    sheet.append(["注：增速按可比价格计算。"])
    return _save(book), "上半年各市主要指标_转置.xlsx"


# --- the long template ------------------------------------------------------------------------------

TEMPLATE_HEADER = ["指标代码|indicator", "地区代码|region", "期间|period", "数值|value", "单位|unit",
                   "口径|basis", "来源|source", "备注|note"]


def long_template_xlsx(rows=None, *, with_instructions: bool = True) -> tuple[bytes, str]:
    """Our long template: one value per row; an instructions sheet first (no data in it).

    Default rows (data sheet rows 2..5): gdp 230000 2024 annual; gdp 230100 2024年1-9月;
    digital_core_va 230000 2024Q3 in 万元 (converted); fiveg_base_stations 230000 2024年第三季度.
    """
    rows = rows or [
        ["gdp", "230000", "2024年", 16476.9, "亿元", "annual", "黑龙江省统计局", ""],
        ["gdp", "230100", "2024年1-9月", "4,108.2", "亿元", "", "黑龙江省统计局", "初步核算"],
        ["digital_core_va", "230000", "2024Q3", 10234567, "万元", "ytd", "省统计局", ""],
        ["fiveg_base_stations", "黑龙江省", "2024年第三季度", 92000, "个", "", "省通信管理局", ""],
    ]
    book = openpyxl.Workbook()
    if with_instructions:
        info = book.active
        info.title = "说明"
        info.append(["填表说明 / Instructions"])
        info.append(["每行一个数值。指标代码见“代码”工作表。"])
        data = book.create_sheet("数据")
    else:
        data = book.active
        data.title = "数据"
    data.append(TEMPLATE_HEADER)
    for row in rows:
        data.append(row)
    codes = book.create_sheet("代码")
    codes.append(["指标代码", "指标名称", "单位"])
    codes.append(["gdp", "地区生产总值", "亿元"])
    codes.append(["population", "年末常住人口", "万人"])
    return _save(book), "长表模板.xlsx"


# --- any small table ------------------------------------------------------------------------------

def table_xlsx(rows: list[list], *, merges: tuple[str, ...] = (), sheet: str = "表1",
               name: str = "表.xlsx", formats: dict[str, str] | None = None,
               extra_sheets: tuple = ()) -> tuple[bytes, str]:
    """An .xlsx of the given rows (row 1 first; None = empty cell) with merged ranges like 'A1:F1',
    number formats {cell: format} and more sheets (title, rows, state: 'hidden', 'visible'...)."""
    book, ws = _workbook(sheet)
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for ref, code in (formats or {}).items():
        ws[ref].number_format = code
    for title, other_rows, state in extra_sheets:
        other = book.create_sheet(title)
        for row in other_rows:
            other.append(row)
        other.sheet_state = state
    return _save(book), name


def table_csv(rows: list[list], *, encoding: str = "gbk", name: str = "表.csv") -> tuple[bytes, str]:
    """A CSV of the given rows (None = empty field), quoted where needed."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode(encoding), name


# --- broken files --------------------------------------------------------------------------------

def no_data_xlsx() -> tuple[bytes, str]:
    """A workbook whose only sheet has text but no recognisable data."""
    book, sheet = _workbook("会议纪要")
    sheet.append(["数字龙江建设推进会议纪要"])
    sheet.append(["时间", "地点", "参会人"])
    sheet.append(["上午", "哈尔滨", "张三"])
    return _save(book), "会议纪要.xlsx"


def empty_file() -> tuple[bytes, str]:
    return b"", "空文件.xlsx"


def png_as_xlsx() -> tuple[bytes, str]:
    """A (tiny, valid-looking) PNG renamed .xlsx."""
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
            b"\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4"
            b"\x00\x00\x00\x00IEND\xaeB`\x82"), "图表.xlsx"


def random_bytes_xlsx(size: int = 4096) -> tuple[bytes, str]:
    """Deterministic binary noise named .xlsx."""
    state, out = 12345, bytearray()
    for _ in range(size):
        state = (1103515245 * state + 12345) & 0x7FFFFFFF
        out.append(state >> 16 & 0xFF)
    return bytes(out), "噪声.xlsx"


def truncated_xlsx() -> tuple[bytes, str]:
    """A real xlsx cut in half (as an interrupted download would be)."""
    data, _ = provincial_xlsx()
    return data[: len(data) // 2], "截断.xlsx"


def zip_bomb_xlsx(inflated_bytes: int = 60 * 1024 * 1024) -> tuple[bytes, str]:
    """An xlsx-shaped zip whose sheet member inflates to `inflated_bytes` of zeros (~1000:1)."""
    data, _ = provincial_xlsx()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(item.filename, "w", force_zip64=True) as member:
                    chunk = b"0" * (1 << 20)
                    for _ in range(inflated_bytes // len(chunk)):
                        member.write(chunk)
            else:
                bomb.writestr(item, source.read(item.filename))
    return out.getvalue(), "bomb.xlsx"


def _workbook(sheet_name: str, *, title: str | None = None, last_column: str = "A",
              unit_line: str | None = None):
    """A new workbook and its one sheet, named sheet_name; with a title, row 1 holds it merged
    over A..last_column and row 2 the unit line (the provincial tables' head)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    if title is not None:
        sheet["A1"] = title
        sheet.merge_cells(f"A1:{last_column}1")
        sheet["A2"] = unit_line
    return book, sheet


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


