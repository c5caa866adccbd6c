"""Query functions on a seeded database, with observations inserted through the models."""
from __future__ import annotations

import datetime as dt

import pytest

from etl.store import queries
from etl.store.db import session_scope
from etl.store.models import Batch, Observation

HLJ, HARBIN, DAQING, CHINA = "230000", "230100", "230600", "100000"


def add_batch(session, values, *, file_name="f.xlsx", demo=False, status="loaded",
              loaded_at=None, version=1, current=True):
    """values: (indicator, region, year, quarter, basis, value) tuples -> one Batch."""
    batch = Batch(file_name=file_name, sha256=file_name.ljust(64, "0")[:64], loaded_by="tester",
                  loaded_at=loaded_at or dt.datetime(2026, 1, 15, 9, 30), status=status,
                  is_demo=demo, values_read=len(values), values_new=len(values))
    session.add(batch)
    session.flush()
    for row, (ind, reg, year, quarter, basis, value) in enumerate(values, start=3):
        session.add(Observation(indicator_code=ind, region_code=reg, year=year, quarter=quarter,
                                basis=basis, value=value, version=version, is_current=current,
                                batch_id=batch.id, sheet="各市", cell=f"C{row}",
                                raw_value=str(value)))
    session.flush()
    return batch


def test_period_order():
    # a whole year sorts after its fourth quarter, before the next year's first
    assert sorted([(2024, 0), (2025, 1), (2024, 4), (2024, 3)], key=lambda p: queries.period_sort_key(*p)) \
        == [(2024, 3), (2024, 4), (2024, 0), (2025, 1)]


def test_current_observations_carry_provenance_and_skip_old_versions(engine):
    with session_scope(engine) as s:
        add_batch(s, [("gdp", HLJ, 2024, 4, "ytd", 16000.0)], file_name="old.xlsx",
                  version=1, current=False)
        add_batch(s, [("gdp", HLJ, 2024, 4, "ytd", 16478.1), ("gdp", HARBIN, 2024, 4, "ytd", 5500.0)],
                  file_name="new.xlsx", version=2, demo=True)
    rows = queries.current_observations(engine, "gdp")
    assert [(r["region_code"], r["value"]) for r in rows] == [(HLJ, 16478.1), (HARBIN, 5500.0)]
    row = rows[0]
    assert row["period_zh"] == "2024年全年" and row["period_en"] == "full year 2024"
    assert row["kind"] == "flow_ytd"
    assert (row["file_name"], row["sheet"], row["cell"], row["version"]) == ("new.xlsx", "各市", "C3", 2)
    assert row["indicator_zh"] == "地区生产总值" and row["unit"] == "亿元"
    assert row["region_zh"] == "黑龙江省" and row["is_demo"] is True and row["loaded_by"] == "tester"
    assert queries.current_observations(engine, region=HARBIN)[0]["value"] == 5500.0
    assert len(queries.current_observations(engine, limit=1)) == 1
    # every version stays visible in the history, newest first
    versions = queries.observation_versions(engine, "gdp", HLJ, 2024, 4, "ytd")
    assert [(v["version"], v["value"], v["is_current"]) for v in versions] == [
        (2, 16478.1, True), (1, 16000.0, False)]


def test_rolled_back_batches_are_excluded(engine):
    with session_scope(engine) as s:
        add_batch(s, [("gdp", HLJ, 2023, 0, "annual", 1.0)], file_name="gone.xlsx",
                  status="rolled_back")
        add_batch(s, [("gdp", HLJ, 2022, 0, "annual", 16359.2)], file_name="kept.xlsx")
    assert [r["year"] for r in queries.current_observations(engine, "gdp", HLJ)] == [2022]
    assert [r["year"] for r in queries.series(engine, "gdp", [HLJ], frequency="annual")] == [2022]
    assert queries.data_vintage(engine)["year"] == 2022
    assert [b["status"] for b in queries.batch_list(engine)] == ["loaded", "rolled_back"]


def test_derived_share_of_gdp_same_period_and_basis(engine):
    with session_scope(engine) as s:
        add_batch(s, [("gdp", HLJ, 2025, 3, "ytd", 11000.0), ("gdp", HLJ, 2025, 3, "quarter", 4000.0),
                      ("digital_core_va", HLJ, 2025, 3, "ytd", 880.0),
                      ("gdp", HLJ, 2024, 0, "annual", 16000.0),
                      ("digital_core_va", HLJ, 2024, 0, "annual", 1200.0),
                      ("digital_core_va", HLJ, 2023, 0, "annual", 1100.0)],  # no GDP for 2023
                  file_name="core.xlsx")
        add_batch(s, [("digital_core_va_share", HLJ, 2024, 0, "annual", 7.6)], file_name="rep.xlsx")
    quarterly = queries.series(engine, "digital_core_va_share", [HLJ])
    assert len(quarterly) == 1
    q3 = quarterly[0]
    assert q3["derived"] is True and q3["formula"] == "digital_core_va / gdp * 100"
    assert q3["value"] == pytest.approx(880.0 / 11000.0 * 100)  # 8.0: the ytd GDP, not the 当季 one
    assert q3["period_zh"] == "2025年前三季度" and q3["file_name"] is None
    assert [(i["indicator_code"], i["value"], i["file_name"], i["cell"]) for i in q3["inputs"]] == [
        ("digital_core_va", 880.0, "core.xlsx", "C5"), ("gdp", 11000.0, "core.xlsx", "C3")]
    annual = queries.series(engine, "digital_core_va_share", [HLJ], frequency="annual")
    # 2024 is reported (7.6 wins over 1200/16000 = 7.5); 2023 has no GDP, so nothing is derived
    assert [(r["year"], r["value"], r["derived"]) for r in annual] == [(2024, 7.6, False)]


