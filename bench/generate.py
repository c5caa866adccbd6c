"""Build a national-scale PostgreSQL database for the benchmarks, quickly, with COPY.

    python bench/generate.py 1m            # 1 M observations  -> database bench, schema obs_1m
    python bench/generate.py 5m            # 5 M               -> schema obs_5m
    python bench/generate.py 20m           # 20 M (3,165 regions x 200 indicators x 28 quarters + revisions)
    python bench/generate.py 1m --url postgresql://postgres@127.0.0.1:5432/bench --rebuild

The shape is the issue's: regions x indicators x quarters. The catalog is the seeded one (the real
indicators, targets, the nation, 31 provinces and Heilongjiang's 13 prefectures) plus synthetic
ones to reach 200 indicators (`bench_001`...) and as many regions as the size needs (counties,
level 'county', under the provinces' prefectures; synthetic prefectures under the other provinces).
Every reported indicator gets, for every region, 7 years (2018-2024) x 4 periods (Q1-Q3 year to
date and the whole year) = 28 values; one key in twenty has an older, superseded version too, so
is_current matters as in production. Derived indicators (shares computed from two inputs) get no
rows, as in production. Values are plausible: shares stay within 0-100, flows grow within a year.

Rows are streamed with COPY (psycopg 3) with the observation indexes dropped, which are then
rebuilt, and the tables ANALYZEd. The schema is created with the project's own migrations and
seed first, so the benchmark sees exactly the production schema. The database `bench` is created
when missing; the `test` database is never touched.
"""
from __future__ import annotations

import argparse
import io
import math
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench"
SIZES = {"1m": 1_000_000, "5m": 5_000_000, "20m": 20_000_000}
INDICATORS = 200
YEARS = range(2018, 2025)
PERIODS = [(1, "ytd"), (2, "ytd"), (3, "ytd"), (0, "annual")]  # 28 per key over 7 years
REVISED_EVERY = 20  # one key in twenty has an older version as well


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    if name in ("test", "postgres"):
        raise SystemExit("use a database of its own for the benchmarks (default: bench)")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def engine_for(url: str, schema: str):
    from etl.store.db import make_engine

    return make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                       connect_args={"options": f"-csearch_path={schema}"})


def catalog(conn, regions_needed: int) -> tuple[list[tuple], list[str]]:
    """Add synthetic indicators and regions; return (indicators with rows, region codes)."""
    cur = conn.cursor()
    cur.execute("SELECT code, measure FROM indicators WHERE derivation IS NULL ORDER BY sort_order")
    reported = cur.fetchall()
    cur.execute("SELECT count(*), max(sort_order) FROM indicators")
    have, order = cur.fetchone()
    measures = ["ratio", "flow", "stock"]
    with cur.copy("COPY indicators (code, name_zh, name_en, unit, unit_en, definition_zh, "
                  "definition_en, direction, measure, quarterly_cumulative, source_zh, source_en, "
                  "sort_order) FROM STDIN") as copy:
        for i in range(1, INDICATORS - have + 1):
            measure = measures[i % 3]
            unit = {"ratio": "%", "flow": "亿元", "stock": "个"}[measure]
            copy.write_row((f"bench_{i:03d}", f"基准指标{i:03d}", f"Benchmark indicator {i:03d}",
                            unit, {"%": "%", "亿元": "100 million yuan", "个": "units"}[unit],
                            "", "", "higher", measure, measure == "flow", "基准", "bench",
                            order + i))
    cur.execute("SELECT code, measure FROM indicators WHERE derivation IS NULL ORDER BY sort_order")
    indicators = cur.fetchall()
    cur.execute("SELECT code, level, parent_code FROM regions ORDER BY sort_order")
    regions = cur.fetchall()
    codes = [r[0] for r in regions]
    provinces = [r[0] for r in regions if r[1] == "province"]
    prefectures = [r[0] for r in regions if r[1] == "prefecture"]
    cur.execute("SELECT max(sort_order) FROM regions")
    order = cur.fetchone()[0] or 0
    new = []
    # synthetic prefectures under the other provinces (code PP NN 00), then counties (PP NN CC)
    for province in provinces:
        if province == "230000":
            continue
        for n in range(1, 16):
            new.append((f"{province[:2]}{n:02d}00", "prefecture", province))
    parents = prefectures + [code for code, _, _ in new]
    county = 0
    while len(codes) + len(new) < regions_needed:
        parent = parents[county % len(parents)]
        number = county // len(parents) + 1
        if number > 99:
            break
        new.append((f"{parent[:4]}{number:02d}", "county", parent))
        county += 1
    new = new[:max(0, regions_needed - len(codes))]
    with cur.copy("COPY regions (code, name_zh, name_en, short_zh, level, parent_code, sort_order) "
                  "FROM STDIN") as copy:
        for i, (code, level, parent) in enumerate(new, start=1):
            copy.write_row((code, f"基准地区{code}", f"Bench region {code}", f"地区{code}", level,
                            parent, order + i))
    codes += [code for code, _, _ in new]
    return [i for i in indicators], codes[:regions_needed]


