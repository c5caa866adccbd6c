"""Cross-value checks (etl.checks.validate) and the report (etl.checks.report), with hand-built values."""
from __future__ import annotations

import json
import re

import pytest

from etl.checks import problems as kinds
from etl.records import ERROR, INFO, WARNING, Catalog, IndicatorInfo, Problem, RegionInfo, Value
from etl.checks.report import Changes, Report, Revision, cell_position, sort_problems
from etl.checks.validate import (REVISION_WARN_SHARE, SHARE_TOLERANCE_PP, Stored, check_against_current,
                          check_values, related_indicators)


def _catalog() -> Catalog:
    """A small catalog shaped like the seed (no database needed)."""
    ind = {
        "gdp": IndicatorInfo("gdp", "地区生产总值", "GDP", "亿元", "flow", True, 0, None, None),
        "digital_core_va": IndicatorInfo("digital_core_va", "数字经济核心产业增加值", "Core VA", "亿元",
                                         "flow", True, 0, None, None),
        "digital_core_va_share": IndicatorInfo("digital_core_va_share", "核心产业占比", "Core share", "%",
                                               "ratio", True, 0, 100, "digital_core_va / gdp * 100"),
        "fiveg_base_stations": IndicatorInfo("fiveg_base_stations", "5G基站数", "5G stations", "个",
                                             "stock", False, 0, None, None),
        "gigabit_port_share": IndicatorInfo("gigabit_port_share", "千兆端口占比", "Gigabit share", "%",
                                            "ratio", False, 0, 100, None),
        "population": IndicatorInfo("population", "年末常住人口", "Population", "万人", "stock", False,
                                    0, None, None),
        "fiveg_per_10k": IndicatorInfo("fiveg_per_10k", "每万人拥有5G基站数", "5G per 10k", "个", "ratio",
                                       False, 0, None, "fiveg_base_stations / population"),
    }
    reg = {
        "100000": RegionInfo("100000", "全国", "China", "country", None),
        "230000": RegionInfo("230000", "黑龙江省", "Heilongjiang", "province", "100000"),
        "230100": RegionInfo("230100", "哈尔滨市", "Harbin", "prefecture", "230000"),
        "230200": RegionInfo("230200", "齐齐哈尔市", "Qiqihar", "prefecture", "230000"),
    }
    return Catalog(reg, ind, {}, {})


CAT = _catalog()


def v(indicator="gdp", region="230000", year=2024, quarter=0, basis="annual", value=100.0,
      cell="C7", sheet="各市", raw=None) -> Value:
    return Value(indicator, region, year, quarter, basis, value, sheet, cell,
                 raw if raw is not None else f"{value:g}")


def codes(problems, severity=None):
    return [(p.code, p.cell) for p in problems if severity is None or p.severity == severity]


def test_clean_values_have_no_problems():
    values = [v(value=16000.0, cell="B5"), v(region="230100", value=5000.0, cell="B6"),
              v("digital_core_va", value=1200.0, cell="C5"),
              v("digital_core_va_share", value=7.5, cell="D5"),
              v(year=2023, value=15500.0, cell="E5")]
    assert check_values(values, CAT) == []


def test_duplicate_names_both_cells_even_for_identical_repeats():
    values = [v(value=10.0, cell="C7"), v(value=10.0, cell="C9"), v(value=11.0, cell="C12")]
    problems = check_values(values, CAT)
    dups = [p for p in problems if p.code == "duplicate-row"]
    assert [(p.cell, p.severity) for p in dups] == [("C9", ERROR), ("C12", ERROR)]
    assert "'各市'!C7" in dups[0].message_zh and "'各市'!C7" in dups[0].message_en
    assert "'各市'!C9" in dups[0].message_zh
    assert "相同" in dups[0].message_zh and "different" in dups[1].message_en


def test_same_period_different_basis_is_not_a_duplicate():
    values = [v(quarter=4, basis="ytd", value=100.0), v(quarter=4, basis="quarter", value=30.0, cell="D7"),
              v(quarter=0, basis="annual", value=101.0, cell="E7")]
    assert codes(check_values(values, CAT)) == []


@pytest.mark.parametrize("indicator, value, bad", [
    ("gdp", -1.0, True), ("gdp", 0.0, False), ("gigabit_port_share", 100.5, True),
    ("gigabit_port_share", -0.1, True), ("gigabit_port_share", 100.0, False),
    ("fiveg_base_stations", -5, True)])
