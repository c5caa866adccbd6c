"""Files byte for byte as shared/reference/statistics-file-layouts.md shows them.

tests/messy_files.py builds messy variants for unit tests; the builders here follow the reference
document as literally as possible (its exact metadata lines, all 31 provinces with the portal's
names, newest period first, GBK without BOM, LF and CRLF, U+3000 continuation lines ...), so that
tests/test_real_layouts.py checks the ETL against what analysts really upload. Each builder returns
`(file_bytes, file_name)`.
"""
from __future__ import annotations

import csv
import io

import openpyxl
import xlwt

from tests import messy_files

U3 = "\u3000" * 3  # the portal indents note continuation lines with three ideographic spaces

# the 31 provincial-level regions, as the portal writes them, in the portal's order
PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
             "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
             "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
             "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]
PROVINCE_CODES = ["110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000",
                  "310000", "320000", "330000", "340000", "350000", "360000", "370000", "410000",
                  "420000", "430000", "440000", "450000", "460000", "500000", "510000", "520000",
                  "530000", "540000", "610000", "620000", "630000", "640000", "650000"]
HLJ = PROVINCES.index("黑龙江省")

# --- 1. 分省年度数据, 年末常住人口, 最近10年 ----------------------------------------------------------

YEARS_10 = list(range(2024, 2014, -1))
# the reference document's two rows, as published
POPULATION = {
    "北京市": [2183, 2186, 2184, 2189, 2189, 2190, 2192, 2194, 2195, 2188],
    "黑龙江省": [3029, 3062, 3099, 3125, 3171, 3255, 3327, 3399, 3463, 3529],
}


def population(province: str, year: int) -> int:
    """The published figure for 北京/黑龙江, a deterministic plausible one for the others."""
    if province in POPULATION:
        return POPULATION[province][YEARS_10.index(year)]
    i = PROVINCES.index(province)
    return 500 + 317 * i + (2024 - year) * (i % 7 - 3)


POPULATION_NOTE = ('"注：常住人口包括：居住在本乡镇街道且户口在本乡镇街道或户口待定的人；'
                   '居住在本乡镇街道且离开户口登记地所在的乡镇街道半年以上的人；\n'
                   f'{U3}户口在本乡镇街道且外出不满半年或在境外工作学习的人。"')


def nbs_population_csv(*, newline: str = "\n", encoding: str = "gbk",
                       trailing_comma: bool = False, delimiter: str = ",",
                       rename: dict | None = None) -> tuple[bytes, str]:
    """Layout 1, literally: three metadata lines, 地区 x 10 years, 31 provinces, notes, source.

    北京市 2024 is an empty field (not yet released). Row of province i is line 5 + i.
    """
    rename = rename or {}
    end = delimiter if trailing_comma else ""
    lines = ["数据库：分省年度数据", "指标：年末常住人口(万人)", "时间：最近10年",
             delimiter.join(["地区"] + [f"{y}年" for y in YEARS_10]) + end]
    for province in PROVINCES:
        cells = ["" if (province, y) == ("北京市", 2024) else str(population(province, y))
                 for y in YEARS_10]
        lines.append(delimiter.join([rename.get(province, province)] + cells) + end)
    lines += [POPULATION_NOTE,
              f"{U3}2.2020年数据为第七次全国人口普查数据，其他年份为人口变动情况抽样调查推算数据。",
              "数据来源：国家统计局"]
    return (newline.join(lines) + newline).encode(encoding), "分省年度数据.csv"


# --- 1b. 分省季度数据, 地区生产总值_累计值 ---------------------------------------------------------------

QUARTER_LABELS = ["2023年第四季度", "2023年第三季度", "2023年第二季度", "2023年第一季度",
                  "2022年第四季度", "2022年第三季度"]
QUARTER_KEYS = [(2023, 4), (2023, 3), (2023, 2), (2023, 1), (2022, 4), (2022, 3)]


def provincial_gdp_ytd(province: str, year: int, quarter: int) -> float:
    """Year-to-date GDP: grows quarter by quarter within a year (黑龙江 2023 = 15883.9)."""
    if province == "黑龙江省" and (year, quarter) == (2023, 4):
        return 15883.9
    i = PROVINCES.index(province)
    annual = 2000.0 + 1733.3 * i + 400.0 * (year - 2022)
    return round(annual * quarter / 4, 1)


