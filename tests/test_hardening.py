"""Issue 12, items 8–14: redirects, sessions that end, throttled passwords, names hidden from the
public, job handles bound to their starter, cookies, HSTS, private instance files, escaped
hovers, a CSP of fixed hashes, and errors that stay in the log."""
from __future__ import annotations

import json
import multiprocessing
import random
import stat
import threading
import time

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from dashboard import auth, security, uploads
from dashboard.accounts import service, throttle
from dashboard.accounts.models import AuditEvent, LoginAttempt
from etl import config
from etl.settings import Settings
from etl.store.db import make_engine, session_scope
from tests import messy_files
from etl.store.models import Batch
from etl.wording.catalogue import pair, t
from tests.accounts_helpers import (PASSWORDS, DashClient, add_users, all_components,
                                    find_component, make_app, output_text, response_json)
from tests.test_auth import login_error, page_tree, shows
from tests.test_upload import commit, signed_in, start_check, upload


def actions(engine) -> list[str]:
    with session_scope(engine) as db:
        return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def signed_in_ok(client: DashClient, name: str, password: str | None = None) -> bool:
    body = response_json(client.login(name, password))
    return body["response"].get("login-redirect", {}).get("href") == "/"


# --- 8. open redirect ---------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/%09/evil.example",
    "/%0A/evil.example", "/%0d/evil.example", "//evil.example", "/\\evil.example",
    "https://evil.example/", "javascript:alert(1)", "/ /evil.example", "/\x7f/evil.example",
    "/%2F/evil.example",
])
def test_safe_next_refuses_control_characters_and_network_locations(target):
    assert auth.safe_next(target) == "/"


def test_safe_next_keeps_paths_on_this_site():
    for target in ("/core?lang=en", "/history?batch=3&lang=zh", "/city?code=230100"):
        assert auth.safe_next(target) == target


def test_login_with_a_tab_in_next_goes_home(engine):
    add_users(engine, ("vic",))
    app = make_app(engine)
    with app.server.test_request_context("/login"):
        from dashboard import login_form  # the form the login page and the guard show

        form = json.loads(json.dumps(login_form.form(auth.safe_next("/\t/evil.example"), "zh",
                                                     public=False).to_plotly_json(),
                                     default=lambda o: o.to_plotly_json()))
        assert find_component(form, "login-next")["props"]["data"] == "/"
    client = DashClient(app)
    body = response_json(client.post("login-message", {
        "login-submit.n_clicks": 1, "login-username.value": "vic",
        "login-password.value": PASSWORDS["vic"], "login-next.data": "/\t/evil.example",
        "login-lang.data": "zh"}))
    assert body["response"]["login-redirect"]["href"] == "/"


# --- 9. sessions end on the server --------------------------------------------------------------

def sees_account(client: DashClient) -> bool:
    """The account page shows the user's account (not the login form, nor a refusal)."""
    status, page = page_tree(client, "/account")
    return status == 200 and shows(page, "account-username") and not shows(page, "login-username")


def test_a_cookie_saved_before_logout_no_longer_signs_in(engine):
    add_users(engine, ("vic",))
    app = make_app(engine)
    client = DashClient(app)
    assert signed_in_ok(client, "vic")
    saved = client.client.get_cookie("dlj_session").value
    assert sees_account(client)
    client.post("account-redirect", {"account-logout.n_clicks": 1})
    replay = DashClient(app)
    replay.client.set_cookie("dlj_session", saved)
    assert not sees_account(replay)
    assert replay.post("account-message", {"account-save.n_clicks": 1}).status_code in (401, 403)


