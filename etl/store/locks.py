"""Locks that serialise writers across processes: by name, until the transaction ends."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def hold_lock(session: Session, name: str) -> bool:
    """Serialise the transactions that take the lock `name` across processes, until `session`'s
    transaction ends: an advisory transaction lock on PostgreSQL (True); on SQLite nothing is
    taken (False): a write already makes a transaction the one writer."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
    return True
