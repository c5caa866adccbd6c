"""Issue 10: never load a wrong number silently. Files written the way departments write them (xlsx,
xls and csv where it applies), one test per class; each checks what loads, what is rejected and
that the message names the cell."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest
import xlwt

import messy_files as mf
import real_files as rf
from etl.pipeline import check_file, ingest_file, preview_file
from etl.read.template import write_template

CITIES = ["哈尔滨市", "齐齐哈尔市", "大庆市"]
CODES = {"黑龙江省": "230000", "全省": "230000", "哈尔滨市": "230100", "齐齐哈尔市": "230200",
         "大庆市": "230600"}


def xlsx(rows, *, sheet="各市", merged=(), formats=None, name="表.xlsx", extra_sheets=()):
    """An xlsx as a bureau's office types it; `formats` {cell: number format}."""
    return mf.table_xlsx(rows, merges=merged, sheet=sheet, name=name, formats=formats,
                         extra_sheets=extra_sheets)


def xls(rows, *, sheet="各市", formats=None, name="表.xls"):
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    styles = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r + 1}"
            code = (formats or {}).get(ref)
            if code:
                style = styles.setdefault(code, xlwt.easyxf(num_format_str=code))
                ws.write(r, c, value, style)
            elif value is not None:
                ws.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), name


def csv_gbk(rows, name="各市.csv"):
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    return text.encode("gbk"), name


def check(catalog, built, **kwargs):
    data, name = built
    return check_file(data, name, catalog, **kwargs)


def keys(result):
    return {(v.indicator_code, v.region_code, v.year, v.quarter, v.basis): v.value for v in result.values}


def codes(problems):
    return [(p.code, p.where) for p in problems]


def table(title, header, rows, *, unit=None):
    out = [[title]]
    if unit:
        out.append([unit])
    out.append(header)
    out.extend(rows)
    out.append(["注：数据为初步核算数。"])
    return out


WRITERS = {"xlsx": lambda rows, **kw: xlsx(rows, **kw), "xls": lambda rows, **kw: xls(rows, **kw),
           "csv": lambda rows, **kw: csv_gbk(rows)}


# --- 1. the period can stand anywhere in a title ------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
@pytest.mark.parametrize("title, quarter", [
    ("2024年全省及各市（地）数字经济主要指标（1-9月）", 3),
    ("2024年各市（地）数字经济主要指标（前三季度）", 3),
    ("2024年各市（地）数字经济主要指标（上半年）", 2),
    ("各市（地）数字经济主要指标（截至2024年9月底）", 3),
])
def test_a_period_anywhere_in_the_title_is_the_period(catalog, kind, title, quarter):
    rows = table(title, ["地区", "地区生产总值（亿元）", "5G基站数（个）"],
                 [["全省", 11000.5, 90000], ["哈尔滨市", 4108.2, 31000]])
    result = check(catalog, WRITERS[kind](rows))
    assert result.report.valid, result.report.format_text()
    assert keys(result)[("gdp", "230100", 2024, quarter, "ytd")] == pytest.approx(4108.2)
    assert keys(result)[("fiveg_base_stations", "230000", 2024, quarter, "ytd")] == 90000
    assert not any(k[3] == 0 for k in keys(result))  # nothing stored as a whole year


def test_year_to_date_title_over_whole_year_columns_is_rejected(catalog):
    rows = table("全省各市（地）地区生产总值（1-9月）", ["地区", "2024年", "2023年"],
                 [["全省", 11000.5, 10500.1], ["哈尔滨市", 4108.2, 3900.0]], unit="单位：亿元")
    for built in (xlsx(rows), csv_gbk(rows)):
        result = check(catalog, built)
        assert codes(result.report.errors) == [("ytd-as-annual", "'各市'!B3")], result.report.format_text()
        error = result.report.errors[0]
        assert "1-9月" in error.message_zh and "2024年" in error.message_zh and "annual" in error.message_en
        assert "2024年1-9月" in error.fix_zh
        assert not result.values


