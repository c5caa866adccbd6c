"""One period, one name: the label of a value's period is the same on the overview card, in the
chart hovers, the ranking's title, the data grid, the export and the CLI, for a stock (5G base
stations), a year-to-date flow (core-industry value added) and a share (its share of GDP); and a
2026 quarter that one city has reported does not become the default period of /core or /city.

Everything is read through the functions that build the pages and the CLI's output.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import plotly.io
import pytest

from etl import periods as P
from etl.cli.main import main
from etl.store.db import session_scope
from etl.store.models import Batch, Observation
from tests.dashboard_fixture import public_app

HLJ, HARBIN = "230000", "230100"
CITIES = ["230100", "230200", "230300", "230400", "230500", "230600", "230700", "230800",
          "230900", "231000", "231100", "231200", "232700"]
Q3_2025, Q3_2026 = (2025, 3, "ytd"), (2026, 3, "ytd")

STOCK, FLOW, SHARE = "fiveg_base_stations", "digital_core_va", "digital_core_va_share"
KINDS = {STOCK: P.STOCK, FLOW: P.FLOW_YTD, SHARE: P.RATE}


def values() -> list[tuple]:
    rows = []
    for code, (ind, base) in {STOCK: ("fiveg_base_stations", 100000.0),
                              FLOW: ("digital_core_va", 1000.0), SHARE: ("x", 8.0)}.items():
        rows.append((code, HLJ, 2024, 0, "annual", base))
        rows.append((code, HLJ, *Q3_2025, base * 1.1))
        for i, city in enumerate(CITIES):
            rows.append((code, city, *Q3_2025, base / 20 + i))
        rows.append((code, HARBIN, *Q3_2026, base / 10))  # 2026: one city of 13 so far
    rows += [("gdp", HLJ, 2024, 0, "annual", 16000.0), ("gdp", HLJ, *Q3_2025, 12000.0)]
    return rows


@pytest.fixture
def app(engine, monkeypatch):
    with session_scope(engine) as s:
        batch = Batch(file_name="periods.xlsx", sha256="1" * 64, loaded_by="tester",
                      loaded_at=dt.datetime(2026, 11, 1, 9, 0), status="loaded")
        s.add(batch)
        s.flush()
        for n, (ind, region, year, quarter, basis, value) in enumerate(values(), start=2):
            s.add(Observation(indicator_code=ind, region_code=region, year=year, quarter=quarter,
                              basis=basis, value=value, version=1, is_current=True,
                              batch_id=batch.id, sheet="数据", cell=f"D{n}", raw_value=str(value)))
    return public_app(engine, monkeypatch, fixture=False)


def render(app, module: str, **query) -> dict:
    import importlib

    layout = importlib.import_module(f"dashboard.pages.{module}").layout
    with app.server.test_request_context("/"):
        tree = layout(**query)
    return json.loads(plotly.io.json.to_json_plotly(tree))


def nodes(tree):
    """Every component dict of a rendered tree."""
    if isinstance(tree, dict):
        if "props" in tree:
            yield tree
        for value in (tree.get("props") or {}).values():
            yield from nodes(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from nodes(item)


def find(tree, ident):
    return next((n for n in nodes(tree) if n["props"].get("id") == ident), None)


def chart(tree, ident) -> dict:
    """A chart as the reader sees it once drawn: a graph whose figure waits on its lazy wrapper
    (components.responsive_graph(lazy=True)) carries that figure."""
    from dashboard import components

    wrapper = find(tree, f"{ident}-lazy")
    if wrapper is None:
        return find(tree, ident)
    return {"props": {**find(tree, ident)["props"], "figure": components.lazy_figure(wrapper)}}


def text(tree) -> str:
    if isinstance(tree, (str, int, float)):
        return str(tree)
    if isinstance(tree, list):
        return " ".join(text(t) for t in tree)
    if isinstance(tree, dict):
        return text((tree.get("props") or {}).get("children", ""))
    return ""


def hover_periods(graph: dict) -> set[str]:
    """The period column of every hover row of a graph (components.hover_rows: name, period,
    value, basis, source)."""
    found = set()
    for trace in graph["props"]["figure"]["data"]:
        for row in trace.get("customdata") or []:
            if isinstance(row, list) and len(row) == 5:
                found.add(row[1])
    return found


def card_title_of(tree, graph_id: str) -> str:
    """The title of the chart card that holds graph `graph_id` (components.chart_block)."""
    for node in nodes(tree):
        children = node["props"].get("children")
        if isinstance(children, list) and any(isinstance(c, dict) and c.get("props", {}).get("id")
                                              in (graph_id, f"{graph_id}-lazy") for c in children):
            return text(next(c for c in children if isinstance(c, dict) and c.get("type") == "H2"))
    raise AssertionError(f"no chart card holds {graph_id}")


def label(code: str, lang: str, period=Q3_2025) -> str:
    return P.format_period(period, KINDS[code], lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_label_on_card_hover_and_ranking(app, lang):
    stock, share, flow = label(STOCK, lang), label(SHARE, lang), label(FLOW, lang)
    assert (label(STOCK, "zh"), label(FLOW, "zh"), label(SHARE, "zh")) == \
        ("2025年第三季度末", "2025年前三季度", "2025年前三季度")
    overview = render(app, "overview", lang=lang)
    assert stock in text(find(overview, f"card-{STOCK}"))
    assert share in text(find(overview, f"card-{SHARE}"))

    infra = render(app, "infrastructure", lang=lang)
    assert stock in hover_periods(chart(infra, "chart-fiveg-stations"))
    assert hover_periods(chart(infra, "chart-infra-ranking")) == {stock}
    assert card_title_of(infra, "chart-infra-ranking").endswith(" · " + stock)

    core = render(app, "core", lang=lang)
    assert share in hover_periods(chart(core, "chart-core-share"))
    assert hover_periods(chart(core, "chart-core-ranking")) == {share}
    core_flow = render(app, "core", lang=lang, indicator=FLOW)
    assert hover_periods(chart(core_flow, "chart-core-ranking")) == {flow}
    assert card_title_of(core_flow, "chart-core-map").endswith(" · " + flow)


def test_one_label_in_grid_export_and_cli(app, engine, capsys, tmp_path):
    grid = render(app, "data_grid", lang="zh", region=HLJ)
    rows = find(grid, "data-grid")["props"]["rowData"]
    names = {STOCK: "5G基站数", FLOW: "数字经济核心产业增加值", SHARE: "数字经济核心产业增加值占GDP比重"}
    for code, name in names.items():
        mine = [r for r in rows if r["indicator"] == name and r["value"] != 8.0 and r["period"] != "2024年"
                and r["period"] != "2024年末"]
        assert [r["period"] for r in mine] == [label(code, "zh")], code
    assert {r["basis"] for r in rows if r["indicator"] == "5G基站数"} == {"期末值"}

    for code in names:
        out = tmp_path / f"{code}.csv"
        assert main(["export", "--indicator", code, "--region", HLJ, "-o", str(out)], engine=engine) == 0
        exported = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        q3 = [r for r in exported if (r["年 year"], r["季度 quarter (0=全年 year)"]) == ("2025", "3")]
        assert [r["期间 period"] for r in q3] == [label(code, "zh")]
        assert q3[0]["口径 basis"] == ("eop" if code == STOCK else "ytd")
    capsys.readouterr()

    assert main(["progress", "--wide"], engine=engine) == 0  # whole names, whatever the terminal
    table = capsys.readouterr().out
    share_line = next(line for line in table.splitlines() if "核心产业增加值占GDP比重" in line)
    stock_line = next(line for line in table.splitlines() if "5G基站数" in line and "每万人" not in line)
    assert label(SHARE, "zh") in share_line and label(STOCK, "zh") in stock_line


def period_control(tree) -> dict:
    return next(n for n in nodes(tree) if n["props"].get("id") == {"type": "url-param", "name": "period"})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_quarter_one_city_has_reported_is_not_the_default(app, lang):
    core = render(app, "core", lang=lang)
    control = period_control(core)
    assert control["props"]["value"] == P.Period(*Q3_2025).key  # not 2026Q3
    options = {o["value"]: o["label"] for o in control["props"]["options"]}
    partial = {"zh": f"{label(SHARE, 'zh', Q3_2026)}（1/13个市有数据）",
               "en": f"{label(SHARE, 'en', Q3_2026)} (1 of 13 cities)"}[lang]
    assert options[P.Period(*Q3_2026).key] == partial
    assert options[P.Period(*Q3_2025).key] == label(SHARE, lang)
    assert len(hover_periods(chart(core, "chart-core-ranking"))) == 1
    assert len(chart(core, "chart-core-ranking")["props"]["figure"]["data"][0]["y"]) == 13

    city = render(app, "city", code=HARBIN, lang=lang)
    graph = chart(city, "chart-city-ranking")
    assert hover_periods(graph) == {label(SHARE, lang)}  # the 13 cities of 2025, not 1 of 2026
    table = text(find(city, "city-table"))
    assert label(STOCK, lang) in table and label(SHARE, lang, Q3_2026) not in table
