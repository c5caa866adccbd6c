"""One wording snapshot per page and language: the visible texts of each page's layout, on the demo
data, compared exactly with tests/snapshots/<page>.<lang>.txt.

What a snapshot holds: the page as the router serves it (`_pages_content`, posted the way the
browser posts it; an admin signed in, the login page anonymous), walked depth first; of every
component, in this order, its `children` strings and numbers, `placeholder`, `label`, `title`, the
labels of its `options` and the `headerName`s of a grid's columns — one text a line, a newline
inside a text written as `\\n`. Not in it: the charts (drawn lazily, by callbacks), the grids' rows,
and what callbacks fill in after the page has loaded. Other tests assert on the structure
(component ids, values); the snapshot is where a change of wording shows, as a diff in review.

Stable on purpose: the demo data are generated without randomness (etl/demo/series.py; the measures
demo with a fixed seed); the load times the demo batches get are set to one fixed time, and the
progress engine's "this year" to 2026 (the demo's last year is 2025), so that the snapshots do not
age.

To write the snapshots again after a deliberate change of wording or of the demo data:

    UPDATE_SNAPSHOTS=1 python -m pytest tests/test_wording_snapshots.py

and read the diff (`git diff tests/snapshots/`) before committing it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Iterator

import dash
import pytest
from sqlalchemy import update

from etl.store.models import Batch
from tests.accounts_helpers import DashClient, add_users, make_app, response_json

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
AS_OF_YEAR = 2026
LOADED_AT = dt.datetime(2026, 3, 1, 9, 0)

# snapshot name -> (page module in dash.page_registry, path, query without lang)
PAGES = {
    "overview": ("dashboard.pages.overview", "/", ""),
    "core": ("dashboard.pages.core", "/core", ""),
    "enterprise": ("dashboard.pages.enterprise", "/enterprise", ""),
    "infrastructure": ("dashboard.pages.infrastructure", "/infrastructure", ""),
    "benchmarks": ("dashboard.pages.benchmarks", "/benchmarks", ""),
    "city": ("dashboard.pages.city", "/city/230100", ""),
    "data": ("dashboard.pages.data_grid", "/data", ""),
    "measures": ("dashboard.pages.measures", "/measures", ""),
    "measure": ("dashboard.pages.measure", "/measure", "m=12"),
    "units": ("dashboard.pages.units", "/units", "unit=gxt"),
    "method": ("dashboard.pages.method", "/method", ""),
    "history": ("dashboard.pages.history", "/history", ""),
    "briefings": ("dashboard.pages.briefings", "/briefings", ""),
    "upload": ("dashboard.pages.upload", "/upload", ""),
    "admin": ("dashboard.pages.admin", "/admin", ""),
    "account": ("dashboard.pages.login.account", "/account", ""),
    "login": ("dashboard.pages.login", "/login", ""),
}
ANONYMOUS_PAGES = {"login"}  # signed in, the login page only says so
TEXT_PROPS = ("children", "placeholder", "label", "title")


def visible_texts(tree: Any) -> Iterator[str]:
    """The texts of a serialised component tree, depth first, in the order described above."""
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, (int, float)) and not isinstance(tree, bool):
        yield str(tree)
    elif isinstance(tree, list):
        for item in tree:
            yield from visible_texts(item)
    elif isinstance(tree, dict) and isinstance(tree.get("props"), dict):
        props = tree["props"]
        for name in TEXT_PROPS:
            value = props.get(name)
            if name == "children" or isinstance(value, str):
                yield from visible_texts(value)
        for option in props.get("options") or []:
            if isinstance(option, dict):
                yield from visible_texts(option.get("label"))
            else:
                yield from visible_texts(option)
        for column in props.get("columnDefs") or []:
            if isinstance(column, dict) and column.get("headerName"):
                yield column["headerName"]


def snapshot_text(tree: Any) -> str:
    lines = (text.strip().replace("\n", "\\n") for text in visible_texts(tree))
    return "".join(line + "\n" for line in lines if line)


@pytest.fixture(scope="module")
def clients(databases, tmp_path_factory):
    """(signed-in admin, anonymous visitor) on one app over the demo data, for the module."""
    folder = tmp_path_factory.mktemp("wording")
    engine, cleanup = databases.new(folder, seeded=True, demo=True)  # a copy of load_demo's result
    with engine.begin() as conn:  # the load times would be today's
        conn.execute(update(Batch).values(loaded_at=LOADED_AT))
    add_users(engine, ("admin",))
    app = make_app(engine, instance_dir=folder / "instance")
    admin = DashClient(app)
    assert response_json(admin.login("admin"))["response"]["login-redirect"]["href"] == "/"
    yield admin, DashClient(app)
    engine.dispose()
    cleanup()


def page_tree(client: DashClient, path: str, search: str) -> Any:
    response = client.post("_pages_content", {"_pages_location.pathname": path,
                                              "_pages_location.search": search})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response_json(response)["response"]["_pages_content"]["children"]


def test_every_page_has_a_snapshot(clients):
    registered = {entry["module"] for entry in dash.page_registry.values()}
    assert {module for module, _, _ in PAGES.values()} == registered


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_wording_matches_its_snapshot(clients, monkeypatch, name, lang):
    from etl.progress import engine as progress_engine

    monkeypatch.setattr(progress_engine, "this_year", lambda: AS_OF_YEAR)
    admin, anonymous = clients
    _, path, query = PAGES[name]
    search = "?" + "&".join(part for part in (f"lang={lang}", query) if part)
    tree = page_tree(anonymous if name in ANONYMOUS_PAGES else admin, path, search)
    shown = snapshot_text(tree)
    snapshot = SNAPSHOTS / f"{name}.{lang}.txt"
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(shown, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}: write it with UPDATE_SNAPSHOTS=1"
    assert shown == snapshot.read_text(encoding="utf-8"), (
        f"the wording of {path}{search} changed; if meant, UPDATE_SNAPSHOTS=1 and check the diff")