def test_two_different_periods_in_title_and_subtitle_are_rejected(catalog):
    rows = [["2024年1-6月各市（地）数字经济主要指标"], ["（1-9月）"], ["地区", "地区生产总值（亿元）"],
            ["哈尔滨市", 4108.2], ["大庆市", 2100.0]]
    result = check(catalog, xlsx(rows))
    assert codes(result.report.errors) == [("period-conflict", "'各市'!A1")]
    assert "1-6月" in result.report.errors[0].message_zh and "1-9月" in result.report.errors[0].message_zh
    # the title against the header
    rows = [["2024年各市（地）地区生产总值（1-9月）"], ["地区", "2024年1-6月", "2023年1-6月"], ["哈尔滨市", 2700.0, 2600.0]]
    result = check(catalog, csv_gbk(rows))
    assert codes(result.report.errors) == [("period-conflict", "'各市'!B2")]


# --- 2. cell number formats carry meaning ------------------------------------------------------------

def test_a_share_formatted_as_percent_is_what_the_analyst_saw(catalog):
    rows = table("2024年1-9月各市（地）数字经济核心产业增加值占GDP比重",
                 ["地区", "数字经济核心产业增加值占GDP比重"], [["全省", 0.0752], ["哈尔滨市", 0.081]])
    for built in (xlsx(rows, formats={"B3": "0.0%", "B4": "0.0%"}),
                  xls(rows, formats={"B3": "0.0%", "B4": "0.0%"})):
        result = check(catalog, built)
        assert result.report.valid, result.report.format_text()
        assert keys(result)[("digital_core_va_share", "230100", 2024, 3, "ytd")] == pytest.approx(8.1)
        assert keys(result)[("digital_core_va_share", "230000", 2024, 3, "ytd")] == pytest.approx(7.52)


@pytest.mark.parametrize("code", ["0!.0000", '0"."0000', '0!.0000"万"'])
def test_a_wan_format_shows_the_number_divided_by_10000(catalog, code):
    header = "5G基站数（万个）" if '"万"' not in code else "5G基站数"
    rows = table("2024年9月末各市（地）5G基站", ["地区", header], [["全省", 80640], ["哈尔滨市", 31000]])
    for built in (xlsx(rows, formats={"B3": code, "B4": code}), xls(rows, formats={"B3": code, "B4": code})):
        result = check(catalog, built)
        assert result.report.valid, result.report.format_text()
        assert keys(result)[("fiveg_base_stations", "230000", 2024, 3, "ytd")] == pytest.approx(80640)


def test_a_format_that_disagrees_with_the_header_is_rejected_naming_the_cell(catalog):
    rows = table("2024年9月末各市（地）5G基站", ["地区", "5G基站数（个）"], [["全省", 80640], ["哈尔滨市", 31000]])
    result = check(catalog, xlsx(rows, formats={"B3": "0!.0000"}))
    assert codes(result.report.errors) == [("format-conflict", "'各市'!B3")]
    assert "0!.0000" in result.report.errors[0].message_zh and "8.064" in result.report.errors[0].message_en
    rows = table("2024年各市（地）地区生产总值", ["地区", "地区生产总值（亿元）"], [["全省", 0.5], ["哈尔滨市", 0.3]])
    result = check(catalog, xls(rows, formats={"B3": "0.0%", "B4": "0.0%"}))
    assert codes(result.report.errors) == [("format-conflict", "'各市'!B3"), ("format-conflict", "'各市'!B4")]


# --- 3. units belong to columns --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_a_unit_line_names_the_units_of_its_columns_in_order(catalog, kind):
    rows = table("2024年9月末各市（地）5G基站建设情况", ["地区", "5G基站数", "每万人拥有5G基站数"],
                 [["全省", 11.52, 37.5], ["哈尔滨市", 3.1, 31.3]], unit="单位：万个、个")
    result = check(catalog, WRITERS[kind](rows))
    assert result.report.valid, result.report.format_text()
    assert keys(result)[("fiveg_base_stations", "230000", 2024, 3, "ytd")] == pytest.approx(115200)
    assert keys(result)[("fiveg_per_10k", "230000", 2024, 3, "ytd")] == pytest.approx(37.5)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_one_wan_unit_never_scales_a_per_10000_people_column(catalog, kind):
    rows = table("2024年9月末各市（地）5G基站建设情况", ["地区", "5G基站数", "每万人拥有5G基站数"],
                 [["全省", 11.52, 37.5], ["哈尔滨市", 3.1, 31.3]], unit="单位：万个")
    result = check(catalog, WRITERS[kind](rows))
    assert codes(result.report.errors) == [("unit-conflict", "'各市'!C3")], result.report.format_text()
    assert "万个" in result.report.errors[0].message_zh and not result.values
    # the same in the column's own header is refused too, never x10,000
    rows = table("2024年9月末各市（地）5G基站", ["地区", "每万人拥有5G基站数（万个）"], [["全省", 37.5]])
    result = check(catalog, WRITERS[kind](rows))
    assert [p.code for p in result.report.errors] == ["bad-unit"] and not result.values


