"""The briefings' archive table and the few reads the briefing needs beyond etl/store/queries.py.

Archive: one row per briefing made (quarter, language, format, the data stamp it was made from,
when, by whom, the file's bytes and sha256). It is also the cache: a briefing asked for again with
the same data stamp, quarter, language and format is the archived file, returned at once; a new
upload changes the data stamp, so the next request makes (and archives) a new one. Why a table and
not files in the instance folder: every worker of a gunicorn server sees it at once, a write is
one transaction (no half-written index), and `python -m etl backup` keeps it with the data it was
made from ("the briefing of 2025Q3 as it was sent" survives a restore).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Optional

from sqlalchemy import DateTime, Float, Index, Integer, LargeBinary, SmallInteger, String, func, select
from sqlalchemy.orm import Mapped, aliased, mapped_column

from etl.periods import period_sort_key
from etl.store.db import session_scope
from etl.store.models import Base, Batch, Observation, utcnow
from etl.store.queries import Db, reading

FORMATS = ("docx", "pdf")
MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "pdf": "application/pdf"}


class Briefing(Base):
    __tablename__ = "briefings"
    __table_args__ = (Index("ix_briefing_lookup", "data_stamp", "year", "quarter", "lang", "fmt"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int] = mapped_column(SmallInteger)  # 1..4
    lang: Mapped[str] = mapped_column(String(4))
    fmt: Mapped[str] = mapped_column(String(8))  # docx | pdf
    data_stamp: Mapped[str] = mapped_column(String(80))  # etl.store.queries.data_stamp
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    any_demo: Mapped[bool] = mapped_column(default=False)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)  # how long it took to make
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


def _meta(b: Briefing) -> dict:
    return dict(id=b.id, year=b.year, quarter=b.quarter, lang=b.lang, fmt=b.fmt,
                data_stamp=b.data_stamp, created_at=b.created_at, created_by=b.created_by,
                any_demo=b.any_demo, seconds=b.seconds, size=b.size, sha256=b.sha256)


def cached(db: Db, stamp: str, year: int, quarter: int, lang: str, fmt: str) -> Optional[tuple[dict, bytes]]:
    """The archived briefing made from this data stamp for this quarter, language and format."""
    with reading(db) as s:
        b = s.scalars(select(Briefing).where(
            Briefing.data_stamp == stamp, Briefing.year == year, Briefing.quarter == quarter,
            Briefing.lang == lang, Briefing.fmt == fmt).order_by(Briefing.id.desc()).limit(1)).first()
        return None if b is None else (_meta(b), bytes(b.content))


def archive(engine, *, stamp: str, year: int, quarter: int, lang: str, fmt: str, user: str,
            content: bytes, any_demo: bool, seconds: float) -> dict:
    with session_scope(engine) as s:
        b = Briefing(year=year, quarter=quarter, lang=lang, fmt=fmt, data_stamp=stamp, created_by=user,
                     any_demo=any_demo, seconds=round(seconds, 3), size=len(content),
                     sha256=hashlib.sha256(content).hexdigest(), content=content)
        s.add(b)
        s.flush()
        return _meta(b)


def archived(db: Db, *, year: Optional[int] = None, quarter: Optional[int] = None) -> list[dict]:
    """The archive, newest first (without the files' bytes)."""
    query = select(Briefing).order_by(Briefing.id.desc())
    if year is not None:
        query = query.where(Briefing.year == year)
    if quarter is not None:
        query = query.where(Briefing.quarter == quarter)
    with reading(db) as s:
        return [_meta(b) for b in s.scalars(query)]


def archived_file(db: Db, briefing_id: int) -> Optional[tuple[dict, bytes]]:
    with reading(db) as s:
        b = s.get(Briefing, briefing_id)
        return None if b is None else (_meta(b), bytes(b.content))


def last_before(db: Db, when: dt.datetime, stamp: str) -> Optional[dict]:
    """The newest briefing made before `when` from other data (the 'last briefing' whose
    revisions since are listed)."""
    with reading(db) as s:
        b = s.scalars(select(Briefing).where(Briefing.created_at < when, Briefing.data_stamp != stamp)
                      .order_by(Briefing.created_at.desc()).limit(1)).first()
        return None if b is None else _meta(b)


# --- reads of the observations -------------------------------------------------------------------

def data_quarters(db: Db) -> list[tuple[int, int]]:
    """The quarters with current values (a whole year counts as its fourth quarter), newest first."""
    with reading(db) as s:
        found = s.execute(select(Observation.year, Observation.quarter)
                          .where(Observation.is_current.is_(True)).distinct()).all()
    return sorted({(y, q or 4) for y, q in found}, reverse=True)


def revisions(db: Db, *, up_to: tuple[int, int], since: Optional[dt.datetime] = None,
              indicators: Optional[list[str]] = None) -> list[dict]:
    """Current values that revise an earlier version to another value, of periods up to the quarter,
    loaded after `since` (all when None), with the value they replaced; newest load first."""
    old = aliased(Observation)
    query = (select(Observation.indicator_code, Observation.region_code, Observation.year,
                    Observation.quarter, Observation.basis, Observation.value,
                    old.value.label("old_value"), Batch.loaded_at)
             .join(Batch, Batch.id == Observation.batch_id)
             .join(old, (old.indicator_code == Observation.indicator_code)
                   & (old.region_code == Observation.region_code) & (old.year == Observation.year)
                   & (old.quarter == Observation.quarter) & (old.basis == Observation.basis)
                   & (old.version == Observation.version - 1))
             .where(Observation.is_current.is_(True), Observation.version > 1,
                    Observation.year <= up_to[0])
             .order_by(Batch.loaded_at.desc()))
    if since is not None:
        query = query.where(Batch.loaded_at > since)
    if indicators:
        query = query.where(Observation.indicator_code.in_(indicators))
    end = period_sort_key(up_to[0], up_to[1])[:2]
    with reading(db) as s:
        rows = [dict(r) for r in s.execute(query).mappings()]
    # a new version with the same value (the same figure from another file) is no revision
    return [r for r in rows if period_sort_key(r["year"], r["quarter"])[:2] <= end
            and abs(r["value"] - r["old_value"]) > 1e-9]


def newest_load(db: Db) -> Optional[dt.datetime]:
    with reading(db) as s:
        return s.scalar(select(func.max(Batch.loaded_at)).where(Batch.status == "loaded"))