def test_out_of_range(indicator, value, bad):
    problems = check_values([v(indicator, value=value)], CAT)
    assert codes(problems) == ([("out-of-range", "C7")] if bad else [])
    if bad:
        assert problems[0].severity == ERROR and "'各市'!C7" in problems[0].message_zh
        assert problems[0].raw == f"{value:g}"


def test_core_value_added_above_gdp_is_part_above_whole():
    values = [v("gdp", value=1000.0, cell="B5"), v("digital_core_va", value=1200.0, cell="C5")]
    problems = check_values(values, CAT)
    assert codes(problems) == [("part-above-whole", "C5")]
    assert "'各市'!B5" in problems[0].message_zh and "'各市'!B5" in problems[0].message_en
    # a different period is not compared
    values = [v("gdp", value=1000.0, cell="B5"), v("digital_core_va", year=2023, value=1200.0, cell="C5")]
    assert codes(check_values(values, CAT)) == []


def test_reported_share_must_match_core_over_gdp():
    base = [v("gdp", value=16000.0, cell="B5"), v("digital_core_va", value=1200.0, cell="C5")]
    ok = 1200 / 16000 * 100  # 7.5
    assert check_values(base + [v("digital_core_va_share", value=ok + SHARE_TOLERANCE_PP * 0.9,
                                  cell="D5")], CAT) == []
    problems = check_values(base + [v("digital_core_va_share", value=9.0, cell="D5")], CAT)
    assert codes(problems) == [("share-mismatch", "D5")]
    assert "7.50" in problems[0].message_zh


def test_city_above_province_is_above_parent_for_flows_and_stocks_not_ratios():
    values = [v(value=1000.0, cell="B5"), v(region="230100", value=1500.0, cell="B6"),
              v("fiveg_base_stations", quarter=3, basis="ytd", value=100, cell="C5"),
              v("fiveg_base_stations", "230200", quarter=3, basis="ytd", value=150, cell="C7"),
              v("gigabit_port_share", value=40.0, cell="D5"),
              v("gigabit_port_share", "230100", value=60.0, cell="D6")]
    assert codes(check_values(values, CAT)) == [("above-parent", "B6"), ("above-parent", "C7")]


def test_province_above_nation_is_above_parent():
    values = [v(region="100000", value=1000.0, cell="B4"), v(value=1001.0, cell="B5")]
    assert codes(check_values(values, CAT)) == [("above-parent", "B5")]


def test_cumulative_decrease_within_a_year_for_ytd_flows():
    values = [v(quarter=1, basis="ytd", value=100.0, cell="B2"),
              v(quarter=2, basis="ytd", value=210.0, cell="C2"),
              v(quarter=3, basis="ytd", value=200.0, cell="D2"),
              v(quarter=4, basis="ytd", value=300.0, cell="E2")]
    problems = check_values(values, CAT)
    assert codes(problems) == [("cumulative-decrease", "D2")]
    assert "'各市'!C2" in problems[0].message_zh
    # the quarter-alone basis and a new year are not cumulative sums of each other
    values = [v(quarter=2, basis="quarter", value=100.0, cell="B2"),
              v(quarter=3, basis="quarter", value=90.0, cell="C2"),
              v(year=2025, quarter=1, basis="ytd", value=50.0, cell="D2"),
              v(year=2024, quarter=4, basis="ytd", value=300.0, cell="E2")]
    assert codes(check_values(values, CAT)) == []


def test_stocks_may_fall_within_a_year():
    values = [v("fiveg_base_stations", quarter=2, basis="ytd", value=1000, cell="B2"),
              v("fiveg_base_stations", quarter=3, basis="ytd", value=990, cell="C2")]
    assert check_values(values, CAT) == []


def test_suspicious_jump_is_a_warning_for_levels_and_ratios():
    values = [v(year=2023, value=1000.0, cell="B2"), v(year=2024, value=5_000.0, cell="C2"),
              v("gigabit_port_share", year=2023, value=20.0, cell="D2"),
              v("gigabit_port_share", year=2024, value=90.0, cell="E2"),
              v("fiveg_base_stations", year=2023, value=1000, cell="F2"),
              v("fiveg_base_stations", year=2024, value=3000, cell="G2")]  # x3: roll-out growth
    problems = check_values(values, CAT)
    assert codes(problems) == [("suspicious-jump", "C2"), ("suspicious-jump", "E2")]
    assert all(p.severity == WARNING for p in problems)
    assert "'各市'!B2" in problems[0].message_zh