# --- 4. shares are not levels ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_ratio_phrase_decides_the_share_indicator(catalog, kind):
    rows = table("2024年各市（地）数字经济核心产业增加值占地区生产总值的比重", ["地区", "2024年", "2023年"],
                 [["全省", 7.5, 7.1], ["哈尔滨市", 8.1, 7.7]], unit="单位：%")
    result = check(catalog, WRITERS[kind](rows))
    assert result.report.valid, result.report.format_text()
    assert set(k[0] for k in keys(result)) == {"digital_core_va_share"}
    assert keys(result)[("digital_core_va_share", "230100", 2024, 0, "annual")] == 8.1


def test_a_share_whose_unit_is_a_level_is_rejected(catalog):
    rows = table("2024年各市（地）数字经济核心产业增加值占地区生产总值的比重", ["地区", "2024年"],
                 [["全省", 1023.4], ["哈尔滨市", 400.1]], unit="单位：亿元")
    result = check(catalog, xlsx(rows))
    assert codes(result.report.errors) == [("unit-conflict", "'各市'!A1")] and not result.values
    assert "亿元" in result.report.errors[0].message_zh
    rows = table("2024年各市（地）主要指标", ["地区", "数字经济核心产业增加值占地区生产总值的比重（亿元）"],
                 [["全省", 1023.4], ["哈尔滨市", 400.1]])
    result = check(catalog, xlsx(rows))
    assert [p.code for p in result.report.errors] == ["bad-unit"] and not result.values
    # a ratio phrase the catalog has no share for is never read as the level inside it
    rows = table("2024年各市（地）数字经济核心产业增加值占全省的比重", ["地区", "2024年"], [["哈尔滨市", 40.1]])
    result = check(catalog, xlsx(rows))
    assert [p.code for p in result.report.errors] == ["missing-dimension"] and not result.values


# --- 5. plausibility against what is stored (SQLite, and PostgreSQL with TEST_DATABASE_URL) --------------

def _gdp_file(value, name, *, title="2024年各市（地）地区生产总值", header="地区生产总值"):
    return xlsx(table(title, ["地区", header], [["大兴安岭地区", value]], unit="单位：亿元"), name=name)


def test_a_factor_of_10000_against_the_stored_series_is_an_error_naming_the_stored_value(engine):
    first = ingest_file(engine, *_gdp_file(160.2, "2024年.xlsx"), loaded_by="analyst")
    assert first.status == "loaded", first.report.format_text()
    slip = _gdp_file(1602000.0, "修订.xlsx")  # the same figure in 万元, unit line unchanged
    preview = preview_file(engine, *slip)
    assert codes(preview.report.errors) == [("scale-slip", "'各市'!B4")], preview.report.format_text()
    error = preview.report.errors[0]
    assert "160.2" in error.message_zh and f"#{first.batch_id}" in error.message_en and "2024年.xlsx" in error.message_en
    outcome = ingest_file(engine, *slip, loaded_by="analyst")
    assert outcome.status == "rejected"
    # the year after, in the same scale: loads
    assert ingest_file(engine, *_gdp_file(170.3, "2025年.xlsx", title="2025年各市（地）地区生产总值"),
                       loaded_by="analyst").status == "loaded"


def test_a_file_revising_another_indicator_than_its_title_is_an_error(engine):
    assert ingest_file(engine, *_gdp_file(160.2, "gdp.xlsx"), loaded_by="analyst").status == "loaded"
    wrong = _gdp_file(161.0, "核心产业.xlsx", title="2024年各市（地）数字经济核心产业增加值")
    outcome = ingest_file(engine, *wrong, loaded_by="analyst")
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.report.errors] == ["other-indicator"], outcome.report.format_text()
    assert "数字经济核心产业增加值" in outcome.report.errors[0].message_zh
    # a title that names two indicators names neither
    both = _gdp_file(161.0, "两项.xlsx", title="2024年各市（地）地区生产总值和数字经济核心产业增加值")
    assert ingest_file(engine, *both, loaded_by="analyst").status == "loaded"


