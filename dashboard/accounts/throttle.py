"""Throttling of password guesses (sign-in and "change password"), per account and per client
address, with growing delays instead of a hard lock; atomic across workers.

Every try writes its row to `login_attempts` (a failure until proven otherwise) and counts the
rows *before* its own, in one transaction that holds the account's and the address's lock (an
advisory transaction lock on PostgreSQL; SQLite has one writer at a time): tries of one account
or address take their turns, so ten parallel tries see 0, 1, 2, … earlier failures and the sixth
waits like a sixth try in sequence would. (Ordering by id alone was not enough on PostgreSQL: a
sequence hands out ids in one order and the transactions commit in another, so a try could count
before an earlier id was committed and one burst in a few got a sixth check.) A refused try
deletes its own row before it commits (it was never checked, so it does not lengthen the wait);
a try with the right password marks its row a success.

After `free` failures within the window, each further try must wait 1, 2, 4, 8 … seconds after
the latest failure, up to a cap: short per account (a stranger cannot keep an account locked; a
success from the owner clears the account's count), long per address (one machine guessing many
accounts is slowed to a crawl). An admin can clear an account's failures (`unlock`).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from dashboard.accounts.models import LoginAttempt
from etl.settings import Settings
from etl.store.db import session_scope
from etl.store.locks import hold_lock
from etl.store.models import utcnow


KEEP = dt.timedelta(days=1)  # longer than any window (LOGIN_WINDOW_MINUTES is at most a day)


def delay_seconds(failures: int, free: int, cap: int) -> int:
    """0 for the first `free` failures, then 1, 2, 4 … seconds, never more than `cap`."""
    if failures < free:
        return 0
    return min(cap, 2 ** min(failures - free, 30))


@dataclass(frozen=True)
class Attempt:
    id: int
    wait_seconds: int  # 0: go ahead and check the password; else refused, try again after this


def _failures_before(db: Session, attempt_id: int, since: dt.datetime, *, username: str = "",
                     addr: str = "") -> tuple[int, Optional[dt.datetime]]:
    """Failures before this attempt, within the window (for an account: since its last success)."""
    column = LoginAttempt.username if username else LoginAttempt.remote_addr
    key = username or addr
    since_id = 0
    if username:
        since_id = db.scalar(select(func.max(LoginAttempt.id)).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(True),
            LoginAttempt.id < attempt_id)) or 0
    count, latest = db.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        column == key, LoginAttempt.success.is_(False), LoginAttempt.at >= since,
        LoginAttempt.id < attempt_id, LoginAttempt.id > since_id)).one()
    return count or 0, latest


def _wait(count: int, latest: Optional[dt.datetime], free: int, cap: int, now: dt.datetime) -> int:
    delay = delay_seconds(count, free, cap)
    if not delay or latest is None:
        return 0
    return max(0, math.ceil((latest + dt.timedelta(seconds=delay) - now).total_seconds()))


def _take_turn(db: Session, username: str, addr: str) -> None:
    """Hold the account's and the address's lock until the transaction ends (PostgreSQL; always in
    this order, so two tries never wait for each other crosswise). SQLite needs none: the try's
    insert makes its transaction the one writer."""
    hold_lock(db, f"login-user:{username}")
    hold_lock(db, f"login-addr:{addr}")


def begin(engine: Engine, settings: Settings, username: str, addr: str) -> Attempt:
    """Reserve this try's place and decide whether it may check a password, in one transaction
    that takes its turn among the tries of the same account and address (see the module
    docstring); committed before the password is checked."""
    now = utcnow()
    username, addr = username[:80], addr[:64]
    since = now - dt.timedelta(minutes=settings.login_window_minutes)
    with session_scope(engine) as db:
        _take_turn(db, username, addr)
        row = LoginAttempt(username=username, remote_addr=addr, success=False, at=now)
        db.add(row)
        db.flush()
        attempt_id = row.id
        user_count, user_latest = _failures_before(db, attempt_id, since, username=username)
        addr_count, addr_latest = _failures_before(db, attempt_id, since, addr=addr)
        wait = max(_wait(user_count, user_latest, settings.login_free_failures_per_user,
                         settings.login_max_delay_user_seconds, now),
                   _wait(addr_count, addr_latest, settings.login_free_failures_per_addr,
                         settings.login_max_delay_addr_seconds, now))
        if wait:
            db.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
        # tries older than a day count for nothing: the table holds about a day of tries
        db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
    return Attempt(attempt_id, wait)


def succeeded(db: Session, attempt: Attempt) -> None:
    """The password was right: this row is a success (and clears the account's count)."""
    row = db.get(LoginAttempt, attempt.id)
    if row is not None:
        row.success = True


def unlock(db: Session, username: str) -> int:
    """Forget an account's failed tries (an admin's "unlock"); the number forgotten."""
    result = db.execute(delete(LoginAttempt).where(LoginAttempt.username == username,
                                                   LoginAttempt.success.is_(False)))
    return result.rowcount or 0


def waiting_accounts(db: Session, settings: Settings) -> dict[str, int]:
    """Accounts with failures that count (in the window, after the account's last successful
    sign-in): user name -> failures, for the admin page."""
    since = utcnow() - dt.timedelta(minutes=settings.login_window_minutes)
    last_ok = (select(LoginAttempt.username, func.max(LoginAttempt.id).label("ok_id"))
               .where(LoginAttempt.success.is_(True)).group_by(LoginAttempt.username).subquery())
    rows = db.execute(
        select(LoginAttempt.username, func.count())
        .outerjoin(last_ok, last_ok.c.username == LoginAttempt.username)
        .where(LoginAttempt.success.is_(False), LoginAttempt.at >= since,
               LoginAttempt.id > func.coalesce(last_ok.c.ok_id, 0))
        .group_by(LoginAttempt.username)).all()
    return {name: count for name, count in rows}
