"""The pure parsers (numbers, periods, indicator labels, units) and the normalise step."""
from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from etl.normalise.cells import (Period, decide_basis, find_period_in_text, normalise_values,
                           parse_indicator_label, parse_number, parse_period)
from etl.records import RawValue
from etl.normalise.units import UnitError, convert


# --- parse_number ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (1234.5, 1234.5), (42, 42.0), (0, 0.0), (-3.5, -3.5),
    ("1234.5", 1234.5), (" 1234.5 ", 1234.5), ("\u30001234.5\u3000", 1234.5),
    ("1,234.5", 1234.5), ("1，234.5", 1234.5), ("12,345,678", 12345678.0),
    ("１２３４.５", 1234.5), ("１，２３４", 1234.0),
    ("12.3*", 12.3), ("12.3①", 12.3), ("12.3 *", 12.3), ("12.3¹", 12.3), ("76,243*", 76243.0),
    ("45%", 45.0), (" 45.5％ ", 45.5), ("-2.1", -2.1), ("+2.1", 2.1), ("1e3", 1000.0),
    ("501202.0", 501202.0),
])
def test_parse_number_reads_messy_numbers(raw, expected):
    parsed = parse_number(raw)
    assert parsed.error is None and not parsed.missing
    assert parsed.value == pytest.approx(expected)


@pytest.mark.parametrize("raw", [None, "", " ", "\u3000", "—", "——", "-", "--", "…", "...", "/",
                                 "NaN", float("nan"), "N/A", "x"])
def test_parse_number_missing_marks_are_missing(raw):
    parsed = parse_number(raw)
    assert parsed.missing and parsed.value is None and parsed.error is None


@pytest.mark.parametrize("raw", [True, False, date(2024, 1, 1), datetime(2024, 1, 1, 8), "abc",
                                 "12.3.4", "1,23", "一千", "12 亿", float("inf")])
def test_parse_number_type_errors(raw):
    parsed = parse_number(raw)
    assert parsed.error and parsed.value is None and not parsed.missing


def test_parse_number_keeps_the_percent_sign_as_unit():
    assert parse_number("12%").unit == "%"
    assert parse_number("5‰").unit == "‰"
    assert parse_number("12").unit is None


# --- parse_period ----------------------------------------------------------------------------------

@pytest.mark.parametrize("label, year, quarter, basis", [
    ("2024Q3", 2024, 3, None), ("2024q1", 2024, 1, None), ("2024-Q2", 2024, 2, None),
    ("2024年第三季度", 2024, 3, None), ("2024年三季度", 2024, 3, None), ("2024年第四季度", 2024, 4, None),
    ("2023年第一季度", 2023, 1, None), ("2024年第3季度", 2024, 3, None),
    ("2024年1-9月", 2024, 3, "ytd"), ("2024年1~9月", 2024, 3, "ytd"), ("2024年1～9月", 2024, 3, "ytd"),
    ("2024年1—6月", 2024, 2, "ytd"), ("2024年1-3月", 2024, 1, "ytd"), ("2024年1-12月", 2024, 4, "ytd"),
    ("2024年1~3季度", 2024, 3, "ytd"), ("2024年前三季度", 2024, 3, "ytd"), ("2024年上半年", 2024, 2, "ytd"),
    ("2024年", 2024, 0, "annual"), ("2024", 2024, 0, "annual"), (2024, 2024, 0, "annual"),
    (2024.0, 2024, 0, "annual"), ("2024年全年", 2024, 0, "annual"),
    ("202403SS", 2024, 3, None), ("202404SS", 2024, 4, None), ("202501ss", 2025, 1, None),
    ("2024C", 2024, 3, None), (" 2024年第二季度 ", 2024, 2, None),
])
def test_parse_period_with_year(label, year, quarter, basis):
    assert parse_period(label) == Period(year, quarter, basis)


@pytest.mark.parametrize("label, quarter, basis", [
    ("1-3月", 1, "ytd"), ("1~3季度", 3, "ytd"), ("一季度", 1, None), ("上半年", 2, "ytd"),
    ("前三季度", 3, "ytd"), ("全年", 0, "annual"), ("1-9月", 3, "ytd"), ("第二季度", 2, None),
    ("三季度", 3, None),
])
def test_parse_period_words_take_the_year_from_the_title(label, quarter, basis):
    assert parse_period(label, year_hint=2024) == Period(2024, quarter, basis)
    assert parse_period(label) is None  # no year anywhere: not a period


@pytest.mark.parametrize("label", ["地区", "指标", "", None, "2021年-2025年", "最近10年", "2024年1-8月",
                                   "2024年第五季度", "1800年", "abc", "202405SS", True])
def test_parse_period_rejects_non_periods(label):
    assert parse_period(label, year_hint=2024 if label == "2024年1-8月" else None) is None


def test_quarter_end_month_is_a_stock_reading():
    period = parse_period("2024年9月")
    assert period.quarter == 3 and period.month_end
    assert parse_period("2024年8月") is None