def test_percent_values_all_within_0_1_warn(catalog):
    rows = table("2024年各市（地）千兆宽带接入端口占比", ["地区", "2024年"],
                 [["全省", 0.352], ["哈尔滨市", 0.41]], unit="单位：%")
    result = check(catalog, csv_gbk(rows))
    assert [(p.code, p.severity) for p in result.report.warnings] == [("fraction-as-percent", "warning")]


# --- 6. the template's own example row -------------------------------------------------------------------

def _filled_template(catalog, tmp_path, edit=None):
    path = tmp_path / "模板.xlsx"
    write_template(path, catalog)
    book = openpyxl.load_workbook(path)
    book["数据"].append(["gdp", "230100", "2024年", 5490.1, "亿元", "全年", "哈尔滨市统计局", ""])
    if edit:
        edit(book["数据"])
    return rf.save(book), "模板.xlsx"


def test_a_filled_template_loads_without_its_example_and_without_warnings(catalog, tmp_path):
    result = check(catalog, _filled_template(catalog, tmp_path))
    report = result.report
    assert report.valid and report.warnings == [], report.format_text()
    assert list(keys(result)) == [("gdp", "230100", 2024, 0, "annual")]
    skipped = {(p.code, p.sheet) for p in report.skipped}
    assert ("skipped-row", "数据") in skipped  # the example row, with its reason
    assert {("skipped-sheet", "说明 Instructions"), ("skipped-sheet", "指标代码"),
            ("skipped-sheet", "地区代码")} <= skipped


def test_an_edited_example_row_is_an_error(catalog, tmp_path):
    def edit(ws):
        ws["D2"] = 999.0
    result = check(catalog, _filled_template(catalog, tmp_path, edit))
    assert codes(result.report.errors) == [("edited-example", "'数据'!H2")]


# --- 7. qualifiers are not units -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_qualifiers_are_notes_and_cumulative_decides_the_basis(catalog, kind):
    rows = table("2024年1-9月各市（地）主要经济指标",
                 ["地区", "地区生产总值（现价）", "数字经济核心产业增加值（亿元）（初步核算）", "5G基站数（快报）"],
                 [["全省", 11000.5, 1023.4, 90000], ["哈尔滨市", 4108.2, 400.1, 31000]])
    result = check(catalog, WRITERS[kind](rows))
    report = result.report
    assert report.valid, report.format_text()
    assert keys(result)[("gdp", "230100", 2024, 3, "ytd")] == pytest.approx(4108.2)
    assert keys(result)[("digital_core_va", "230000", 2024, 3, "ytd")] == pytest.approx(1023.4)
    noted = {p.raw for p in report.skipped if p.code == "qualifier"}
    assert noted == {"地区生产总值（现价）", "数字经济核心产业增加值（亿元）（初步核算）", "5G基站数（快报）"}
    assert any("现价" in n for n in report.notes)
    quarterly = [["2024年各市（地）地区生产总值"], ["地区", "第三季度（当年价）（累计）"], ["哈尔滨市", 4108.2]]
    result = check(catalog, WRITERS[kind](quarterly))
    assert keys(result) == {("gdp", "230100", 2024, 3, "ytd"): pytest.approx(4108.2)}


# --- 8. everyday period labels for stock indicators ------------------------------------------------------

@pytest.mark.parametrize("label, quarter, basis", [
    ("2024年末", 0, "annual"), ("2024年底", 0, "annual"), ("截至2024年9月底", 3, "ytd"),
    ("2024.09", 3, "ytd"), ("2024/9/30", 3, "ytd"), ("2024-03", 1, "ytd"), ("2024年6月末", 2, "ytd"),
    (date(2024, 12, 31), 4, "ytd"), (datetime(2024, 9, 30), 3, "ytd"),
])
def test_everyday_stock_period_labels(catalog, label, quarter, basis):
    rows = [["各市（地）5G基站数"], ["地区", label], ["全省", 90000], ["哈尔滨市", 31000]]
    result = check(catalog, xlsx(rows))
    assert result.report.valid, result.report.format_text()
    assert keys(result)[("fiveg_base_stations", "230100", 2024, quarter, basis)] == 31000


