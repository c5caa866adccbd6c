"""What the pages and the sign-in code call: each function is one unit of work with its own
transaction(s), its audit record and its log line. Pages never open a session themselves.

Results are plain dataclasses; refusals of account changes raise users.UserError (with both
languages), which the pages show.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import Engine, Row, select

from dashboard.accounts import audit, recent, throttle, users
from dashboard.accounts.models import User
from etl.settings import Settings
from etl.store.db import session_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignIn:
    ok: bool
    user: Optional[users.UserInfo] = None
    wait_seconds: int = 0  # > 0: throttled, try again after this
    missing: bool = False  # no user name or no password given


def sign_in(engine: Engine, settings: Settings, username: str, password: str,
            addr: str) -> SignIn:
    """Throttle, check the password, record the attempt and the audit event."""
    username = (username or "").strip()[:80]
    if not username or not password:
        return SignIn(False, missing=True)
    attempt = throttle.begin(engine, settings, username, addr)
    if attempt.wait_seconds:
        with session_scope(engine) as db:
            audit.record(db, "login-blocked", username=username, target=username, remote_addr=addr,
                         details={"wait_seconds": attempt.wait_seconds})
        log.warning("sign-in of %r from %s throttled for %d s", username, addr,
                    attempt.wait_seconds)
        return SignIn(False, wait_seconds=attempt.wait_seconds)
    with session_scope(engine) as db:
        user = users.authenticate(db, username, password)
        if user is None:
            audit.record(db, "login-failed", username=username, target=username, remote_addr=addr)
            log.info("sign-in of %r from %s failed", username, addr)
            return SignIn(False)
        throttle.succeeded(db, attempt)
        audit.record(db, "login", username=user.username, target=user.username, remote_addr=addr)
        log.info("%s signed in from %s (%s)", user.username, addr, user.role)
        return SignIn(True, users.info(user))


def session_user(engine: Engine, user_id: int, nonce: str, *, fresh: bool = False) -> Optional[Row]:
    """The active account whose session nonce is still `nonce` (its id, username, display_name,
    role and session_nonce), or None. Runs on every signed-in request: a session confirmed less
    than recent.SECONDS ago in this process is not read again (dashboard/accounts/recent.py says
    why that is safe); `fresh` reads it whatever is kept. The read is one primary-key select on an
    autocommit connection: no ORM session and no BEGIN/COMMIT round trips (3 -> 1)."""
    key = (engine.url, user_id, nonce)
    if not fresh:
        kept = recent.recent.get(key)
        if kept is not None:
            return kept
    generation = recent.recent.generation
    table = User.__table__
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        row = conn.execute(select(table.c.id, table.c.username, table.c.display_name, table.c.role,
                                  table.c.active, table.c.session_nonce)
                           .where(table.c.id == user_id)).first()
    if row is None or not row.active or row.session_nonce != nonce:
        recent.recent.drop(key)
        return None
    recent.recent.put(key, row, generation)
    return row


def end_sessions(engine: Engine, username: str, *, action: str = "logout",
                 addr: Optional[str] = None) -> None:
    """Sign out: a new session nonce ends every cookie issued for this account so far."""
    with session_scope(engine) as db:
        user = users.get_user(db, username)
        if user is not None:
            user.session_nonce = secrets.token_hex(16)
        audit.record(db, action, username=username, target=username, remote_addr=addr)
    log.info("%s: %s", action, username)


@dataclass(frozen=True)
class PasswordChange:
    status: str  # changed | wrong | throttled | refused
    wait_seconds: int = 0
    error: Optional[users.UserError] = None


def change_own_password(engine: Engine, settings: Settings, username: str, current: str,
                        new: str, addr: str) -> PasswordChange:
    """Check the current password (throttled and counted like a sign-in), then set the new one."""
    attempt = throttle.begin(engine, settings, username, addr)
    if attempt.wait_seconds:
        with session_scope(engine) as db:
            audit.record(db, "password-check-blocked", username=username, target=username,
                         remote_addr=addr, details={"wait_seconds": attempt.wait_seconds})
        log.warning("password change of %s throttled for %d s", username, attempt.wait_seconds)
        return PasswordChange("throttled", attempt.wait_seconds)
    with session_scope(engine) as db:
        if users.authenticate(db, username, current or "") is None:
            audit.record(db, "password-check-failed", username=username, target=username,
                         remote_addr=addr)
            log.info("password change of %s: wrong current password from %s", username, addr)
            return PasswordChange("wrong")
        throttle.succeeded(db, attempt)
    try:
        with session_scope(engine) as db:
            users.set_password(db, username, new or "", by=username)
    except users.UserError as exc:
        return PasswordChange("refused", error=exc)
    log.info("%s changed their password", username)
    return PasswordChange("changed")


def account_list(engine: Engine) -> list[users.UserInfo]:
    with session_scope(engine) as db:
        return users.list_users(db)


def failed_sign_ins(engine: Engine, settings: Settings) -> dict[str, int]:
    with session_scope(engine) as db:
        return throttle.waiting_accounts(db, settings)


ACCOUNT_ACTIONS = ("add", "set-role", "set-password", "disable", "enable", "unlock")


def change_account(engine: Engine, action: str, *, by: str, username: str = "", role: str = "",
                   password: str = "", display_name: str = "") -> None:
    """An admin's change to an account, in one transaction with its audit record."""
    with session_scope(engine) as db:
        if action == "add":
            users.create_user(db, username, password, role or "viewer", by=by,
                              display_name=display_name)
        elif action == "set-role":
            users.set_role(db, username, role or "viewer", by=by)
        elif action == "set-password":
            users.set_password(db, username, password, by=by)
        elif action in ("disable", "enable"):
            users.set_active(db, username, action == "enable", by=by)
        elif action == "unlock":
            users.require_user(db, username)
            forgotten = throttle.unlock(db, username)
            audit.record(db, "user-unlock", username=by, target=username,
                         details={"failures": forgotten})
        else:
            raise ValueError(f"unknown account action {action!r}")
    log.info("account %s: %s by %s", username, action, by)


def first_admin(engine: Engine, settings: Settings) -> Optional[str]:
    """The first admin from ADMIN_USERNAME / ADMIN_PASSWORD when there is no account at all."""
    if not settings.admin_username or not settings.admin_password:
        return None
    with session_scope(engine) as db:
        created = users.ensure_first_admin(db, settings.admin_username, settings.admin_password)
    if created:
        log.warning("first admin created from ADMIN_USERNAME: %s", created)
    return created


def audit_events(engine: Engine, action: Optional[str], limit: int) -> list[dict[str, Any]]:
    with session_scope(engine) as db:
        return audit.list_events(db, action=action or None, limit=limit)


def record(engine: Engine, action: str, **fields: Any) -> None:
    """An audit record in a transaction of its own (for events that change nothing else)."""
    with session_scope(engine) as db:
        audit.record(db, action, **fields)
