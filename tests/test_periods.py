"""etl.periods: the one period value and formatter."""
import pytest

from etl import periods as P
from etl.periods import Period, format_period


@pytest.mark.parametrize("kind, period, zh, en", [
    (P.STOCK, (2025, 3, "ytd"), "2025年第三季度末", "end of Q3 2025"),
    (P.STOCK, (2025, 0, "annual"), "2025年末", "end of 2025"),
    (P.FLOW_YTD, (2025, 3, "ytd"), "2025年前三季度", "Q1–Q3 2025"),
    (P.FLOW_YTD, (2025, 1, "ytd"), "2025年一季度", "Q1 2025"),
    (P.FLOW_YTD, (2025, 2, "ytd"), "2025年上半年", "H1 2025"),
    (P.FLOW_YTD, (2025, 4, "ytd"), "2025年全年", "full year 2025"),
    (P.FLOW_YTD, (2025, 0, "annual"), "2025年", "2025"),
    (P.FLOW_QUARTER, (2025, 3, "quarter"), "2025年第三季度", "Q3 2025"),
    (P.FLOW_YTD, (2025, 3, "quarter"), "2025年第三季度", "Q3 2025"),
    (P.RATE, (2025, 3, "ytd"), "2025年前三季度", "Q1–Q3 2025"),
    (P.RATE, (2025, 3, "quarter"), "2025年第三季度", "Q3 2025"),
    (P.RATE_EOP, (2025, 3, "ytd"), "2025年第三季度末", "end of Q3 2025"),
    (P.RATE_EOP, (2024, 0, "annual"), "2024年", "2024"),
    (None, (2025, 4, "quarter"), "2025年第四季度", "Q4 2025"),
])
def test_format_period(kind, period, zh, en):
    assert format_period(period, kind, "zh") == zh
    assert format_period(Period(*period), kind, "en") == en


def test_kinds_from_the_catalog_columns():
    assert P.value_kind("stock", False) == P.STOCK
    assert P.value_kind("flow", True) == P.FLOW_YTD
    assert P.value_kind("flow", False) == P.FLOW_QUARTER
    assert P.value_kind("ratio", True) == P.RATE
    assert P.value_kind("ratio", False) == P.RATE_EOP
    assert P.kind_of({"measure": "stock", "quarterly_cumulative": False}) == P.STOCK
    assert P.kind_of({"kind": P.RATE}) == P.RATE
    assert P.kind_of({}) is None


def test_shown_basis_of_a_stock_is_end_of_period():
    assert P.basis_of((2020, 1, "ytd"), P.STOCK) == P.EOP
    assert P.format_basis((2020, 1, "ytd"), P.STOCK, "zh") == "期末值"
    assert P.format_basis((2020, 1, "ytd"), P.STOCK, "en") == "end of period"
    assert P.basis_of((2025, 3, "ytd"), P.FLOW_YTD) == "ytd"
    assert P.basis_of((2025, 3, "ytd"), P.RATE_EOP) == P.EOP
    assert P.basis_of((2025, 0, "annual"), P.RATE_EOP) == "annual"


def test_period_keys_round_trip_and_reject_nonsense():
    for p in (Period(2025), Period(2025, 3, "ytd"), Period(2023, 2, "quarter")):
        assert Period.from_key(p.key) == p
    assert Period(2025, 3, "ytd").key == "2025Q3" and Period(2025, 3, "quarter").key == "2025q3"
    for bad in (None, "", "nonsense", "2025Q7", "2025Q"):
        assert Period.from_key(bad) is None
    with pytest.raises(ValueError):
        Period(2025, 5, "ytd")
    with pytest.raises(ValueError):
        Period(2025, 3, "monthly")
    with pytest.raises(ValueError):
        format_period((2025, 3, "ytd"), "stocks")


def test_period_of_rows_and_order():
    row = {"year": 2025, "quarter": 0, "basis": "annual", "value": 1}
    assert Period.of(row) == Period(2025)
    assert Period.of((2025, 2, "ytd")) == Period(2025, 2, "ytd")
    ordered = sorted([Period(2025), Period(2025, 4, "ytd"), Period(2025, 1, "ytd"), Period(2024)],
                     key=lambda p: p.sort_key)
    assert [p.key for p in ordered] == ["2024", "2025Q1", "2025Q4", "2025"]


@pytest.mark.parametrize("kind", P.KINDS)
def test_every_label_reads_back_as_its_period(kind):
    """What the pages write, the ETL reads (the long template takes the same labels). A fourth
    quarter's year to date, 2025年全年, reads as the whole year: the same twelve months."""
    from etl.normalise.cells import parse_period
    for period in [(2025, 0, "annual"), (2025, 1, "ytd"), (2025, 2, "ytd"), (2025, 3, "ytd"),
                   (2025, 4, "ytd"), (2025, 3, "quarter")]:
        found = parse_period(format_period(period, kind, "zh"))
        expected_quarter = 0 if format_period(period, kind, "zh").endswith("全年") else period[1]
        assert (found.year, found.quarter) == (period[0], expected_quarter), (kind, period)


def test_a_partial_newer_period_is_not_the_default():
    q3_2026, q4_2025, y2025 = (2026, 3, "ytd"), (2025, 4, "ytd"), (2025, 0, "annual")
    coverage = [(q3_2026, 1), (y2025, 13), (q4_2025, 13)]
    assert P.default_period(coverage, 13) == y2025  # the whole year sorts after its Q4
    assert P.default_period([(q3_2026, 9), (q4_2025, 13)], 13) == q3_2026  # 9 of 13 is enough
    assert P.default_period([(q3_2026, 8), (q4_2025, 13)], 13) == q4_2025
    assert P.default_period([(q3_2026, 1), (q4_2025, 3)], 13) == q4_2025  # none complete: the most
    assert P.default_period([], 13) is None
    assert P.well_covered(12, 13) and not P.well_covered(1, 13) and not P.well_covered(0, 0)
