"""The signed-in session's account check (issue 13): a confirmation kept for at most a few seconds
per process (dashboard/accounts/recent.py), forgotten at once when an account changes here, never
used by callbacks that change data or show protected things; and a signed-in session's cookie
written back only when the session changes."""
from __future__ import annotations

import pytest
from sqlalchemy import event, update

from dashboard.accounts import recent, service, users
from dashboard.accounts.models import User
from etl.store.db import session_scope
from tests.accounts_helpers import DashClient, add_users, make_app
from tests.test_auth import page_tree, shows


@pytest.fixture
def clock(monkeypatch):
    """The confirmations' clock, moved by the test (the process-wide store, emptied)."""
    now = [1000.0]
    monkeypatch.setattr(recent.recent, "clock", lambda: now[0])
    recent.recent.forget()
    yield now
    recent.recent.forget()


@pytest.fixture
def account_reads(engine):
    """How many statements read the users table."""
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM users" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def signed_in(engine, name: str = "vic", **settings) -> DashClient:
    add_users(engine, ("admin", "ana", "vic"))
    client = DashClient(make_app(engine, **settings))
    client.login(name)
    return client


def sees_overview(client) -> bool:
    status, page = page_tree(client, "/")
    return status == 200 and shows(page, "overview-headline") and not shows(page, "login-username")


def changed_elsewhere(engine, name: str) -> None:
    """The account's session nonce changed as another process (a worker, the CLI) changes it: a
    plain UPDATE, which this process's ORM does not see."""
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == name).values(session_nonce="f" * 32))


def test_a_signed_in_viewer_reads_the_account_once_per_few_seconds(engine, clock, account_reads):
    client = signed_in(engine)
    account_reads.clear()
    for _ in range(5):
        assert sees_overview(client)
    assert len(account_reads) == 1
    clock[0] += recent.SECONDS + 0.1
    assert sees_overview(client)
    assert len(account_reads) == 2


@pytest.mark.parametrize("change", ["disable", "set-role", "set-password", "end-sessions"])
def test_a_change_made_in_this_process_ends_the_session_at_once(engine, clock, change):
    client = signed_in(engine)
    assert sees_overview(client)  # the confirmation is kept now
    if change == "end-sessions":
        service.end_sessions(engine, "vic", addr="127.0.0.1")
    else:
        with session_scope(engine) as db:
            if change == "disable":
                users.set_active(db, "vic", False, by="admin")
            elif change == "set-role":
                users.set_role(db, "vic", "analyst", by="admin")
            else:
                users.set_password(db, "vic", "another-viewer-pw-9", by="admin")
    assert not sees_overview(client)  # the login form, with no clock moved


def test_a_change_made_elsewhere_takes_effect_within_the_seconds(engine, clock):
    client = signed_in(engine)
    assert sees_overview(client)
    changed_elsewhere(engine, "vic")
    clock[0] += recent.SECONDS + 0.1
    assert not sees_overview(client)


def test_protected_callbacks_read_the_account_again_whatever_is_kept(engine, clock):
    """The account page (a page with roles) and its callbacks, and the data export (a download),
    are not read-only views of open pages: each reads the account, so a change made elsewhere a
    moment ago already refuses them."""
    client = signed_in(engine)
    copy = DashClient(client.app)  # the same session in another browser
    for name in ("dlj_session", "_csrf_token"):
        copy.client.set_cookie(name, client.client.get_cookie(name).value)
    assert sees_overview(client) and sees_overview(copy)
    status, page = page_tree(client, "/account")
    assert status == 200 and shows(page, "account-username")
    changed_elsewhere(engine, "vic")
    status, page = page_tree(client, "/account")
    assert status == 200 and shows(page, "login-username") and not shows(page, "account-username")
    assert client.post("account-message", {"account-save.n_clicks": 1}).status_code == 401
    assert not sees_overview(client)  # the sign-in was dropped with the refusal
    assert not sees_overview(copy)  # and the kept confirmation with it


def test_a_kept_confirmation_never_refuses_a_valid_session(engine, clock):
    """Only a session the read confirmed is kept: a new sign-in (a new nonce) is read, not refused
    on the old account's entry."""
    client = signed_in(engine)
    assert sees_overview(client)
    changed_elsewhere(engine, "vic")
    again = DashClient(client.app)
    again.login("vic")
    assert sees_overview(again)


def test_the_store_is_bounded_and_a_read_from_before_a_change_is_not_kept():
    now = [0.0]
    store = recent.RecentAccounts(seconds=2.0, limit=3, clock=lambda: now[0])
    for key in range(3):
        store.put(key, "row", store.generation)
    assert len(store) == 3
    store.put(3, "row", store.generation)
    assert len(store) == 1 and store.get(3) == "row"
    began = store.generation
    store.forget()  # an account changed while that read was under way
    store.put(4, "old row", began)
    assert store.get(4) is None
    store.put(4, "row", store.generation)
    now[0] += 2.0
    assert store.get(4) is None  # SECONDS at most


def test_a_signed_in_callback_does_not_resend_the_session_cookie(engine, clock):
    client = signed_in(engine)
    assert sees_overview(client)
    response = client.post("_pages_content", {"_pages_location.pathname": "/core",
                                              "_pages_location.search": ""})
    assert response.status_code == 200
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("dlj_session=")]


def test_require_role_reads_the_account_again(engine, clock):
    """The second line of defence inside callbacks that change data (auth.require_role) does not
    take the kept confirmation either."""
    from flask_login import login_user
    from werkzeug.exceptions import Unauthorized

    from dashboard import auth

    client = signed_in(engine, "ana")
    with session_scope(engine) as db:
        ana = users.get_user(db, "ana")
    with client.app.server.test_request_context("/_dash-update-component", method="POST"):
        assert service.session_user(engine, ana.id, ana.session_nonce) is not None  # kept now
        login_user(auth.SessionUser(ana.id, "ana", "", "analyst", ana.session_nonce))
        assert auth.require_role(*auth.DATA_EDITORS).username == "ana"
        changed_elsewhere(engine, "ana")
        assert service.session_user(engine, ana.id, ana.session_nonce) is not None  # still kept
        with pytest.raises(Unauthorized):
            auth.require_role(*auth.DATA_EDITORS)
