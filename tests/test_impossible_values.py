"""Values that must never load (issue 12, items 1-3): infinities and absurd magnitudes, numbers
glued together, damaged footnote marks, and a cell's own unit sign against its column's unit."""
from __future__ import annotations

import pytest

from etl.normalise.cells import parse_number, normalise_values
from etl.records import RawValue


@pytest.mark.parametrize("raw", [
    "1e999", "9" * 400, "-1e999", float("inf"), float("-inf"), 10 ** 400, "1e308", 1e308, "1e-320",
    1e-320, "1e15", "0.0000000001",
])
def test_infinite_and_absurd_magnitudes_are_errors(raw):
    parsed = parse_number(raw)
    assert parsed.value is None and not parsed.missing
    assert parsed.error and parsed.error_zh


@pytest.mark.parametrize("raw", ["44\x0b22.8", "44 22.8", "44\xa022.8", "44\u300022.8", "44\t22.8",
                                 "44\u200b22.8", "44\x0022.8", "1 234.5", "4,422\x0c.8"])
def test_whitespace_or_control_characters_inside_a_number_are_errors(raw):
    parsed = parse_number(raw)
    assert parsed.value is None and not parsed.missing and "glued" in parsed.error


@pytest.mark.parametrize("raw", ["247L", "12.3a", "12.3(p)", "12.3#", "12.3†", "1e3x"])
def test_only_the_footnote_marks_the_layouts_use_are_stripped(raw):
    assert parse_number(raw).error


@pytest.mark.parametrize("raw, expected", [
    ("12.3*", 12.3), ("76,243*", 76243.0), ("12.3①", 12.3), ("512.3⑳", 512.3), ("12.3¹", 12.3),
    (" 45 % ", 45.0), ("\u3000１２.５\u3000", 12.5), ("0", 0.0), (0, 0.0), ("1e3", 1000.0),
    ("999999999999999", 999999999999999.0), ("0.000001", 1e-6),
])
def test_real_numbers_still_read(raw, expected):
    parsed = parse_number(raw)
    assert parsed.error is None and parsed.value == pytest.approx(expected)


def raw_value(value, indicator="数字经济核心产业增加值占GDP比重(%)", cell="C7", unit_hint=None):
    return RawValue("各市", cell, value, "哈尔滨市", indicator, "2024年1-9月", region_cell="A7",
                    indicator_cell="C4", unit_hint=unit_hint)


def test_the_cells_own_unit_sign_wins_over_the_columns(catalog):
    result = normalise_values([raw_value("98.5‰"), raw_value("9.85%", cell="D7", indicator="数字经济核心产业增加值占GDP比重"),
                               raw_value("98.5‰", cell="E7", indicator="数字经济核心产业增加值占GDP比重",
                                         unit_hint="%")], catalog)
    assert not result.problems
    assert [v.value for v in result.values] == pytest.approx([9.85, 9.85, 9.85])


def test_a_sign_that_contradicts_the_column_is_an_error(catalog):
    result = normalise_values([raw_value("5%", indicator="地区生产总值(亿元)"),
                               raw_value("5‰", cell="D7", indicator="地区生产总值", unit_hint="亿元")], catalog)
    assert not result.values
    assert [(p.code, p.cell) for p in result.problems] == [("bad-unit", "C7"), ("bad-unit", "D7")]


@pytest.mark.parametrize("text", ["1e999", "9" * 400, "1e308", "1e-320", "44\x0b22.8", "247L"])
def test_damaged_numbers_are_type_errors_naming_the_cell(catalog, text):
    result = normalise_values([raw_value(text, indicator="地区生产总值(亿元)", cell="F9")], catalog)
    assert not result.values
    (problem,) = result.problems
    assert (problem.code, problem.severity, problem.sheet, problem.cell) == ("type-error", "error", "各市", "F9")
    assert problem.raw == text and problem.message_zh and problem.message_en


def test_every_indicator_has_a_plausible_range_as_data(catalog):
    for info in catalog.indicators.values():
        assert info.min_value is not None and info.max_value is not None, info.code
        assert info.min_value < info.max_value < 1e15, info.code


@pytest.mark.parametrize("indicator, text", [
    ("地区生产总值(亿元)", "9e12"),  # finite, believable as a number, absurd as a GDP
    ("地区生产总值(万元)", "9e14"),  # the bound applies in the catalog unit, after conversion
    ("5G基站数(个)", "6e7"), ("每万人拥有5G基站数", "1500"), ("年末常住人口(万人)", "-5"),
])
def test_a_value_outside_its_indicators_range_is_out_of_range(catalog, indicator, text):
    from etl.checks.validate import check_values

    result = normalise_values([raw_value(text, indicator=indicator, cell="G3")], catalog)
    assert not result.problems
    (problem,) = check_values(result.values, catalog)
    assert (problem.code, problem.severity, problem.cell) == ("out-of-range", "error", "G3")


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_the_store_refuses_a_non_finite_value_that_got_past_the_checks(engine, bad):
    from etl.records import Value
    from etl.store.db import session_scope
    from etl.store.load import plan_changes

    with session_scope(engine) as session, pytest.raises(ValueError, match="non-finite"):
        plan_changes(session, [Value("gdp", "230000", 2024, 0, "annual", bad, "s", "C3", "1e999")])


def test_a_revision_to_infinity_is_a_type_error_not_a_driver_traceback(engine):
    from etl.pipeline import ingest_file

    def csv(value: str) -> bytes:
        return f"指标代码,地区代码,期间,数值\ngdp,230000,2024年,{value}\n".encode()

    assert ingest_file(engine, csv("16000"), "a.csv", loaded_by="t").status == "loaded"
    for text in ("1e999", "9" * 400, "1e308", "1e-320"):
        outcome = ingest_file(engine, csv(text), "b.csv", loaded_by="t")
        assert outcome.status == "rejected"
        assert [p.code for p in outcome.report.problems if p.severity == "error"] == ["type-error"]