def nbs_provincial_quarterly_csv(*, newline: str = "\r\n") -> tuple[bytes, str]:
    """分省季度数据: 31 provinces x 6 quarters of 地区生产总值_累计值(亿元), newest first."""
    lines = ["数据库：分省季度数据", "指标：地区生产总值_累计值(亿元)", "时间：最近6季度",
             ",".join(["地区"] + QUARTER_LABELS)]
    for province in PROVINCES:
        lines.append(",".join([province] + [f"{provincial_gdp_ytd(province, y, q):.1f}"
                                            for y, q in QUARTER_KEYS]))
    lines += ["注：1.地区生产总值按当年价格计算。", f"{U3}2.2023年数据为初步核算数。", "数据来源：国家统计局"]
    return (newline.join(lines) + newline).encode("gbk"), "分省季度数据.csv"


# --- 2. 季度数据, indicators x periods, CRLF ------------------------------------------------------------

NATIONAL_QUARTERS = ["2022年第一季度", "2021年第四季度", "2021年第三季度", "2021年第二季度",
                     "2021年第一季度", "2020年第四季度"]
NATIONAL_KEYS = [(2022, 1), (2021, 4), (2021, 3), (2021, 2), (2021, 1), (2020, 4)]
GDP_QUARTER = ["270177.8", "324237.4", "289919.3", "281528.0", "247985.0", "295618.8"]
GDP_YTD = ["270177.8", "1143669.7", "819432.3", "529513.0", "247985.0", "1013567.0"]
UNTRACKED_ROWS = [
    ("第一产业增加值当季值(亿元)", "10953.8,31472.2,23100.5,17139.0,11373.8,29715.7"),
    ("第一产业增加值累计值(亿元)", "10953.8,83085.5,51613.3,28512.8,11373.8,77754.1"),
    ("第二产业增加值当季值(亿元)", "106187.3,129883.9,116203.9,114531.3,92623.1,118218.7"),
    ("第二产业增加值累计值(亿元)", "106187.3,450904.5,321020.6,207153.9,92623.1,383562.4"),
    ("第三产业增加值当季值(亿元)", "153036.7,162881.3,150615.0,149857.6,143988.1,147684.4"),
    ("第三产业增加值累计值(亿元)", "153036.7,609679.7,446798.4,296182.3,143988.1,552250.5"),
]
NATIONAL_NOTE = ["注：1.按当年价格计算。累计数据由当季数据相加得到。",
                 f"{U3}2.三次产业分类依据国家统计局2018年修订的《三次产业划分规定》。"]


def nbs_quarterly_csv(*, newline: str = "\r\n") -> tuple[bytes, str]:
    """Layout 2, literally: 季度数据, CRLF, GDP 当季值/累计值 rows (lines 4, 5) then 6 untracked rows."""
    lines = ["数据库：季度数据", "时间：最近6季度", ",".join(["指标"] + NATIONAL_QUARTERS),
             ",".join(["国内生产总值当季值(亿元)"] + GDP_QUARTER),
             ",".join(["国内生产总值累计值(亿元)"] + GDP_YTD)]
    lines += [f"{label},{values}" for label, values in UNTRACKED_ROWS]
    lines += NATIONAL_NOTE + ["数据来源：国家统计局"]
    return (newline.join(lines) + newline).encode("gbk"), "季度数据.csv"


def nbs_quarterly_transposed_csv() -> tuple[bytes, str]:
    """Layout 2 transposed by a user: periods down column A (row 4..9), indicators across row 3."""
    labels = ["国内生产总值当季值(亿元)", "国内生产总值累计值(亿元)"] + [l for l, _ in UNTRACKED_ROWS]
    columns = [GDP_QUARTER, GDP_YTD] + [v.split(",") for _, v in UNTRACKED_ROWS]
    lines = ["数据库：季度数据", "时间：最近6季度", ",".join(["时间"] + labels)]
    for j, period in enumerate(NATIONAL_QUARTERS):
        lines.append(",".join([period] + [col[j] for col in columns]))
    lines += NATIONAL_NOTE + ["数据来源：国家统计局"]
    return ("\r\n".join(lines) + "\r\n").encode("gbk"), "季度数据_转置.csv"


# --- 3. old portal XLS (BIFF8) ------------------------------------------------------------------------

XLS_YEARS = [2019, 2018, 2017, 2016, 2015]


def old_gdp(i: int, year: int) -> float:
    return round(1500.0 + 1111.1 * i + 97.3 * (year - 2015), 1)


