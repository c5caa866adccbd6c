"""Accounts in the running app: Flask-Login sessions, login with rate limits, role checks.

    init_auth(app)            # called by create_app: security, sessions, page and callback guards
    current_role()            # "anonymous" | "viewer" | "analyst" | "admin"
    require_role("analyst", "admin")   # inside a callback: the user, or a 401/403 response

Who may see what is decided on the server, twice: every request to /_dash-update-component is
checked against the roles registered for its outputs (`protect`) before Dash runs it, and every
callback that changes data calls `require_role` itself, which reads the account again. The
session's check in `load_user` reads the account on every request, except a read-only view of
open pages (response_cache.viewing_only), which may take a confirmation up to a few seconds old
(dashboard/accounts/recent.py). Page layouts are
wrapped so that a page with `roles` in its registry entry shows a refusal (or the login form) to
anyone else, whatever URL they type. Without PUBLIC_VIEWING=1 an anonymous visitor sees only the login page.

A sign-in lasts at most SESSION_HOURS and ends after SESSION_IDLE_MINUTES without a request,
checked on the server from times kept in the signed session; signing out gives the account a new
session nonce, so a cookie saved before is worthless. Everything that touches the database is in
dashboard.accounts.service (throttling, passwords, audit).
"""
from __future__ import annotations

import json
import sys
import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional
from urllib.parse import unquote, urlencode, urlsplit

import dash
from flask import Flask, has_request_context, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboard import login_form, response_cache, security
from dashboard.accounts import audit, service
from dashboard.settings import settings
from etl.wording.catalogue import pair, t

ANONYMOUS = "anonymous"
LOGGED_IN = ("viewer", "analyst", "admin")
DATA_EDITORS = ("analyst", "admin")
ADMINS = ("admin",)

log = logging.getLogger(__name__)


SIGNED_IN_AT, SEEN_AT = "_signed_in_at", "_seen_at"  # session keys (epoch seconds)
SEEN_RESOLUTION = 60  # seconds: the idle clock is written back at most once a minute

# Outputs an anonymous visitor's browser needs to show the login page (when viewing is not public):
# Dash's page router, the shell around pages, and the login form itself.
ANONYMOUS_OUTPUTS = {"_pages_content", "_pages_store", "_pages_dummy", "navbar", "demo-banner",
                     "footer", "nav-collapse"}
ANONYMOUS_PREFIXES = ("login-",)
# Component-id prefix -> roles allowed to run callbacks writing to it (see `protect`).
PROTECTED_OUTPUTS: dict[str, tuple[str, ...]] = {}

login_manager = LoginManager()
login_manager.session_protection = "basic"


def protect(prefix: str, *roles: str) -> None:
    """Callbacks whose outputs have ids starting with `prefix` run only for these roles."""
    PROTECTED_OUTPUTS[prefix] = tuple(roles)


@dataclass
class SessionUser(UserMixin):
    """The signed-in user as Flask-Login sees it. The session id includes a nonce that changes with
    the password, the role or the account's status, so those changes end existing sessions."""

    user_id: int
    username: str
    display_name: str
    role: str
    nonce: str

    def get_id(self) -> str:
        return f"{self.user_id}:{self.nonce}"


def engine():
    from dashboard import data

    return data.engine()


def session_expired(now: float) -> Optional[str]:
    """'lifetime' or 'idle' when this request's sign-in is over, on the server's clock."""
    current = settings()
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in, (int, float)) or not isinstance(seen, (int, float)):
        return "lifetime"  # a session from before these checks, or tampered: sign in again
    if now - signed_in > current.session_hours * 3600:
        return "lifetime"
    if now - seen > current.session_idle_minutes * 60:
        return "idle"
    return None


def _forget_sign_in() -> None:
    for key in ("_user_id", "_fresh", "_id", SIGNED_IN_AT, SEEN_AT):
        session.pop(key, None)


