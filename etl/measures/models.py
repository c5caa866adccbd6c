"""SQL tables of the policy measures: policies, responsible units, measures, award rules, tasks,
task updates and awards. Same declarative Base as etl.store.models (one metadata, one migration chain).

Awards are versioned like observations: an award is identified by (rule, 统一社会信用代码, project,
year, 文号); a list that changes its amount or basis is a new version, `is_current` marks the newest
version from a batch that has not been rolled back.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from etl.store.models import Base, utcnow


class Policy(Base):
    __tablename__ = "policies"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    issuer_zh: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[str] = mapped_column(String(10))  # ISO date
    valid_years: Mapped[int] = mapped_column(Integer)
    closing_rule_zh: Mapped[str] = mapped_column(Text, default="")
    closing_rule_en: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class PolicyUnit(Base):
    """A responsible unit (责任单位): 省工信厅 = 黑龙江省工业和信息化厅."""

    __tablename__ = "policy_units"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    short_zh: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(120))
    short_en: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[str] = mapped_column(Text, default="")  # |-separated spellings in texts and files
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Measure(Base):
    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("policy_code", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    policy_code: Mapped[str] = mapped_column(ForeignKey("policies.code"))
    number: Mapped[int] = mapped_column(Integer)
    chapter_zh: Mapped[str] = mapped_column(Text, default="")
    chapter_en: Mapped[str] = mapped_column(Text, default="")
    section_zh: Mapped[str] = mapped_column(Text, default="")
    section_en: Mapped[str] = mapped_column(Text, default="")
    title_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    instrument: Mapped[str] = mapped_column(String(20))  # award | subsidy | subsidy+award | support | task
    text_zh: Mapped[str] = mapped_column(Text)
    units_as_written: Mapped[str] = mapped_column(Text, default="")


class MeasureUnit(Base):
    __tablename__ = "measure_units"

    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("policy_units.code"), primary_key=True)
    role: Mapped[str] = mapped_column(String(8))  # lead | co
    position: Mapped[int] = mapped_column(Integer)


class AwardRule(Base):
    __tablename__ = "award_rules"
    __table_args__ = (UniqueConstraint("policy_code", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    policy_code: Mapped[str] = mapped_column(ForeignKey("policies.code"))
    code: Mapped[str] = mapped_column(String(20))  # 2a, 4z, 13b
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    kind: Mapped[str] = mapped_column(String(16))  # fixed | rate | tiered | per_enterprise
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    amount: Mapped[Optional[float]] = mapped_column(Float)  # 万元
    rate: Mapped[Optional[float]] = mapped_column(Float)
    basis_zh: Mapped[str] = mapped_column(Text, default="")
    basis_en: Mapped[str] = mapped_column(Text, default="")
    basis_unit: Mapped[str] = mapped_column(String(8), default="")
    threshold: Mapped[Optional[float]] = mapped_column(Float)  # the basis must be at least this
    cap: Mapped[Optional[float]] = mapped_column(Float)  # 万元
    cap_per_zh: Mapped[str] = mapped_column(Text, default="")
    cap_per_en: Mapped[str] = mapped_column(Text, default="")
    quota_per_year: Mapped[Optional[int]] = mapped_column(Integer)  # enterprises a year
    rule_group: Mapped[str] = mapped_column(String(20), default="")  # rules sharing quota / one-off
    one_off: Mapped[bool] = mapped_column(Boolean, default=False)
    otherwise_provided: Mapped[bool] = mapped_column(Boolean, default=False)  # 另有规定
    clause_zh: Mapped[str] = mapped_column(Text, default="")


class MeasureTask(Base):
    """One responsible unit's task under a measure, with its current status."""

    __tablename__ = "measure_tasks"
    __table_args__ = (UniqueConstraint("policy_code", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    policy_code: Mapped[str] = mapped_column(ForeignKey("policies.code"))
    code: Mapped[str] = mapped_column(String(20))  # 15.1
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    unit_code: Mapped[str] = mapped_column(ForeignKey("policy_units.code"))
    title_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    indicator_codes: Mapped[str] = mapped_column(Text, default="")  # |-separated outcome indicators
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # 未启动 not_started | 推进中 in_progress | 已完成 done | 滞后 behind
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    evidence: Mapped[str] = mapped_column(Text, default="")  # 文号 or link text
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(80), default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class TaskUpdate(Base):
    """Every status change of a task (the history behind measure_tasks.status)."""

    __tablename__ = "task_updates"
    __table_args__ = (Index("ix_task_update_task", "task_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("measure_tasks.id"))
    status: Mapped[str] = mapped_column(String(16))
    previous_status: Mapped[str] = mapped_column(String(16), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(80), default="")
    source: Mapped[str] = mapped_column(String(255), default="")  # browser | file name
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Award(Base):
    __tablename__ = "awards"
    __table_args__ = (
        UniqueConstraint("award_key", "version", name="uq_award_version"),
        Index("ix_award_current", "is_current", "measure_id"),
        Index("ix_award_batch", "batch_id"),
        Index("ix_award_uscc", "uscc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    award_key: Mapped[str] = mapped_column(String(64))  # sha256 of rule|uscc|project|year|文号
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    rule_id: Mapped[int] = mapped_column(ForeignKey("award_rules.id"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    enterprise: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18))
    region_code: Mapped[Optional[str]] = mapped_column(ForeignKey("regions.code"))
    place: Mapped[str] = mapped_column(String(100), default="")  # city or county as written
    project: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int] = mapped_column(Integer)
    approved_on: Mapped[Optional[str]] = mapped_column(String(10))  # ISO date
    doc_no: Mapped[str] = mapped_column(String(120), default="")  # 文号
    basis: Mapped[Optional[float]] = mapped_column(Float)
    amount: Mapped[float] = mapped_column(Float)  # 万元
    granting_unit: Mapped[str] = mapped_column(String(120), default="")
    otherwise_provided: Mapped[bool] = mapped_column(Boolean, default=False)
    sheet: Mapped[str] = mapped_column(String(100), default="")
    row: Mapped[int] = mapped_column(Integer, default=0)  # 1-based row in the sheet
    cells: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # column name -> A1 cell
    # problems the checks found that were warnings (kept with the award, shown to analysts)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
