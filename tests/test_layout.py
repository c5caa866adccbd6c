"""extract_workbook on every real layout, in both orientations, the long template, and no data."""
from __future__ import annotations

import io

import openpyxl
import pytest

from etl.read.layout import extract_workbook
from etl.normalise.cells import normalise_values
from etl.read.files import read_workbook
from tests import messy_files as mf


def extract(catalog, built):
    data, name = built
    return extract_workbook(read_workbook(data, name), catalog)


def run(catalog, built, skip_unknown=False):
    """(extract, normalise result, {cell: Value})."""
    ex = extract(catalog, built)
    result = normalise_values(ex.values, catalog, skip_unknown=skip_unknown)
    return ex, result, {v.cell: v for v in result.values}


def key(value):
    return (value.indicator_code, value.region_code, value.year, value.quarter, value.basis, value.value)


def errors(ex, result):
    return [p for p in ex.problems + result.problems if p.severity == "error"]


# --- 1. regions x periods ----------------------------------------------------------------------------

def test_portal_regions_by_periods_csv(catalog):
    ex, result, by_cell = run(catalog, mf.portal_regions_csv())
    assert not errors(ex, result)
    assert len(result.values) == 31 * 5 - 1  # Beijing's newest year is not released yet
    heilongjiang_row = 5 + [r for r, _ in mf.PROVINCES].index("黑龙江省")
    assert key(by_cell[f"B{heilongjiang_row}"]) == (
        "population", "230000", 2024, 0, "annual", mf.population("黑龙江省", 2024))
    assert "B5" not in by_cell  # the empty field is missing, not an error
    assert ex.metadata == ["数据库：分省年度数据", "指标：年末常住人口(万人)", "时间：最近5年"]
    assert ex.sources == ["数据来源：国家统计局"]
    assert len(ex.notes) == 2 and "\n" in ex.notes[0] and ex.notes[1].startswith("2.2020年")
    raw = next(v for v in ex.values if v.cell == f"C{heilongjiang_row}")
    assert (raw.region_cell, raw.period_cell, raw.indicator_cell) == (f"A{heilongjiang_row}", "C4", None)


def test_portal_regions_transposed(catalog):
    ex, result, by_cell = run(catalog, mf.portal_regions_transposed_csv())
    assert not errors(ex, result)
    assert len(result.values) == 31 * 5
    column = "I"  # 黑龙江省 is the 8th province: column B + 7
    assert key(by_cell[f"{column}6"]) == ("population", "230000", 2023, 0, "annual",
                                          mf.population("黑龙江省", 2023))


def test_wrong_region_name_reaches_normalise_with_its_cell(catalog):
    ex, result, _ = run(catalog, mf.portal_regions_csv(rename={"黑龙江省": "黑龙江X"}))
    (problem,) = result.problems
    row = 5 + [r for r, _ in mf.PROVINCES].index("黑龙江省")
    assert (problem.code, problem.cell, problem.raw) == ("unknown-region", f"A{row}", "黑龙江X")
    assert len(result.values) == 31 * 5 - 1 - 5


def test_text_in_a_value_cell_is_a_type_error_at_that_cell(catalog):
    ex, result, _ = run(catalog, mf.portal_regions_csv(overrides={("吉林省", 2022): "暂缺a"}))
    (problem,) = result.problems
    assert problem.code == "type-error" and problem.cell == "D11" and problem.raw == "暂缺a"


# --- 2. indicators x periods -----------------------------------------------------------------------

def test_portal_indicators_by_periods_csv(catalog):
    ex, result, by_cell = run(catalog, mf.portal_indicators_csv(), skip_unknown=True)
    assert not errors(ex, result)
    assert key(by_cell["B4"]) == ("gdp", "100000", 2022, 1, "quarter", mf.GDP_QUARTER[0])
    assert key(by_cell["C5"]) == ("gdp", "100000", 2021, 4, "ytd", mf.GDP_YTD[1])
    assert len(result.values) == 12
    (skipped,) = result.skipped
    assert skipped.code == "skipped-indicator" and skipped.cell == "A6" and "6" in skipped.message_zh
    assert ex.notes[1].startswith("2.三次产业") and ex.notes[1].endswith(",2023年起按新分类。")
    assert len(ex.notes) == 2
    strict = normalise_values(ex.values, catalog)
    assert [p.code for p in strict.problems] == ["unknown-indicator"]


