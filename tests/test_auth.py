"""Accounts: password hashing, the CLI, first admin from the environment, login, rate limits,
sessions ended by changes, page guards by role and PUBLIC_VIEWING."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from dashboard import __main__ as cli
from dashboard import auth
from dashboard.accounts import users
from etl.store.db import session_scope
from dashboard.accounts.models import AuditEvent, LoginAttempt, User
from etl.wording.catalogue import pair, t
from tests.accounts_helpers import (PASSWORDS, DashClient, add_users, find_component, make_app,
                                    output_text, response_json)


def audit_actions(engine) -> list[str]:
    with session_scope(engine) as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


# --- users.py ----------------------------------------------------------------------------------

def test_password_is_stored_as_argon2_hash_only(engine):
    with session_scope(engine) as db:
        users.create_user(db, "ana", "analyst-password-1", "analyst", by="t")
    with session_scope(engine) as db:
        user = users.get_user(db, "ana")
        assert user.password_hash.startswith("$argon2id$")
        assert "analyst-password-1" not in user.password_hash
        assert users.authenticate(db, "ana", "analyst-password-1") is not None
        assert users.authenticate(db, "ana", "wrong-password-1") is None
        assert users.authenticate(db, "nobody", "analyst-password-1") is None


@pytest.mark.parametrize("name,password,role", [
    ("ok_name", "short", "viewer"),            # too short
    ("ok_name", "ok_name", "viewer"),          # same as the name (and short)
    ("a b", "long-enough-pw", "viewer"),       # bad name
    ("ok_name", "long-enough-pw", "boss"),     # unknown role
])
def test_create_user_refuses_bad_input(engine, name, password, role):
    with session_scope(engine) as db, pytest.raises(users.UserError):
        users.create_user(db, name, password, role)


def test_last_admin_cannot_be_disabled_or_demoted(engine):
    add_users(engine, ("admin",))
    with session_scope(engine) as db:
        with pytest.raises(users.UserError):
            users.set_active(db, "admin", False)
        with pytest.raises(users.UserError):
            users.set_role(db, "admin", "viewer")


def test_first_admin_from_environment_only_when_no_user_exists(engine):
    with session_scope(engine) as db:
        assert users.ensure_first_admin(db, "", "") is None  # no built-in default account
        assert users.count_users(db) == 0
        assert users.ensure_first_admin(db, "boss", "boss-password-1") == "boss"
    with session_scope(engine) as db:
        assert users.get_user(db, "boss").role == "admin"
        assert users.ensure_first_admin(db, "other", "other-password-1") is None
        assert users.get_user(db, "other") is None


def test_first_admin_created_at_app_start(engine, monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "chief")
    monkeypatch.setenv("ADMIN_PASSWORD", "chief-password-1")
    app = make_app(engine)
    client = DashClient(app)
    body = response_json(client.login("chief", "chief-password-1"))
    assert body["response"]["login-redirect"]["href"] == "/"


# --- the command line ---------------------------------------------------------------------------

def test_cli_users_add_list_set_role_disable(engine, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("first-admin-pw-1\n"))
    assert cli.main(["users", "add", "root", "--role", "admin", "--password-stdin"], engine) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("an-analyst-pw-1\n"))
    assert cli.main(["users", "add", "ana", "--role", "analyst", "--password-stdin"], engine) == 0
    assert cli.main(["users", "set-role", "ana", "viewer"], engine) == 0
    assert cli.main(["users", "disable", "ana"], engine) == 0
    capsys.readouterr()
    assert cli.main(["users", "list"], engine) == 0
    listing = capsys.readouterr().out
    assert "root" in listing and "admin" in listing
    ana_line = next(line for line in listing.splitlines() if line.startswith("ana "))
    assert "viewer" in ana_line and " no " in ana_line
    with session_scope(engine) as db:
        assert users.authenticate(db, "root", "first-admin-pw-1") is not None
        assert users.authenticate(db, "ana", "an-analyst-pw-1") is None  # disabled
    assert "user-add" in audit_actions(engine) and "user-disable" in audit_actions(engine)


def test_cli_refusals_and_usage(engine, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["users", "add", "root", "--role", "admin", "--password-stdin"], engine) == 1
    assert "10" in capsys.readouterr().err
    assert cli.main(["users", "add", "root", "--role", "emperor"], engine) == 2
    assert cli.main(["users", "disable", "ghost"], engine) == 1


def test_cli_prompts_twice_for_the_password(engine, monkeypatch):
    answers = iter(["prompted-pw-12", "prompted-pw-12"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["users", "add", "root", "--role", "admin"], engine) == 0
    answers = iter(["prompted-pw-12", "different-pw-12"])
    assert cli.main(["users", "add", "two", "--role", "viewer"], engine) == 1


# --- logging in over HTTP -----------------------------------------------------------------------

def test_login_success_failure_and_audit(engine):
    add_users(engine)
    app = make_app(engine)
    client = DashClient(app)
    bad = client.login("ana", "wrong-password-9")
    assert login_error(bad) == pair("auth.wrong")
    assert "login-redirect" not in response_json(bad)["response"]
    good = response_json(client.login("ana"))
    assert good["response"]["login-redirect"]["href"] == "/"
    with app.server.test_request_context():
        pass
    actions = audit_actions(engine)
    assert actions[-2:] == ["login-failed", "login"]
    with session_scope(engine) as db:
        event = db.scalars(select(AuditEvent).where(AuditEvent.action == "login")).one()
        assert event.username == "ana" and event.remote_addr == "127.0.0.1"


def test_login_is_rate_limited_in_the_database(engine):
    add_users(engine)
    app = make_app(engine)
    free = app.server.config["SETTINGS"].login_free_failures_per_user
    for _ in range(free):
        response_json(DashClient(app).login("ana", "wrong-password-9"))
    # A new client (another worker, another cookie jar) is blocked too: the count lives in SQL.
    blocked = DashClient(app).login("ana")
    assert "login-redirect" not in response_json(blocked)["response"]
    assert login_error(blocked) == pair("auth.wait_one", seconds=1)  # the first delay: 1 s
    assert "login-blocked" in audit_actions(engine)
    with session_scope(engine) as db:
        # the refused try left no row: it was never checked, so it does not lengthen the wait
        assert db.scalar(select(func.count()).select_from(LoginAttempt)) == free
    # another user from the same address is not blocked yet
    assert response_json(DashClient(app).login("vic"))["response"]["login-redirect"]["href"] == "/"


def test_changing_the_password_or_disabling_ends_sessions(engine):
    add_users(engine)
    app = make_app(engine)
    client = DashClient(app)
    client.login("vic")
    assert shows(page_tree(client, "/account")[1], "account-username")
    with session_scope(engine) as db:
        users.set_active(db, "vic", False, by="admin")
    status, page = page_tree(client, "/account")  # the old session is no longer valid: the login form
    assert status == 200 and shows(page, "login-username") and not shows(page, "account-username")
    assert client.post("account-message", {"account-save.n_clicks": 1}).status_code == 401


def test_logout_ends_the_session_and_is_audited(engine):
    add_users(engine)
    app = make_app(engine)
    client = DashClient(app)
    client.login("vic")
    response = client.post("account-redirect", {"account-logout.n_clicks": 1})
    assert response_json(response)["response"]["account-redirect"]["href"] == "/login"
    assert audit_actions(engine)[-1] == "logout"
    status, page = page_tree(client, "/")
    assert status == 200 and shows(page, "login-username") and not shows(page, "overview-headline")


def test_password_change_needs_the_current_password(engine):
    add_users(engine)
    app = make_app(engine)
    client = DashClient(app)
    client.login("vic")
    values = {"account-save.n_clicks": 1, "account-current.value": "wrong-password-0",
              "account-new.value": "new-viewer-pw-1", "account-repeat.value": "new-viewer-pw-1",
              "account-lang.data": "zh"}
    message = output_text(client.post("account-message", values), "account-message")
    assert message == t("account.wrong", "zh")
    values["account-current.value"] = PASSWORDS["vic"]
    message = output_text(client.post("account-message", values), "account-message")
    assert message == t("account.saved", "zh")
    with session_scope(engine) as db:
        assert users.authenticate(db, "vic", "new-viewer-pw-1") is not None


# --- who sees which page ------------------------------------------------------------------------

def page_tree(client, path: str) -> tuple[int, dict | list | None]:
    """(status, the component tree the page router sends for `path`; None when refused)."""
    response = client.post("_pages_content", {"_pages_location.pathname": path,
                                              "_pages_location.search": ""})
    if response.status_code != 200:
        return response.status_code, None
    return 200, response_json(response)["response"]["_pages_content"]["children"]


def shows(tree, ident: str) -> bool:
    return find_component(tree, ident) is not None


def login_error(response) -> tuple[str, str]:
    """(zh, en) of the login form's error: the Chinese line and the English one below it."""
    error = find_component(response_json(response)["response"]["login-message"]["children"],
                           "login-error")
    zh, _br, en = error["props"]["children"]
    return zh, en["props"]["children"]


