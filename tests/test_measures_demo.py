"""The demo awards register and task progress: deterministic, loaded through the ETL as demo data,
realistic in size and spread, with a handful of breaches the checks find."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from etl.measures import queries, store
from etl.measures.demo import demo_files
from etl.measures.models import MeasureTask, TaskUpdate
from etl.pipeline import ingest_file
from etl.store.db import session_scope
from etl.store.models import Batch


def test_demo_register_and_tasks(engine):
    files = demo_files()
    assert files == demo_files()  # the same bytes on every run
    outcomes = [ingest_file(engine, data, name, loaded_by="demo", is_demo=True) for name, data in files]
    assert [o.status for o in outcomes] == ["loaded"] * len(files)
    with session_scope(engine) as s:
        rows = store.register(s)
        assert all(b.is_demo for b in s.scalars(select(Batch)))
        tasks = list(s.scalars(select(MeasureTask).where(MeasureTask.status != "not_started")))
        assert len(tasks) >= 30 and all(t.is_demo for t in tasks)
        assert s.scalar(select(TaskUpdate).where(TaskUpdate.source == "演示-政策措施任务进展.xlsx"))
    assert 300 <= len(rows) <= 600
    assert {r.year for r in rows} == {2022, 2023, 2024, 2025}
    assert {r.measure for r in rows} == {1, 2, 3, 4, 9, 11, 12, 13, 14}
    cities = Counter(r.region_code for r in rows)
    assert cities.most_common(2)[0][0] == "230100" and len(cities) >= 10
    found = queries.register_findings(engine)
    assert Counter(f["problem"] for f in found) == Counter({
        "rate-mismatch": 1, "above-cap": 1, "quota-exceeded": 1, "one-off-repeated": 1,
        "not-highest": 2, "outside-validity": 1, "name-code-conflict": 1})
    overview = {r["number"]: r for r in queries.measures_overview(engine, year=2024)}
    assert overview[4]["quota_use"] == {"year": 2024, "used": 51, "quota": 50}
    assert overview[15]["status"] == "behind" and overview[4]["demo"]
    again = [ingest_file(engine, data, name, loaded_by="demo", is_demo=True) for name, data in files]
    assert [o.status for o in again] == ["unchanged"] * len(files)