def test_ratio_jump_between_consecutive_quarters():
    values = [v("gigabit_port_share", year=2023, quarter=4, basis="ytd", value=20.0, cell="B2"),
              v("gigabit_port_share", year=2024, quarter=1, basis="ytd", value=65.0, cell="C2")]
    assert codes(check_values(values, CAT)) == [("suspicious-jump", "C2")]


def test_against_current_large_revision_and_stored_previous_year():
    values = [v(value=1200.0, cell="B2"), v(region="230100", value=500.0, cell="B3")]
    current = {("gdp", "230000", 2024, 0, "annual"): 1000.0,  # +20 % revision
               ("gdp", "230100", 2024, 0, "annual"): 500.0 * (1 + REVISION_WARN_SHARE / 2),
               ("gdp", "230100", 2023, 0, "annual"): 100.0}  # x5 on the stored year before
    problems = check_against_current(values, current, CAT)
    assert codes(problems, WARNING) == [("large-revision", "B2"), ("suspicious-jump", "B3")]
    assert "1,000" in problems[0].message_zh and "database" in problems[1].message_en


# --- against the database: impossible facts are errors -------------------------------------------------

def stored(value, batch=7, file="上季度.xlsx", cell="C5", demo=False, sheet="各市") -> Stored:
    return Stored(value, batch, file, sheet, cell, demo)


def ytd(indicator="gdp", quarter=1, value=100.0, cell="C7", region="230000", year=2024):
    return v(indicator, region, year, quarter, "ytd", value, cell)


def K(indicator, quarter=0, basis="annual", region="230000", year=2024):
    return (indicator, region, year, quarter, basis)


def test_core_value_added_above_stored_gdp_is_an_error_naming_the_stored_batch():
    current = {K("gdp"): stored(1000.0, batch=12, file="GDP快报.xlsx", cell="B9")}
    problems = check_against_current([v("digital_core_va", value=1200.0, cell="C5")], current, CAT)
    assert codes(problems, ERROR) == [("part-above-whole", "C5")]
    p = problems[0]
    for text in (p.message_zh, p.message_en):
        assert "'各市'!C5" in text and "1,000" in text and "#12" in text and "GDP快报.xlsx" in text
        assert "'各市'!B9" in text
    # the file's own GDP comes first: a file revising GDP upwards is consistent
    fixed = [v("digital_core_va", value=1200.0, cell="C5"), v("gdp", value=1300.0, cell="B5")]
    assert codes(check_against_current(fixed, current, CAT), ERROR) == []
    # another period or region is not compared
    assert codes(check_against_current([v("digital_core_va", year=2023, value=1200.0)], current, CAT)) == []


def test_gdp_below_stored_core_value_added_is_an_error():
    current = {K("digital_core_va", 3, "ytd"): stored(900.0, batch=3, file="核心产业.xlsx")}
    problems = check_against_current([ytd(quarter=3, value=800.0, cell="B4")], current, CAT)
    assert codes(problems, ERROR) == [("part-above-whole", "B4")]
    assert "900" in problems[0].message_zh and "核心产业.xlsx" in problems[0].message_en
    assert "less than" in problems[0].message_en


def test_demo_values_are_never_evidence_against_a_real_file():
    current = {K("gdp"): stored(1000.0, demo=True),
               K("gdp", 2, "ytd"): stored(600.0, demo=True)}
    values = [v("digital_core_va", value=1200.0), ytd(quarter=1, value=700.0)]
    assert codes(check_against_current(values, current, CAT), ERROR) == []