def value_for(measure: str, region_index: int, year: int, quarter: int) -> float:
    trend = 1 + (year - 2010) * 0.05
    if measure == "ratio":
        return round(min(95.0, 3 + (region_index % 13) * 0.4 + (year - 2010) * 1.2 + quarter * 0.1), 2)
    base = 100.0 + 7.0 * (region_index % 97) * trend
    if measure == "flow":
        return round(base * (quarter or 4) / 4, 2)
    return round(base, 2)


def generate(url: str, size: str, observations: int, rebuild: bool) -> None:
    import psycopg
    from sqlalchemy import text

    from dashclient import load_average
    from etl.store.db import init_db

    schema = f"obs_{size}"
    ensure_database(url)
    admin = engine_for(url, "public")
    with admin.begin() as conn:
        exists = conn.scalar(text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"),
                             {"s": schema})
        if exists and not rebuild:
            count = conn.scalar(text(f'SELECT count(*) FROM "{schema}".observations'))
            print(f"{schema}: exists with {count:,} observations (--rebuild to build it again)")
            return
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    start = time.perf_counter()
    cpu = time.process_time()
    engine = engine_for(url, schema)
    init_db(engine)  # the project's migrations and seed: the production schema
    engine.dispose()
    per_region = 0
    with psycopg.connect(url, options=f"-csearch_path={schema}") as conn:
        per_key = len(YEARS) * len(PERIODS)
        per_region_estimate = INDICATORS * per_key * (1 + 1 / REVISED_EVERY)
        regions_needed = max(45, math.ceil(observations / (per_region_estimate * 0.985)))
        indicators, regions = catalog(conn, regions_needed)
        per_region = len(indicators) * per_key
        cur = conn.cursor()
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'observations' "
                    "AND schemaname = %s AND indexname <> 'observations_pkey'", (schema,))
        indexes = cur.fetchall()
        cur.execute("ALTER TABLE observations DROP CONSTRAINT uq_observation_version")
        for name, _ in indexes:
            if name != "uq_observation_version":
                cur.execute(f'DROP INDEX "{name}"')
        batches = {}
        with cur.copy("COPY batches (file_name, sha256, loaded_by, loaded_at, status, is_demo, "
                      "is_reference, values_read, values_new, values_revised, values_unchanged, "
                      "values_skipped, report, notes, source_lines) FROM STDIN") as copy:
            for version in (1, 2):
                for code, _ in indicators:
                    copy.write_row((f"bench-{code}-v{version}.xlsx", uuid.uuid4().hex * 2, "bench",
                                    f"2025-0{version}-15 10:00:00", "loaded", False, False,
                                    0, 0, 0, 0, 0, "{}", "[]", "[]"))
        cur.execute("SELECT id, file_name FROM batches WHERE loaded_by = 'bench'")
        for batch_id, name in cur.fetchall():
            batches[name] = batch_id
        total = 0
        columns = ("indicator_code, region_code, year, quarter, basis, value, version, is_current, "
                   "batch_id, sheet, cell, raw_value")
        with cur.copy(f"COPY observations ({columns}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for ii, (code, measure) in enumerate(indicators):
                b1, b2 = batches[f"bench-{code}-v1.xlsx"], batches[f"bench-{code}-v2.xlsx"]
                for ri, region in enumerate(regions):
                    key = ii * 7919 + ri
                    revised = key % REVISED_EVERY == 0
                    for year in YEARS:
                        for quarter, basis in PERIODS:
                            value = value_for(measure, ri, year, quarter)
                            if revised:
                                buffer.write(f"{code}\t{region}\t{year}\t{quarter}\t{basis}\t"
                                             f"{value * 0.99:.4f}\t1\tf\t{b1}\tbench\tC2\t{value}\n")
                                total += 1
                            buffer.write(f"{code}\t{region}\t{year}\t{quarter}\t{basis}\t{value}\t"
                                         f"{2 if revised else 1}\tt\t{b2 if revised else b1}\t"
                                         f"bench\tC2\t{value}\n")
                            total += 1
                    if buffer.tell() > 8_000_000:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                if total >= observations:
                    break
            copy.write(buffer.getvalue())
        loaded = time.perf_counter() - start
        print(f"{schema}: {total:,} rows copied in {loaded:.0f} s "
              f"({len(indicators)} reported indicators x {len(regions):,} regions x {per_key} periods)")
        cur.execute("ALTER TABLE observations ADD CONSTRAINT uq_observation_version UNIQUE "
                    "(indicator_code, region_code, year, quarter, basis, version)")
        for name, definition in indexes:
            if name != "uq_observation_version":
                cur.execute(definition)
        cur.execute("UPDATE batches SET values_read = 1")
        conn.commit()
    with psycopg.connect(url, options=f"-csearch_path={schema}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"{schema}: {total:,} observations ready in {time.perf_counter() - start:.0f} s wall, "
          f"{time.process_time() - cpu:.0f} s CPU of this process; load average {load_average()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES), nargs="+")
    parser.add_argument("--url", default=DEFAULT_URL, help="a database of its own (default %(default)s)")
    parser.add_argument("--rebuild", action="store_true", help="drop and build the schema again")
    args = parser.parse_args(argv)
    for size in args.size:
        generate(args.url, size, SIZES[size], args.rebuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