def test_dates_as_period_labels():
    assert parse_period(date(2024, 9, 30)) == Period(2024, 3, None, month_end=True)
    assert parse_period("2024-12-31 00:00:00") == Period(2024, 4, None, month_end=True)
    assert parse_period(datetime(2024, 8, 31)) is None
    assert parse_period("2024-02-30") is None


def test_find_period_in_titles():
    assert find_period_in_text("2024年1-9月各市（地）数字经济主要指标") == ("2024年1-9月", 2024)
    assert find_period_in_text("2024年前三季度各市（地）主要指标") == ("2024年前三季度", 2024)
    assert find_period_in_text("2023年全年各市（地）主要指标") == ("2023年全年", 2023)
    assert find_period_in_text("2024年各市（地）主要指标") == ("2024年", 2024)
    assert find_period_in_text("1~3季度各市主要指标") == ("1~3季度", None)
    assert find_period_in_text("2021年-2025年") is None
    assert find_period_in_text("各市（地）主要指标") is None


# --- parse_indicator_label -------------------------------------------------------------------------

@pytest.mark.parametrize("label, base, unit, basis", [
    ("地区生产总值_累计值(亿元)", "地区生产总值", "亿元", "ytd"),
    ("国内生产总值当季值(亿元)", "国内生产总值", "亿元", "quarter"),
    ("国内生产总值累计值(亿元)", "国内生产总值", "亿元", "ytd"),
    ("社会消费品零售总额 (亿元) ", "社会消费品零售总额", "亿元", None),
    ("5G基站数（万个）", "5G基站数", "万个", None),
    ("年末常住人口(万人)", "年末常住人口", "万人", None),
    ("千兆宽带接入端口占比（%）", "千兆宽带接入端口占比", "%", None),
    ("5G网络覆盖的县（市、区）比例", "5G网络覆盖的县(市、区)比例", None, None),
    ("地区生产总值(亿元)累计", "地区生产总值", "亿元", "ytd"),
    ("其中：数字经济核心产业增加值①", "数字经济核心产业增加值", None, None),
    ("累计建成5G基站数", "累计建成5G基站数", None, None),
    ("数字经济核心产业增加值", "数字经济核心产业增加值", None, None),
])
def test_parse_indicator_label(label, base, unit, basis):
    parsed = parse_indicator_label(label)
    assert (parsed.base, parsed.unit, parsed.basis) == (base, unit, basis)


# --- units -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, source, target, expected", [
    (12345.0, "万元", "亿元", 1.2345), (2e8, "元", "亿元", 2.0), (3.5, "亿元", "亿元", 3.5),
    (7.5, "万个", "个", 75000.0), (12, "个", "个", 12.0), (3029, "万人", "万人", 3029.0),
    (30_290_000, "人", "万人", 3029.0), (55.2, "%", "%", 55.2), (5, "‰", "%", 0.5),
    (1.5, "百分点", "%", 1.5), (1.0, "（亿元）", "亿元", 1.0), (12, "％", "%", 12.0),
])
def test_convert_units(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected)


@pytest.mark.parametrize("source, target", [("万元", "%"), ("个", "亿元"), ("吨", "亿元"), ("亿元", "斤")])
def test_convert_refuses_unknown_or_incompatible_units(source, target):
    with pytest.raises(UnitError):
        convert(1.0, source, target)


# --- basis rules -----------------------------------------------------------------------------------

def test_basis_rules(catalog):
    gdp, stations, population = (catalog.indicators[c] for c in ("gdp", "fiveg_base_stations", "population"))
    q3 = parse_period("2024年第三季度")
    assert decide_basis(q3, "quarter", gdp) == (3, "quarter")  # 当季值 in the label
    assert decide_basis(q3, None, gdp) == (3, "ytd")  # GDP quarterly values are cumulative
    assert decide_basis(q3, None, stations) == (3, "ytd")  # a stock: as at the end of Q3
    assert decide_basis(parse_period("2024年1-9月"), "quarter", gdp) == (3, "ytd")
    assert decide_basis(parse_period("2024年"), None, gdp) == (0, "annual")
    q4_ytd = decide_basis(parse_period("2024年1-12月"), None, gdp)
    assert q4_ytd == (4, "ytd") and q4_ytd != decide_basis(parse_period("2024年全年"), None, gdp)
    assert decide_basis(parse_period("2024年9月"), None, gdp) is None  # a month of a flow
    assert decide_basis(parse_period("2024年9月"), None, population) == (3, "ytd")


# --- normalise_values ------------------------------------------------------------------------------

def raw(cell="C7", value="12.5", region="哈尔滨市", indicator="地区生产总值(亿元)", period="2024年1-9月",
        **extra):
    return RawValue("各市", cell, value, region, indicator, period,
                    region_cell=extra.pop("region_cell", "A7"), indicator_cell=extra.pop("indicator_cell", "C4"),
                    period_cell=extra.pop("period_cell", None), **extra)