def test_indicators_by_periods_transposed(catalog):
    ex, result, by_cell = run(catalog, mf.portal_periods_rows_csv())
    assert not errors(ex, result)
    assert key(by_cell["B5"]) == ("gdp", "100000", 2021, 4, "quarter", mf.GDP_QUARTER[1])
    assert key(by_cell["C5"]) == ("gdp", "100000", 2021, 4, "ytd", mf.GDP_YTD[1])


def test_region_line_names_the_region(catalog):
    built = mf.portal_indicators_csv(database="分省季度数据", region_line="黑龙江省", extra_indicator=False)
    ex, result, by_cell = run(catalog, built)
    assert not errors(ex, result)
    assert {v.region_code for v in result.values} == {"230000"}
    assert by_cell["B5"].indicator_code == "gdp"


def test_provincial_database_without_region_says_so(catalog):
    ex = extract(catalog, mf.portal_indicators_csv(database="分省季度数据", extra_indicator=False))
    assert not ex.values
    (problem,) = ex.problems
    assert problem.code == "missing-dimension" and problem.severity == "error"
    assert "地区" in problem.message_zh and "region" in problem.message_en and "地区：" in problem.fix_zh


# --- 3. old portal XLS -------------------------------------------------------------------------------

@pytest.mark.parametrize("transposed", [False, True])
def test_old_portal_xls(catalog, transposed):
    ex, result, by_cell = run(catalog, mf.old_portal_xls(transposed=transposed))
    assert not errors(ex, result)
    assert len(result.values) == 31 * 5 - 1  # Tibet 2015 is an empty text cell
    heilongjiang = [r for r, _ in mf.PROVINCES].index("黑龙江省")
    cell = f"C{5 + heilongjiang}" if not transposed else f"{chr(ord('B') + heilongjiang)}6"
    assert key(by_cell[cell]) == ("gdp", "230000", 2018, 0, "annual",
                                  mf.old_portal_value(heilongjiang, 2018))
    assert ex.sources == ["数据来源：国家统计局"] and ex.notes[0].startswith("注：2019年")


def test_city_database_short_names(catalog):
    built = mf.old_portal_xls(database="主要城市年度数据", regions=mf.CITY_SHORT, missing=("", 0))
    ex, result, by_cell = run(catalog, built)
    assert not errors(ex, result)
    assert by_cell["B5"].region_code == "230100" and len(result.values) == 13 * 5


# --- 4. new portal XLSX ------------------------------------------------------------------------------

@pytest.mark.parametrize("transposed", [False, True])
def test_new_portal_xlsx(catalog, transposed):
    ex, result, by_cell = run(catalog, mf.new_portal_xlsx(transposed=transposed), skip_unknown=True)
    assert not errors(ex, result)
    assert len(result.values) == 4  # the unreleased 2025Q4 column is simply missing
    cell = "C4" if not transposed else "B5"
    assert key(by_cell[cell]) == ("gdp", "100000", 2025, 3, "ytd", 341230.4)
    assert [p.code for p in result.skipped] == ["skipped-indicator"]
    assert "时间：2024年-2025年" in ex.metadata and ex.sources == ["数据来源：国家统计局"]
    assert ex.notes[1].startswith("2. 根据第五次")


def test_new_portal_annual_labels_with_spaces_and_parens(catalog):
    built = mf.new_portal_xlsx(indicator="国内生产总值（亿元） ", database="年度数据",
                               periods=("2025年", "2024年"), values=(None, "1349083.5"),
                               extra_indicator="年末常住人口 (万人) ")
    ex, result, by_cell = run(catalog, built)
    assert not errors(ex, result)
    assert key(by_cell["C4"]) == ("gdp", "100000", 2024, 0, "annual", 1349083.5)
    assert key(by_cell["C5"]) == ("population", "100000", 2024, 0, "annual", 123456.7)


# --- 5. provincial tables ----------------------------------------------------------------------------

@pytest.mark.parametrize("two_header_rows", [True, False])
def test_provincial_table(catalog, two_header_rows):
    ex, result, by_cell = run(catalog, mf.provincial_xlsx(two_header_rows=two_header_rows))
    assert not errors(ex, result)
    first = 5 if two_header_rows else 4
    assert key(by_cell[f"B{first}"]) == ("digital_core_va", "230000", 2024, 3, "ytd", mf.PROVINCE_CORE_VA)
    assert key(by_cell[f"D{first}"]) == ("fiveg_base_stations", "230000", 2024, 3, "ytd",
                                         sum(mf.CITY_STATIONS))  # '76,243*'
    assert by_cell[f"D{first + 6}"].raw_value == "９０１２"  # full-width digits
    assert by_cell[f"D{first + 6}"].value == mf.CITY_STATIONS[5]
    assert f"D{first + 4}" not in by_cell  # '—'
    assert key(by_cell[f"F{first + 1}"]) == ("gigabit_port_share", "230100", 2024, 3, "ytd", 40)
    assert by_cell[f"B{first + 13}"].region_code == "232700"
    skipped = [p for p in ex.problems if p.code == "skipped-column"]
    assert [(p.severity, p.cell) for p in skipped] == [("info", f"C{first - 1}"), ("info", f"E{first - 1}")]
    assert len(result.values) == 14 * 3 - 1
    assert ex.sources == ["资料来源：黑龙江省统计局、省通信管理局"]
    assert ex.notes[0].startswith("注：1.") and len(ex.notes) == 2
    assert "2024年1-9月各市（地）数字经济主要指标" in ex.metadata