def test_idle_timeout_and_absolute_lifetime(engine, monkeypatch):
    add_users(engine, ("vic",))
    app = make_app(engine, session_idle_minutes=10, session_hours=1)
    clock = [time.time()]
    monkeypatch.setattr(auth.time, "time", lambda: clock[0])
    client = DashClient(app)
    assert signed_in_ok(client, "vic")
    clock[0] += 9 * 60
    assert sees_account(client)  # active within the idle time
    clock[0] += 11 * 60
    assert not sees_account(client)  # idle too long
    assert signed_in_ok(client, "vic")
    for _ in range(6):  # busy all the time: every 9 minutes, 54 minutes in all
        clock[0] += 9 * 60
        assert sees_account(client)
    clock[0] += 9 * 60  # 63 minutes after signing in: over the absolute lifetime of an hour
    assert not sees_account(client)


def test_the_cookie_lifetime_comes_from_the_settings(engine):
    app = make_app(engine, session_hours=3)
    assert app.server.permanent_session_lifetime.total_seconds() == 3 * 3600


# --- 10. change password: throttled and audited -------------------------------------------------

def test_change_password_is_throttled_and_recorded(engine):
    add_users(engine, ("vic",))
    app = make_app(engine)
    client = DashClient(app)
    assert signed_in_ok(client, "vic")
    free = app.server.config["SETTINGS"].login_free_failures_per_user
    values = {"account-save.n_clicks": 1, "account-current.value": "wrong-password-0",
              "account-new.value": "new-viewer-pw-1", "account-repeat.value": "new-viewer-pw-1",
              "account-lang.data": "en"}
    for _ in range(free):
        assert output_text(client.post("account-message", values), "account-message") == t(
            "account.wrong", "en")
    values["account-current.value"] = PASSWORDS["vic"]  # even the right one waits now
    assert output_text(client.post("account-message", values), "account-message") == t(
        "auth.wait_one", "en", seconds=1)
    assert actions(engine).count("password-check-failed") == free
    assert actions(engine)[-1] == "password-check-blocked"
    with session_scope(engine) as db:
        from dashboard.accounts import users

        assert users.authenticate(db, "vic", PASSWORDS["vic"]) is not None  # unchanged


# --- 11. throttling, not a lock; per account and per address; atomic; admins unlock ----------

