"""Performance properties that can be asserted without timing anything (issue 13).

- SQL statements per page render do not grow with the number of indicators or regions;
- the data vintage is read through an index on PostgreSQL and SQLite (the planners' plans);
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
         ("benchmarks", {}), ("city", {"code": "230100"}), ("data_grid", {}), ("method", {})]


def statements_per_page(app, engine) -> dict[str, int]:
    """SQL statements each page's layout and the frame execute with an empty cache."""
    import importlib

    from sqlalchemy import event

    from dashboard import data, shell
    from dashboard.cache import cache

    counts = {}
    for name, query in PAGES:
        layout = importlib.import_module(f"dashboard.pages.{name}").layout
        seen = []

        def count(*_args, **_kwargs):
            seen.append(1)
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
        counts[name] = len(seen)
    return counts


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


# --- the data vintage from an index ----------------------------------------------------------------

def test_data_vintage_reads_an_index_on_both_databases(engine):
    """max(year) and max(quarter) of current values: the planner uses ix_observation_vintage
    (PostgreSQL is told not to prefer a sequential scan, as it would on a table this small)."""
    load_fixture(engine)
    year = "SELECT max(year) FROM observations WHERE is_current = :t"
    quarter = "SELECT max(quarter) FROM observations WHERE is_current = :t AND year = 2023"
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plans = [" ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + q), {"t": 1}))
                     for q in (year, quarter)]
        else:
            conn.execute(text("SET enable_seqscan = off"))
            plans = [" ".join(r[0] for r in conn.execute(text("EXPLAIN " + q), {"t": True}))
                     for q in (year, quarter)]
    for plan in plans:
        assert "ix_observation_vintage" in plan, plan


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