def test_excel_date_serials_under_a_date_header(catalog):
    rows = [["5G基站数（个）"], ["截至日期", "全省", "哈尔滨市"], [45382, 85000, 29000], [45565, 90000, 31000]]
    for built in (xlsx(rows), xls(rows)):
        result = check(catalog, built)
        assert result.report.valid, result.report.format_text()
        assert keys(result)[("fiveg_base_stations", "230100", 2024, 1, "ytd")] == 29000
        assert keys(result)[("fiveg_base_stations", "230000", 2024, 3, "ytd")] == 90000


@pytest.mark.parametrize("label", ["2024年8月", "2024/9/15", "2024年9月底"])
def test_other_labels_are_rejected_listing_the_accepted_ones(catalog, label):
    rows = [["各市（地）地区生产总值"], ["地区", label], ["哈尔滨市", 4108.2]]
    result = check(catalog, xlsx(rows))
    (error,) = result.report.errors
    assert error.code == "bad-period" and error.where == "'各市'!B2"
    assert "2024年末" in error.fix_zh and "2024.09" in error.fix_en


# --- 9. tables as departments make them ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_region_codes_english_names_totals_and_averages(catalog, kind):
    rows = table("2024年各市（地）地区生产总值", ["区划代码", "地区", "地区生产总值（亿元）"], [
        [230000, "Heilongjiang Province", 16476.9], [230100, "Harbin", 5490.1],
        [230200, "Qiqihaer", 1320.5], [232700, "Greater Khingan", 160.2],
        [None, "合计", 23447.7], [None, "全国平均", 41000.0]])
    result = check(catalog, WRITERS[kind](rows))
    report = result.report
    assert report.valid, report.format_text()
    assert {k[1] for k in keys(result)} == {"230000", "230100", "230200", "232700"}
    skipped = {(p.code, p.raw) for p in report.skipped}
    assert {("skipped-row", "合计"), ("skipped-row", "全国平均")} <= skipped


def test_a_code_and_a_name_that_disagree_are_rejected(catalog):
    rows = table("2024年各市（地）地区生产总值", ["区划代码", "地区", "地区生产总值（亿元）"],
                 [[230100, "大庆市", 5490.1]])
    result = check(catalog, xlsx(rows))
    assert codes(result.report.errors) == [("region-mismatch", "'各市'!A3")]


def test_instructions_and_hidden_sheets_are_listed_as_skipped(catalog):
    rows = table("2024年各市（地）地区生产总值", ["地区", "地区生产总值（亿元）"], [["哈尔滨市", 5490.1]])
    built = xlsx(rows, extra_sheets=[("说明", [["填表说明"], ["1. 单位：亿元", 2024], ["2. 保留一位小数", 1]], "visible"),
                                     ("草稿", [["地区", "2024年"], ["哈尔滨市", 1.0]], "hidden")])
    result = check(catalog, built)
    report = result.report
    assert report.valid and report.warnings == [], report.format_text()
    assert list(keys(result)) == [("gdp", "230100", 2024, 0, "annual")]
    assert {(p.code, p.sheet) for p in report.skipped} >= {("skipped-sheet", "说明"), ("skipped-sheet", "草稿")}
    hidden = next(p for p in report.skipped if p.sheet == "草稿")
    assert "隐藏" in hidden.message_zh and "hidden" in hidden.message_en


def test_value_columns_take_their_kind_from_the_title(catalog):
    """本期 / 比重 columns under a title that names the region and period (MIIT tables), or the
    indicator and period (a share table): read, not refused as unknown labels or 'empty'."""
    rows = [["黑龙江省2024年1-9月通信业主要指标完成情况"], ["指标名称", "单位", "本期", "比上年同期增长(%)"],
            ["5G基站数", "万个", 11.52, 25.3], ["千兆宽带接入端口占比", "%", 0.412, 3.1]]
    result = check(catalog, xlsx(rows, formats={"C4": "0.0%"}))
    assert result.report.valid, result.report.format_text()
    assert keys(result) == {("fiveg_base_stations", "230000", 2024, 3, "ytd"): pytest.approx(115200),
                            ("gigabit_port_share", "230000", 2024, 3, "ytd"): 41.2}
    rows = [["2024年前三季度各市（地）数字经济核心产业增加值占地区生产总值比重"], ["地区", "比重"],
            ["全省", 0.0752], ["哈尔滨市", 0.081]]
    result = check(catalog, xlsx(rows, formats={"B3": "0.0%", "B4": "0.0%"}))
    assert keys(result)[("digital_core_va_share", "230100", 2024, 3, "ytd")] == 8.1
