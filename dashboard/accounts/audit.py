"""The audit log: who did what, when, from which address.

Events are rows in `audit_events`, written in the same transaction as the change they describe
(a rolled-back change leaves no "commit" event behind). Actions:

    login, login-failed, login-blocked, logout, session-expired, password-change,
    password-check-failed, password-check-blocked,
    upload (a file was checked), upload-rejected, commit, commit-refused, cancel, cancel-refused,
    rollback, user-add, user-role, user-disable, user-enable, user-password, user-unlock,
    audit-export
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.accounts.models import AuditEvent
from etl.wording.catalogue import pair
from etl.wording.times import fmt_time

COLUMNS = ("id", "at", "username", "action", "remote_addr", "target", "details")

# action codes, in the order the admin page lists them; the code stays in the data and the export,
# the words (audit.action.<code>, etl/wording/texts/admin.toml) are what a reader sees
ACTIONS = (
    "login", "login-failed", "login-blocked", "logout", "password-change", "password-check-failed",
    "password-check-blocked", "upload", "upload-rejected", "commit", "commit-refused", "cancel",
    "cancel-refused", "rollback", "user-add", "user-role", "user-disable", "user-enable",
    "user-password", "user-unlock", "audit-export", "task-status",
)
ACTION_NAMES: dict[str, tuple[str, str]] = {code: pair(f"audit.action.{code}") for code in ACTIONS}


def action_name(action: str, lang: str = "zh") -> str:
    """The action in words of the language ('新建账户' / 'Account created'); an unknown code as is."""
    zh, en = ACTION_NAMES.get(action, (action, action))
    return en if lang == "en" else zh


def request_addr() -> str:
    """The client's address when called inside a Flask request (ProxyFix decides what to trust)."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - flask is a dependency
        return ""
    if not has_request_context():
        return "local"  # the command line on the server itself
    return (request.remote_addr or "")[:64]


def record(session: Session, action: str, *, username: str = "", target: str = "",
           details: Optional[dict[str, Any]] = None, remote_addr: Optional[str] = None) -> AuditEvent:
    event = AuditEvent(action=action, username=(username or "")[:80], target=str(target)[:255],
                       details=details or {},
                       remote_addr=request_addr() if remote_addr is None else remote_addr[:64])
    session.add(event)
    session.flush()
    return event


def list_events(session: Session, *, action: str | None = None, username: str | None = None,
                limit: int | None = 500, offset: int = 0) -> list[dict[str, Any]]:
    """Newest first, as plain dicts (time as text, in Beijing time)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    if username:
        query = query.where(AuditEvent.username == username)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [event_dict(e) for e in session.scalars(query)]


def count_events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": _iso(event.at),
        "username": event.username,
        "action": event.action,
        "remote_addr": event.remote_addr,
        "target": event.target,
        "details": event.details or {},
    }


def _iso(value: dt.datetime | None) -> str:
    return fmt_time(value, seconds=True)  # Beijing time: the column header and the export say so


# the code for filtering and scripts; action_name (when the rows carry it) for readers
EXPORT_COLUMNS = ("at", "username", "action", "remote_addr", "target", "details", "action_name")


def export_bytes(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """The audit rows as CSV or XLSX through etl.store.export's writer, which neutralises formula-like
    cells (a file name such as "=HYPERLINK(...)" stays text)."""
    from etl.store.export import table_bytes

    return table_bytes(EXPORT_COLUMNS, ([_text(row.get(c)) for c in EXPORT_COLUMNS] for row in rows),
                       fmt)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)
