"""Performance properties that can be asserted without timing anything (issue 13).

- SQL statements per page render do not grow with the number of indicators or regions;
- every statement on observations reads an index, the right one, on PostgreSQL and SQLite
  (the planners' plans);
- responses are compressed, versioned bundles cached for a year, plotly.js preloaded;
- a page's layout is cached as JSON, not as component objects.
Timings are measured by the scripts in bench/, never here.
"""
from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import text

from tests.accounts_helpers import DashClient
from tests.dashboard_fixture import load_fixture, public_app


@pytest.fixture
def app(engine, monkeypatch):
    return public_app(engine, monkeypatch)


# --- delivery -----------------------------------------------------------------------------------

def test_callback_answers_are_gzipped_when_the_browser_accepts_it(app):
    client = DashClient(app)
    key = next(k for k in app.callback_map if "_pages_content.children" in k)
    body = {"output": key, "outputs": [{"id": "_pages_content", "property": "children"},
                                       {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/core"},
                       {"id": "_pages_location", "property": "search", "value": ""}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}
    headers = {"X-CSRFToken": client.csrf(), "Accept-Encoding": "gzip, deflate"}
    zipped = client.client.post("/_dash-update-component", data=json.dumps(body),
                                content_type="application/json", headers=headers)
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    answer = json.loads(gzip.decompress(zipped.get_data()))
    assert "page-core" in json.dumps(answer, ensure_ascii=False)
    headers.pop("Accept-Encoding")
    plain = client.client.post("/_dash-update-component", data=json.dumps(body),
                               content_type="application/json", headers=headers)
    assert "Content-Encoding" not in plain.headers
    assert json.loads(plain.get_data()) == answer


def test_versioned_bundles_are_cached_for_a_year_and_plotly_is_preloaded(app):
    client = app.server.test_client()
    index = client.get("/").get_data(as_text=True)
    assert 'rel="preload" as="script" href="/_dash-component-suites/plotly/package_data/plotly.min.js"' in index
    assert "bootstrap.min.css?v=" in index
    css = client.get(next(part.split('"')[0] for part in index.split('href="')[1:]
                          if "bootstrap.min.css" in part), headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200 and "max-age=31536000" in css.headers["Cache-Control"]
    assert css.headers["Content-Encoding"] == "gzip"
    assert b".btn" in gzip.decompress(css.get_data())
    fingerprinted = next(part.split('"')[0] for part in index.split('src="')[1:]
                         if "dash_renderer" in part)
    bundle = client.get(fingerprinted)
    assert bundle.status_code == 200 and "max-age=31536000" in bundle.headers["Cache-Control"]


def test_page_layouts_are_cached_as_json_not_as_component_objects(app):
    from dashboard.cache import cache
    from dashboard.pages import core

    with app.server.test_request_context("/"):
        first = core.layout(lang="zh")
        stored = [v for v in cache.cache._cache.values()]
    assert isinstance(first, dict) and first["props"]["id"] == "page-core"
    pickled = b"".join(v[1] if isinstance(v, tuple) else v for v in stored if isinstance(v, (bytes, tuple)))
    assert b"plotly.graph_objs" not in pickled and b"dash.development" not in pickled


# --- SQL statements per render: constant in the size of the catalog ----------------------------

PAGES = [("overview", {}), ("core", {}), ("enterprise", {}), ("infrastructure", {}),
         ("benchmarks", {}), ("city", {"code": "230100"}), ("data_grid", {}), ("method", {}),
         ("core", {"indicator": "gdp"}), ("infrastructure", {"period": "2024"}),
         ("overview", {"targets": "2030"}), ("city", {"code": "230100", "indicator": "gdp"})]


def page_label(name: str, query: dict) -> str:
    """'core', or 'core?indicator=gdp' for a URL that chooses (the city page's code is its path)."""
    chosen = {k: v for k, v in query.items() if k != "code"}
    return name + ("?" + "&".join(f"{k}={v}" for k, v in chosen.items()) if chosen else "")


def statements_per_page(app, engine) -> dict[str, int]:
    """SQL statements each page's layout and the frame execute with an empty cache."""
    return {name: len(statements) for name, statements in page_statements(app, engine).items()}


def page_statements(app, engine) -> dict[str, list[tuple]]:
    """The SQL statements (with their parameters) of each page's layout and the frame, each with
    an empty cache."""
    import importlib

    from sqlalchemy import event

    from dashboard import data, shell
    from dashboard.cache import cache

    found = {}
    for name, query in PAGES:
        layout = importlib.import_module(f"dashboard.pages.{name}").layout
        seen = []

        def count(_conn, _cursor, statement, parameters, *_args):
            seen.append((statement, parameters))
        with app.server.test_request_context("/"):
            cache.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            with app.server.test_request_context("/"):
                shell.update_shell("/", "")
                layout(lang="zh", **query)
                data.vintage()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        found[page_label(name, query)] = seen
    return found


def grow_catalog(engine, indicators: int, regions: int) -> None:
    """More indicators (ratios, so that /benchmarks compares them too) and more regions (counties
    under Harbin), each with values for the province, the nation, the cities and the new regions."""
    import datetime as dt

    from etl.store.db import session_scope
    from etl.store.models import Batch, Indicator, Observation, Region

    with session_scope(engine) as session:
        for n in range(regions):
            session.add(Region(code=f"2301{n + 2:02d}", name_zh=f"县{n}", name_en=f"County {n}",
                               short_zh=f"县{n}", level="county", parent_code="230100",
                               sort_order=1000 + n))
        for n in range(indicators):
            session.add(Indicator(code=f"extra_{n}", name_zh=f"指标{n}", name_en=f"Indicator {n}",
                                  unit="%", unit_en="%", direction="higher", measure="ratio",
                                  quarterly_cumulative=False, sort_order=1000 + n))
        session.flush()
        batch = Batch(file_name="more.xlsx", sha256="2" * 64, loaded_by="tester",
                      loaded_at=dt.datetime(2026, 2, 1), status="loaded")
        session.add(batch)
        session.flush()
        places = ["100000", "230000", "220000", "230100", "230200", "230600",
                  *[f"2301{n + 2:02d}" for n in range(regions)]]
        for n in range(indicators):
            for region in places:
                for year in (2023, 2024):
                    session.add(Observation(
                        indicator_code=f"extra_{n}", region_code=region, year=year, quarter=0,
                        basis="annual", value=10.0 + n + year % 10, version=1, is_current=True,
                        batch_id=batch.id, sheet="数据", cell="C2", raw_value="1"))


def test_sql_per_page_does_not_grow_with_indicators_or_regions(app, engine):
    small = statements_per_page(app, engine)
    grow_catalog(engine, indicators=12, regions=6)
    large = statements_per_page(app, engine)
    assert large == small, {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    # and the pages did read the new indicators (the city profile lists one card per indicator)
    from dashboard.pages import city

    with app.server.test_request_context("/"):
        tree = json.loads(json.dumps(city.layout(code="230100", lang="en"), default=str))
    assert "Indicator 11" in json.dumps(tree)


# --- every statement on observations reads an index, the right one --------------------------------

def observation_statements(app, engine) -> list[tuple]:
    """Every distinct statement that reads observations (with its parameters): every page's
    layout and the frame computed on the spot (no summary), a long-template file loaded, revised
    and rolled back."""
    from sqlalchemy import event

    from etl.pipeline import ingest_file
    from etl.store import queries
    from etl.store.load import rollback

    app.server.config["MONITOR_SUMMARY"] = False
    found = [s for statements in page_statements(app, engine).values() for s in statements]

    def grab(_conn, _cursor, statement, parameters, _context, many):
        if not many:
            found.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", grab)
    try:
        for value in ("1234.5", "1240.5"):  # new, then revised
            data = ("指标代码,地区代码,期间,数值,单位\n"
                    f"gdp,230100,2024年,{value},亿元\ngdp,230200,2024年,{value},亿元\n").encode()
            outcome = ingest_file(engine, data, "上报.csv", loaded_by="tester")
            assert outcome.status == "loaded", outcome.report.problems
        rollback(engine, outcome.batch_id, user="tester")
        first = queries.current_page(engine, limit=3)  # the data grid's keyset pages at scale
        last = first[-1]
        queries.current_page(engine, after=(last["indicator_code"], last["region_code"], last["year"],
                                            last["quarter"], last["basis"]), limit=3)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    unique = {}
    for statement, parameters in found:
        words = statement.split()
        if "observations" in statement and words[0].upper() in ("SELECT", "WITH", "UPDATE", "DELETE"):
            unique.setdefault(statement, parameters)
    return list(unique.items())


def test_every_statement_on_observations_reads_an_index_and_lookups_the_unique_key(app, engine):
    """Both planners' plans of every statement on observations: none reads the whole table, and
    a look-up by indicator or region searches the unique key (indicator, region, ...), never the
    partial index of current values by period, which only the data vintage and a read of every
    current row use (migration 0009: the loads' insert has one index fewer to write). PostgreSQL is
    told not to prefer a sequential scan, as it would on a table this small."""
    statements = observation_statements(app, engine)
    assert len(statements) >= 20
    vintage = [s for s, _ in statements if "max(observations.year)" in s]
    assert vintage, "the data vintage was not read"
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if not sqlite:
            conn.execute(text("SET enable_seqscan = off"))
        for statement, parameters in statements:
            cursor = conn.connection.driver_connection.cursor()
            if sqlite:
                cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                lines = [row[-1] for row in cursor.fetchall()]
                on_table = [line for line in lines if " observations" in line]
                assert on_table, (statement, lines)
                assert not any(line.strip() == "SCAN observations" for line in on_table), (statement, lines)
            else:
                cursor.execute("EXPLAIN " + statement, parameters)
                lines = [row[0] for row in cursor.fetchall()]
                on_table = [line for line in lines if " on observations" in line]
                assert on_table, (statement, lines)
                assert not any("Seq Scan on observations" in line for line in on_table), (statement, lines)
            cursor.close()
            where = statement.partition("WHERE")[2]
            if "observations.indicator_code =" in where or "observations.indicator_code IN" in where:
                assert not any("ix_observation_vintage" in line for line in on_table), (statement, lines)
            if statement in vintage:
                assert any("ix_observation_vintage" in line for line in on_table), (statement, lines)


# --- the data grid, paged on the server beyond GRID_LIMIT rows -------------------------------------

def test_data_grid_pages_on_the_server_when_large_and_every_row_comes_once(app, monkeypatch):
    from dashboard import data
    from dashboard.cache import cache
    from dashboard.pages import data_grid

    with app.server.test_request_context("/"):
        everything = data_grid.grid_rows(None, None, "en")
        small = data_grid.layout(lang="en")
    assert find_grid(small)["props"]["rowData"] and "rowModelType" not in find_grid(small)["props"]
    monkeypatch.setattr(data, "GRID_LIMIT", 7)
    with app.server.test_request_context("/"):
        cache.clear()
        large = find_grid(data_grid.layout(lang="en"))["props"]
        assert large["rowModelType"] == "infinite" and "rowData" not in large
        assert large["defaultColDef"]["floatingFilter"] is False  # no client-side filter of a part
        blocks, start, count = [], 0, -1
        while count == -1:
            answer = data_grid.grid_block({"startRow": start, "endRow": start + 10}, "?lang=en")
            blocks += answer["rowData"]
            count, start = answer["rowCount"], start + 10
        cache.clear()  # a jump without the remembered key: found by walking the keys
        jumped = data_grid.grid_block({"startRow": 10, "endRow": 20}, "?lang=en")["rowData"]
    assert count == len(everything) == len(blocks)

    def key(r):
        return (r["indicator"], r["region"], r["period"], r["basis"], r["value"], r["cell"])
    assert sorted(map(key, blocks)) == sorted(map(key, everything))
    assert [key(r) for r in jumped] == [key(r) for r in blocks[10:20]]


def find_grid(tree):
    tree = json.loads(json.dumps(tree, default=str))
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "data-grid":
                return node
            stack.extend(node.get("props", {}).values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError("no data-grid")


# --- the summary: derived figures computed once per data change ----------------------------------

SUMMARY_PAGES = [*PAGES, ("overview", {"targets": "2030"}), ("benchmarks", {"peers": "110000,310000"}),
                 ("city", {"code": "232700", "indicator": "gdp"})]


def render(app, name: str, query: dict, lang: str = "en") -> str:
    import importlib

    from dashboard.cache import cache

    with app.server.test_request_context("/"):
        cache.clear()
        tree = importlib.import_module(f"dashboard.pages.{name}").layout(lang=lang, **query)
    return json.dumps(tree, sort_keys=True, default=str)


def test_pages_are_the_same_with_and_without_the_summary(app, engine):
    """Every number has one source: the summary holds what the pages' own functions computed, so
    every page reads the same from it as computed on the spot (MONITOR_SUMMARY off)."""
    from dashboard import data
    from etl.store import summary

    app.server.config[data.SUMMARY_KEY] = False
    direct = {(name, str(query), lang): render(app, name, query, lang)
              for name, query in SUMMARY_PAGES for lang in ("zh", "en")}
    assert count_summaries(engine) == 0  # nothing was stored
    app.server.config[data.SUMMARY_KEY] = True
    summary.clear(engine)
    with app.server.test_request_context("/"):
        data.refresh_summaries()  # as the job or command that changed the data does
    summarised = {(name, str(query), lang): render(app, name, query, lang)
                  for name, query in SUMMARY_PAGES for lang in ("zh", "en")}
    assert count_summaries(engine) > 0
    assert summarised == direct


def count_summaries(engine, stamp_like: str = "%") -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM summaries WHERE stamp LIKE :s"), {"s": stamp_like})


def summary_reads_per_page(app, engine) -> dict[str, tuple[int, int, list[str]]]:
    """(SQL statements, of which on the summaries table, the kinds these read) per cold page
    render (empty cache), the summaries being built already (as after a load)."""
    from dashboard import data
    from dashboard.cache import cache

    with app.server.test_request_context("/"):
        cache.clear()
        data.refresh_summaries()
    kinds = {reader.kind for reader in data.SUMMARISED}

    def kind_of(parameters) -> str:
        values = parameters.values() if isinstance(parameters, dict) else parameters
        return next(value for value in values if value in kinds)
    found = {}
    for name, seen in page_statements(app, engine).items():
        reads = [kind_of(parameters) for statement, parameters in seen if "summaries" in statement]
        found[name] = (len(seen), len(reads), sorted(reads))
    return found


def test_a_cold_page_reads_its_summary_in_at_most_two_queries_whatever_the_catalog(app, engine):
    """With the summaries built (after a load), a cold render reads the city cards, the
    comparisons, the assessments, the cards' lines or the panel's values with one query per
    kind on the summaries table, and computes none of them: the statements per render stay the
    same as the catalog grows, and the catalog-wide pages run fewer than before."""
    small = summary_reads_per_page(app, engine)
    for name, page_kind in (("overview?targets=2030", "overview"), ("benchmarks", "benchmarks"),
                            ("city?indicator=gdp", "city"), ("overview", "parts"),
                            ("city", "city-page")):
        reads = small[name][2]
        assert page_kind in reads and len(reads) == len(set(reads)), (name, small[name])
    for name in ("city?indicator=gdp", "core?indicator=gdp", "infrastructure?period=2024"):
        assert small[name][2].count("panel") == 1, (name, small[name])  # their charts' values
    for name in ("core", "enterprise", "infrastructure", "benchmarks", "core?indicator=gdp",
                 "infrastructure?period=2024"):
        assert small[name][2].count("parts") == 1, (name, small[name])  # charts kept as sent
    for name in ("core", "enterprise", "infrastructure"):  # a URL choosing nothing: its whole
        assert small[name][2] == ["parts"], (name, small[name])  # body kept as sent
    assert small["overview"][2] == ["parts", "progress"], small["overview"]  # cards kept as sent
    assert small["city"][2] == ["city-page"], small["city"]  # the whole page kept as sent
    grow_catalog(engine, indicators=12, regions=6)
    large = summary_reads_per_page(app, engine)
    assert large == small, {n: (small[n], large[n]) for n in small if small[n] != large[n]}
    from dashboard import data

    app.server.config[data.SUMMARY_KEY] = False  # computed in the render, as before the summary
    direct = statements_per_page(app, engine)
    for name in ("overview", "benchmarks", "city"):
        assert large[name][0] < direct[name], (name, large[name], direct[name])


def city_card(app, code: str, indicator: str) -> dict:
    from dashboard.cache import cache
    from dashboard.pages import city

    with app.server.test_request_context("/"):
        cache.clear()
        return next(r for r in city.city_rows(code, "en") if r["indicator_code"] == indicator)


def test_the_summary_follows_every_load_and_rollback(app, engine):
    """Built again after a committed load and after a rollback by data.refresh_summaries (what the
    commit's and the rollback's jobs run; tests/test_summary_jobs.py drives them), not by
    data.invalidate in the request nor by a render; only the current data's rows are kept; and a
    load that no page was told of is seen by the next render, computed directly."""
    from dashboard import data
    from etl.records import Value
    from etl.store.load import apply_plan, plan_changes, rollback, run_with_retry

    def load(value: float) -> int:
        def work(session):
            plan = plan_changes(session, [Value("digital_core_va", "230100", 2024, 0, "annual",
                                                value, "数据", "C9", f"{value:g}")])
            return apply_plan(session, plan, file_name="revision.xlsx", sha256="3" * 64,
                              loaded_by="tester").id
        return run_with_retry(engine, work)

    def stamps() -> set[str]:
        with engine.connect() as conn:
            return {row[0].split("|")[0] for row in conn.execute(text("SELECT stamp FROM summaries"))}

    harbin = city_card(app, "230100", "digital_core_va")
    assert (harbin["value"], harbin["rank"], harbin["of"]) == (120.0, 1, 13)

    batch = load(10.0)
    with app.server.test_request_context("/"):
        data.invalidate()  # what the upload page's request does after the commit: builds nothing
        stamp = data.data_stamp()
    assert stamp not in stamps()
    with app.server.test_request_context("/"):
        data.refresh_summaries()  # what the commit's job does
    kinds = {reader.kind for reader in data.SUMMARISED}
    assert {"city", "benchmarks", "progress", "overview"} <= kinds
    assert stamps() == {stamp}  # built for the new data, before any render; the old ones gone
    with engine.connect() as conn:
        built = {row[0] for row in conn.execute(text("SELECT DISTINCT kind FROM summaries"))}
    assert built == kinds
    harbin = city_card(app, "230100", "digital_core_va")
    assert (harbin["value"], harbin["rank"]) == (10.0, 13)

    rollback(engine, batch, user="admin", reason="wrong file")
    with app.server.test_request_context("/"):
        data.invalidate()  # the rollback's request
        data.refresh_summaries()  # the rollback's job
        stamp = data.data_stamp()
    assert stamps() == {stamp}
    harbin = city_card(app, "230100", "digital_core_va")
    assert (harbin["value"], harbin["rank"]) == (120.0, 1)

    load(95.0)  # no page told of it, no summary built; the stamp changes all the same
    harbin = city_card(app, "230100", "digital_core_va")
    assert (harbin["value"], harbin["rank"]) == (95.0, 1)  # computed by the render
    with app.server.test_request_context("/"):
        stamp = data.data_stamp()
    assert stamp not in stamps()  # and not built by it


def test_the_catalog_is_kept_in_memory_across_data_changes_until_it_changes(app, engine):
    """A worker reads the catalog (indicators, regions, targets) once: a cold render after a data
    change reads none of it again (3,454 regions in a national database); a change of the catalog
    (python -m etl init) changes its stamp, and the next render shows it."""
    from sqlalchemy import update

    from dashboard import data
    from dashboard.cache import cache
    from etl.store.db import session_scope
    from etl.store.models import Indicator

    first, _ = catalog_reads(app, engine)
    assert first > 0
    load_fixture_value(engine, 10.0)  # a data change: a new data stamp, the same catalog
    with app.server.test_request_context("/"):
        cache.clear()
        data.refresh_summaries()  # what the upload's commit job does
    after_upload, _ = catalog_reads(app, engine)
    assert after_upload == 0
    with session_scope(engine) as session:
        session.execute(update(Indicator).where(Indicator.code == "digital_core_va")
                        .values(name_en="Core digital value added (renamed)"))
    renamed, page = catalog_reads(app, engine)
    assert renamed > 0 and "Core digital value added (renamed)" in page


def test_a_gunicorn_worker_reads_the_catalog_before_it_serves(app, engine):
    """gunicorn.conf.py's post_worker_init (run by gunicorn once the worker has loaded the app)
    reads the catalog: the worker's first render reads none of it."""
    import gc
    import logging
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    from dashboard import data, summaries

    summaries.build_in(app)  # what app.py does in each worker, before this hook
    app.server.extensions.pop(data.CATALOG_KEY, None)  # a new worker: summaries built by another
    hooks = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    # what gunicorn hands the hook: its worker, with the loaded app (wsgi) and its logger
    worker = SimpleNamespace(wsgi=app.server, log=logging.getLogger("gunicorn.error"))
    try:
        hooks["post_worker_init"](worker)
    finally:
        gc.unfreeze()
        summaries.stop_watching()  # the hook started the worker's year watcher
    reads, page = catalog_reads(app, engine)
    assert reads == 0 and "page-core" in page


def catalog_reads(app, engine) -> tuple[int, str]:
    """Statements reading the catalog's tables in a cold render of /core (the cache emptied),
    and the page."""
    from sqlalchemy import event

    from dashboard.cache import cache
    from dashboard.pages import core

    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)
    with app.server.test_request_context("/"):
        cache.clear()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.server.test_request_context("/"):
            page = json.dumps(core.layout(lang="en"), ensure_ascii=False)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    catalog = [s for s in seen if "count(batches.id)" not in s  # (the stamps' statement)
               and any(f"FROM {table}" in s for table in ("indicators", "regions", "targets"))]
    return len(catalog), page


def load_fixture_value(engine, value: float) -> None:
    from etl.records import Value
    from etl.store.load import apply_plan, plan_changes, run_with_retry

    def work(session):
        plan = plan_changes(session, [Value("digital_core_va", "230100", 2024, 0, "annual",
                                            value, "数据", "C9", f"{value:g}")])
        apply_plan(session, plan, file_name="revision.xlsx", sha256="3" * 64, loaded_by="tester")
    run_with_retry(engine, work)


# --- cheap rendering: plain-dict figures, orjson ---------------------------------------------------

def test_plain_figures_are_what_plotly_validates(app):
    """The figures are built as plain dicts (no go.Figure validation in a render): plotly's own
    validation of each gives the same JSON back, so nothing invalid or different is sent."""
    import plotly.graph_objects as go
    from plotly.io.json import to_json_plotly

    from dashboard import components as c
    from dashboard.pages import benchmarks

    share = {"code": "x", "name_zh": "占比", "name_en": "Share", "unit": "%", "unit_en": "%",
             "direction": "higher", "measure": "ratio", "kind": "rate"}
    points = [{"year": 2020, "quarter": 0, "basis": "annual", "value": 7.0},
              {"year": 2023, "quarter": 3, "basis": "ytd", "value": 8.0, "derived": True}]
    target = {"value": 60.0, "target_year": 2025, "tolerance": 2.0, "kind": "approximately"}
    rows = [{"region_code": "230100", "name": "哈尔滨", "value": 12.0, "year": 2024, "quarter": 0,
             "basis": "annual"},
            {"region_code": "230200", "name": "齐齐哈尔", "value": 6.0, "year": 2024, "quarter": 0,
             "basis": "annual"}]
    with app.server.test_request_context("/"):
        figures = [
            c.time_series_figure([("黑龙江", points, "#000", "solid"), ("全国", points, "#777", "dot")],
                                 share, "zh", target=target),
            c.time_series_figure([("x", points, "#000", "solid")], share, "en", height=200),
            c.ranking_figure(rows, share, "zh", reference={"value": 8.0, "name": "黑龙江"},
                             target={"value": 10.0}, highlight="230100"),
            c.prefecture_map_figure({r["region_code"]: r for r in rows}, {"230100": "哈尔滨"}, share, "en"),
            c.prefecture_map_figure({}, {}, share, "zh"),
            benchmarks.ratio_figure([{**r, "region_code": "230000", "region": "黑龙江", "indicator": "占比",
                                      "period": "2024年", "unit": "%", "nation": 10.0, "ratio": 120.0,
                                      "gap": 2.0, "basis": "年度", "source": "x"} for r in rows],
                                    ["220000"], "zh"),
            c.responsive_graph(c.ranking_figure(rows, share, "en"), {}, id="g", lazy=True)
            .children.figure,
        ]
    for fig in figures:
        assert type(fig) is not go.Figure
        assert json.loads(to_json_plotly(go.Figure(fig))) == json.loads(fig.to_json())


def test_layouts_are_serialised_as_plotly_would(app):
    """cached_page writes a layout with orjson (components through their to_plotly_json): the
    same JSON as plotly's encoder, for every page."""
    import importlib

    import orjson
    from plotly.io.json import to_json_plotly

    from dashboard import data

    for name, query in SUMMARY_PAGES:
        with app.server.test_request_context("/"):
            layout = importlib.import_module(f"dashboard.pages.{name}").layout
            tree = getattr(layout, "uncached", layout)(lang="zh", **query)
            assert orjson.loads(data.to_json(tree)) == json.loads(to_json_plotly(tree)), name