def test_anonymous_sees_only_the_login_page_unless_public_viewing(engine):
    add_users(engine)
    private = DashClient(make_app(engine))
    status, page = page_tree(private, "/")
    assert status == 200 and shows(page, "login-username") and not shows(page, "overview-headline")
    # data callbacks of the viewing pages are refused to anonymous users
    keys = [k for k in private.app.callback_map if k.startswith("..navbar") is False
            and "login" not in k and "_pages" not in k and "nav-collapse" not in k]
    for key in keys:
        response = private.client.post("/_dash-update-component", data=json.dumps(
            private.payload(key, {})), content_type="application/json",
            headers={"X-CSRFToken": private.csrf()})
        assert response.status_code == 401, key

    public = DashClient(make_app(engine, public_viewing=True))
    status, page = page_tree(public, "/method")
    assert status == 200 and shows(page, "method-targets") and not shows(page, "login-username")
    status, page = page_tree(private, "/method")
    assert status == 200 and shows(page, "login-username") and not shows(page, "method-targets")


def test_role_pages_refuse_other_roles_by_url(engine):
    add_users(engine)
    app = make_app(engine, public_viewing=True)
    anonymous = DashClient(app)
    assert shows(page_tree(anonymous, "/account")[1], "login-username")
    assert not shows(page_tree(anonymous, "/account")[1], "account-username")
    viewer = DashClient(app)
    viewer.login("vic")
    assert shows(page_tree(viewer, "/account")[1], "account-username")


def test_navbar_lists_pages_for_the_role(engine):
    from dashboard.shell import visible_pages

    paths_anonymous = {p["path"] for p in visible_pages("anonymous")}
    paths_viewer = {p["path"] for p in visible_pages("viewer")}
    assert "/login" in paths_anonymous and "/account" not in paths_anonymous
    assert "/account" in paths_viewer and "/login" not in paths_viewer


def test_safe_next_refuses_other_sites():
    assert auth.safe_next("/core?lang=en") == "/core?lang=en"
    for bad in ("//evil.example/", "https://evil.example/", "\\\\evil", "", None, "javascript:x"):
        assert auth.safe_next(bad) == "/"


def test_output_ids_parse_dash_output_keys():
    assert auth.output_ids("upload-report.children") == ["upload-report"]
    assert auth.output_ids("..a.children...b.data..") == ["a", "b"]
    assert auth.output_ids('{"index":3,"type":"upload-annotate"}.data') == ["upload-annotate"]
    assert auth.output_ids("url.search@abc") == ["url"]