def _portal_xls(database: str, regions, value, missing, notes: list[str]) -> tuple[bytes, str]:
    """An xls as the old portal exports database `database` (messy_files.old_portal_xls), with
    value(i, year) for region i, an empty text cell where (region, year) is in `missing`, and the
    notes below."""
    return messy_files.old_portal_xls(
        database=database, regions=regions, years=XLS_YEARS, missing=None, notes=notes,
        value=lambda i, y: "" if (regions[i], y) in missing else value(i, y))


def old_portal_xls(*, missing=(("西藏自治区", 2015), ("北京市", 2019))) -> tuple[bytes, str]:
    """Layout 3: sheet '分省年度数据', numeric cells, missing = empty *text* cells, U+3000 notes."""
    return _portal_xls("分省年度数据", PROVINCES, old_gdp, missing,
                       [f"{U3}注：2019年地区生产总值数据为第四次全国经济普查后修订数据。",
                        f"{U3}2018年及以前数据按第四次全国经济普查结果进行了修订。", "数据来源：国家统计局"])


# the portal's 主要城市 databases: 36 major cities, named without 市
MAJOR_CITIES = ["北京", "天津", "石家庄", "太原", "呼和浩特", "沈阳", "大连", "长春", "哈尔滨", "上海",
                "南京", "杭州", "宁波", "合肥", "福州", "厦门", "南昌", "济南", "青岛", "郑州", "武汉",
                "长沙", "广州", "深圳", "南宁", "海口", "重庆", "成都", "贵阳", "昆明", "拉萨", "西安",
                "兰州", "西宁", "银川", "乌鲁木齐"]


def city_gdp(i: int, year: int) -> float:
    return round(800.0 + 501.7 * i + 55.5 * (year - 2015), 1)


def city_portal_xls(*, cities=MAJOR_CITIES) -> tuple[bytes, str]:
    """Layout 3, city database 主要城市年度数据: the 36 major cities; 拉萨 2015 an empty text cell."""
    return _portal_xls("主要城市年度数据", cities, city_gdp, {("拉萨", 2015)},
                       [f"{U3}注：地区生产总值为全市口径。", "数据来源：国家统计局"])


# --- 4. new portal XLSX (2026) --------------------------------------------------------------------------

NEW_YEARS = ["2025年", "2024年", "2023年", "2022年", "2021年"]
NEW_ROWS = [  # label as the portal writes it, values as text; 2025 not released yet
    ("社会消费品零售总额 (亿元) ", [None, "501202.0", "483344.7", "471495.2", "440823.2"]),
    ("国内生产总值 (亿元) ", [None, "1349083.5", "1294271.7", "1204724.0", "1149237.0"]),
    ("年末常住人口（万人）", [None, "140828", "140967", "141175", "141260"]),
]
NEW_NOTES = ["注：1. 社会消费品零售总额1992年以前为社会商品零售总额。",
             "2. 根据第五次全国经济普查结果及有关制度规定，对2019-2023年国内生产总值等数据进行修订，"
             "2024年数据为初步核算数。"]


def new_portal_xlsx(*, rows=NEW_ROWS, notes=NEW_NOTES) -> tuple[bytes, str]:
    """Layout 4, literally: A1 数据库：年度数据, A2 时间：2021年-2025年, A3 header, numbers as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "年度数据"
    sheet["A1"] = "数据库：年度数据"
    sheet["A2"] = "时间：2021年-2025年"
    sheet.append(["指标", *NEW_YEARS])
    for label, values in rows:
        sheet.append([label, *values])
    for note in notes:
        sheet.append([note])
    sheet.append(["数据来源：国家统计局"])
    return save(book), "年度数据.xlsx"


def new_portal_quarter_codes_xlsx() -> tuple[bytes, str]:
    """Layout 4 with 202404SS-style codes and an empty default-window column (202504SS)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "季度数据"
    sheet["A1"] = "数据库：季度数据"
    sheet["A2"] = "时间：2024年第四季度-2025年第四季度"
    sheet.append(["指标", "202504SS", "202503SS", "202502SS", "202501SS", "202404SS"])
    sheet.append(["国内生产总值_累计值 (亿元) ", None, "1015036.0", "660536.0", "318758.0", "1349083.5"])
    sheet.append(["国内生产总值_当季值（亿元）", None, "354500.0", "341778.0", "318758.0", "362720.0"])
    sheet.append(["注：1. 按当年价格计算。"])
    sheet.append(["2. 2025年数据为初步核算数。"])
    sheet.append(["数据来源：国家统计局"])
    return save(book), "季度数据.xlsx"