def test_ytd_below_the_stored_earlier_quarter_or_above_the_stored_later_one():
    current = {K("gdp", 1, "ytd"): stored(300.0, batch=4, cell="B2"),
               K("gdp", 3, "ytd"): stored(900.0, batch=5, cell="D2")}
    below = check_against_current([ytd(quarter=2, value=250.0, cell="C2")], current, CAT)
    assert codes(below, ERROR) == [("cumulative-decrease", "C2")]
    assert "300" in below[0].message_zh and "#4" in below[0].message_zh and "below" in below[0].message_en
    above = check_against_current([ytd(quarter=2, value=950.0, cell="C2")], current, CAT)
    assert codes(above, ERROR) == [("cumulative-decrease", "C2")]
    assert "900" in above[0].message_zh and "#5" in above[0].message_en and "above" in above[0].message_en
    assert codes(check_against_current([ytd(quarter=2, value=600.0)], current, CAT), ERROR) == []
    # the file revising the stored Q1 as well: its own Q1 is used, and it is consistent
    both = [ytd(quarter=1, value=200.0, cell="B2"), ytd(quarter=2, value=250.0, cell="C2")]
    assert codes(check_against_current(both, current, CAT), ERROR) == []
    # another year, the quarter-alone basis and stocks are not cumulative
    other = [ytd(quarter=2, value=250.0, year=2025), v(quarter=2, basis="quarter", value=10.0),
             v("fiveg_base_stations", quarter=2, basis="ytd", value=900.0)]
    current[K("fiveg_base_stations", 1, "ytd")] = stored(1000.0)
    assert codes(check_against_current(other, current, CAT), ERROR) == []


def test_reported_share_against_stored_core_and_gdp():
    current = {K("gdp"): stored(16000.0, batch=2, cell="B5"),
               K("digital_core_va"): stored(1200.0, batch=3, cell="C5")}  # 7.5 %
    assert codes(check_against_current([v("digital_core_va_share", value=7.6, cell="D5")], current,
                                       CAT)) == []
    problems = check_against_current([v("digital_core_va_share", value=9.0, cell="D5")], current, CAT)
    assert codes(problems, ERROR) == [("share-mismatch", "D5")]
    assert "7.50" in problems[0].message_zh and "#2" in problems[0].message_zh and "#3" in problems[0].message_en
    # the file's new GDP with its matching share: the file's values first, no problem
    revised = [v("gdp", value=12000.0, cell="B5"), v("digital_core_va_share", value=10.0, cell="D5")]
    assert codes(check_against_current(revised, current, CAT), ERROR) == []
    # a stored share that the file's new GDP no longer matches: a warning at the GDP cell, not an error
    current[K("digital_core_va_share")] = stored(7.5, batch=4, cell="D5")
    problems = check_against_current([v("gdp", value=12000.0, cell="B5")], current, CAT)
    assert [(p.code, p.severity, p.cell) for p in problems if p.code == "stale-share"] == [
        ("stale-share", WARNING, "B5")]


def test_five_g_per_10k_against_stations_and_population():
    q3 = dict(quarter=3, basis="ytd")
    inputs = [v("fiveg_base_stations", value=30_000, cell="B2", **q3),
              v("population", year=2023, value=3000.0, cell="C2")]  # 10 per 10k
    assert check_values(inputs + [v("fiveg_per_10k", value=10.1, cell="D2", **q3)], CAT) == []
    problems = check_values(inputs + [v("fiveg_per_10k", value=12.0, cell="D2", **q3)], CAT)
    assert [(p.code, p.severity, p.cell) for p in problems] == [("per-10k-mismatch", WARNING, "D2")]
    assert "10.00" in problems[0].message_zh and "'各市'!B2" in problems[0].message_en
    # the stations and population stored, the ratio in the file
    current = {K("fiveg_base_stations", 3, "ytd"): stored(30_000.0, batch=8),
               K("population", year=2023): stored(3000.0, batch=9)}
    problems = check_against_current([v("fiveg_per_10k", value=12.0, cell="D2", **q3)], current, CAT)
    assert [(p.code, p.severity, p.cell) for p in problems] == [("per-10k-mismatch", WARNING, "D2")]
    assert "#8" in problems[0].message_zh and "#9" in problems[0].message_en
    assert check_against_current([v("fiveg_per_10k", value=10.0, **q3)], current, CAT) == []
    # the same year's population is accepted too
    current[K("population")] = stored(2500.0)
    assert check_against_current([v("fiveg_per_10k", value=12.0, **q3)], current, CAT) == []


