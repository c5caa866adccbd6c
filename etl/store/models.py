"""The SQL store: typed SQLAlchemy 2.x models.

Observations are never updated in place: a revised figure is a new row with the next version
number, and `is_current` marks the newest version of each (indicator, region, period, basis) that
belongs to a batch that has not been rolled back. Keeping the flag (rather than computing
max(version) per query) keeps dashboard queries on a million rows to an index scan.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


# --- catalog ---------------------------------------------------------------------------------

class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # GB/T 2260
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    short_zh: Mapped[str] = mapped_column(String(20))  # 哈尔滨, 黑龙江, 大兴安岭 (chart labels)
    level: Mapped[str] = mapped_column(String(12))  # country | province | prefecture
    parent_code: Mapped[Optional[str]] = mapped_column(ForeignKey("regions.code"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    aliases: Mapped[list["RegionAlias"]] = relationship(back_populates="region")


class RegionAlias(Base):
    """A spelling seen in files (哈尔滨, 哈尔滨市, Harbin, 230100), stored normalised."""

    __tablename__ = "region_aliases"

    alias: Mapped[str] = mapped_column(String(60), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))

    region: Mapped[Region] = relationship(back_populates="aliases")


class Indicator(Base):
    __tablename__ = "indicators"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16))  # 亿元, %, 个, 万人
    unit_en: Mapped[str] = mapped_column(String(40))
    definition_zh: Mapped[str] = mapped_column(Text, default="")  # 统计口径
    definition_en: Mapped[str] = mapped_column(Text, default="")
    # "higher" or "lower": which way is progress. Never defaulted by the progress engine.
    direction: Mapped[str] = mapped_column(String(8))
    # flow (summed over a period, e.g. GDP), stock (a count at period end), ratio (a share/rate)
    measure: Mapped[str] = mapped_column(String(8))
    # True when quarterly values are reported year-to-date (1-9月), as Chinese statistics do.
    quarterly_cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    derivation: Mapped[Optional[str]] = mapped_column(Text)  # e.g. "digital_core_va / gdp * 100"
    min_value: Mapped[Optional[float]] = mapped_column(Float)
    max_value: Mapped[Optional[float]] = mapped_column(Float)
    source_zh: Mapped[str] = mapped_column(Text, default="")
    source_en: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    aliases: Mapped[list["IndicatorAlias"]] = relationship(back_populates="indicator")


class IndicatorAlias(Base):
    """A label as it appears in real files, normalised, without its unit or 当季/累计 suffix."""

    __tablename__ = "indicator_aliases"

    alias: Mapped[str] = mapped_column(String(120), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))

    indicator: Mapped[Indicator] = relationship(back_populates="aliases")


class TargetSet(Base):
    """One policy document's targets (e.g. the 2021 数字龙江 measures, the ICT plan, a 2030 set)."""

    __tablename__ = "target_sets"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    issuer_zh: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[Optional[str]] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text, default="")
    base_year: Mapped[int] = mapped_column(Integer, default=2020)
    target_year: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # an illustrative set (the demo's 2030 targets): shown labelled as not policy, never the
    # overview's default (docs/method.md)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    targets: Mapped[list["Target"]] = relationship(back_populates="target_set")


class Target(Base):
    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("target_set_code", "indicator_code", "region_code", "target_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_set_code: Mapped[str] = mapped_column(ForeignKey("target_sets.code"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    target_year: Mapped[int] = mapped_column(Integer)
    # at_least | approximately | national_average | full_coverage
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[Optional[float]] = mapped_column(Float)  # None for national_average
    tolerance: Mapped[Optional[float]] = mapped_column(Float)  # 左右: +/- in the unit
    clause_ref_zh: Mapped[str] = mapped_column(Text)  # 序言 / 第15条
    clause_ref_en: Mapped[str] = mapped_column(Text)
    clause_text: Mapped[str] = mapped_column(Text)  # the words of the policy
    note_zh: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    target_set: Mapped[TargetSet] = relationship(back_populates="targets")


# --- loaded data -----------------------------------------------------------------------------

class Batch(Base):
    """One loaded file: who, when, what it held and what the checks said."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    loaded_by: Mapped[str] = mapped_column(String(80))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="loaded")  # loaded | rolled_back
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    is_reference: Mapped[bool] = mapped_column(Boolean, default=False)  # published figures
    values_read: Mapped[int] = mapped_column(Integer, default=0)
    values_new: Mapped[int] = mapped_column(Integer, default=0)
    values_revised: Mapped[int] = mapped_column(Integer, default=0)
    values_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    values_skipped: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)  # 注： lines and metadata
    source_lines: Mapped[list[str]] = mapped_column(JSON, default=list)  # 数据来源： lines
    rolled_back_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    rolled_back_by: Mapped[Optional[str]] = mapped_column(String(80))
    rollback_reason: Mapped[Optional[str]] = mapped_column(Text)


class Observation(Base):
    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint(
            "indicator_code", "region_code", "year", "quarter", "basis", "version",
            name="uq_observation_version",
        ),
        # the unique key's (indicator_code, region_code) prefix serves the pages' look-ups of
        # current values; an index on (indicator_code, region_code, is_current) beside it made
        # every load a quarter slower on SQLite and no query faster (migration 0009)
        Index("ix_observation_batch", "batch_id"),
        # max(year), max(quarter) of current values (queries.data_vintage) without a scan, and
        # every current row in order of period when nothing narrower is asked (the data grid):
        # partial, so that no planner takes it for a look-up by indicator or region; its WHERE
        # is written as the queries write it (`is_current IS 1` / `IS true`), which is what
        # SQLite's planner needs to match it
        Index("ix_observation_vintage", "year", "quarter",
              sqlite_where=text("is_current IS 1"), postgresql_where=text("is_current IS true")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int] = mapped_column(SmallInteger)  # 0 = the whole year, 1..4
    basis: Mapped[str] = mapped_column(String(8))  # annual | ytd | quarter
    value: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    sheet: Mapped[str] = mapped_column(String(100))
    cell: Mapped[str] = mapped_column(String(16))  # A1 reference, e.g. C7
    raw_value: Mapped[str] = mapped_column(String(100))  # as written in the file
    # what the file says about the value besides its number: 现价, 初步核算 (a label's or the
    # title's qualifiers), the long template's 备注; "" when nothing (migration 0008)
    notes: Mapped[str] = mapped_column(String(200), default="", server_default="")

    batch: Mapped[Batch] = relationship()


# --- uploads waiting for their commit (accounts and audit: dashboard/accounts/models.py) -------

class PendingUpload(Base):
    """A checked file waiting for its owner's "commit", kept in SQL so any worker can commit it."""

    __tablename__ = "pending_uploads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random, unguessable token
    owner: Mapped[str] = mapped_column(String(80), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    skip_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    # pending (valid, awaiting commit) | rejected (kept for its report) | committed | cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # The change plan the analyst saw; commit refuses if the database has moved since.
    plan_digest: Mapped[str] = mapped_column(String(64), default="")
    plan_summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the validation report
    batch_id: Mapped[Optional[int]] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


# --- what the seed last wrote (etl/store/seed.py) ----------------------------------------------

class SeedState(Base):
    """The digest of the seed as it was last applied, written in the seed's own transaction: a
    start whose seed files, seed code and schema are those of the digest skips the seed."""

    __tablename__ = "seed_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)  # "catalog"
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the seed's files and code
    migration: Mapped[str] = mapped_column(String(32))  # the Alembic head it was applied at
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