@pytest.mark.parametrize("title, year, quarter, basis", [
    ("2024年前三季度各市（地）数字经济主要指标", 2024, 3, "ytd"),
    ("2023年上半年各市（地）数字经济主要指标", 2023, 2, "ytd"),
    ("2024年1~3季度各市（地）数字经济主要指标", 2024, 3, "ytd"),
    ("2022年全年各市（地）数字经济主要指标", 2022, 0, "annual"),
    ("2024年一季度各市（地）数字经济主要指标", 2024, 1, "ytd"),
])
def test_provincial_title_sets_every_period(catalog, title, year, quarter, basis):
    _, result, _ = run(catalog, mf.provincial_xlsx(title=title))
    assert {(v.year, v.quarter, v.basis) for v in result.values} == {(year, quarter, basis)}


def test_provincial_unit_line_in_wan_yuan(catalog):
    _, result, by_cell = run(catalog, mf.provincial_xlsx(unit_line="单位：万元、个、%",
                                                         cell_overrides={"B5": 12345000}))
    assert by_cell["B5"].value == pytest.approx(1234.5)
    assert by_cell["F5"].value == 55.2  # the % column keeps %


def test_provincial_wrong_city_and_bad_value(catalog):
    labels = list(mf.CITIES)
    labels[1] = "齐齐哈儿市"
    ex, result, _ = run(catalog, mf.provincial_xlsx(city_labels=labels, cell_overrides={"F9": "五十"}))
    problems = {(p.code, p.cell) for p in result.problems}
    assert problems == {("unknown-region", "A7"), ("type-error", "F9")}


def test_provincial_transposed(catalog):
    ex, result, by_cell = run(catalog, mf.provincial_transposed_xlsx())
    assert not errors(ex, result)
    assert key(by_cell["C4"]) == ("digital_core_va", "230000", 2024, 2, "ytd", pytest.approx(mf.PROVINCE_CORE_VA))
    assert by_cell["D4"].value == pytest.approx(mf.CITY_CORE_VA[0])  # 万元 -> 亿元
    assert key(by_cell["E6"]) == ("fiveg_base_stations", "230200", 2024, 2, "ytd", mf.CITY_STATIONS[1])
    assert len(result.values) == 28
    assert [(p.code, p.cell) for p in ex.problems] == [("skipped-column", "B5"), ("skipped-column", "B7")]


# --- our long template and no data -----------------------------------------------------------------

def test_long_template(catalog):
    ex, result, by_cell = run(catalog, mf.long_template_xlsx())
    assert not errors(ex, result)
    assert key(by_cell["D2"]) == ("gdp", "230000", 2024, 0, "annual", 16476.9)
    assert key(by_cell["D3"]) == ("gdp", "230100", 2024, 3, "ytd", 4108.2)
    assert key(by_cell["D4"]) == ("digital_core_va", "230000", 2024, 3, "ytd", pytest.approx(1023.4567))
    assert by_cell["D5"].indicator_code == "fiveg_base_stations"
    assert ex.sources == ["黑龙江省统计局", "省统计局", "省通信管理局"] and ex.notes == ["初步核算"]
    # the instructions and codes sheets hold no data: listed as skipped with the reason, no warning
    assert {(p.code, p.severity, p.sheet) for p in ex.problems} == {
        ("skipped-sheet", "info", "说明"), ("skipped-sheet", "info", "代码")}


def test_long_template_errors_point_at_cells(catalog):
    rows = [["gdp", "230100", "2024年1-9月", "4108.2", "", "", "", ""],
            ["gdp", "999999", "2024年", "1", "", "", "", ""],
            ["no_such", "230000", "2024年", "1", "", "", "", ""],
            ["gdp", "230000", "2024年13月", "1", "", "", "", ""]]
    ex, result, _ = run(catalog, mf.long_template_xlsx(rows, with_instructions=False))
    assert {(p.code, p.cell) for p in result.problems} == {
        ("unknown-region", "B3"), ("unknown-indicator", "A4"), ("bad-period", "C5")}