def test_quarter_alone_values_must_add_up_to_the_year_to_date_ones():
    good = [ytd(quarter=1, value=100.0, cell="B2"), ytd(quarter=2, value=250.0, cell="C2"),
            v(quarter=1, basis="quarter", value=100.0, cell="B3"),
            v(quarter=2, basis="quarter", value=150.05, cell="C3")]
    assert check_values(good, CAT) == []
    bad = good[:3] + [v(quarter=2, basis="quarter", value=170.0, cell="C3")]
    problems = check_values(bad, CAT)
    assert [(p.code, p.severity, p.cell) for p in problems] == [("quarter-sum-mismatch", ERROR, "C3")]
    assert "'各市'!C2" in problems[0].message_zh and "'各市'!B2" in problems[0].message_en
    assert "150" in problems[0].message_zh
    q1 = check_values([ytd(quarter=1, value=100.0, cell="B2"),
                       v(quarter=1, basis="quarter", value=90.0, cell="B3")], CAT)
    assert codes(q1) == [("quarter-sum-mismatch", "B3")]
    # only the quarters alone and the last ytd: their sum is checked, at the ytd cell
    sums = [v(quarter=q, basis="quarter", value=100.0, cell=f"{c}3") for q, c in ((1, "B"), (2, "C"), (3, "D"))]
    assert check_values(sums + [ytd(quarter=3, value=300.0, cell="D2")], CAT) == []
    problems = check_values(sums + [ytd(quarter=3, value=330.0, cell="D2")], CAT)
    assert codes(problems) == [("quarter-sum-mismatch", "D2")]
    assert "'各市'!B3 + '各市'!C3 + '各市'!D3" in problems[0].message_zh


def test_related_indicators_for_the_stored_context():
    assert related_indicators(["gdp"]) == {"gdp", "digital_core_va", "digital_core_va_share"}
    assert "population" in related_indicators(["fiveg_per_10k"])
    assert related_indicators(["gigabit_port_share"]) == {"gigabit_port_share"}


# --- the report ----------------------------------------------------------------------------------------

def test_cell_position_and_sorting():
    assert cell_position("C7") == (7, 3) and cell_position("AA10") == (10, 27)
    assert cell_position(None) == (0, 0)
    ps = [Problem("type-error", ERROR, "z", "e", "B", "A2"),
          Problem("type-error", ERROR, "z", "e", "A", "C10"),
          Problem("type-error", ERROR, "z", "e", "A", "B9"),
          Problem("type-error", ERROR, "z", "e", "A", "AA9"),
          Problem("bad-file", ERROR, "z", "e")]
    ordered = sort_problems(ps, ["B", "A"])
    assert [(p.sheet, p.cell) for p in ordered] == [(None, None), ("B", "A2"), ("A", "B9"),
                                                    ("A", "AA9"), ("A", "C10")]


def test_report_counts_dict_and_text():
    report = Report(file_name="各市.xlsx", sha256="ab" * 32, format="xlsx", sheet_order=["各市"])
    report.cells_read, report.values_missing, report.values_valid = 10, 2, 7
    report.add([Problem("type-error", ERROR, "单元格不是数值", "Cell is not a number", "各市", "C7", "abc"),
                Problem("suspicious-jump", WARNING, "跳变", "jump", "各市", "B2", "5"),
                Problem("skipped-column", INFO, "跳过列", "skipped column", "各市", "D3", "同比")])
    report.changes = Changes(new=3, unchanged=1, revised=[Revision(
        "gdp", "230000", 2022, 0, "annual", 15901.0, 16359.2, 1, 2, 4, "各市", "C9", "16359.2")])
    assert not report.valid
    assert report.counts == {"cells": 10, "missing": 2, "read": 8, "valid": 7, "errors": 1,
                             "warnings": 1, "skipped": 1}
    data = json.loads(json.dumps(report.to_dict()))
    assert data["valid"] is False and data["problems"][0]["where"] == "'各市'!B2"
    assert data["problems"][1]["code"] == "type-error" and data["problems"][1]["raw"] == "abc"
    assert data["changes"]["revised"][0]["old_value"] == 15901.0
    assert data["skipped"][0]["code"] == "skipped-column"
    text = report.format_text()
    line = next(l for l in text.splitlines() if "type-error" in l)
    assert "'各市'!C7" in line and "abc" in line
    assert text.index("单元格不是数值") < text.index("Cell is not a number")
    assert "'各市'!C9  gdp 230000 2022 annual: 15,901 -> 16,359.2  (v1 -> v2)" in text
    english = report.format_text(lang="en")
    assert "单元格不是数值" not in english and "Cell is not a number" in english
    assert "'各市'!C9  gdp 230000 2022 annual: 15,901 -> 16,359.2  (v1 -> v2)" in english
    # a large value in full, never in exponent notation ('1.23457e+06')
    report.changes.revised = [Revision("fiveg_base_stations", "230000", 2024, 3, "ytd", 1234567.0, 1334567.5,
                                       1, 2, 4, "各市", "C9", "1334567.5")]
    assert "2024Q3 ytd: 1,234,567 -> 1,334,567.5" in report.format_text(lang="en")


