"""Awards in SQL: the rulebook and the register as plain records, and the all-or-nothing write.

    rulebook(session, policy)            -> Rulebook (validity, measures, rules)
    register(session, policy)            -> [AwardRow] current awards (batches not rolled back)
    plan_awards(session, rows)           -> AwardPlan: new / revised / unchanged against the register
    apply_awards(session, plan, ...)     -> Batch (etl.store.load's Batch; report['kind'] = 'awards')
    refresh_current(session, batch_id)   -> after a rollback: the newest loaded version is current

An award is identified by AwardRow.key (rule, credit code, project, year, 文号); a different amount,
basis, name, city, date or granting unit for the same key is a revision (a new version).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from etl.checks.report import Changes, Report, Revision
from etl.measures.models import Award, AwardRule, Measure, Policy
from etl.measures.records import AwardRow
from etl.measures.rules import PolicyInfo, RuleInfo, Rulebook, make_rulebook
from etl.measures.tasks import TaskUpdateRow, apply_updates, pending_changes
from etl.store.models import Batch, utcnow

DEFAULT_POLICY = "digital-longjiang-2021"
AWARDS_KIND = "awards"


def rulebook(session: Session, policy: str = DEFAULT_POLICY) -> Rulebook:
    p = session.get(Policy, policy)
    if p is None:
        raise LookupError(f"policy {policy!r} is not seeded")
    info = PolicyInfo(p.code, p.name_zh, dt.date.fromisoformat(p.issued_on), p.valid_years)
    measures = {m.number: m.title_zh for m in session.scalars(
        select(Measure).where(Measure.policy_code == policy))}
    numbers = {m.id: m.number for m in session.scalars(select(Measure).where(Measure.policy_code == policy))}
    rules = [RuleInfo(
        id=r.id, code=r.code, measure=numbers[r.measure_id], kind=r.kind, name_zh=r.name_zh,
        name_en=r.name_en, amount=r.amount, rate=r.rate, basis_zh=r.basis_zh, basis_en=r.basis_en,
        basis_unit=r.basis_unit, threshold=r.threshold, cap=r.cap, cap_per_zh=r.cap_per_zh,
        cap_per_en=r.cap_per_en, quota_per_year=r.quota_per_year, rule_group=r.rule_group,
        one_off=r.one_off, otherwise_provided=r.otherwise_provided)
        for r in session.scalars(select(AwardRule).where(AwardRule.policy_code == policy).order_by(AwardRule.id))]
    return make_rulebook(info, measures, rules)


def to_row(award: Award, rule_code: str, measure: int, file_name: str = "") -> AwardRow:
    return AwardRow(
        measure=measure, rule_code=rule_code, enterprise=award.enterprise, uscc=award.uscc,
        year=award.year, amount=award.amount, place=award.place, region_code=award.region_code,
        project=award.project, approved_on=dt.date.fromisoformat(award.approved_on) if award.approved_on else None,
        doc_no=award.doc_no, basis=award.basis, granting_unit=award.granting_unit,
        otherwise_provided=award.otherwise_provided, sheet=award.sheet, row=award.row,
        cells=dict(award.cells or {}), batch_id=award.batch_id, file_name=file_name)


def register(session: Session, policy: str = DEFAULT_POLICY) -> list[AwardRow]:
    """The current awards of the policy, as records (with their batch, file, sheet and cells)."""
    query = (select(Award, AwardRule.code, Measure.number, Batch.file_name)
             .join(AwardRule, AwardRule.id == Award.rule_id)
             .join(Measure, Measure.id == Award.measure_id)
             .join(Batch, Batch.id == Award.batch_id)
             .where(Award.is_current.is_(True), AwardRule.policy_code == policy)
             .order_by(Award.id))
    return [to_row(a, code, number, file_name) for a, code, number, file_name in session.execute(query)]


def _content(a: AwardRow) -> tuple:
    return (a.enterprise, a.amount, a.basis, a.region_code, a.place, a.approved_on, a.granting_unit,
            a.otherwise_provided)


@dataclass
class AwardPlan:
    new: list[tuple[AwardRow, int]] = field(default_factory=list)
    revised: list[tuple[AwardRow, Award]] = field(default_factory=list)  # row, the current version
    unchanged: list[AwardRow] = field(default_factory=list)
    tasks: list[TaskUpdateRow] = field(default_factory=list)  # a progress sheet's rows
    task_changes: int = 0  # of which change a task

    @property
    def is_noop(self) -> bool:
        return not self.new and not self.revised and not self.task_changes

    def changes(self) -> Changes:
        revised = [Revision(f"award:{row.rule_code}", row.uscc, row.year, 0, "award", old.amount,
                            row.amount, old.version, old.version + 1, old.batch_id, row.sheet,
                            row.cell("amount") or "", str(row.amount)) for row, old in self.revised]
        return Changes(new=len(self.new) + self.task_changes, revised=revised, unchanged=len(self.unchanged))

    def digest(self) -> str:
        h = hashlib.sha256(b"awards")
        for row, version in sorted(self.new, key=lambda item: item[0].key):
            h.update(repr((row.key, _content(row), version)).encode())
        for row, old in sorted(self.revised, key=lambda item: item[0].key):
            h.update(repr((row.key, _content(row), old.version)).encode())
        h.update(f"unchanged={len(self.unchanged)}".encode())
        for u in self.tasks:
            h.update(repr((u.task_code, u.status, u.evidence, u.note, u.date)).encode())
        h.update(f"task_changes={self.task_changes}".encode())
        return h.hexdigest()

    def summary(self) -> dict[str, Any]:
        return {"new": len(self.new), "revised": len(self.revised), "unchanged": len(self.unchanged),
                "tasks": self.task_changes, "digest": self.digest()}


def plan_awards(session: Session, rows: list[AwardRow], tasks: list[TaskUpdateRow] = (),
                policy: str = DEFAULT_POLICY) -> AwardPlan:
    plan = AwardPlan(tasks=list(tasks))
    if plan.tasks:
        plan.task_changes = pending_changes(session, plan.tasks, policy)
    keys = sorted({row.key for row in rows})
    current: dict[str, Award] = {}
    max_version: dict[str, int] = defaultdict(int)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        for award in session.scalars(select(Award).where(Award.award_key.in_(chunk))):
            max_version[award.award_key] = max(max_version[award.award_key], award.version)
            if award.is_current:
                current[award.award_key] = award
    for row in rows:
        old = current.get(row.key)
        if old is None:
            plan.new.append((row, max_version[row.key] + 1))
            continue
        stored = AwardRow(measure=row.measure, rule_code=row.rule_code, enterprise=old.enterprise,
                          uscc=old.uscc, year=old.year, amount=old.amount, place=old.place,
                          region_code=old.region_code, approved_on=dt.date.fromisoformat(old.approved_on)
                          if old.approved_on else None, basis=old.basis, granting_unit=old.granting_unit,
                          otherwise_provided=old.otherwise_provided)
        if _content(stored) == _content(row):
            plan.unchanged.append(row)
        else:
            plan.revised.append((row, old))
    return plan


def _award(row: AwardRow, version: int, batch_id: int, rule_ids: dict[str, int],
           measure_ids: dict[int, int]) -> Award:
    return Award(
        award_key=row.key, version=version, is_current=True, batch_id=batch_id,
        rule_id=rule_ids[row.rule_code], measure_id=measure_ids[row.measure],
        enterprise=row.enterprise[:200], uscc=row.uscc[:18], region_code=row.region_code,
        place=row.place[:100], project=row.project, year=row.year,
        approved_on=row.approved_on.isoformat() if row.approved_on else None, doc_no=row.doc_no[:120],
        basis=row.basis, amount=row.amount, granting_unit=row.granting_unit[:120],
        otherwise_provided=row.otherwise_provided, sheet=row.sheet[:100], row=row.row,
        cells=dict(row.cells), flags=[])


def apply_awards(session: Session, plan: AwardPlan, book: Rulebook, *, file_name: str, sha256: str,
                 loaded_by: str, report: Report, is_demo: bool = False,
                 flags: Optional[dict[str, list[dict]]] = None) -> Batch:
    """Write a batch and its awards (inside the caller's transaction). `flags`: award key ->
    the rule problems recorded with it (a register loaded as found, e.g. the demo)."""
    batch = Batch(file_name=file_name[:255], sha256=sha256, loaded_by=loaded_by[:80], loaded_at=utcnow(),
                  status="loaded", is_demo=is_demo, is_reference=False,
                  values_read=len(plan.new) + len(plan.revised) + len(plan.unchanged) + len(plan.tasks),
                  values_new=len(plan.new) + plan.task_changes, values_revised=len(plan.revised),
                  values_unchanged=len(plan.unchanged), values_skipped=0, report={},
                  notes=[], source_lines=[])
    session.add(batch)
    session.flush()
    rule_ids = {code: r.id for code, r in book.rules.items()}
    measure_ids = dict(session.execute(select(Measure.number, Measure.id).where(
        Measure.policy_code == book.policy.code)).all())
    for _, old in plan.revised:
        old.is_current = False
    session.flush()
    for row, version in plan.new:
        session.add(_award(row, version, batch.id, rule_ids, measure_ids))
    for row, old in plan.revised:
        session.add(_award(row, old.version + 1, batch.id, rule_ids, measure_ids))
    session.flush()
    if plan.tasks:
        apply_updates(session, plan.tasks, by=loaded_by, source=file_name, policy=book.policy.code,
                      is_demo=is_demo)
    if flags:
        for award in session.scalars(select(Award).where(Award.batch_id == batch.id)):
            award.flags = flags.get(award.award_key, [])
    report.batch_id = batch.id
    report.status = "loaded"
    report.changes = plan.changes()
    batch.report = {**report.to_dict(max_revisions=5000), "kind": AWARDS_KIND}
    session.flush()
    return batch


def is_awards_batch(batch: Batch) -> bool:
    return (batch.report or {}).get("kind") == AWARDS_KIND


def refresh_current(session: Session, batch_id: int) -> None:
    """For every award the batch touched: the newest version from a loaded batch is current."""
    keys = set(session.scalars(select(Award.award_key).where(Award.batch_id == batch_id)))
    if not keys:
        return
    rows = session.execute(
        select(Award.id, Award.award_key, Award.version, Award.is_current, Batch.status)
        .join(Batch, Batch.id == Award.batch_id).where(Award.award_key.in_(sorted(keys)))).all()
    best: dict[str, tuple[int, int]] = {}
    for r in rows:
        if r.status == "loaded" and (r.award_key not in best or r.version > best[r.award_key][0]):
            best[r.award_key] = (r.version, r.id)
    keep = {ident for _, ident in best.values()}
    clear = [r.id for r in rows if r.is_current and r.id not in keep]
    make = [r.id for r in rows if not r.is_current and r.id in keep]
    if clear:
        session.execute(update(Award).where(Award.id.in_(clear)).values(is_current=False)
                        .execution_options(synchronize_session=False))
    if make:
        session.execute(update(Award).where(Award.id.in_(make)).values(is_current=True)
                        .execution_options(synchronize_session=False))
    session.flush()


def task_codes(session: Session, policy: str = DEFAULT_POLICY) -> set[str]:
    from etl.measures.models import MeasureTask

    return set(session.scalars(select(MeasureTask.code).where(MeasureTask.policy_code == policy)))
