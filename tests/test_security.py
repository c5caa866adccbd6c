"""HTTP-level security: headers, cookie flags, CSRF, request size, and every protected callback
refused to anonymous users and viewers (posted the way dash-renderer posts them)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from dashboard import auth, security
from etl import config
from etl.store.db import session_scope
from etl.wording.catalogue import pair, t
from dashboard.accounts.models import AuditEvent, User
from etl.store.models import Batch, Observation, PendingUpload
from tests.accounts_helpers import DashClient, add_users, make_app, response_json


@pytest.fixture
def app(engine):
    add_users(engine)
    return make_app(engine)


def set_cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_security_headers_and_csp_allow_exactly_the_inline_scripts(app):
    client = app.server.test_client()
    response = client.get("/")
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in csp
    hashes = app.csp_hashes()
    assert hashes, "Dash's page has an inline renderer script"
    allowed = csp.split("script-src")[1].split(";")[0].split()
    assert sorted(h for h in allowed if h.startswith("'sha")) == sorted(set(hashes))
    # API responses carry the headers too, and callbacks are never cached
    assert "nosniff" in client.get("/_dash-layout").headers["X-Content-Type-Options"]


def test_cookie_flags_over_http_and_https(app):
    http = set_cookie_headers(app.server.test_client().get("/"))
    session_cookie = http["dlj_session"]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie
    csrf_cookie = http["_csrf_token"]
    assert "HttpOnly" not in csrf_cookie and "SameSite=Strict" in csrf_cookie
    https = set_cookie_headers(app.server.test_client().get("/", base_url="https://localhost"))
    assert "Secure" in https["dlj_session"] and "HttpOnly" in https["dlj_session"]
    assert "Secure" in https["_csrf_token"]


def test_https_adds_hsts(app):
    response = app.server.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def count(engine, model) -> int:
    with session_scope(engine) as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def test_csrf_token_required_for_callbacks(app, engine):
    client = DashClient(app)
    no_token = client.login("ana") if False else client.post(
        "login-message", {"login-submit.n_clicks": 1, "login-username.value": "ana",
                          "login-password.value": "analyst-password-1"}, csrf=False)
    assert no_token.status_code == 403
    assert "安全令牌" in response_json(no_token)["message_zh"]
    wrong = client.client.post("/_dash-update-component", data=json.dumps(
        client.payload(client.callback_key("login-message"), {"login-submit.n_clicks": 1})),
        content_type="application/json", headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 403
    cross_site = client.client.post(
        "/_dash-update-component",
        data=json.dumps(client.payload(client.callback_key("login-message"),
                                       {"login-submit.n_clicks": 1})),
        content_type="application/json",
        headers={"X-CSRFToken": client.csrf(), "Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    assert count(engine, AuditEvent) == 3  # only the three user-add events: no login happened
    # the same request with the token and our own origin works
    ok = client.post("login-message", {"login-submit.n_clicks": 1, "login-username.value": "ana",
                                       "login-password.value": "analyst-password-1",
                                       "login-next.data": "/"})
    assert ok.status_code == 200 and response_json(ok)["response"]["login-redirect"]["href"] == "/"


def test_csrf_token_changes_at_login(app):
    client = DashClient(app)
    before = client.csrf()
    client.login("ana")
    assert client.csrf() and client.csrf() != before


def test_request_body_over_the_limit_is_refused_by_the_server(engine, monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_BYTES", "100000")  # the app reads its settings at start
    add_users(engine)
    app = make_app(engine)
    client = DashClient(app)
    client.login("ana")
    limit = security.request_limit_bytes()
    assert app.server.config["MAX_CONTENT_LENGTH"] == limit
    body = b'{"output": "x.children", "pad": "' + b"A" * (limit + 10) + b'"}'
    response = client.client.post("/_dash-update-component", data=body,
                                  content_type="application/json",
                                  headers={"X-CSRFToken": client.csrf()})
    assert response.status_code == 413
    # the limit as people read it: 100,000 bytes is "97.7 KB", not "0 MB"
    assert response_json(response)["message_zh"] == t("security.too_large", "zh", limit="97.7 KB")
    assert response_json(response)["message_en"] == t("security.too_large", "en", limit="97.7 KB")


def test_default_upload_limit_is_20_mb(monkeypatch):
    monkeypatch.delenv("MAX_UPLOAD_BYTES", raising=False)
    monkeypatch.setattr(config, "current", None)  # settings read again
    assert security.upload_limit_bytes() == 20 * 1024 * 1024


# --- every protected callback -------------------------------------------------------------------

def protected_callbacks(app) -> dict[str, set[str]]:
    """callback_map key -> roles allowed, for every callback whose outputs are protected."""
    found = {}
    for key in app.callback_map:
        allowed = auth.roles_for(auth.output_ids(key))
        if allowed is not None:
            found[key] = allowed
    return found


def snapshot(engine) -> dict[str, int]:
    return {m.__tablename__: count(engine, m) for m in (Batch, Observation, PendingUpload, User)}


def test_every_protected_callback_refuses_anonymous_and_viewers(app, engine):
    keys = protected_callbacks(app)
    outputs = " ".join(keys)
    # the callbacks that change data or reveal the audit log are all registered as protected
    for needed in ("upload-", "history-rollback", "admin-users", "admin-audit", "account-"):
        assert needed in outputs, needed
    anonymous = DashClient(make_app(engine, public_viewing=True))
    viewer = DashClient(app)
    viewer.login("vic")
    before = snapshot(engine)
    for key, allowed in keys.items():
        for client, role in ((anonymous, "anonymous"), (viewer, "viewer")):
            if role in allowed:
                continue
            payload = client.payload(key, {})
            for item in payload["inputs"]:  # as if a button was clicked
                item["value"] = 1
            response = client.client.post("/_dash-update-component", data=json.dumps(payload),
                                          content_type="application/json",
                                          headers={"X-CSRFToken": client.csrf()})
            assert response.status_code in (401, 403), (role, key, response.status_code)
            # the refusal, and nothing of the callback's answer
            refusal = "security.sign_in" if response.status_code == 401 else "security.not_allowed"
            zh, en = pair(refusal)
            assert response_json(response) == {"error": en, "message_zh": zh, "message_en": en}, (
                role, key)
    assert snapshot(engine) == before
