"""Accounts confirmed by a recent read, kept for at most SECONDS per process (issue 13).

Every signed-in request checks its session against the account (active, same session nonce:
service.session_user). Read from the database on every request, that check was about half of a
signed-in viewer's server CPU for a cached page (0.6 of ~1.5 ms in-process, bench/README.md),
so a process now remembers, for SECONDS, that (database, user id, nonce) was valid, and skips
the read while that holds. What keeps this safe:

- only a confirmation is kept: an account that was not found, inactive or had another nonce is
  read again on the next request, so a session is never refused on an old read;
- any change of an account committed in this process through the ORM (sign-out, password, role,
  disabling: every place that changes the nonce or the account) forgets everything at once, after
  the commit (`_note_changes`, `_forget_after_commit`), so the next request reads it again; a read
  that began before that is not kept (`generation`);
- a change made by another process (another gunicorn worker, `python -m dashboard users ...`,
  a restore) takes effect within SECONDS, after which the entry is no longer used;
- only read-only views of open pages (response_cache.viewing_only) use what is kept: every other
  request (callbacks that change data or show protected things, downloads) reads the account in
  auth.load_user (`fresh=True`), and auth.require_role reads it once more;
- at most LIMIT entries: when full, everything is forgotten (200 viewers share a few dozen).

docs/accounts.md says the same for administrators.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Hashable, Optional

from sqlalchemy import event
from sqlalchemy.orm import Session

from dashboard.accounts.models import User

SECONDS = 2.0  # how long a confirmed session is believed without reading the account again
LIMIT = 4096   # entries kept per process at most

_CHANGED = "accounts_changed"  # Session.info flag: a User row was written in this transaction


class RecentAccounts:
    """(key) -> (until, row), only for rows that confirmed a session."""

    def __init__(self, seconds: float = SECONDS, limit: int = LIMIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.limit, self.clock = seconds, limit, clock
        self._rows: dict[Hashable, tuple[float, Any]] = {}
        self.generation = 0  # +1 on every forget: a read begun before it is not kept

    def get(self, key: Hashable) -> Optional[Any]:
        hit = self._rows.get(key)
        if hit is None or hit[0] <= self.clock():
            return None
        return hit[1]

    def put(self, key: Hashable, row: Any, generation: int) -> None:
        """Keep `row`, read after `generation` was current, unless an account changed since."""
        if len(self._rows) >= self.limit:
            self._rows.clear()
        if generation == self.generation:
            self._rows[key] = (self.clock() + self.seconds, row)

    def drop(self, key: Hashable) -> None:
        """A read found this session no longer valid: stop believing the older confirmation."""
        self._rows.pop(key, None)

    def forget(self) -> None:
        self.generation += 1
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)


recent = RecentAccounts()


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    if any(isinstance(obj, User) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        recent.forget()


@event.listens_for(Session, "after_soft_rollback")
def _drop_note(session: Session, _previous) -> None:
    session.info.pop(_CHANGED, None)
