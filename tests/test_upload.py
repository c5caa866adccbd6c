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
from etl.db import session_scope
from etl.models import AuditEvent, Batch, Observation, PendingUpload
from tests import messy_files
from tests.accounts_helpers import DashClient, add_users, make_app, response_json


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


def upload(client: DashClient, *files: tuple[bytes, str], skip_unknown: bool = False):
    response = client.post("upload-results", {
        "upload-files.contents": [data_url(d) for d, _ in files],
        "upload-files.filename": [n for _, n in files],
        "upload-skip-unknown.value": skip_unknown, "upload-lang.data": "zh",
    }, triggered="upload-files.contents")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response_json(response)["response"]
    return body, body["upload-pending"]["data"], json.dumps(body, ensure_ascii=False)


def commit(client: DashClient, pending_ids: list[str]):
    response = client.post("upload-commit-result", {
        "upload-commit.n_clicks": 1, "upload-pending.data": pending_ids,
        "upload-lang.data": "zh"}, triggered="upload-commit.n_clicks")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response_json(response)["response"]
    return body, json.dumps(body, ensure_ascii=False)


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
    body, pending_ids, text = upload(client, (data, name))
    assert pending_ids == []  # nothing to commit
    assert "未通过检查" in text and "B7" in text and "一百二十" in text
    assert "upload-status-rejected" in text
    assert counts(engine) == before
    assert actions(engine)[-1] == "upload-rejected"
    row = pending_rows(engine)[-1]
    assert row.status == "rejected" and row.owner == "ana"
    # the annotated copy marks B7 with a comment
    request_body = json.dumps({
        "output": "upload-annotated-download.data",
        "outputs": {"id": "upload-annotated-download", "property": "data"},
        "inputs": [[{"id": {"type": "upload-annotate", "index": row.id}, "property": "n_clicks",
                     "value": 1}]],
        "changedPropIds": [json.dumps({"index": row.id, "type": "upload-annotate"},
                                      separators=(",", ":")) + ".n_clicks"],
        "state": []})
    annotated = client.client.post("/_dash-update-component", data=request_body,
                                   content_type="application/json",
                                   headers={"X-CSRFToken": client.csrf()})
    assert annotated.status_code == 200, annotated.get_data(as_text=True)[:300]
    download = response_json(annotated)["response"]["upload-annotated-download"]["data"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert "B7" in str(book.worksheets[0]["C2"].value or "") or any(
        "B7" == (c.value or "") for c in book.worksheets[0]["C"])
    assert book["各市"]["B7"].comment is not None
    # another analyst cannot fetch it
    other = signed_in(app, "ana2")
    stolen = other.client.post("/_dash-update-component", data=request_body,
                               content_type="application/json",
                               headers={"X-CSRFToken": other.csrf()})
    assert "upload-annotated-download" not in stolen.get_data(as_text=True)


def test_good_file_preview_then_commit(app, engine):
    client = signed_in(app, "ana")
    data, name = messy_files.provincial_xlsx()
    body, pending_ids, text = upload(client, (data, name))
    assert len(pending_ids) == 1 and "upload-status-ok" in text
    assert body["upload-actions"]["style"] == {"display": "block"}
    assert "新增" in text
    assert counts(engine)[0] == 0  # the preview wrote nothing
    _, text = commit(client, pending_ids)
    assert "已载入" in text
    with session_scope(engine) as db:
        batch = db.scalars(select(Batch)).one()
        assert batch.loaded_by == "ana" and batch.file_name == name
    assert actions(engine)[-2:] == ["upload", "commit"]
    assert pending_rows(engine)[-1].status == "committed"
    # committing the same pending upload twice (a double click, another tab) loads nothing more
    _, text = commit(client, pending_ids)
    assert "已提交、取消或过期" in text and counts(engine)[0] == 1


def test_cancel(app, engine):
    client = signed_in(app, "ana")
    _, pending_ids, _ = upload(client, messy_files.provincial_xlsx())
    response = client.post("upload-commit-result", {"upload-cancel.n_clicks": 1,
                                                    "upload-pending.data": pending_ids,
                                                    "upload-lang.data": "zh"},
                           triggered="upload-cancel.n_clicks")
    assert "已取消" in response.get_data(as_text=True)
    assert pending_rows(engine)[-1].status == "cancelled" and counts(engine)[0] == 0
    assert actions(engine)[-1] == "cancel"


def test_someone_elses_pending_upload_cannot_be_committed(app, engine):
    owner = signed_in(app, "ana")
    _, pending_ids, _ = upload(owner, messy_files.provincial_xlsx())
    thief = signed_in(app, "ana2")
    _, text = commit(thief, pending_ids)
    assert "已提交、取消或过期" in text and counts(engine)[0] == 0


def test_two_analysts_at_once_nothing_lost_or_mixed(app, engine):
    first, second = signed_in(app, "ana"), signed_in(app, "ana2")
    _, ids_first, _ = upload(first, messy_files.provincial_xlsx())
    revised, name = messy_files.provincial_xlsx(cell_overrides={"B5": 1300.0})
    _, ids_second, _ = upload(second, (revised, "revised-" + name))
    _, text = commit(first, ids_first)
    assert "已载入" in text
    body, text = commit(second, ids_second)  # planned against the empty database: stale now
    assert "其他用户上传的数据改变了数据库" in text and "1234.5" in text and "1300" in text
    assert counts(engine)[0] == 1
    assert body["upload-pending"]["data"] == ids_second  # still pending, with the new plan
    _, text = commit(second, ids_second)  # after reading the new preview: commit again
    assert "已载入" in text and "修订 1" in text
    with session_scope(engine) as db:
        versions = db.execute(select(Observation.version, Observation.value, Observation.is_current)
                              .where(Observation.indicator_code == "digital_core_va",
                                     Observation.region_code == "230000")
                              .order_by(Observation.version)).all()
    assert [(v, val, cur) for v, val, cur in versions] == [(1, 1234.5, False), (2, 1300.0, True)]
    assert "commit-refused" in actions(engine)


@pytest.mark.parametrize("builder,expected", [
    (messy_files.png_as_xlsx, "不是电子表格"),
    (messy_files.random_bytes_xlsx, "bad-"),
    (messy_files.truncated_xlsx, "bad-file"),
])
def test_non_spreadsheets_are_rejected_clearly(app, engine, builder, expected):
    client = signed_in(app, "ana")
    _, pending_ids, text = upload(client, builder())
    assert pending_ids == [] and "upload-status-rejected" in text
    assert expected in text or "encoding" in text
    assert counts(engine) == (0, 0)


def test_zip_bomb_is_rejected(app, engine):
    client = signed_in(app, "ana")
    _, pending_ids, text = upload(client, messy_files.zip_bomb_xlsx())
    assert pending_ids == [] and "zip-bomb" in text
    assert counts(engine) == (0, 0)


def test_file_over_the_upload_limit_is_refused_in_the_callback(engine, monkeypatch):
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 50_000)
    add_users(engine, ("ana",))
    app = make_app(engine)
    client = signed_in(app, "ana")
    big = b"gdp,230000,2024," + b"1" * 60_000 + b"\n"
    _, pending_ids, text = upload(client, (big, "big.csv"))
    assert pending_ids == [] and "too-large" in text and "超过上限" in text
    assert pending_rows(engine)[-1].content == b""  # the refused bytes are not kept


def test_cell_text_is_sent_as_text_not_html(app, engine):
    client = signed_in(app, "ana")
    data, name = messy_files.provincial_xlsx(cell_overrides={"A7": "<img src=x onerror=alert(1)>"})
    _, _, text = upload(client, (data, name))
    assert "<img src=x onerror=alert(1)>" in text  # as a JSON string child, which React escapes
    assert "dangerously" not in text and "Markdown" not in text


def test_viewer_and_anonymous_are_refused_inside_the_callbacks_too(app, engine):
    """The second line of defence: even called directly, the callbacks check the role."""
    from flask_login import login_user

    from dashboard import auth
    from dashboard.pages import upload as page

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        with pytest.raises(Unauthorized):
            page.check_files([data_url(b"x")], False, ["x.csv"], "zh")
        login_user(auth.SessionUser(1, "vic", "", "viewer", "n"))
        for call in (lambda: page.check_files([data_url(b"x")], False, ["x.csv"], "zh"),
                     lambda: page.commit_files(1, ["x"], "zh"),
                     lambda: page.cancel_files(1, ["x"], "zh"),
                     lambda: page.download_template(1)):
            with pytest.raises(Forbidden):
                call()
    assert counts(engine) == (0, 0)
