"""The response cache (dashboard/response_cache.py): finished answers of pure, read-only callbacks
sent again — never to another role, never after the data changed, never for a callback that is not
on the allow-list, never to a visitor who may not view.

Each test posts the same request body twice or more, as two browsers on the same page would, and
checks what the second caller receives against what that caller may see.
"""
from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask

from dashboard import response_cache
from dashboard.cache import cache
from tests import messy_files
from tests.accounts_helpers import DashClient, add_users, find_component, make_app, response_json
from tests.dashboard_fixture import load_fixture
from tests.test_upload import commit, signed_in, upload

PAGE = {"_pages_location.pathname": "/", "_pages_location.search": ""}
GRID = {"data-grid.getRowsRequest": {"startRow": 0, "endRow": 100}, "url.search": ""}


def frame(path: str = "/") -> dict:
    return {"url.pathname": path, "url.search": ""}


def stored(app) -> int:
    """Answers kept by this app's worker."""
    return len(app.server.extensions[response_cache.EXTENSION]["local"])


def nav_ids(response) -> set[str]:
    navbar = response_json(response)["response"]["navbar"]["children"]
    ids = set()
    stack = [navbar]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if isinstance(props.get("id"), str):
                ids.add(props["id"])
            stack.extend(v for v in props.values() if isinstance(v, (list, dict)))
    return ids


def grid_rows(response) -> list[dict]:
    return response_json(response)["response"]["data-grid"]["getRowsResponse"]["rowData"]


@pytest.fixture
def users(engine):
    load_fixture(engine, demo=True)
    add_users(engine, ("admin", "ana", "vic", "ana2"))
    return engine