def test_normalise_converts_and_keeps_the_cell(catalog):
    result = normalise_values([raw(value="1,234.5", unit_hint=None),
                               raw(cell="D7", value="12345", indicator="数字经济核心产业增加值(万元)")], catalog)
    assert not result.problems
    gdp, core = result.values
    assert (gdp.indicator_code, gdp.region_code, gdp.year, gdp.quarter, gdp.basis, gdp.value) == (
        "gdp", "230100", 2024, 3, "ytd", 1234.5)
    assert (gdp.sheet, gdp.cell, gdp.raw_value) == ("各市", "C7", "1,234.5")
    assert core.indicator_code == "digital_core_va" and core.value == pytest.approx(1.2345)


def test_wrong_region_name_is_an_error_at_the_label_cell(catalog):
    result = normalise_values([raw(region="哈尔冰市", region_cell="A9", cell="C9"),
                               raw(region="哈尔冰市", region_cell="A9", cell="D9"),
                               raw(region="大庆市", region_cell="A10", cell="C10")], catalog)
    assert [v.region_code for v in result.values] == ["230600"]
    (problem,) = result.problems
    assert (problem.code, problem.severity, problem.sheet, problem.cell) == (
        "unknown-region", "error", "各市", "A9")
    assert "哈尔冰市" in problem.message_zh and "哈尔冰市" in problem.message_en
    assert problem.where == "'各市'!A9" and "2" in problem.message_zh


def test_unknown_indicator_is_an_error_or_skipped_once(catalog):
    values = [raw(indicator="社会消费品零售总额(亿元)", indicator_cell="A5", cell=f"{c}5") for c in "BCD"]
    values.append(raw(cell="B6"))
    strict = normalise_values(values, catalog)
    assert [p.code for p in strict.problems] == ["unknown-indicator"]
    assert strict.problems[0].cell == "A5" and strict.problems[0].severity == "error"
    lenient = normalise_values(values, catalog, skip_unknown=True)
    assert not lenient.problems and len(lenient.values) == 1
    (skipped,) = lenient.skipped
    assert skipped.code == "skipped-indicator" and skipped.severity == "info"
    assert "社会消费品零售总额" in skipped.message_zh and "3" in skipped.message_en


def test_missing_marks_are_missing_not_errors(catalog):
    marks = ["—", "-", "…", "/", "", None, "\u3000", float("nan")]
    result = normalise_values([raw(cell=f"C{i + 1}", value=m) for i, m in enumerate(marks)], catalog)
    assert result.values == [] and result.problems == []


def test_bad_period_and_type_error(catalog):
    result = normalise_values([
        raw(period="2024年第五季度", period_cell="C3", cell="C8"),
        raw(value="十二点五", cell="D8", period="2024年"),
        raw(value=True, cell="E8", period="2024年"),
    ], catalog)
    codes = {(p.code, p.cell) for p in result.problems}
    assert codes == {("bad-period", "C3"), ("type-error", "D8"), ("type-error", "E8")}
    bad = next(p for p in result.problems if p.code == "type-error" and p.cell == "D8")
    assert bad.raw == "十二点五" and "十二点五" in bad.message_zh and bad.message_en


def test_bad_unit(catalog):
    result = normalise_values([raw(indicator="地区生产总值(吨)"), raw(cell="D7", indicator="地区生产总值", unit_hint="%")], catalog)
    assert [p.code for p in result.problems] == ["bad-unit", "bad-unit"]
    assert not result.values


def test_year_hint_and_basis_hint(catalog):
    result = normalise_values([raw(period="三季度", year_hint=2023, basis_hint="quarter")], catalog)
    (value,) = result.values
    assert (value.year, value.quarter, value.basis) == (2023, 3, "quarter")


def test_nan_value_is_missing():
    assert math.isnan(float("nan")) and parse_number(float("nan")).missing


def test_a_number_with_words_says_to_move_the_words_into_the_note(catalog):
    """Issue 14.10: '约672' is not a number; the fix line says to enter 672 and put 约 into 备注."""
    result = normalise_values([raw(value="约672", cell="D8", period="2024年"),
                               raw(value="1,200左右", cell="E8", period="2024年"),
                               raw(value="十二点五", cell="F8", period="2024年")], catalog)
    about, around, words = result.problems
    assert (about.code, about.cell, about.raw) == ("type-error", "D8", "约672")
    assert "672" in about.fix_zh and "“约”" in about.fix_zh and "备注" in about.fix_zh
    assert "672" in about.fix_en and "'约'" in about.fix_en and "(not a number)" not in about.message_en
    assert "1200" in around.fix_zh and "左右" in around.fix_zh
    assert words.fix_zh and "十二点五" in words.message_zh  # no number inside: the general fix
    assert about.title_zh == "不是数值" and about.title_en == "Not a number"