# --- 5. provincial tables 各市（地）主要指标 ---------------------------------------------------------------

CITIES = ["哈尔滨市", "齐齐哈尔市", "鸡西市", "鹤岗市", "双鸭山市", "大庆市", "伊春市", "佳木斯市",
          "七台河市", "牡丹江市", "黑河市", "绥化市", "大兴安岭地区"]
CITY_CODES = ["230100", "230200", "230300", "230400", "230500", "230600", "230700", "230800",
              "230900", "231000", "231100", "231200", "232700"]
# 数字经济核心产业增加值 (亿元) as written in the cells, and the number each one means
CORE_VA_CELLS = ["1,234.5*", "512.3①", "98.7", "21.4", "１２.０", "15.6", 210.9, "—", "40.2", "-",
                 "60.3", "…", "35.6", "/"]
CORE_VA = [1234.5, 512.3, 98.7, 21.4, 12.0, 15.6, 210.9, None, 40.2, None, 60.3, None, 35.6, None]
SHARE_CELLS = ["7.5", "8.1", "3.2", "2.9", "1.8", "2.0", "5.5", None, "3.1", "", "2.6", "2.2", "1.9", ""]


def provincial_table_xlsx(*, title: str = "2024年1-9月各市（地）数字经济主要指标",
                          extra_rows=(), labels=None) -> tuple[bytes, str]:
    """Layout 5: merged title A1:F1, 单位：亿元、%, two header rows, 全省 + 13 cities, footnotes.

    A 地区 | B 数字经济核心产业增加值 绝对值 | C 同比增长% | D 数字经济核心产业增加值占GDP比重 (%) |
    E 5G基站数 (个) 绝对值 | F 同比增长%. Row 5 = 全省, rows 6..18 = the cities; `extra_rows`
    (label, ...) follow the cities (农垦, 森工 ...); `labels` replaces 全省 + the cities.
    """
    labels = list(labels or ["全省"] + CITIES)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "各市"
    sheet["A1"] = title
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "单位：亿元、%"
    sheet.merge_cells("A2:F2")
    sheet.append(["地区", "数字经济核心产业增加值", None, "数字经济核心产业增加值占GDP比重", "5G基站数（个）", None])
    sheet.append([None, "绝对值", "同比增长%", None, "绝对值", "同比增长%"])
    for ref in ("A3:A4", "B3:C3", "D3:D4", "E3:F3"):
        sheet.merge_cells(ref)
    for i, label in enumerate(labels):
        stations = "76,243" if i == 0 else f"{3000 + 517 * i:,}"
        sheet.append([label, CORE_VA_CELLS[i % 14], f"{8.0 + i / 10:.1f}", SHARE_CELLS[i % 14],
                      stations, "12.1"])
    for label, *cells in extra_rows:
        sheet.append([label, *cells])
    sheet.append(["注：1. 数字经济核心产业增加值为初步核算数，*为含省直单位数据，①为修订数。"])
    sheet.append(["2. “—”“-”“…”“/”表示未报送或不适用。"])
    sheet.append(["数据来源：黑龙江省统计局"])
    return save(book), "2024年1-9月各市（地）数字经济主要指标.xlsx"


def stations(i: int) -> int:
    return 76243 if i == 0 else 3000 + 517 * i


# --- helpers ---------------------------------------------------------------------------------------------

def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows_of_csv(data: bytes, encoding: str = "gbk") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def xlsx_from_rows(rows: list[list], *, sheet: str = "Sheet1", name: str = "book.xlsx",
                   numbers: bool = True) -> tuple[bytes, str]:
    """What Excel saves after opening a CSV: one sheet named after the file, numbers as numbers."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        out = []
        for value in row:
            if numbers and isinstance(value, str):
                try:
                    value = int(value) if value.isdigit() else float(value)
                except ValueError:
                    pass
            out.append(None if value == "" else value)
        ws.append(out)
    return save(book), name


def xls_from_rows(rows: list[list], *, sheet: str = "Sheet1", name: str = "book.xls") -> tuple[bytes, str]:
    """The same rows as a BIFF8 .xls: numbers as numeric cells, '' as empty text cells."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                try:
                    value = float(value)
                except ValueError:
                    pass
            ws.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), name


