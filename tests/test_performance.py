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
from tests.dashboard_fixture import load_fixture


@pytest.fixture
def app(engine, monkeypatch):
    monkeypatch.setenv("PUBLIC_VIEWING", "1")
    load_fixture(engine, demo=True)
    from dashboard import create_app

    app = create_app(engine, load_demo_if_empty=False)
    app.server.config.update(TESTING=True, PUBLIC_VIEWING=True)
    return app


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