def test_delays_grow_and_are_capped():
    assert [throttle.delay_seconds(n, 5, 60) for n in range(4, 13)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_a_parallel_burst_gets_no_extra_tries(engine, monkeypatch):
    """Twelve tries at once, five bursts: never a sixth password check, even when each try is
    held up between taking its number (the attempt's id) and going on, as on a busy server, so
    that the ids are committed out of order (PostgreSQL's sequence; SQLite has one writer)."""
    add_users(engine, ("ana",))
    settings = Settings.from_env()
    frozen = throttle.utcnow()  # the clock stands still: no delay runs out during the burst
    monkeypatch.setattr(throttle, "utcnow", lambda: frozen)

    def linger(_session, _context):
        time.sleep(random.random() / 50)

    checked_in_all = 0
    event.listen(Session, "after_flush", linger)
    try:
        for _ in range(5):
            with session_scope(engine) as db:  # the owner's success: the count starts again
                db.execute(update(LoginAttempt).values(success=True))
            results: list[service.SignIn] = []

            def guess():
                results.append(service.sign_in(engine, settings, "ana", "wrong-password-9", "10.0.0.9"))

            threads = [threading.Thread(target=guess) for _ in range(12)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            checked = [r for r in results if not r.wait_seconds]
            assert len(results) == 12
            assert len(checked) <= settings.login_free_failures_per_user  # never a sixth check
            checked_in_all += len(checked)
    finally:
        event.remove(Session, "after_flush", linger)
    assert actions(engine).count("login-failed") == checked_in_all


def test_the_wait_passes_and_the_owner_signs_in(engine):
    add_users(engine, ("ana",))
    app = make_app(engine)
    free = app.server.config["SETTINGS"].login_free_failures_per_user
    for _ in range(free):
        assert not signed_in_ok(DashClient(app), "ana", "wrong-password-9")
    assert login_error(DashClient(app).login("ana")) == pair("auth.wait_one", seconds=1)
    with session_scope(engine) as db:  # two seconds later: the first delay (1 s) is over
        db.execute(update(LoginAttempt).values(at=LoginAttempt.at - __import__("datetime")
                                               .timedelta(seconds=2)))
    assert signed_in_ok(DashClient(app), "ana")


def test_one_address_guessing_many_accounts_is_slowed(engine):
    add_users(engine, ("ana", "vic"))
    settings = Settings.from_env().replace(login_free_failures_per_addr=3)
    for name in ("x1", "x2", "x3"):
        assert not service.sign_in(engine, settings, name, "guess-1234", "10.0.0.7").wait_seconds
    assert service.sign_in(engine, settings, "vic", PASSWORDS["vic"], "10.0.0.7").wait_seconds
    # the same account from another address is not held back by that machine
    assert service.sign_in(engine, settings, "vic", PASSWORDS["vic"], "10.0.0.8").ok


def test_an_admin_lifts_the_throttle_on_the_admin_page(engine):
    add_users(engine, ("admin", "ana"))
    app = make_app(engine)
    free = app.server.config["SETTINGS"].login_free_failures_per_user
    for _ in range(free):
        signed_in_ok(DashClient(app), "ana", "wrong-password-9")
    assert not signed_in_ok(DashClient(app), "ana")
    admin = DashClient(app)
    assert signed_in_ok(admin, "admin")
    grid = response_json(admin.post("admin-users-grid", {"admin-lang.data": "zh"},
                                    triggered="admin-lang.data"))
    rows = grid["response"]["admin-users-grid"]["rowData"]
    assert next(r for r in rows if r["username"] == "ana")["failures"] == free
    done = admin.post("admin-users-grid", {"admin-lang.data": "zh", "admin-users-unlock.n_clicks": 1,
                                           "admin-users-pick.value": "ana"},
                      triggered="admin-users-unlock.n_clicks")
    assert output_text(done, "admin-users-result") == t("admin.saved", "zh")
    assert actions(engine)[-1] == "user-unlock"
    assert signed_in_ok(DashClient(app), "ana")
    for _ in range(2):
        signed_in_ok(DashClient(app), "ana", "wrong-password-9")
    assert signed_in_ok(DashClient(app), "ana")  # a success: the failures before it no longer count
    assert service.failed_sign_ins(engine, app.server.config["SETTINGS"]).get("ana", 0) == 0


def test_a_viewer_cannot_unlock(engine):
    add_users(engine, ("admin", "vic"))
    app = make_app(engine)
    viewer = DashClient(app)
    assert signed_in_ok(viewer, "vic")
    refused = viewer.post("admin-users-grid", {"admin-users-unlock.n_clicks": 1,
                                               "admin-users-pick.value": "admin"},
                          triggered="admin-users-unlock.n_clicks")
    assert refused.status_code == 403


# --- 12. public viewing hides user names --------------------------------------------------------

def test_the_data_grid_shows_who_loaded_only_to_signed_in_users(engine):
    from tests.dashboard_fixture import load_fixture

    load_fixture(engine, demo=True)
    add_users(engine, ("vic",))
    app = make_app(engine, public_viewing=True)

    def grid_of(client: DashClient) -> list[dict]:
        page = client.post("_pages_content", {"_pages_location.pathname": "/data",
                                              "_pages_location.search": ""})
        text = page.get_data(as_text=True)
        rows = json.loads(text)["response"]["_pages_content"]["children"]
        return [row for c in all_components(rows) if c["props"].get("id") == "data-grid"
                for row in c["props"]["rowData"]]

    anonymous = grid_of(DashClient(app))
    assert anonymous and {r["loaded_by"] for r in anonymous} == {""}
    viewer = DashClient(app)
    assert signed_in_ok(viewer, "vic")
    assert {r["loaded_by"] for r in grid_of(viewer)} == {"tester"}


# --- 13. job handles and pending uploads belong to their starter --------------------------------

@pytest.fixture
def upload_app(engine):
    add_users(engine, ("ana", "ana2"))
    return make_app(engine)


def test_another_analyst_cannot_read_or_stop_a_job(upload_app, engine):
    owner, other = signed_in(upload_app, "ana"), signed_in(upload_app, "ana2")
    payload, handles = start_check(owner, *messy_files.provincial_xlsx(), nonce="n1")
    deadline = time.monotonic() + 60
    seen_by_owner = None
    while time.monotonic() < deadline:
        stolen = other.client.post("/_dash-update-component", query_string=handles,
                                   data=json.dumps(payload), content_type="application/json",
                                   headers={"X-CSRFToken": other.csrf()})
        assert "upload-pending" not in answer_of(stolen)  # no result for another
        polled = owner.client.post("/_dash-update-component", query_string=handles,
                                   data=json.dumps(payload), content_type="application/json",
                                   headers={"X-CSRFToken": owner.csrf()})
        if polled.status_code == 200 and "response" in response_json(polled):
            seen_by_owner = response_json(polled)["response"]
            break
        time.sleep(0.1)
    assert seen_by_owner is not None and seen_by_owner["upload-pending"]["data"]


def answer_of(response) -> dict:
    """The outputs a callback answer sets ({} for an answer without them: refused, or no update)."""
    body = response.get_data(as_text=True)
    return (json.loads(body).get("response") or {}) if body.startswith("{") else {}


def test_stopping_a_job_whose_process_tree_changes_meanwhile_stops_it(tmp_path, monkeypatch):
    """Dash lists a job's process tree before it kills it; a child that ended between the listing
    and the look at its start time (a job finishing as get_result stops it) raised NoSuchProcess
    and turned the upload's answer into an error (seen in CI). The tree is listed again and the
    job is stopped."""
    import subprocess
    import sys

    import psutil

    from dashboard.job_owners import owned_diskcache_manager

    manager = owned_diskcache_manager(tmp_path / "jobs")
    job = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        manager._remember("job", job.pid)  # started by this caller (no request: anonymous)
        real_children = psutil.Process.children
        calls = []

        def children_once_gone(self, recursive=False):
            calls.append(self.pid)
            if len(calls) == 1:  # the race: a process of the tree ended while it was listed
                raise psutil.NoSuchProcess(self.pid + 100000)
            return real_children(self, recursive=recursive)

        monkeypatch.setattr(psutil.Process, "children", children_once_gone)
        manager.terminate_job(job.pid)
        assert len(calls) == 2
        assert job.wait(timeout=10) is not None  # stopped
    finally:
        if job.poll() is None:
            job.kill()


def test_owned_jobs_refuse_another_users_handles(upload_app, tmp_path):
    from flask_login import login_user, logout_user

    from dashboard.job_owners import owned_diskcache_manager

    manager = owned_diskcache_manager(tmp_path / "jobs")
    ana = auth.SessionUser(1, "ana", "", "analyst", "n1")
    other = auth.SessionUser(2, "ana2", "", "analyst", "n2")
    with upload_app.server.test_request_context("/"):
        login_user(ana)
        job = manager.call_job_fn("k1", _job_that_does_nothing, (), {})
        manager.handle.set("k1", "the report")
        logout_user()
        login_user(other)
        assert manager.get_result("k1", job) is manager.UNDEFINED
        assert manager.get_progress("k1") is None and not manager.result_ready("k1")
        logout_user()
        login_user(ana)
        assert manager.result_ready("k1") and manager.get_result("k1", job) == "the report"
    assert stat.S_IMODE((tmp_path / "jobs").stat().st_mode) == 0o700


def _job_that_does_nothing(*_args) -> None:
    return None


def test_cancelling_someone_elses_upload_says_refused(upload_app, engine):
    owner = signed_in(upload_app, "ana")
    _, pending_ids = upload(owner, messy_files.provincial_xlsx())
    other = signed_in(upload_app, "ana2")
    response = other.post("upload-commit-result", {"upload-cancel.n_clicks": 1,
                                                   "upload-pending.data": pending_ids,
                                                   "upload-lang.data": "en"},
                          triggered="upload-cancel.n_clicks")
    refused = find_component(response_json(response)["response"]["upload-commit-result"]["children"], "upload-cancel-refused")
    assert output_text(response, "upload-commit-result") == t("upload.cancel_refused", "en")
    assert refused is not None and actions(engine)[-1] == "cancel-refused"
    body = commit(owner, pending_ids)  # still the owner's, still pending
    (batch_id,) = body["upload-committed"]["data"]
    with session_scope(engine) as db:
        batch = db.get(Batch, batch_id)
        assert (batch.status, batch.loaded_by) == ("loaded", "ana")


# --- 14. cookies, HSTS, private files, secret key, hovers, CSP, errors ------------------------

def cookies_set(response) -> dict[str, "http.cookies.Morsel"]:
    """The cookies a response sets, parsed: name -> Morsel (its attributes, e.g. ["secure"])."""
    import http.cookies

    jar = http.cookies.SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        jar.load(header)
    return dict(jar)


def test_secure_cookies_and_hsts_behind_a_tls_proxy_by_default(engine):
    plain = make_app(engine)
    response = plain.server.test_client().get("/")
    assert not cookies_set(response)["dlj_session"]["secure"]
    assert "Strict-Transport-Security" not in response.headers
    https = plain.server.test_client().get("/", base_url="https://localhost")
    assert cookies_set(https)["dlj_session"]["secure"] is True
    assert https.headers["Strict-Transport-Security"] == "max-age=31536000"
    proxied = make_app(engine, trusted_proxies=1).server.test_client().get("/")  # TLS at the proxy
    assert cookies_set(proxied)["dlj_session"]["secure"] is True
    assert cookies_set(proxied)["_csrf_token"]["secure"] is True
    assert proxied.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_instance_files_are_private(tmp_path, monkeypatch):
    from dashboard import create_app

    instance = tmp_path / "instance"
    settings = Settings.from_env().replace(instance_dir=instance, database_url="")
    monkeypatch.setattr(config, "current", settings)
    engine = make_engine(config.database_url(settings))
    create_app(engine, load_demo_if_empty=False, settings=settings)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    for name in ("monitor.sqlite", "secret_key", "monitor.log", "startup.lock"):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600, name
    engine.dispose()


def _read_secret_key(queue) -> None:
    queue.put(security.secret_key())


def test_workers_starting_together_share_one_whole_secret_key(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "current", Settings.from_env().replace(
        instance_dir=tmp_path / "instance", secret_key=""))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_read_secret_key, args=(queue,)) for _ in range(8)]
    for worker in workers:
        worker.start()
    keys = [queue.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64


def test_markup_in_a_source_line_is_text_in_the_hover():
    from dashboard import components as c

    meta = {"unit": "%", "kind": "rate", "source_zh": "", "source_en": ""}
    point = {"year": 2024, "quarter": 0, "basis": "annual", "value": 1.0,
             "source": '<a href="https://evil.example">点击</a>'}
    trace = c.series_trace([point], meta, "zh", name="哈尔滨", color="#000").to_plotly_json()
    (row,) = [list(row) for row in trace["customdata"]]
    assert [cell for cell in row if "evil.example" in cell] == [
        '&lt;a href="https://evil.example"&gt;点击&lt;/a&gt;']


def test_csp_allows_the_apps_own_scripts_not_an_injected_one(engine):
    app = make_app(engine)

    @app.server.route("/injected")
    def injected():  # a page that happens to carry a script nobody wrote into the app
        return "<html><body><script>alert(1)</script></body></html>"

    import base64
    import hashlib

    evil = "'sha256-" + base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode() + "'"
    client = app.server.test_client()
    page_scripts = script_sources(client.get("/"))
    injected_scripts = script_sources(client.get("/injected"))
    assert evil not in injected_scripts and evil not in page_scripts
    assert app.csp_hashes() and set(app.csp_hashes()) <= page_scripts


def script_sources(response) -> set[str]:
    """The sources the Content-Security-Policy header allows scripts from (script-src)."""
    for directive in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = directive.split() or [""]
        if name == "script-src":
            return set(sources)
    return set()


def test_an_unexpected_error_is_logged_with_its_traceback_and_never_shown(engine):
    app = make_app(engine)

    @app.server.route("/boom")
    def boom():
        raise RuntimeError("secret detail of the server")

    response = app.server.test_client().get("/boom")
    assert response.status_code == 500
    log_text = app.server.config["SETTINGS"].log_path.read_text(encoding="utf-8")
    error_id = logged_error_id(log_text)
    assert response.get_json() == internal_error_answer(error_id)  # that and nothing else
    assert f"[error {error_id}]" in log_text and "RuntimeError: secret detail" in log_text
    assert "Traceback (most recent call last)" in log_text
    assert stat.S_IMODE(app.server.config["SETTINGS"].log_path.stat().st_mode) == 0o600


def logged_error_id(log_text: str) -> str:
    """The id of the one unexpected error in the log."""
    import re

    (error_id,) = re.findall(r"\[error ([^\]]+)\]", log_text)
    return error_id


def internal_error_answer(error_id: str) -> dict:
    """The whole body of the answer to an unexpected error: the catalogue's sentence and its id."""
    zh, en = pair("security.internal", error_id=error_id)
    return {"error": en, "message_zh": zh, "message_en": en}


def test_loads_and_rollbacks_are_logged_with_who(engine, caplog):
    import logging

    from etl.pipeline import ingest_file
    from etl.store.load import rollback

    caplog.set_level(logging.INFO)
    data, name = messy_files.provincial_xlsx()
    outcome = ingest_file(engine, data, name, loaded_by="ana")
    rollback(engine, outcome.batch_id, user="admin", reason="wrong file")
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith(f"loaded {name} for ana as batch {outcome.batch_id}") for line in lines)
    assert any(f"batch {outcome.batch_id} ({name}) rolled back by admin: wrong file" in line
               for line in lines)