def test_sheet_without_data_says_so(catalog):
    ex = extract(catalog, mf.no_data_xlsx())
    assert not ex.values
    (problem,) = ex.problems
    assert (problem.code, problem.severity, problem.sheet) == ("no-data", "error", "会议纪要")
    assert "会议纪要" in problem.message_zh and "没有可识别的数据" in problem.message_zh
    assert "no recognisable data" in problem.message_en


def test_blank_workbook_is_no_data(catalog):
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    ex = extract_workbook(read_workbook(out.getvalue(), "blank.xlsx"), catalog)
    assert [(p.code, p.severity) for p in ex.problems] == [("no-data", "error")]


# --- shapes seen in provincial tables ---------------------------------------------------------------

def test_indicator_and_unit_from_the_title(catalog):
    rows = [["2024年1-9月各市（地）地区生产总值（万元）"], ["地区", "2024年1-9月", "2023年1-9月"],
            ["全省", "120000000", "110000000"], ["哈尔滨市", "41082000", "39000000"]]
    ex, result, by_cell = run(catalog, mf.table_xlsx(rows, merges=("A1:C1",)))
    assert not errors(ex, result)
    assert key(by_cell["B3"]) == ("gdp", "230000", 2024, 3, "ytd", 12000.0)
    assert key(by_cell["C4"]) == ("gdp", "230100", 2023, 3, "ytd", 3900.0)


def test_serial_column_unit_row_and_share_of_province_column(catalog):
    rows = [["2024年各市（地）数字经济主要指标"],
            ["序号", "地区", "数字经济核心产业增加值", "占全省比重", "5G基站数", "位次"],
            [None, "单位", "亿元", "%", "万个", None],
            [1, "全省", "1,234.5", 100, "7.6", None],
            [2, "哈尔滨市", "512.3", 41.5, "3.1", 1]]
    ex, result, by_cell = run(catalog, mf.table_xlsx(rows, sheet="2024"))
    assert not errors(ex, result)
    assert key(by_cell["C4"]) == ("digital_core_va", "230000", 2024, 0, "annual", 1234.5)
    assert key(by_cell["E5"]) == ("fiveg_base_stations", "230100", 2024, 0, "annual", 31000.0)
    assert len(result.values) == 4
    assert {p.cell for p in ex.problems if p.code == "skipped-column"} == {"D2", "F2"}


def test_unmerged_two_row_header_in_a_csv(catalog):
    rows = [["2024年上半年各市（地）数字经济主要指标"], ["单位：亿元、个"],
            ["地区", "数字经济核心产业增加值", None, "5G基站数", None],
            [None, "绝对值", "同比增长%", "绝对值", "同比增长%"],
            ["全省", "600.5", "8.1", "70000", "12.0"],
            ["　　大庆市", "100.1", "7.7", "9000", "11.0"],
            ["注：增速按可比价计算。"]]
    ex, result, by_cell = run(catalog, mf.table_csv(rows))
    assert not errors(ex, result)
    assert key(by_cell["B5"]) == ("digital_core_va", "230000", 2024, 2, "ytd", 600.5)
    assert key(by_cell["D6"]) == ("fiveg_base_stations", "230600", 2024, 2, "ytd", 9000.0)
    assert len(result.values) == 4 and ex.notes == ["注：增速按可比价计算。"]


def test_period_headers_typed_as_dates(catalog):
    from datetime import datetime
    rows = [["指标：5G基站数（个）"], ["地区", datetime(2024, 9, 30), datetime(2024, 6, 30)],
            ["黑龙江省", 92000, 88000]]
    _, result, by_cell = run(catalog, mf.table_xlsx(rows))
    assert key(by_cell["B3"]) == ("fiveg_base_stations", "230000", 2024, 3, "ytd", 92000.0)


def test_quarter_columns_take_the_year_from_the_title(catalog):
    rows = [["2024年各季度全省数字经济核心产业增加值（亿元）"], ["地区", "一季度", "1-6月", "前三季度", "全年"],
            ["全省", 300.1, 610.2, 930.3, 1260.4]]
    ex, result, by_cell = run(catalog, mf.table_xlsx(rows))
    assert not errors(ex, result)
    assert [(v.year, v.quarter, v.basis) for v in result.values] == [
        (2024, 1, "ytd"), (2024, 2, "ytd"), (2024, 3, "ytd"), (2024, 0, "annual")]
