"""The maintained summary: derived figures computed once per data change, read by the pages.

Why: the catalog-wide pages (a city's card for each of 200 indicators with its rank among the 13;
every comparable indicator against the nation) and the progress engine's assessments were
computed from ~80,000 current values in Python on every cold render (0.2-1.8 s of CPU at 1 M-20 M
observations, issue 13). They change only when the data change. So they are computed once per
data stamp (etl.store.queries.data_stamp: changes on every load and rollback) and kept in one
table, keyed by (stamp, kind, key); a page reads the few rows it shows with one indexed query.

What is stored is the output of the very functions the pages call (dashboard/data.py's
`summarised`): no second implementation of any number. The payload is pickled plain data
(dicts, tuples, the progress engine's frozen dataclasses), as Flask-Caching stores the same
objects; only the app writes it.

A kind is written whole, in one transaction, with a marker row (key "*"): a reader finds all of
its keys or none. Concurrent builders are serialised by a lock (an advisory transaction lock on
PostgreSQL, the write lock on SQLite), and the second one finds the kind already built. Rows of
older stamps of the kind are deleted when a new one is written: the table holds one data state.
"""
from __future__ import annotations

import pickle
import zlib
from typing import Any, Callable, Iterable, Optional

from sqlalchemy import Engine, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from etl.store.db import session_scope
from etl.store.locks import hold_lock
from etl.store.models import Base
from etl.store.queries import Db, reading

MARKER = "*"  # the key of the row that says "this kind is complete for this stamp"


class SummaryRow(Base):
    __tablename__ = "summaries"

    stamp: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


def _dump(value: Any) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _load(blob: bytes) -> Any:
    return pickle.loads(zlib.decompress(blob))


def read(db: Db, stamp: str, kind: str, keys: Iterable[str]) -> Optional[dict[str, Any]]:
    """{key: value} for these keys of a kind built for this stamp, or None when it is not built
    (then no key is returned: a kind is all or nothing). One query on the primary key."""
    wanted = [MARKER, *dict.fromkeys(keys)]
    with reading(db) as s:
        rows = s.execute(select(SummaryRow.key, SummaryRow.payload).where(
            SummaryRow.stamp == stamp, SummaryRow.kind == kind,
            SummaryRow.key.in_(wanted))).all()
    found = {key: payload for key, payload in rows}
    if MARKER not in found:
        return None
    return {key: _load(payload) for key, payload in found.items() if key != MARKER}


def build(engine: Engine, stamp: str, kind: str, keys: Callable[[], Iterable[str]],
          compute: Callable[[str], Any]) -> bool:
    """Compute every key of a kind for this stamp and store them in one transaction, unless it is
    built already (checked again under the lock). Returns True when this call built it."""
    with session_scope(engine) as s:
        _lock(s, kind)
        done = s.scalar(select(SummaryRow.key).where(
            SummaryRow.stamp == stamp, SummaryRow.kind == kind, SummaryRow.key == MARKER))
        if done is not None:
            return False
        rows = [SummaryRow(stamp=stamp, kind=kind, key=str(key), payload=_dump(compute(key)))
                for key in dict.fromkeys(keys())]
        s.execute(delete(SummaryRow).where(SummaryRow.kind == kind, SummaryRow.stamp != stamp))
        s.add_all([*rows, SummaryRow(stamp=stamp, kind=kind, key=MARKER, payload=_dump(None))])
    return True


def _lock(s, kind: str) -> None:
    """Serialise the builders of one kind across processes until the transaction ends."""
    if not hold_lock(s, f"summary:{kind}"):  # SQLite: the write lock now (a write), not at the insert
        s.execute(delete(SummaryRow).where(SummaryRow.kind == kind, SummaryRow.key == "*lock"))


def clear(engine: Engine) -> None:
    """Forget every summary (the next read builds again): for tests and benchmarks."""
    with session_scope(engine) as s:
        s.execute(delete(SummaryRow))