def test_a_second_viewer_gets_the_stored_answer_byte_for_byte(users):
    app = make_app(users, public_viewing=True)
    first, second = DashClient(app), DashClient(app)
    before = stored(app)
    answers = [client.post("_pages_content", PAGE) for client in (first, second)]
    assert [a.status_code for a in answers] == [200, 200]
    assert stored(app) == before + 1  # computed once, kept once
    assert answers[0].get_data() == answers[1].get_data()
    # a client that accepts gzip gets the stored compressed bytes; they decode to the same answer
    zipped = second.client.post("/_dash-update-component",
                                data=json.dumps(second.payload(second.callback_key("_pages_content"), PAGE)),
                                content_type="application/json",
                                headers={"X-CSRFToken": second.csrf(), "Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers.get("Vary", "")
    assert gzip.decompress(zipped.get_data()) == answers[0].get_data()
    # the security headers and no-store are added to a stored answer as to any other
    assert zipped.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in zipped.headers["Content-Security-Policy"]


def test_a_large_answer_is_sent_fast_then_kept_smaller(users, monkeypatch):
    """An answer of FAST_GZIP bytes or more goes to its first viewer at the fast level; the entry
    kept for the next viewers is the same answer compressed again at the small level."""
    monkeypatch.setattr(response_cache, "FAST_GZIP", 2048)  # the fixture's pages are small
    app = make_app(users, public_viewing=True)
    client = DashClient(app)
    key = client.callback_key("_pages_content")

    def zipped():
        return client.client.post("/_dash-update-component",
                                  data=json.dumps(client.payload(key, PAGE)),
                                  content_type="application/json",
                                  headers={"X-CSRFToken": client.csrf(), "Accept-Encoding": "gzip"})

    first = zipped()
    body = gzip.decompress(first.get_data())
    assert len(body) >= 2048
    assert first.get_data()[10:] == gzip.compress(body, compresslevel=response_cache.FAST_LEVEL)[10:]
    response_cache.settle()
    second = zipped()
    assert gzip.decompress(second.get_data()) == body
    assert second.get_data()[10:] == gzip.compress(body, compresslevel=response_cache.SMALL_LEVEL)[10:]
    assert len(second.get_data()) < len(first.get_data())


def test_the_csrf_check_still_refuses_before_a_stored_answer(users):
    app = make_app(users, public_viewing=True)
    client = DashClient(app)
    assert client.post("_pages_content", PAGE).status_code == 200
    assert client.post("_pages_content", PAGE, csrf=False).status_code == 403


def test_roles_never_share_an_answer(users):
    app = make_app(users, public_viewing=True)
    admin, viewer, visitor = signed_in(app, "admin"), signed_in(app, "vic"), DashClient(app)
    admin_frame = admin.post("navbar", frame())
    assert "nav-admin" in nav_ids(admin_frame)
    for client in (viewer, visitor):  # the identical request, after the admin's answer was kept
        answer = client.post("navbar", frame())
        assert answer.status_code == 200
        assert "nav-admin" not in nav_ids(answer)
        assert answer.get_data() != admin_frame.get_data()
    # the data grid names who loaded a value for signed-in users only
    assert {r["loaded_by"] for r in grid_rows(viewer.post("data-grid", GRID))} == {"tester"}
    assert {r["loaded_by"] for r in grid_rows(visitor.post("data-grid", GRID))} == {""}
    assert {r["loaded_by"] for r in grid_rows(viewer.post("data-grid", GRID))} == {"tester"}


def test_an_upload_and_a_rollback_are_seen_at_once(users):
    app = make_app(users, public_viewing=True)
    viewer = signed_in(app, "vic")
    before = grid_rows(viewer.post("data-grid", GRID))
    assert grid_rows(viewer.post("data-grid", GRID)) == before  # kept
    analyst = signed_in(app, "ana")
    _, ids = upload(analyst, messy_files.provincial_xlsx())
    body = commit(analyst, ids)
    # what the browser posts next: this worker forgets its data stamp (the job ran elsewhere)
    assert analyst.post("upload-refreshed", {
        "upload-committed.data": body["upload-committed"]["data"]}).status_code == 200
    after_upload = grid_rows(viewer.post("data-grid", GRID))
    assert after_upload != before
    uploaded = max(r["batch_id"] for r in after_upload)
    assert uploaded > max(r["batch_id"] for r in before)
    admin = signed_in(app, "admin")
    rolled = admin.post("history-rollback-result", {
        "history-rollback-btn.n_clicks": 1, "history-batches.selectedRows": [{"id": uploaded}],
        "history-rollback-reason.value": "测试回滚缓存", "history-lang.data": "zh"})
    assert rolled.status_code == 200
    after_rollback = grid_rows(viewer.post("data-grid", GRID))
    assert uploaded not in {r["batch_id"] for r in after_rollback}
    assert sorted(after_rollback, key=lambda r: r["key"]) == sorted(before, key=lambda r: r["key"])


def test_a_catalog_change_is_seen_without_a_data_change(users):
    """python -m etl init may rename an indicator (or change regions, targets) without loading data:
    the data stamp stays, the catalog stamp changes, and no kept answer shows the old name."""
    from sqlalchemy import update

    from dashboard import data
    from etl.store.db import session_scope
    from etl.store.models import Indicator

    app = make_app(users, public_viewing=True)
    viewer = DashClient(app)
    core = {"_pages_location.pathname": "/core", "_pages_location.search": "?lang=en"}
    before = viewer.post("_pages_content", core).get_data(as_text=True)
    assert viewer.post("_pages_content", core).get_data(as_text=True) == before  # kept
    assert "(renamed)" not in before
    with session_scope(users) as session:
        session.execute(update(Indicator).where(Indicator.code == "digital_core_va")
                        .values(name_en="Core digital value added (renamed)"))
    with app.server.app_context():
        data.invalidate()  # the worker's stamps read again (at most STAMP_SECONDS later otherwise)
    after = viewer.post("_pages_content", core).get_data(as_text=True)
    assert "Core digital value added (renamed)" in after


def test_callbacks_off_the_allow_list_are_never_kept(users):
    app = make_app(users, public_viewing=True)
    first, second = signed_in(app, "ana"), signed_in(app, "ana2")  # two analysts: the same role
    kept = stored(app)
    # pages with roles show the user's own things: never kept, whoever asks
    for path in ("/account", "/upload", "/history", "/login"):
        for client in (first, second):
            client.post("_pages_content", {"_pages_location.pathname": path,
                                           "_pages_location.search": ""})
    own = [client.post("_pages_content", {"_pages_location.pathname": "/account",
                                          "_pages_location.search": ""}) for client in (first, second)]
    names = [find_component(response_json(r)["response"]["_pages_content"]["children"],
                            "account-username")["props"]["children"] for r in own]
    assert names == ["ana", "ana2"]
    # a wrong password twice: both attempts reach the server (throttling counts them)
    for _ in range(2):
        DashClient(app).login("ana", "wrong-password")
    # a read-only callback not on the list
    first.post("history-versions", {"history-values.selectedRows": [], "history-lang.data": "zh"})
    assert stored(app) == kept
    with app.server.test_request_context("/_dash-update-component", method="POST",
                                         json=first.payload(first.callback_key("login-message"), {})):
        assert response_cache.request_key() is None
    # unknown pages (404) are not kept either
    first.post("_pages_content", {"_pages_location.pathname": "/no-such-page",
                                  "_pages_location.search": ""})
    assert stored(app) == kept


def test_a_visitor_without_public_viewing_gets_the_login_form_not_a_kept_page(users):
    app = make_app(users, public_viewing=False)
    viewer, visitor = signed_in(app, "vic"), DashClient(app)
    page = viewer.post("_pages_content", PAGE)
    assert find_component(response_json(page)["response"]["_pages_content"]["children"],
                          "login-form") is None
    viewer.post("data-grid", GRID)
    kept = stored(app)
    assert kept >= 2
    refused = visitor.post("_pages_content", PAGE)
    assert refused.status_code == 200
    assert find_component(response_json(refused)["response"]["_pages_content"]["children"],
                          "login-form") is not None
    assert visitor.post("data-grid", GRID).status_code == 401
    assert stored(app) == kept  # nothing kept for a visitor who may not view


def test_the_shared_cache_serves_another_worker(users):
    app = make_app(users, public_viewing=True)
    client = DashClient(app)
    first = client.post("_pages_content", PAGE)
    local = app.server.extensions[response_cache.EXTENSION]["local"]
    local.clear()  # another worker: nothing in its memory, the answer in the shared cache
    again = client.post("_pages_content", PAGE)
    assert again.get_data() == first.get_data()
    assert stored(app) == 1
    with app.server.app_context():
        cache.clear()
    local.clear()
    assert client.post("_pages_content", PAGE).get_data() == first.get_data()


def test_the_look_up_refuses_to_run_before_the_guards():
    server = Flask(__name__)
    with pytest.raises(RuntimeError, match="after init_auth"):
        response_cache.init_response_cache(server, role=lambda: "viewer", may_view=lambda role: True)


def test_the_local_store_keeps_within_its_budget():
    store = response_cache.LocalStore(limit=100)
    for index in range(10):
        store.put(f"k{index}", b"x" * 30)
    assert store.size <= 100 and len(store) == 3
    assert store.get("k9") == b"x" * 30 and store.get("k0") is None