@login_manager.user_loader
def load_user(session_id: str) -> Optional[SessionUser]:
    user_id, _, nonce = (session_id or "").partition(":")
    if not user_id.isdigit() or not nonce:
        return None
    now = time.time()
    expired = session_expired(now)
    if expired:
        log.info("session of user id %s ended (%s)", user_id, expired)
        _forget_sign_in()
        return None
    # a read-only view of open pages may take a confirmation a few seconds old; anything else
    # (callbacks that change data or show protected things, downloads) reads the account now
    fresh = not response_cache.viewing_only()
    user = service.session_user(engine(), int(user_id), nonce, fresh=fresh)
    if user is None:
        _forget_sign_in()
        return None
    if now - session[SEEN_AT] >= SEEN_RESOLUTION:
        session[SEEN_AT] = int(now)
    return SessionUser(user.id, user.username, user.display_name, user.role, user.session_nonce)


def public_viewing() -> bool:
    return settings().public_viewing


def current_user_or_none() -> Optional[SessionUser]:
    if not has_request_context():
        return None
    user = current_user
    if user is None or not user.is_authenticated:
        return None
    return user  # type: ignore[return-value]


def current_username() -> str:
    user = current_user_or_none()
    return user.username if user else ""


def current_role() -> str:
    user = current_user_or_none()
    return user.role if user else ANONYMOUS


def may_view() -> bool:
    return may_view_as(current_role())


def may_view_as(role: str) -> bool:
    """Whether `role` may view the open pages (any account; anonymous with PUBLIC_VIEWING)."""
    return role != ANONYMOUS or public_viewing()


def still_valid(user: SessionUser) -> bool:
    """The account read again now (require_role's own read, whatever load_user found)."""
    return service.session_user(engine(), user.user_id, user.nonce, fresh=True) is not None


def _end_here() -> None:
    """The account read again no longer holds this session: this request, and the session,
    go on signed out."""
    _forget_sign_in()
    logout_user()


def require_role(*roles: str) -> SessionUser:
    """For callbacks that change data or reveal protected things: the user (its account read
    again from the database), or a refusal."""
    user = current_user_or_none()
    if user is None:
        raise Unauthorized(security.refusal("security.sign_in"))
    if user.role not in roles:
        raise Forbidden(security.refusal("security.not_allowed"))
    if not still_valid(user):
        _end_here()
        raise Unauthorized(security.refusal("security.sign_in"))
    return user


# --- logging in and out -----------------------------------------------------------------------

@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message_zh: str = ""
    message_en: str = ""
    role: str = ""


def wait_message(seconds: int) -> tuple[str, str]:
    return pair("auth.wait_one" if seconds == 1 else "auth.wait", seconds=seconds)


def attempt_login(username: str, password: str) -> LoginResult:
    """Throttle, check the password, record the attempt and the audit event, sign in."""
    outcome = service.sign_in(engine(), settings(), username, password, audit.request_addr())
    if outcome.missing:
        return LoginResult(False, *pair("auth.missing"))
    if outcome.wait_seconds:
        return LoginResult(False, *wait_message(outcome.wait_seconds))
    if not outcome.ok or outcome.user is None:
        return LoginResult(False, *pair("auth.wrong"))
    user = outcome.user
    session.clear()  # nothing from before the login survives (fixation)
    login_user(SessionUser(user.id, user.username, user.display_name, user.role,
                           user.session_nonce))
    session.permanent = True
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())
    security.rotate_csrf_token()
    return LoginResult(True, role=user.role)


def change_own_password(username: str, current: str, new: str) -> "service.PasswordChange":
    """The signed-in user's password change, throttled and audited like a sign-in."""
    return service.change_own_password(engine(), settings(), username, current, new,
                                       audit.request_addr())


