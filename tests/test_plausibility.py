"""Corruption only plausibility can see (issue 12, item 5): a value far off its own series in the
file (outlier), and a province above the nation, in the file or against the stored values."""
from __future__ import annotations

import pytest

from etl.checks.validate import OUTLIER_FACTOR, Stored, check_against_current, check_values
from etl.pipeline import ingest_file
from test_validate import CAT, codes, v


def gdp_series(values, region="230000", start=2019, cells="BCDEFGH"):
    return [v(region=region, year=start + i, value=x, cell=f"{cells[i]}5") for i, x in enumerate(values)]


@pytest.mark.parametrize("series, flagged", [
    ([14000, 14200, 1_192_800, 14900, 15900], ["D5"]),  # 84x, a flipped byte in an .xls
    ([14000, 14200, 2_016_400, 14900, 15900], ["D5"]),  # 142x
    ([2384, 2410, 2501, 25], ["E5"]),  # the last number lost two digits
    ([14000, 1_400_000], ["C5"]),  # a pair: the later one is named
    ([1_400_000, 14200, 14900], ["B5"]),  # the first one is the odd one
    ([14000, 14200, 1_400_000, 1_420_000, 15900], ["D5", "E5"]),  # two in a row, not the last
])
def test_a_value_far_off_its_own_series_is_an_error(series, flagged):
    problems = [p for p in check_values(gdp_series(series), CAT) if p.code == "outlier"]
    assert codes(problems) == [("outlier", cell) for cell in flagged]
    assert all(p.severity == "error" for p in problems)
    assert "同一序列" in problems[0].message_zh and "series" in problems[0].message_en


@pytest.mark.parametrize("series", [
    [14000, 14200, 15000, 15900],  # growth
    [14000, 14200, 14000 * (OUTLIER_FACTOR - 1), 15900],  # below the factor: a jump warning only
])
def test_plausible_series_are_not_outliers(series):
    assert [p for p in check_values(gdp_series(series), CAT) if p.code == "outlier"] == []


def test_a_stock_may_start_far_below_its_next_year():
    stations = [v("fiveg_base_stations", year=2019 + i, value=x, cell=f"{'BCDE'[i]}5")
                for i, x in enumerate([12, 1500, 9000, 21000])]
    assert [p for p in check_values(stations, CAT) if p.code == "outlier"] == []
    pair = stations[:2]
    assert [p for p in check_values(pair, CAT) if p.code == "outlier"] == []
    crashed = stations + [v("fiveg_base_stations", year=2023, value=210, cell="F5")]
    assert codes([p for p in check_values(crashed, CAT) if p.code == "outlier"]) == [("outlier", "F5")]


def test_a_province_above_the_nation_in_the_file():
    values = [v(region="230000", value=1_500_000.0, cell="B5"), v(region="100000", value=1_260_000.0, cell="B4")]
    assert codes(check_values(values, CAT)) == [("above-parent", "B5")]


def test_a_province_above_the_stored_nation_and_a_nation_below_a_stored_province():
    stored = {("gdp", "100000", 2024, 0, "annual"): Stored(1_260_000.0, 7, "年度数据.xlsx", "年度数据", "B4")}
    problems = check_against_current([v(region="230000", value=1_500_000.0, cell="B5")], stored, CAT)
    assert codes(problems) == [("above-parent", "B5")]
    assert "年度数据.xlsx" in problems[0].message_zh and "1,260,000" in problems[0].message_en
    stored = {("gdp", "230000", 2024, 0, "annual"): Stored(16_000.0, 8, "分省.csv", "分省", "C9")}
    problems = check_against_current([v(region="100000", value=12_600.0, cell="B4")], stored, CAT)
    assert codes(problems) == [("above-parent", "B4")]
    assert "分省.csv" in problems[0].message_en
    # a demo value is no evidence against a real file
    demo = {("gdp", "100000", 2024, 0, "annual"): Stored(1_000.0, 1, "demo.xlsx", is_demo=True)}
    assert check_against_current([v(region="230000", value=16_000.0)], demo, CAT) == []


def long_csv(rows) -> bytes:
    lines = ["指标代码,地区代码,期间,数值"] + [",".join(map(str, r)) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_ingest_refuses_a_province_above_the_stored_nation(engine):
    nation = ingest_file(engine, long_csv([("gdp", "100000", "2024年", 1_260_000)]), "全国.csv", loaded_by="t")
    assert nation.status == "loaded", nation.report.format_text()
    outcome = ingest_file(engine, long_csv([("gdp", "230000", "2024年", 1_600_000)]), "黑龙江.csv",
                          loaded_by="t")
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.report.problems if p.severity == "error"] == ["above-parent"]
    assert "全国.csv" in outcome.report.problems[0].message_zh
