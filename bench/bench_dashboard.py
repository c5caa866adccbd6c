"""Server time of the dashboard's callbacks on a database of at least 1,000,000 observations.

    python bench/bench_dashboard.py                          # build (once) and measure, SQLite
    python bench/bench_dashboard.py --observations 200000    # a smaller database
    python bench/bench_dashboard.py --pg postgresql://postgres@127.0.0.1:5432/test

The database: every reported (not derived) indicator × all 45 seeded regions × every year from
2025 back × the whole year, Q1-Q4 year to date and Q1-Q4 alone, each value loaded in several
versions (revisions: one batch per version, only the newest current), until the count is reached.
Rows are bulk-inserted with SQLAlchemy Core (no ETL checks: this measures reading, not loading).

Each page is rendered the way the browser asks for it: a POST to /_dash-update-component for
Dash's page router (and for the frame's navigation/banner callback), through the Flask test
client, so CSRF, auth guards and caching all run. Each page is timed `--runs` times "cold" (the
cache emptied before each run: every query hits the database) and "warm" (served from the cache);
the script prints the median and 95th percentile of each.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from etl.store.db import init_db, make_engine, session_scope  # noqa: E402
from etl.store.models import Batch, Indicator, Observation, Region  # noqa: E402

PAGES = ["/", "/core", "/enterprise", "/infrastructure", "/benchmarks", "/city/230100", "/data",
         "/method"]
CHUNK = 20_000


def value_for(indicator: str, measure: str, region_index: int, year: int, quarter: int, basis: str) -> float:
    """A plausible, deterministic value: shares stay within 0-100, flows grow over a year."""
    trend = 1 + (year - 1990) * 0.03
    if measure == "ratio":
        return round(min(95.0, 3 + (region_index % 13) * 0.4 + (year - 1990) * 1.5 + quarter * 0.1), 2)
    base = 100.0 * (region_index + 1) * trend
    if basis == "ytd":
        return round(base * quarter / 4, 2)
    if basis == "quarter":
        return round(base / 4, 2)
    return round(base, 2)


def build(engine, observations: int) -> int:
    init_db(engine)
    with session_scope(engine) as s:
        indicators = [(i.code, i.measure) for i in s.scalars(
            select(Indicator).where(Indicator.derivation.is_(None)).order_by(Indicator.sort_order))]
        regions = [r.code for r in s.scalars(select(Region).order_by(Region.sort_order))]
    periods = [(0, "annual")] + [(q, "ytd") for q in range(1, 5)] + [(q, "quarter") for q in range(1, 5)]
    per_year = len(indicators) * len(regions) * len(periods)
    versions = 6
    years = max(1, -(-observations // (per_year * versions)))
    first_year = 2025 - years + 1
    total = 0
    with engine.begin() as conn:
        for version in range(1, versions + 1):
            batch_id = conn.execute(insert(Batch).values(
                file_name=f"bench-v{version}.xlsx", sha256=uuid.uuid4().hex * 2, loaded_by="bench",
                status="loaded", is_demo=True, values_read=0)).inserted_primary_key[0]
            rows = []
            for code, measure in indicators:
                for r_index, region in enumerate(regions):
                    for year in range(first_year, 2026):
                        for quarter, basis in periods:
                            value = value_for(code, measure, r_index, year, quarter, basis)
                            rows.append(dict(
                                indicator_code=code, region_code=region, year=year, quarter=quarter,
                                basis=basis, value=value * (1 + (version - versions) * 0.001),
                                version=version, is_current=version == versions, batch_id=batch_id,
                                sheet="数据", cell=f"C{len(rows) + 2}", raw_value=str(value)))
                            if len(rows) >= CHUNK:
                                conn.execute(insert(Observation), rows)
                                total += len(rows)
                                rows = []
            if rows:
                conn.execute(insert(Observation), rows)
                total += len(rows)
    return total


def observation_count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Observation))


class Poster:
    """Posts callbacks the way dash-renderer does (session cookie, CSRF header)."""

    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()
        self.client.get("/")
        self.router = next(k for k in app.callback_map if "_pages_content.children" in k)
        self.frame = next(k for k in app.callback_map if "navbar.children" in k)

    def post(self, key: str, inputs: list[dict]) -> float:
        spec = self.app.callback_map[key]
        parts = key[2:-2].split("...") if key.startswith("..") else [key]
        outputs = [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in parts]
        body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": inputs, "state": [], "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}
        assert len(spec["inputs"]) == len(inputs)
        cookie = self.client.get_cookie("_csrf_token")
        headers = {"X-CSRFToken": cookie.value} if cookie else {}
        start = time.perf_counter()
        response = self.client.post("/_dash-update-component", data=json.dumps(body),
                                    content_type="application/json", headers=headers)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{key}: HTTP {response.status_code} {response.get_data(as_text=True)[:300]}")
        return elapsed

    def page(self, path: str, search: str = "") -> float:
        return self.post(self.router, [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search}])

    def shell(self, path: str) -> float:
        return self.post(self.frame, [{"id": "url", "property": "pathname", "value": path},
                                      {"id": "url", "property": "search", "value": ""}])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(app, runs: int) -> list[tuple[str, list[float], list[float]]]:
    from dashboard.cache import cache

    poster = Poster(app)
    results = []
    targets = [(path, lambda p=path: poster.page(p)) for path in PAGES]
    targets.append(("frame (nav + banner)", lambda: poster.shell("/")))
    for name, call in targets:
        cold, warm = [], []
        for _ in range(runs):
            with app.server.app_context():
                cache.clear()
            cold.append(call())
            warm.append(call())
        results.append((name, cold, warm))
    return results


def report(label: str, count: int, results) -> None:
    print(f"\n{label}: {count:,} observations; server time per callback, milliseconds")
    print(f"{'page':<24}{'cold median':>12}{'cold p95':>10}{'warm median':>13}{'warm p95':>10}")
    for name, cold, warm in results:
        print(f"{name:<24}{statistics.median(cold) * 1000:>12.0f}{p95(cold) * 1000:>10.0f}"
              f"{statistics.median(warm) * 1000:>13.1f}{p95(warm) * 1000:>10.1f}")


def run(engine, label: str, observations: int, runs: int) -> None:
    os.environ.setdefault("PUBLIC_VIEWING", "1")
    count = observation_count(engine) if "observations" in _tables(engine) else 0
    if count < observations:
        start = time.perf_counter()
        count = build(engine, observations)
        print(f"{label}: built {count:,} observations in {time.perf_counter() - start:.1f} s")
    from dashboard import create_app

    app = create_app(engine, load_demo_if_empty=False)
    app.server.config["PUBLIC_VIEWING"] = True
    report(label, count, measure(app, runs))


def _tables(engine) -> list[str]:
    from sqlalchemy import inspect

    return inspect(engine).get_table_names()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "dashboard.sqlite",
                        help="SQLite file, kept between runs (rebuilt when it holds fewer rows)")
    parser.add_argument("--pg", help="also measure on PostgreSQL (a temporary schema, dropped after)")
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    run(make_engine(f"sqlite:///{args.db}"), "SQLite", args.observations, args.runs)
    if args.pg:
        url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
            run(engine, "PostgreSQL", args.observations, args.runs)
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