def test_failed_sign_ins_leave_no_more_rows_than_tries(engine):
    add_users(engine, ("ana",))
    settings = Settings.from_env()
    for _ in range(settings.login_free_failures_per_user + 3):
        service.sign_in(engine, settings, "ana", "wrong-password-9", "10.0.0.1")
    with session_scope(engine) as db:  # refused tries deleted their rows
        rows = db.scalar(select(func.count()).select_from(LoginAttempt))
    assert rows == settings.login_free_failures_per_user


def test_a_failing_callback_answers_with_an_error_id_only(engine):
    from dash import Input, Output

    app = make_app(engine, public_viewing=True)

    @app.callback(Output("boom-out", "children"), Input("boom-in", "n_clicks"))
    def explode(_clicks):
        raise ValueError("internal detail 4711")

    response = DashClient(app).post("boom-out", {"boom-in.n_clicks": 1})
    assert response.status_code == 500
    log_text = app.server.config["SETTINGS"].log_path.read_text(encoding="utf-8")
    error_id = logged_error_id(log_text)
    assert response.get_json() == internal_error_answer(error_id)  # that and nothing else
    assert f"[error {error_id}]" in log_text and "ValueError: internal detail 4711" in log_text


def test_old_tries_are_purged(engine):
    import datetime as dt

    settings = Settings.from_env()
    with session_scope(engine) as db:
        for i in range(50):
            db.add(LoginAttempt(username=f"u{i}", remote_addr="10.1.1.1", success=False,
                                at=dt.datetime(2020, 1, 1)))
    service.sign_in(engine, settings, "nobody", "guess-guess-1", "10.2.2.2")
    with session_scope(engine) as db:
        old = db.scalar(select(func.count()).select_from(LoginAttempt)
                        .where(LoginAttempt.at < dt.datetime(2021, 1, 1)))
    assert old == 0