def logout() -> None:
    """End the sign-in here and on the server: the account's session nonce changes, so this
    cookie (or a copy of it) no longer signs anyone in."""
    user = current_user_or_none()
    if user is not None:
        service.end_sessions(engine(), user.username, addr=audit.request_addr())
    logout_user()
    session.clear()
    security.rotate_csrf_token()


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site may follow a login: no scheme, no network location (//host,
    /\\host), no control characters or spaces (browsers drop a tab or a line break, so that
    /%09/host becomes //host)."""
    if not target or not target.startswith("/"):
        return default
    for form in (target, unquote(target)):  # once more as a browser may decode it
        if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in form) or "\\" in form:
            return default
        if form.startswith("//"):
            return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return default
    return target


# --- guards -------------------------------------------------------------------------------------

def output_ids(output: str) -> list[str]:
    """Component ids named in Dash's `output` field ('id.prop' or '..id1.p1...id2.p2..')."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    ids = []
    for part in parts:
        ident = part.rsplit(".", 1)[0]
        if ident.startswith("{"):
            try:
                ident = str(json.loads(ident).get("type", ident))
            except (ValueError, AttributeError):
                pass
        ids.append(ident)
    return ids


def roles_for(ids: Iterable[str]) -> Optional[set[str]]:
    """The roles allowed by every protected prefix the ids touch, or None when none is touched."""
    allowed: Optional[set[str]] = None
    for ident in ids:
        for prefix, roles in PROTECTED_OUTPUTS.items():
            if ident.startswith(prefix):
                allowed = set(roles) if allowed is None else allowed & set(roles)
    return allowed


def anonymous_may_call(ids: list[str]) -> bool:
    return all(i in ANONYMOUS_OUTPUTS or i.startswith(ANONYMOUS_PREFIXES) for i in ids)


def guard_callbacks():
    """before_request for /_dash-update-component: refuse callbacks the caller may not run."""
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True) or {}
    output = body.get("output")
    if not isinstance(output, str):
        return security.refuse(400, *pair("auth.bad_request"))
    ids = output_ids(output)
    role = current_role()  # the account read now unless the request is a read-only view (load_user)
    if role == ANONYMOUS and not public_viewing() and not anonymous_may_call(ids):
        return security.refuse(401, *pair("security.sign_in"))
    allowed = roles_for(ids)
    if allowed is not None and role not in allowed:
        if role == ANONYMOUS:
            return security.refuse(401, *pair("security.sign_in"))
        return security.refuse(403, *pair("security.not_allowed"))
    return None


def guard_pages(server: Flask) -> None:
    """Wrap every page's layout: refuse pages whose registry `roles` exclude the user."""
    for entry in dash.page_registry.values():
        if not getattr(entry.get("layout"), "auth_guard", False):  # create_app may reset layouts
            entry["layout"] = _guarded_layout(entry)


def _guarded_layout(entry: dict) -> Callable[..., Any]:
    original = entry.get("layout")
    module = entry["module"]
    roles = entry.get("roles")
    open_to_all = entry.get("auth_open", False)  # the login page itself

    def layout(**kwargs):
        page = original if original is not None else getattr(sys.modules[module], "layout", None)
        role = current_role()
        if not open_to_all:
            if role == ANONYMOUS and (roles or not public_viewing()):
                return _login_required(entry["path"], kwargs)
            if roles and role not in roles:
                return _forbidden(kwargs.get("lang"))
        return page(**kwargs) if callable(page) else page

    layout.auth_guard = True
    return layout


def _login_required(path: str, query: dict) -> Any:
    next_url = path + ("?" + urlencode({k: v for k, v in query.items() if isinstance(v, str)})
                       if query else "")
    return login_form.form(safe_next(next_url), query.get("lang"), public=public_viewing())


def _forbidden(lang: str | None) -> Any:
    import dash_bootstrap_components as dbc
    from dash import html

    return dbc.Alert([html.H2(t("auth.forbidden", lang), className="h5"),
                      html.P(t("auth.forbidden_hint", lang))], color="danger", id="auth-forbidden")


def init_auth(app: dash.Dash) -> None:
    server: Flask = app.server
    security.init_security(server, app)
    login_manager.init_app(server)
    server.before_request(guard_callbacks)
    guard_pages(server)
    with server.app_context():
        service.first_admin(engine(), settings())