# --- issue 10, class 5: plausibility against what is stored ---------------------------------------------

def test_a_factor_near_100_1000_or_10000_against_the_stored_series_is_a_scale_slip():
    current = {K("gdp", year=2023): stored(16000.0, batch=5, file="2023年.xlsx", cell="B5"),
               K("fiveg_base_stations", 3, "ytd"): stored(110000.0, batch=6, cell="E5"),
               K("gigabit_port_share", 2, "ytd"): stored(35.2, batch=7, cell="D5")}
    values = [v(value=1.6e8, cell="B5"),  # 万元 read as 亿元: x10,000 on the year before
              v("fiveg_base_stations", quarter=3, basis="ytd", value=11.0, cell="E5"),  # 万个 as 个
              v("gigabit_port_share", quarter=3, basis="ytd", value=0.36, cell="D5")]  # 0.36 for 36 %
    problems = check_against_current(values, current, CAT)
    assert codes(problems, ERROR) == [("scale-slip", "B5"), ("scale-slip", "E5"), ("scale-slip", "D5")]
    gdp = problems[0]
    for text in (gdp.message_zh, gdp.message_en):
        assert "16,000" in text and "#5" in text and "2023年.xlsx" in text and "'各市'!B5" in text
    assert "10,000" in gdp.message_zh and "10,000 times" in gdp.message_en
    assert "1/10,000" in problems[1].message_en and "1/100" in problems[2].message_en
    assert gdp.fix_zh and gdp.title_en == "Scale slip"
    # ordinary growth and a revision within reason are not slips; demo values are never evidence
    fine = [v(value=17000.0, cell="B5"), v("fiveg_base_stations", quarter=3, basis="ytd", value=120000.0)]
    assert codes(check_against_current(fine, current, CAT), ERROR) == []
    demo = {K("gdp", year=2023): stored(16000.0, demo=True)}
    assert codes(check_against_current([v(value=1.6e8)], demo, CAT), ERROR) == []


def test_a_percent_column_all_within_0_1_is_a_warning():
    values = [v("gigabit_port_share", region=r, value=x, cell=f"D{i}")
              for i, (r, x) in enumerate([("230000", 0.352), ("230100", 0.41), ("230200", 0.0)], 5)]
    problems = check_values(values, CAT)
    assert [(p.code, p.severity, p.cell) for p in problems] == [("fraction-as-percent", WARNING, "D5")]
    assert "D5, D6, D7" in problems[0].message_en and "0–1" in problems[0].message_zh
    values.append(v("gigabit_port_share", region="100000", value=45.0, cell="D8"))
    assert check_values(values, CAT) == []


def test_a_sheet_revising_another_indicator_than_its_title_names_is_an_error():
    current = {K("gdp"): stored(16000.0, batch=3, cell="B5")}
    values = [v(value=16100.0, cell="B5")]
    problems = check_against_current(values, current, CAT, title_indicators={"各市": "digital_core_va"})
    assert codes(problems, ERROR) == [("other-indicator", "B5")]
    assert "核心产业" in problems[0].message_zh and "16,000" in problems[0].message_en
    # the title's own indicator, or a new value of another one, is fine
    assert codes(check_against_current(values, current, CAT, title_indicators={"各市": "gdp"}), ERROR) == []
    new = [v(year=2025, value=17000.0, cell="B5")]
    assert codes(check_against_current(new, current, CAT, title_indicators={"各市": "digital_core_va"}),
                 ERROR) == []


def test_a_scale_slip_names_the_stored_period_as_its_indicator_counts_it():
    """5G base stations are a stock: the stored second-quarter value is the end of Q2, not the first
    half (the period words come from etl/periods with the indicator's kind, as everywhere)."""
    current = {K("fiveg_base_stations", 2, "ytd"): stored(110000.0, batch=6, cell="E5")}
    [slip] = check_against_current([v("fiveg_base_stations", quarter=3, basis="ytd", value=11.0, cell="E5")],
                                   current, CAT)
    assert slip.code == "scale-slip"
    assert "2024年第二季度末" in slip.message_zh and "end of Q2 2024" in slip.message_en
    assert "上半年" not in slip.message_zh and "H1" not in slip.message_en


