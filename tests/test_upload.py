"""The analysts' upload flow over HTTP, as the browser drives it: check, report, annotated copy,
preview, commit, cancel, two analysts at once, and files that are not what they claim to be."""
from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden, Unauthorized

from etl import config
from etl.store.db import session_scope
from dashboard.accounts.models import AuditEvent
from etl.store.models import Batch, Observation, PendingUpload
from tests import messy_files
from etl.wording.catalogue import pair, t
from tests.accounts_helpers import (DashClient, add_users, all_components, component_text,
                                    find_component, make_app, output_text, response_json, table_rows)


@pytest.fixture
def app(engine):
    add_users(engine, ("admin", "ana", "vic", "ana2"))
    return make_app(engine)


def signed_in(app, name: str) -> DashClient:
    client = DashClient(app)
    assert response_json(client.login(name))["response"]["login-redirect"]["href"] == "/"
    return client


def data_url(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def run_background(client: DashClient, output_id: str, values: dict, triggered: str,
                   progress: list | None = None, timeout: float = 60.0):
    """Start a background callback and poll it as dash-renderer does: the first answer holds the
    signed cacheKey and job; polls send them back (inputs emptied) until the response arrives."""
    key = client.key_for_input(triggered)
    payload = client.payload(key, values, triggered)
    return run_background_payload(client, payload, progress, timeout, output_id)


def run_background_payload(client: DashClient, payload: dict, progress: list | None = None,
                           timeout: float = 60.0, output_id: str = ""):
    """run_background for a payload built by hand (pattern-matching inputs)."""
    return poll_background(client, *start_background(client, payload), progress, timeout, output_id)


def start_background(client: DashClient, payload: dict) -> tuple[dict, dict]:
    """The job's handles, and the payload its polls send (inputs emptied)."""
    started = client.client.post("/_dash-update-component", data=json.dumps(payload),
                                 content_type="application/json",
                                 headers={"X-CSRFToken": client.csrf()})
    assert started.status_code == 200, started.get_data(as_text=True)[:500]
    handles = response_json(started)
    assert set(handles) >= {"cacheKey", "job"}, handles  # really a background job
    for item in payload["inputs"] + payload["state"]:
        for each in item if isinstance(item, list) else [item]:
            each["value"] = None
    return handles, payload


def poll_background(client: DashClient, handles: dict, payload: dict, progress: list | None = None,
                    timeout: float = 60.0, output_id: str = ""):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        polled = client.client.post(
            "/_dash-update-component", query_string={"cacheKey": handles["cacheKey"],
                                                     "job": handles["job"]},
            data=json.dumps(payload), content_type="application/json",
            headers={"X-CSRFToken": client.csrf()})
        assert polled.status_code in (200, 204), polled.get_data(as_text=True)[:500]
        body = response_json(polled) if polled.status_code == 200 else {}
        if progress is not None and body.get("progress"):
            progress.append(body["progress"])
        if "response" in body:
            return polled
        time.sleep(0.05)
    raise AssertionError(f"background callback {output_id} did not finish in {timeout} s")


def upload(client: DashClient, *files: tuple[bytes, str], skip_unknown: bool = False,
           progress: list | None = None) -> tuple[dict, list[str]]:
    """Check files as the upload page does: (the callback's answer as data, output id -> props;
    the pending uploads' ids). Tests look in it for components (by_class, badges, problem_rows)."""
    response = run_background(client, "upload-results", {
        "upload-files.contents": [data_url(d) for d, _ in files],
        "upload-files.filename": [n for _, n in files],
        "upload-skip-unknown.value": skip_unknown, "upload-lang.data": "zh",
        "upload-nonce.data": client.csrf()[:16],
    }, "upload-files.contents", progress)
    body = response_json(response)["response"]
    return body, body["upload-pending"]["data"]


def start_check(client: DashClient, data: bytes, name: str, *,
                nonce: str | None = None) -> tuple[dict, dict]:
    """Start checking one file as a background job, as the browser does: (the payload to poll
    with, its values emptied as the browser's polls send them; the job's handles)."""
    values = {"upload-files.contents": [data_url(data)], "upload-files.filename": [name],
              "upload-lang.data": "zh", "upload-skip-unknown.value": False}
    if nonce is not None:
        values["upload-nonce.data"] = nonce
    payload = client.payload(client.key_for_input("upload-files.contents"), values, "upload-files.contents")
    started = client.client.post("/_dash-update-component", data=json.dumps(payload),
                                 content_type="application/json", headers={"X-CSRFToken": client.csrf()})
    for item in payload["inputs"] + payload["state"]:
        item["value"] = None
    return payload, response_json(started)


def commit(client: DashClient, pending_ids: list[str], progress: list | None = None) -> dict:
    """Commit pending uploads as the page's button does: the callback's answer as data
    (commit_messages reads its alerts)."""
    response = run_background(client, "upload-commit-result", {
        "upload-commit.n_clicks": 1, "upload-pending.data": pending_ids,
        "upload-lang.data": "zh", "upload-nonce.data": client.csrf()[:16]},
        "upload-commit.n_clicks", progress)
    return response_json(response)["response"]


def by_class(tree, name: str) -> list[dict]:
    """The components of a callback response whose className includes `name`."""
    return [c for c in all_components(tree) if name in str(c["props"].get("className") or "").split()]


def badges(body: dict) -> list[str]:
    """The status badge of each file card in the check's answer, as its class names it."""
    return [cls for card in by_class(body["upload-results"], "upload-file-card")
            for c in all_components(card) if c.get("type") == "Badge"
            for cls in c["props"]["className"].split() if cls.startswith("upload-status-")]


def badge_text(body: dict) -> list[str]:
    return [component_text(c) for c in all_components(body["upload-results"]) if c.get("type") == "Badge"]


def problem_rows(body: dict) -> list[dict]:
    """The rows of the problems tables in an answer: severity, sheet, cell, code, value, message."""
    fields = ("severity", "sheet", "cell", "code", "value", "message")
    return [dict(zip(fields, row)) for table in by_class(body, "problems-table")
            for row in table_rows(table)]


def commit_messages(body: dict) -> list[str]:
    """The text of each alert the commit answers with (a stale upload's: its first paragraph)."""
    found = []
    for alert in all_components(body["upload-commit-result"]):
        if alert.get("type") == "Alert":
            children = alert["props"]["children"]
            found.append(component_text(children[0] if isinstance(children, list) else children))
    return found


def loaded_message(engine, batch_index: int = -1, **changes) -> str:
    with session_scope(engine) as db:
        batch = db.scalars(select(Batch).order_by(Batch.id)).all()[batch_index]
        return t("upload.done", "zh", file=batch.file_name, batch=batch.id, **changes)


def counts(engine) -> tuple[int, int]:
    with session_scope(engine) as db:
        return (db.scalar(select(func.count()).select_from(Batch)),
                db.scalar(select(func.count()).select_from(Observation)))


def actions(engine) -> list[str]:
    with session_scope(engine) as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def pending_rows(engine) -> list[PendingUpload]:
    with session_scope(engine) as db:
        return list(db.scalars(select(PendingUpload).order_by(PendingUpload.created_at)))


def test_messy_file_is_reported_rejected_and_changes_nothing(app, engine):
    client = signed_in(app, "ana")
    before = counts(engine)
    data, name = messy_files.provincial_xlsx(cell_overrides={"B7": "一百二十"})
    body, pending_ids = upload(client, (data, name))
    assert pending_ids == []  # nothing to commit
    assert badges(body) == ["upload-status-rejected"]
    assert badge_text(body) == ["✗ " + t("upload.rejected", "zh")]
    assert [(p["cell"], p["value"]) for p in problem_rows(body) if p["cell"] == "B7"] == [("B7", "一百二十")]
    assert counts(engine) == before
    assert actions(engine)[-1] == "upload-rejected"
    row = pending_rows(engine)[-1]
    assert row.status == "rejected" and row.owner == "ana"
    # the annotated copy marks B7 with a comment
    request_body = json.dumps(annotate_payload(client, row.id))
    # built in a background job (dashboard/jobs.py), never in the web worker's request
    annotated = run_background_payload(client, json.loads(request_body))
    download = response_json(annotated)["response"]["upload-annotated-download"]["data"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert "B7" in str(book.worksheets[0]["C2"].value or "") or any(
        "B7" == (c.value or "") for c in book.worksheets[0]["C"])
    assert book["各市"]["B7"].comment is not None
    # another analyst cannot fetch it
    other = signed_in(app, "ana2")
    stolen = run_background_payload(other, json.loads(request_body))
    assert "upload-annotated-download" not in response_json(stolen)["response"]


def test_good_file_preview_then_commit(app, engine):
    client = signed_in(app, "ana")
    data, name = messy_files.provincial_xlsx()
    body, pending_ids = upload(client, (data, name))
    assert len(pending_ids) == 1 and badges(body) == ["upload-status-ok"]
    assert body["upload-actions"]["style"] == {"display": "block"}
    new = len(preview_grid_rows(body))
    assert new and [component_text(c) for c in by_class(body, "preview-new")] == [
        t("upload.new", "zh", n=new)]
    assert counts(engine)[0] == 0  # the preview wrote nothing
    body = commit(client, pending_ids)
    assert commit_messages(body) == [loaded_message(engine, new=new, revised=0, unchanged=0)]
    with session_scope(engine) as db:
        batch = db.scalars(select(Batch)).one()
        assert batch.loaded_by == "ana" and batch.file_name == name
    assert actions(engine)[-2:] == ["upload", "commit"]
    assert pending_rows(engine)[-1].status == "committed"
    # committing the same pending upload twice (a double click, another tab) loads nothing more
    body = commit(client, pending_ids)
    assert commit_messages(body) == [t("upload.gone", "zh", file=name)] and counts(engine)[0] == 1


def preview_grid_rows(body: dict) -> list[dict]:
    """The rows of the upload card's preview grid (the ag-grid with class preview-grid)."""
    return [row for c in all_components(body) if "preview-grid" in str(c["props"].get("className") or "")
            for row in c["props"].get("rowData") or []]


def test_preview_lists_new_revised_and_unchanged_values_in_a_grid(app, engine):
    client = signed_in(app, "ana")
    first, name = messy_files.provincial_xlsx()
    body, ids = upload(client, (first, name))
    rows = preview_grid_rows(body)
    assert rows and {r["change"] for r in rows} == {"新增"}
    assert all(r["old"] is None and r["new"] is not None for r in rows)
    commit(client, ids)
    revised, _ = messy_files.provincial_xlsx(cell_overrides={"B5": 1300.0})
    body, _ = upload(client, (revised, "revised-" + name))
    rows = preview_grid_rows(body)
    changed = [r for r in rows if r["change"] == "修订"]
    assert [(r["old"], r["new"]) for r in changed] == [(1234.5, 1300.0)]
    assert changed[0]["region"] != "230000" and changed[0]["cell"]  # names, and where it is
    same = [r for r in rows if r["change"] == "未变"]
    assert same and all(r["old"] == r["new"] for r in same)
    assert len(rows) == len(changed) + len(same)


def test_cancel(app, engine):
    client = signed_in(app, "ana")
    _, pending_ids = upload(client, messy_files.provincial_xlsx())
    response = client.post("upload-commit-result", {"upload-cancel.n_clicks": 1,
                                                    "upload-pending.data": pending_ids,
                                                    "upload-lang.data": "zh"},
                           triggered="upload-cancel.n_clicks")
    assert output_text(response, "upload-commit-result") == t("upload.cancelled", "zh")
    assert pending_rows(engine)[-1].status == "cancelled" and counts(engine)[0] == 0
    assert actions(engine)[-1] == "cancel"


def test_someone_elses_pending_upload_cannot_be_committed(app, engine):
    owner = signed_in(app, "ana")
    _, pending_ids = upload(owner, messy_files.provincial_xlsx())
    thief = signed_in(app, "ana2")
    body = commit(thief, pending_ids)
    assert commit_messages(body) == [t("upload.commit_refused", "zh")] and counts(engine)[0] == 0
    assert pending_rows(engine)[-1].status == "pending"  # still the owner's to commit
    assert actions(engine)[-1] == "commit-refused"  # the handle's use by another user is recorded
    # an upload that is no longer there (expired and purged, or never was): said without a name
    body = commit(owner, ["0" * 32])
    assert commit_messages(body) == [t("upload.gone_unnamed", "zh")]
    body = commit(owner, pending_ids)  # the owner commits it, then it is gone, by its name
    assert counts(engine)[0] > 0
    body = commit(owner, pending_ids)
    assert commit_messages(body) == [t("upload.gone", "zh", file=pending_rows(engine)[-1].file_name)]


def annotate_payload(client: DashClient, pending_id: str) -> dict:
    return {
        "output": "..upload-annotated-download.data...upload-annotate-status.children..",
        "outputs": [{"id": "upload-annotated-download", "property": "data"},
                    {"id": "upload-annotate-status", "property": "children"}],
        "inputs": [[{"id": {"type": "upload-annotate", "index": pending_id}, "property": "n_clicks",
                     "value": 1}]],
        "changedPropIds": [json.dumps({"index": pending_id, "type": "upload-annotate"},
                                      separators=(",", ":")) + ".n_clicks"],
        "state": [{"id": "upload-lang", "property": "data", "value": "zh"},
                  {"id": "upload-nonce", "property": "data", "value": client.csrf()[:16]}]}


def test_two_analysts_annotated_copies_at_once_are_their_own(app, engine):
    """Two annotated-copy jobs started before either answers: each its own job (Dash's job key
    includes the clicked upload and the page load), each analyst gets the copy of their file."""
    ana, ana2 = signed_in(app, "ana"), signed_in(app, "ana2")
    clients, cells = (ana, ana2, ana), ("B7", "B8", "B9")  # ana: two files, one page load
    pending_ids = []
    for client, cell in zip(clients, cells):
        upload(client, messy_files.provincial_xlsx(cell_overrides={cell: "一百二十"}))
        pending_ids.append(pending_rows(engine)[-1].id)
    started = [start_background(c, annotate_payload(c, p)) for c, p in zip(clients, pending_ids)]
    assert len({handles["cacheKey"] for handles, _ in started}) == 3
    for client, cell, (handles, payload) in zip(clients, cells, started):
        response = response_json(poll_background(client, handles, payload))["response"]
        download = response["upload-annotated-download"]["data"]
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
        assert [c for c in cells if book["各市"][c].comment is not None] == [cell]


def test_two_analysts_at_once_nothing_lost_or_mixed(app, engine):
    first, second = signed_in(app, "ana"), signed_in(app, "ana2")
    body, ids_first = upload(first, messy_files.provincial_xlsx())
    values = len(preview_grid_rows(body))
    revised, name = messy_files.provincial_xlsx(cell_overrides={"B5": 1300.0})
    _, ids_second = upload(second, (revised, "revised-" + name))
    body = commit(first, ids_first)
    assert commit_messages(body) == [loaded_message(engine, new=values, revised=0, unchanged=0)]
    body = commit(second, ids_second)  # planned against the empty database: stale now
    assert commit_messages(body) == [t("upload.stale", "zh", file="revised-" + name)]
    changed = [(r["old"], r["new"]) for r in preview_grid_rows(body["upload-commit-result"])
               if r["change"] == t("upload.status_revised", "zh")]
    assert changed == [(1234.5, 1300.0)]  # the new plan, shown with the warning
    assert counts(engine)[0] == 1
    assert body["upload-pending"]["data"] == ids_second  # still pending, with the new plan
    body = commit(second, ids_second)  # after reading the new preview: commit again
    assert commit_messages(body) == [loaded_message(engine, new=0, revised=1, unchanged=values - 1)]
    with session_scope(engine) as db:
        versions = db.execute(select(Observation.version, Observation.value, Observation.is_current)
                              .where(Observation.indicator_code == "digital_core_va",
                                     Observation.region_code == "230000")
                              .order_by(Observation.version)).all()
    assert [(v, val, cur) for v, val, cur in versions] == [(1, 1234.5, False), (2, 1300.0, True)]
    assert "commit-refused" in actions(engine)


@pytest.mark.parametrize("builder,expected", [
    (messy_files.png_as_xlsx, "这是PNG 图片，不是电子表格"),
    (messy_files.random_bytes_xlsx, "这不是电子表格或文本文件"),
    (messy_files.truncated_xlsx, "文件已损坏或不完整"),
])
def test_non_spreadsheets_are_rejected_clearly(app, engine, builder, expected):
    client = signed_in(app, "ana")
    body, pending_ids = upload(client, builder())
    assert pending_ids == [] and badges(body) == ["upload-status-rejected"]
    problems = problem_rows(body)
    assert [p["code"] for p in problems] == ["bad-file"]
    assert expected in problems[0]["message"]  # what the file is, said in the problem's message
    assert counts(engine) == (0, 0)


def test_zip_bomb_is_rejected(app, engine):
    client = signed_in(app, "ana")
    data, name = messy_files.zip_bomb_xlsx()
    body, pending_ids = upload(client, (data, name))
    assert pending_ids == [] and badges(body) == ["upload-status-rejected"]
    assert [p["code"] for p in problem_rows(body)] == ["zip-bomb"]
    assert problem_rows(body)[0]["message"].startswith(
        t("problem.zip-bomb.message", "zh", file=name, limit="400 MB", ratio=200) + " ")
    assert counts(engine) == (0, 0)


def test_file_over_the_upload_limit_is_refused_in_the_callback(engine, monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_BYTES", "50000")  # the app reads its settings at start
    add_users(engine, ("ana",))
    app = make_app(engine)
    client = signed_in(app, "ana")
    big = b"gdp,230000,2024," + b"1" * 60_000 + b"\n"
    body, pending_ids = upload(client, (big, "big.csv"))
    assert pending_ids == [] and [p["code"] for p in problem_rows(body)] == ["too-large"]
    assert problem_rows(body)[0]["message"].startswith(
        t("problem.too-large.message", "zh", file="big.csv", size="58.6 KB", limit="48.8 KB") + " ")  # not "0 MB"
    assert pending_rows(engine)[-1].content == b""  # the refused bytes are not kept


def test_cell_text_is_sent_as_text_not_html(app, engine):
    client = signed_in(app, "ana")
    data, name = messy_files.provincial_xlsx(cell_overrides={"A7": "<img src=x onerror=alert(1)>"})
    body, _ = upload(client, (data, name))
    cells = [td["props"]["children"] for table in by_class(body, "problems-table")
             for td in all_components(table) if td.get("type") == "Td"]
    assert "<img src=x onerror=alert(1)>" in cells  # as a string child, which React escapes
    assert not [c for c in all_components(body) if c.get("type") == "Markdown"
                or "dangerously_allow_html" in c["props"]]


def test_viewer_and_anonymous_are_refused_inside_the_callbacks_too(app, engine):
    """The second line of defence: even called directly, the callbacks check the role."""
    from flask_login import login_user

    from dashboard import auth
    from dashboard.pages import upload as page

    ignore = [].append  # set_progress
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        with pytest.raises(Unauthorized):
            page.check_files(ignore, [data_url(b"x")], False, ["x.csv"], "zh")
        login_user(auth.SessionUser(1, "vic", "", "viewer", "n"))
        for call in (lambda: page.check_files(ignore, [data_url(b"x")], False, ["x.csv"], "zh"),
                     lambda: page.commit_files(ignore, 1, ["x"], "zh"),
                     lambda: page.cancel_files(1, ["x"], "zh"),
                     lambda: page.download_template(1)):
            with pytest.raises(Forbidden):
                call()
    assert counts(engine) == (0, 0)


# --- background jobs: progress, and the role checked where the session is ----------------------

def identity_of(app, name: str) -> dict:
    """What the starting request records for a job (uploads.job_identity), for `name` signed in."""
    from dashboard import uploads

    client = signed_in(app, name)
    with app.server.test_request_context("/_dash-update-component", method="POST",
                                         headers={"Cookie": f"dlj_session={client.client.get_cookie('dlj_session').value}"}):
        identity = uploads.job_identity()
    assert identity["username"] == name
    return identity


def test_check_and_commit_report_their_progress(app, engine):
    from flask_login import login_user

    from dashboard import auth
    from dashboard.pages import upload as page

    data, name = messy_files.provincial_xlsx()
    seen: list[tuple] = []
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        with session_scope(engine) as db:
            from dashboard.accounts.models import User
            ana = db.scalar(select(User).where(User.username == "ana"))
            login_user(auth.SessionUser(ana.id, "ana", "", "analyst", ana.session_nonce))
        cards, pending_ids, style, _ = page.check_files(seen.append, [data_url(data)], False, [name], "en")
        assert len(pending_ids) == 1 and style == {"display": "block"}
        checked = list(seen)
        seen.clear()
        messages, still, _, loaded = page.commit_files(seen.append, 1, pending_ids, "en")
    assert loaded and not still
    percents = [p for p, _, _ in checked]
    assert percents == sorted(percents) and percents[0] < 50 and percents[-1] == 100
    assert any("reading and checking" in text for _, _, text in checked)
    assert any("comparing with the database" in text for _, _, text in checked)
    assert all(label == f"{p}%" for p, label, _ in checked + seen)
    assert any("writing to the database" in text for _, _, text in seen) and seen[-1][0] == 100
    assert counts(engine)[0] == 1


def test_progress_text_spreads_files_and_stages():
    from dashboard.uploads import ProgressText

    seen = []
    progress = ProgressText(seen.append, "zh", "commit", 2)
    progress.file(1, "b.xlsx")  # the second of two files starts at 50 %
    progress("load", 5000, 10000)
    progress("load", 10000, 10000)
    assert [p for p, _, _ in seen] == [50, 87, 100]
    assert "文件 2/2“b.xlsx”" in seen[1][2] and "5,000/10,000" in seen[1][2]


def test_the_job_rechecks_the_user_in_the_database(app, engine):
    """The job has no session: it acts only for the user the starting request verified, and only
    while that user is still an active analyst with the same session."""
    from dashboard import uploads
    from dashboard.accounts import users

    identity = identity_of(app, "ana")
    with uploads.job_context(identity) as (job_engine, username, addr):  # no request: as in a job
        assert username == "ana" and addr is not None
        assert str(job_engine.url) == str(engine.url)
    with session_scope(engine) as db:
        users.set_role(db, "ana", "viewer", by="admin")
    with pytest.raises(Forbidden):
        with uploads.job_context(identity):
            pass
    with pytest.raises(Unauthorized):
        with uploads.job_context({"role": "anonymous", "app": identity["app"]}):
            pass
    forged = dict(identity, role="analyst", user_id=identity["user_id"], nonce="guessed")
    with pytest.raises(Forbidden):
        uploads.verified_editor(engine, forged)


def test_polls_and_stop_are_protected_like_the_callbacks(app, engine):
    """A viewer holding an analyst's job handles can neither read the result nor stop the job."""
    analyst, viewer = signed_in(app, "ana"), signed_in(app, "vic")
    payload, handles = start_check(analyst, *messy_files.provincial_xlsx())
    stolen = viewer.client.post("/_dash-update-component", query_string=handles,
                                data=json.dumps(payload), content_type="application/json",
                                headers={"X-CSRFToken": viewer.csrf()})
    # the refusal, and nothing of the job's answer
    zh, en = pair("security.not_allowed")
    assert stolen.status_code == 403
    assert response_json(stolen) == {"error": en, "message_zh": zh, "message_en": en}
    stop_key = next(k for k in app.callback_map if k.startswith("upload-stop."))
    stop = viewer.payload(stop_key, {"upload-stop.n_clicks": 1}, "upload-stop.n_clicks")
    refused = viewer.client.post("/_dash-update-component", query_string={"cancelJob": handles["job"]},
                                 data=json.dumps(stop), content_type="application/json",
                                 headers={"X-CSRFToken": viewer.csrf()})
    assert refused.status_code == 403


# --- history: batches, values, versions, rollback -----------------------------------------------

def load_two_versions(app, engine) -> list[int]:
    client = signed_in(app, "ana")
    _, ids = upload(client, messy_files.provincial_xlsx())
    commit(client, ids)
    data, name = messy_files.provincial_xlsx(cell_overrides={"B5": 1300.0})
    _, ids = upload(client, (data, "revised-" + name))
    commit(client, ids)
    with session_scope(engine) as db:
        return list(db.scalars(select(Batch.id).order_by(Batch.id)))


def test_history_lists_batches_and_shows_values_and_versions(app, engine):
    first, second = load_two_versions(app, engine)
    viewer = signed_in(app, "vic")
    key = "digital_core_va|230000|2024|3|ytd"
    page = response_json(viewer.post("_pages_content", {"_pages_location.pathname": "/history",
                                                        "_pages_location.search": ""}))
    batches = find_component(page["response"]["_pages_content"]["children"], "history-batches")
    rows = {r["id"]: r for r in batches["props"]["rowData"]}
    assert set(rows) == {first, second} and rows[second]["file_name"].startswith("revised-")
    assert {r["loaded_by"] for r in rows.values()} == {"ana"}
    # the grid as tall as its rows; the rollback form's place hidden until a batch is selected
    assert "height" not in batches["props"]["style"]
    assert batches["props"]["dashGridOptions"]["domLayout"] == "autoHeight"
    box = find_component(page["response"]["_pages_content"]["children"], "history-admin-box")
    assert box["props"]["style"] == {"display": "none"}
    detail = viewer.post("history-detail", {"history-batches.selectedRows": [{"id": second}],
                                            "history-lang.data": "zh"})
    assert detail.status_code == 200
    assert response_json(detail)["response"]["history-admin-box"]["style"] == {}
    grid = find_component(response_json(detail)["response"]["history-detail"]["children"],
                          "history-values")
    value = next(r for r in grid["props"]["rowData"] if r["key"] == key)
    assert (value["value"], value["version"], value["current"]) == (1300, 2, "✓")
    versions = viewer.post("history-versions", {"history-values.selectedRows": [{"key": key}],
                                                "history-lang.data": "zh"})
    table = find_component(response_json(versions)["response"]["history-versions"]["children"],
                           "history-versions-table")
    assert sorted((row[0], row[1], row[2]) for row in table_rows(table)) == [
        ("1", "1234.5", ""), ("2", "1300", "✓")]


def test_rollback_is_admin_only_needs_a_reason_and_is_recorded(app, engine):
    first, second = load_two_versions(app, engine)
    values = {"history-rollback-btn.n_clicks": 1, "history-batches.selectedRows": [{"id": second}],
              "history-rollback-reason.value": "数据有误，等待重新报送", "history-lang.data": "zh"}
    for name in ("vic", "ana"):
        refused = signed_in(app, name).post("history-rollback-result", values)
        assert refused.status_code == 403
    admin = signed_in(app, "admin")
    no_reason = admin.post("history-rollback-result", dict(values, **{"history-rollback-reason.value": ""}))
    assert output_text(no_reason, "history-rollback-result") == t("history.need_reason", "zh")
    done = admin.post("history-rollback-result", values)
    assert output_text(done, "history-rollback-result") == t("history.done", "zh", id=second)
    with session_scope(engine) as db:
        batch = db.get(Batch, second)
        assert batch.status == "rolled_back" and batch.rolled_back_by == "admin"
        assert batch.rollback_reason == "数据有误，等待重新报送"
        current = db.scalar(select(Observation.value).where(
            Observation.indicator_code == "digital_core_va", Observation.region_code == "230000",
            Observation.is_current.is_(True)))
        assert current == 1234.5  # the earlier version is current again
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "rollback")).one()
        assert event.username == "admin" and event.details["reason"] == "数据有误，等待重新报送"
    again = admin.post("history-rollback-result", values)
    with session_scope(engine) as db:
        batch = db.get(Batch, second)
        assert output_text(again, "history-rollback-result") == t(
            "rollback.already", "zh", batch=second, by="admin", at=f"{batch.rolled_back_at:%Y-%m-%d %H:%M}")


# --- admin: accounts and the audit log ------------------------------------------------------------

def test_admin_manages_users_and_exports_the_audit_log(app, engine):
    admin = signed_in(app, "admin")
    base = {"admin-lang.data": "zh", "admin-users-new-name.value": "newbie",
            "admin-users-new-display.value": "新人", "admin-users-new-role.value": "analyst",
            "admin-users-new-password.value": "newbie-password-1"}
    added = admin.post("admin-users-grid", dict(base, **{"admin-users-add.n_clicks": 1}),
                       triggered="admin-users-add.n_clicks")
    result = response_json(added)["response"]["admin-users-result"]["children"]
    assert result["props"]["id"] == "admin-users-saved"
    role = admin.post("admin-users-grid", {"admin-users-set-role.n_clicks": 1,
                                           "admin-users-pick.value": "newbie",
                                           "admin-users-role.value": "viewer",
                                           "admin-lang.data": "zh"},
                      triggered="admin-users-set-role.n_clicks")
    accounts = response_json(role)["response"]["admin-users-grid"]["rowData"]
    assert next(r for r in accounts if r["username"] == "newbie")["role"] == "viewer"
    disabled = admin.post("admin-users-grid", {"admin-users-disable.n_clicks": 1,
                                               "admin-users-pick.value": "newbie",
                                               "admin-lang.data": "zh"},
                          triggered="admin-users-disable.n_clicks")
    assert disabled.status_code == 200
    assert response_json(DashClient(app).login("newbie", "newbie-password-1"))[
        "response"].get("login-redirect") is None
    # an upload whose file name looks like a formula, then the audit export
    analyst = signed_in(app, "ana")
    upload(analyst, (b"x", "=HYPERLINK(1).csv"))
    grid = admin.post("admin-audit-grid", {"admin-audit-action.value": ""})
    logged = {r["action"] for r in response_json(grid)["response"]["admin-audit-grid"]["rowData"]}
    assert {"user-add", "user-role", "user-disable", "login-failed"} <= logged
    exported = admin.post("admin-audit-download", {"admin-audit-csv.n_clicks": 1,
                                                   "admin-audit-action.value": ""},
                          triggered="admin-audit-csv.n_clicks")
    content = base64.b64decode(response_json(exported)["response"]["admin-audit-download"]["data"]["content"])
    csv_text = content.decode("utf-8-sig")
    assert "'=HYPERLINK(1).csv" in csv_text and "\n=HYPERLINK" not in csv_text
    assert "user-role" in csv_text
    xlsx = admin.post("admin-audit-download", {"admin-audit-xlsx.n_clicks": 1,
                                               "admin-audit-action.value": "user-add"},
                      triggered="admin-audit-xlsx.n_clicks")
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
        response_json(xlsx)["response"]["admin-audit-download"]["data"]["content"])))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][2] == "action" and {r[2] for r in rows[1:]} == {"user-add"}
    assert actions(engine)[-1] == "audit-export"
    # analysts and viewers cannot read it
    assert signed_in(app, "ana").post("admin-audit-grid", {"admin-audit-action.value": ""}).status_code == 403


def test_template_download(app):
    client = signed_in(app, "ana")
    response = client.post("upload-template-download", {"upload-template-btn.n_clicks": 1})
    download = response_json(response)["response"]["upload-template-download"]["data"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert "数据" in book.sheetnames and download["filename"].endswith(".xlsx")