def test_derived_per_10k_uses_year_end_population(engine):
    with session_scope(engine) as s:
        add_batch(s, [("population", HLJ, 2023, 0, "annual", 3062.0),
                      ("population", HLJ, 2024, 0, "annual", 3029.0),
                      ("fiveg_base_stations", HLJ, 2024, 2, "ytd", 91880.0),
                      ("fiveg_base_stations", HLJ, 2024, 0, "annual", 99967.0),
                      ("fiveg_base_stations", HLJ, 2022, 0, "annual", 40000.0)])  # no 2022 population
    q2 = queries.series(engine, "fiveg_per_10k", [HLJ])
    # a quarter uses the previous year-end population: 91880 / 3062 = 30.006...
    assert [(r["year"], r["quarter"]) for r in q2] == [(2024, 2)]
    assert q2[0]["value"] == pytest.approx(91880.0 / 3062.0)
    # stations per 10,000 people at a quarter's end: named like the stations it is made of
    assert q2[0]["inputs"][1]["year"] == 2023 and q2[0]["period_zh"] == "2024年第二季度末"
    assert q2[0]["inputs"][0]["period_zh"] == "2024年第二季度末" and q2[0]["kind"] == "rate_eop"
    # since_year filters in SQL; the denominator still reaches back to the previous year-end
    assert [r["year"] for r in queries.series(engine, "fiveg_per_10k", [HLJ], since_year=2024)] == [2024]
    assert queries.series(engine, "fiveg_per_10k", [HLJ], since_year=2025) == []
    annual = queries.series(engine, "fiveg_per_10k", [HLJ], frequency="annual")
    # a whole year uses the same year's year-end population: 99967 / 3029 = 33.003...
    assert [(r["year"], round(r["value"], 3)) for r in annual] == [(2024, round(99967 / 3029, 3))]
    ranked = queries.region_values(engine, "fiveg_per_10k", 2024, 2, regions=[HLJ])
    assert ranked[0]["value"] == pytest.approx(91880.0 / 3062.0) and ranked[0]["rank"] == 1


def test_region_values_rank_the_cities(engine):
    with session_scope(engine) as s:
        add_batch(s, [("gdp", HARBIN, 2024, 0, "annual", 5800.0), ("gdp", DAQING, 2024, 0, "annual", 2900.0),
                      ("gdp", "230200", 2024, 0, "annual", 2900.0), ("gdp", HLJ, 2024, 0, "annual", 16000.0),
                      ("gdp", HARBIN, 2023, 0, "annual", 5500.0)])
    rows = queries.region_values(engine, "gdp", 2024)
    # the province itself is not a prefecture; equal values share a rank
    assert [(r["region_code"], r["rank"]) for r in rows] == [
        (HARBIN, 1), ("230200", 2), (DAQING, 2)]


def test_latest_periods_prefer_the_newest_and_the_whole_year(engine):
    with session_scope(engine) as s:
        add_batch(s, [("gdp", HLJ, 2024, 3, "ytd", 1.0), ("gdp", HLJ, 2024, 4, "ytd", 2.0),
                      ("gdp", HLJ, 2024, 0, "annual", 2.0), ("gdp", HARBIN, 2025, 1, "ytd", 3.0),
                      ("gdp", HARBIN, 2025, 1, "quarter", 3.0)])
    latest = queries.latest_periods(engine, ["gdp", "population"], [HLJ, HARBIN])
    assert set(latest) == {("gdp", HLJ), ("gdp", HARBIN)}
    assert latest[("gdp", HLJ)]["period_zh"] == "2024年"
    assert latest[("gdp", HARBIN)]["basis"] == "ytd"


def test_targets_and_vintage(engine):
    assert queries.data_vintage(engine) is None  # nothing loaded yet
    found = queries.targets(engine, target_set="digital-longjiang-2021")
    assert len(found) == 8  # 4 from the preamble, 4 from measure 15
    share = next(t for t in found if t.indicator_code == "digital_core_va_share")
    assert (share.value, share.kind, share.base_year, share.direction) == (10, "at_least", 2020, "higher")
    assert "10%" in share.clause_text and share.clause_ref_zh == "序言"
    about = queries.targets(engine, indicator="large_mfg_digital_rate")[0]
    assert about.kind == "approximately" and about.tolerance == 2
    assert about.to_dict()["set_name_zh"].startswith("推动")
    with session_scope(engine) as s:
        add_batch(s, [("gdp", HLJ, 2025, 4, "ytd", 1.0), ("gdp", HLJ, 2024, 0, "annual", 1.0)],
                  demo=True, loaded_at=dt.datetime(2026, 2, 1))
        add_batch(s, [("gdp", CHINA, 2024, 0, "annual", 1.0)], file_name="ref.csv",
                  loaded_at=dt.datetime(2026, 2, 3))
    stamp = queries.data_stamp(engine)
    vintage = queries.data_vintage(engine)
    assert (vintage["year"], vintage["quarter"], vintage["period_zh"]) == (2025, 4, "2025年第四季度")
    assert vintage["any_demo"] is True and vintage["loaded_at"] == dt.datetime(2026, 2, 3)
    with session_scope(engine) as s:
        s.get(Batch, 1).status = "rolled_back"
        s.get(Batch, 1).rolled_back_at = dt.datetime(2026, 2, 4)
    vintage = queries.data_vintage(engine)
    assert vintage["any_demo"] is False and vintage["period_zh"] == "2024年"
    assert queries.data_stamp(engine) != stamp