# --- every cross-value problem reads in English without Chinese ------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _one_of_each_check() -> list[Problem]:
    """One file and one stored context that together set off every check of etl.checks.validate
    (both phrasings where a check has two)."""
    core, share, stations = "digital_core_va", "digital_core_va_share", "fiveg_base_stations"
    in_file = [
        v(value=10.0, cell="C7"), v(value=11.0, cell="C9"),  # duplicate-row
        v("gigabit_port_share", value=100.5, cell="D7"),  # out-of-range
        v(core, region="230100", value=600.0, cell="B5"), v(region="230100", value=500.0, cell="B6"),
        v(share, region="230100", value=90.0, cell="B7"),  # core above GDP, share != core / GDP
        v(region="230200", value=20.0, cell="E7"), v(region="230200", year=2023, value=20.0, cell="E6"),
        ytd(quarter=1, value=350.0, cell="F2"), ytd(quarter=2, value=300.0, cell="F3"),  # ytd falls
        v(quarter=2, basis="quarter", value=10.0, cell="F4"),  # quarter sum
        v(stations, region="230200", value=30_000.0, cell="G2"),
        v("population", region="230200", value=3000.0, cell="G3"),
        v("fiveg_per_10k", region="230200", value=12.0, cell="G4"),
        v(year=2023, region="230100", value=100.0, cell="H2"),  # GDP +400 % on the year before
        v("gigabit_port_share", year=2023, value=0.35, cell="I2", sheet="Sheet2"),
        v("gigabit_port_share", year=2022, value=0.3, cell="I3", sheet="Sheet2"),  # fractions
        *[v(stations, region="230100", year=y, value=x, cell=f"J{y - 2018}")
          for y, x in ((2020, 10_000.0), (2021, 11_000.0), (2022, 1_200_000.0), (2023, 13_000.0))],
    ]
    problems = check_values(in_file, CAT)
    current = {
        K("gdp", year=2022): stored(16_000.0, batch=3, file="地区生产总值.xlsx", cell="B2"),  # scale slip
        K("gdp", region="230200", year=2024): stored(15.0, batch=4, cell="B3"),  # a revision
        K(core, region="230200"): stored(8.0, batch=5, cell="C3"),  # other-indicator, stale-share
        K(share, region="230200"): stored(53.3, batch=6, cell="D3"),
        K(core, 3, "ytd"): stored(900.0, batch=7, file="核心产业.xlsx"),  # the file's GDP below it
        K("gdp", 3, "ytd", year=2025): stored(250.0, batch=8),  # the file's Q2 above the stored Q3
        K("gdp", region="100000"): stored(5.0, batch=9, sheet=""),  # a nation below its province
    }
    file_two = [v(year=2023, value=1_600_000.0, cell="K2"), v(region="230200", value=20.0, cell="K3"),
                v(core, region="230200", value=9.5, cell="K4"),
                ytd(quarter=3, value=800.0, cell="K5"), ytd(quarter=2, value=300.0, cell="K6", year=2025),
                v(value=16.0, cell="K7")]
    return problems + check_against_current(file_two, current, CAT, {"各市": "gdp"})


def test_every_cross_value_problem_reads_in_english_without_chinese():
    """The English messages name units in English ('16,000 (100 million yuan)', '30,000 units',
    '90%'), never 亿元 or 个. The Chinese they may hold is what the user wrote, quoted: the sheet's
    name ('各市') and the stored files' names."""
    problems = _one_of_each_check()
    checks = {k.code for k in kinds.CATALOGUE.values() if k.stage in (kinds.FILE, kinds.STORED)}
    assert {p.code for p in problems} == checks
    quoted_input = ("各市", "上季度.xlsx", "地区生产总值.xlsx", "核心产业.xlsx")
    for p in problems:
        text = p.title_en + p.message_en
        for name in quoted_input:
            text = text.replace(name, "")
        assert not CJK.search(text), p.message_en
        assert CJK.search(p.message_zh)
    english = " ".join(p.message_en for p in problems)
    assert "(100 million yuan)" in english and " units" in english and "100.5%" in english
    assert "less than" in english and "above the following quarter" in english  # the second phrasings
