"""A small database with known values for the dashboard tests (inserted with the ETL's models).

Hand-checkable cases (targets from data/seed/targets.csv, base year 2020):
- core-industry share of GDP, province: 7.0% (2020) -> 8.0% (2023); target 10% in 2025.
  observed CAGR (8/7)^(1/3)-1 = 4.55%, required (10/7)^(1/5)-1 = 7.39%, R = 0.616: acceleration needed.
- 5G base stations, province: 20,000 (2020) -> 120,000 (2025); target 114,000: met, final.
- large manufacturers fully digitalised: 50% (2020) -> 59% (2025); target 60% 左右 (±2): achieved.
- IPv6 traffic share: 30% (2020) -> 25% (2023); target 70%: deteriorating.
The 13 cities have GDP and core-industry value added for 2024, so their share is derived
(core / GDP * 100); 哈尔滨 ranks first with 12.0%.
"""
from __future__ import annotations

import datetime as dt

from etl.store.db import session_scope
from etl.store.models import Batch, Observation

PREFECTURES = ["230100", "230200", "230300", "230400", "230500", "230600", "230700", "230800",
               "230900", "231000", "231100", "231200", "232700"]
# 2024 core-industry share by city, %; GDP 1000 each so value added = share * 10
CITY_SHARE_2024 = [12.0, 6.0, 5.0, 4.0, 4.5, 9.0, 3.0, 5.5, 3.5, 7.0, 2.5, 6.5, 2.0]

PROVINCE_VALUES = [
    # indicator, region, year, quarter, basis, value
    ("digital_core_va_share", "230000", 2020, 0, "annual", 7.0),
    ("digital_core_va_share", "230000", 2021, 0, "annual", 7.3),
    ("digital_core_va_share", "230000", 2022, 0, "annual", 7.6),
    ("digital_core_va_share", "230000", 2023, 0, "annual", 8.0),
    ("digital_core_va_share", "100000", 2020, 0, "annual", 7.8),
    ("digital_core_va_share", "100000", 2023, 0, "annual", 9.9),
    ("fiveg_base_stations", "230000", 2020, 0, "annual", 20000),
    ("fiveg_base_stations", "230000", 2022, 0, "annual", 60000),
    ("fiveg_base_stations", "230000", 2025, 0, "annual", 120000),
    ("large_mfg_digital_rate", "230000", 2020, 0, "annual", 50.0),
    ("large_mfg_digital_rate", "230000", 2025, 0, "annual", 59.0),
    ("ipv6_traffic_share", "230000", 2020, 0, "annual", 30.0),
    ("ipv6_traffic_share", "230000", 2023, 0, "annual", 25.0),
    ("digital_economy_share", "230000", 2023, 0, "annual", 30.0),
    ("digital_economy_share", "100000", 2023, 0, "annual", 42.8),
    ("digital_economy_share", "220000", 2023, 0, "annual", 35.0),
]


def city_values() -> list[tuple]:
    rows = []
    for code, share in zip(PREFECTURES, CITY_SHARE_2024):
        rows.append(("gdp", code, 2024, 0, "annual", 1000.0))
        rows.append(("digital_core_va", code, 2024, 0, "annual", share * 10))
    return rows


def load_fixture(engine, *, demo: bool = False, file_name: str = "fixture.xlsx") -> int:
    """Insert one batch with the values above; returns the batch id."""
    with session_scope(engine) as session:
        batch = Batch(file_name=file_name, sha256="0" * 64, loaded_by="tester",
                      loaded_at=dt.datetime(2026, 1, 15, 9, 30), status="loaded", is_demo=demo)
        session.add(batch)
        session.flush()
        for row, (indicator, region, year, quarter, basis, value) in enumerate(
                PROVINCE_VALUES + city_values(), start=2):
            session.add(Observation(
                indicator_code=indicator, region_code=region, year=year, quarter=quarter,
                basis=basis, value=value, version=1, is_current=True, batch_id=batch.id,
                sheet="数据", cell=f"C{row}", raw_value=str(value)))
        return batch.id


def public_app(engine, monkeypatch, *, fixture: bool = True):
    """The dashboard on `engine`, open to visitors (PUBLIC_VIEWING), for tests: with this module's
    values loaded as demo data first, unless fixture=False (the test loaded its own)."""
    monkeypatch.setenv("PUBLIC_VIEWING", "1")
    if fixture:
        load_fixture(engine, demo=True)
    from dashboard import create_app

    app = create_app(engine, load_demo_if_empty=False)
    app.server.config.update(TESTING=True, PUBLIC_VIEWING=True)
    return app
