"""Read-only views of the measures for the CLI and the dashboard (each call opens its own session).

    measures_overview(engine, year=, unit=, city=)  -> one row per measure (the 20-row table)
    measure_detail(engine, number)                 -> text, units, rules, tasks, awards, by year/city
    unit_overview(engine, unit)                    -> what a responsible unit owns and where it stands
    register_findings(engine)                      -> the rule problems of the register as it stands
    batch_awards(engine, batch_id)                 -> the awards one award-list file wrote (history page)

Rule problems are the checks of etl.measures.checks run over the whole current register (so an
award that breaks a rule shows whichever file it came from); callers decide who may see them.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Optional

from sqlalchemy import Engine, select

from etl.measures import store
from etl.measures.checks import findings
from etl.measures.models import Award, AwardRule, Measure, MeasureTask, MeasureUnit, Policy, PolicyUnit
from etl.measures.records import status_name  # noqa: F401  (the CLI and the briefing ask here)
from etl.measures.rules import describe
from etl.store.db import session_scope
from etl.store.models import Batch

STATUSES = ("not_started", "in_progress", "done", "behind")


def overall_status(statuses: list[str]) -> str:
    """A measure's status from its tasks: any 滞后 -> 滞后; all 已完成 -> 已完成; any started -> 推进中."""
    if not statuses:
        return "not_started"
    if "behind" in statuses:
        return "behind"
    if all(s == "done" for s in statuses):
        return "done"
    if any(s in ("in_progress", "done") for s in statuses):
        return "in_progress"
    return "not_started"


def _units(session, policy: str) -> tuple[dict[str, PolicyUnit], dict[int, list[tuple[str, str]]]]:
    units = {u.code: u for u in session.scalars(select(PolicyUnit).order_by(PolicyUnit.sort_order))}
    by_measure: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for link in session.scalars(select(MeasureUnit).order_by(MeasureUnit.measure_id, MeasureUnit.position)):
        by_measure[link.measure_id].append((link.unit_code, link.role))
    return units, by_measure


def _unit_dict(u: PolicyUnit, role: str = "") -> dict[str, Any]:
    return {"code": u.code, "short_zh": u.short_zh, "short_en": u.short_en, "name_zh": u.name_zh,
            "name_en": u.name_en, "role": role}


def _task_dict(t: MeasureTask, units: dict[str, PolicyUnit], number: int) -> dict[str, Any]:
    return {"id": t.id, "code": t.code, "measure": number, "unit": t.unit_code,
            "unit_zh": units[t.unit_code].short_zh, "unit_en": units[t.unit_code].short_en,
            "title_zh": t.title_zh, "title_en": t.title_en, "status": t.status,
            "evidence": t.evidence, "note": t.note, "updated_at": t.updated_at,
            "updated_by": t.updated_by, "indicators": [c for c in t.indicator_codes.split("|") if c],
            "is_demo": t.is_demo}


def _register(session, policy: str):
    """(book, current awards, {award key: [problem codes]}, {award key: [problems]}, demo batches)."""
    book = store.rulebook(session, policy)
    rows = store.register(session, policy)
    found: dict[str, list] = defaultdict(list)
    for row, p in findings(rows, [], book):
        found[row.key].append(p)
    demo = set(session.scalars(select(Batch.id).where(Batch.is_demo.is_(True))))
    return book, rows, found, demo


def _keep(row, year: Optional[int], city: Optional[str]) -> bool:
    return (year is None or row.year == year) and (city is None or row.region_code == city)


def measures_overview(engine: Engine, *, year: Optional[int] = None, unit: Optional[str] = None,
                      city: Optional[str] = None, policy: str = store.DEFAULT_POLICY) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        units, links = _units(session, policy)
        book, rows, found, demo = _register(session, policy)
        measures = list(session.scalars(select(Measure).where(Measure.policy_code == policy)
                                        .order_by(Measure.number)))
        tasks: dict[int, list[MeasureTask]] = defaultdict(list)
        for t in session.scalars(select(MeasureTask).where(MeasureTask.policy_code == policy)):
            tasks[t.measure_id].append(t)
        out = []
        for m in measures:
            mine = links[m.id]
            if unit and unit not in {code for code, _ in mine}:
                continue
            awards = [r for r in rows if r.measure == m.number and _keep(r, year, city)]
            rules = book.rules_of(m.number)
            quota = next((r.quota_per_year for r in rules if r.quota_per_year), None)
            quota_use = None
            if quota:
                per_year = defaultdict(set)
                for r in rows:
                    if r.measure == m.number and (city is None or r.region_code == city):
                        per_year[r.year].add(r.uscc)
                shown = year if year is not None else (max(per_year) if per_year else None)
                if shown is not None:
                    quota_use = {"year": shown, "used": len(per_year.get(shown, ())), "quota": quota}
            statuses = [t.status for t in tasks[m.id] if not unit or t.unit_code == unit]
            out.append({
                "number": m.number, "title_zh": m.title_zh, "title_en": m.title_en,
                "chapter_zh": m.chapter_zh, "chapter_en": m.chapter_en, "instrument": m.instrument,
                "units": [_unit_dict(units[code], role) for code, role in mine],
                "has_money": bool(rules), "awards": len(awards),
                "enterprises": len({r.uscc for r in awards}),
                "amount": round(sum(r.amount for r in awards), 2),
                "quota_use": quota_use, "status": overall_status(statuses),
                "tasks": dict(Counter(statuses)), "task_count": len(statuses),
                "problems": sum(len(found.get(r.key, ())) for r in awards),
                "demo": any(r.batch_id in demo for r in awards) or any(t.is_demo for t in tasks[m.id]),
            })
        return out


def _award_dict(r, book, found, lang_names: bool = True) -> dict[str, Any]:
    rule = book.rules[r.rule_code]
    return {"key": r.key, "measure": r.measure, "rule": r.rule_code, "rule_zh": rule.name_zh,
            "rule_en": rule.name_en, "enterprise": r.enterprise, "uscc": r.uscc,
            "region_code": r.region_code, "place": r.place, "project": r.project, "year": r.year,
            "approved_on": r.approved_on.isoformat() if r.approved_on else "", "doc_no": r.doc_no,
            "basis": r.basis, "amount": r.amount, "granting_unit": r.granting_unit,
            "otherwise_provided": r.otherwise_provided, "batch_id": r.batch_id, "file_name": r.file_name,
            "sheet": r.sheet, "row": r.row,
            "problems": [{"code": p.code, "message_zh": p.message_zh, "message_en": p.message_en,
                          "where": p.where} for p in found.get(r.key, ())]}


def measure_detail(engine: Engine, number: int, *, year: Optional[int] = None, city: Optional[str] = None,
                   policy: str = store.DEFAULT_POLICY) -> Optional[dict[str, Any]]:
    with session_scope(engine) as session:
        m = session.scalar(select(Measure).where(Measure.policy_code == policy, Measure.number == number))
        if m is None:
            return None
        p = session.get(Policy, policy)
        units, links = _units(session, policy)
        book, rows, found, demo = _register(session, policy)
        awards = [r for r in rows if r.measure == number and _keep(r, year, city)]
        by_year: dict[int, dict[str, float]] = defaultdict(lambda: {"awards": 0, "amount": 0.0})
        by_city: dict[str, dict[str, float]] = defaultdict(lambda: {"awards": 0, "amount": 0.0})
        for r in awards:
            by_year[r.year]["awards"] += 1
            by_year[r.year]["amount"] += r.amount
            if r.region_code:
                by_city[r.region_code]["awards"] += 1
                by_city[r.region_code]["amount"] += r.amount
        quota = next((r.quota_per_year for r in book.rules_of(number) if r.quota_per_year), None)
        quota_use = {}
        if quota:
            per_year: dict[int, set[str]] = defaultdict(set)
            for r in rows:
                if r.measure == number and (city is None or r.region_code == city):
                    per_year[r.year].add(r.uscc)
            quota_use = {y: {"used": len(names), "quota": quota} for y, names in sorted(per_year.items())}
        tasks = [_task_dict(t, units, number) for t in session.scalars(
            select(MeasureTask).where(MeasureTask.measure_id == m.id).order_by(MeasureTask.sort_order))]
        return {
            "number": m.number, "title_zh": m.title_zh, "title_en": m.title_en, "text_zh": m.text_zh,
            "chapter_zh": m.chapter_zh, "chapter_en": m.chapter_en, "section_zh": m.section_zh,
            "section_en": m.section_en, "instrument": m.instrument,
            "policy_zh": p.name_zh, "policy_en": p.name_en, "closing_zh": p.closing_rule_zh,
            "closing_en": p.closing_rule_en, "valid_from": book.policy.issued_on.isoformat(),
            "valid_until": book.policy.valid_until.isoformat(),
            "units": [_unit_dict(units[code], role) for code, role in links[m.id]],
            "rules": [{"code": r.code, "kind": r.kind, "name_zh": r.name_zh, "name_en": r.name_en,
                       "words_zh": describe(r, "zh"), "words_en": describe(r, "en"),
                       "quota": r.quota_per_year} for r in book.rules_of(number)],
            "awards": [_award_dict(r, book, found) for r in awards],
            "by_year": {y: {"awards": v["awards"], "amount": round(v["amount"], 2)} for y, v in sorted(by_year.items())},
            "by_city": {c: {"awards": v["awards"], "amount": round(v["amount"], 2)} for c, v in by_city.items()},
            "quota_use": quota_use,
            "tasks": tasks, "status": overall_status([t["status"] for t in tasks]),
            "indicators": sorted({c for t in tasks for c in t["indicators"]}),
            "demo": any(r.batch_id in demo for r in awards) or any(t["is_demo"] for t in tasks),
            "problems": sum(len(found.get(r.key, ())) for r in awards),
        }


def units_list(engine: Engine) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        return [_unit_dict(u) for u in session.scalars(select(PolicyUnit).order_by(PolicyUnit.sort_order))]


def unit_overview(engine: Engine, unit: str, *, policy: str = store.DEFAULT_POLICY) -> Optional[dict[str, Any]]:
    """A unit's measures (lead or co) with their award totals, and the unit's own tasks."""
    with session_scope(engine) as session:
        units, links = _units(session, policy)
        if unit not in units:
            return None
        numbers = {m.id: m.number for m in session.scalars(select(Measure).where(Measure.policy_code == policy))}
        tasks = [_task_dict(t, units, numbers[t.measure_id]) for t in session.scalars(
            select(MeasureTask).where(MeasureTask.unit_code == unit, MeasureTask.policy_code == policy)
            .order_by(MeasureTask.sort_order))]
    rows = measures_overview(engine, unit=unit, policy=policy)
    for row in rows:
        row["role"] = next(u["role"] for u in row["units"] if u["code"] == unit)
    return {"unit": _unit_dict(units[unit]), "measures": rows, "tasks": tasks,
            "status": overall_status([t["status"] for t in tasks]),
            "task_counts": dict(Counter(t["status"] for t in tasks))}


def register_findings(engine: Engine, policy: str = store.DEFAULT_POLICY) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        book, rows, found, _ = _register(session, policy)
        return [dict(_award_dict(r, book, found), problem=p.code) for r in rows for p in found.get(r.key, ())]


def award_years(engine: Engine, policy: str = store.DEFAULT_POLICY) -> list[int]:
    with session_scope(engine) as session:
        return sorted({r.year for r in store.register(session, policy)})


def batch_awards(engine: Engine, batch_id: int) -> list[dict[str, Any]]:
    """Every award version one award-list batch wrote, in the file's row order, with where it came
    from (sheet, row, the amount's cell) and whether it is still current (a later file or a
    rollback may have replaced it)."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Award, Measure.number, AwardRule.code)
            .join(Measure, Measure.id == Award.measure_id).join(AwardRule, AwardRule.id == Award.rule_id)
            .where(Award.batch_id == batch_id).order_by(Award.sheet, Award.row, Award.id)).all()
        return [{"key": a.award_key, "measure": number, "rule": rule, "enterprise": a.enterprise,
                 "uscc": a.uscc, "place": a.place, "year": a.year, "amount": a.amount,
                 "version": a.version, "is_current": a.is_current, "sheet": a.sheet, "row": a.row,
                 "amount_cell": (a.cells or {}).get("amount", "")} for a, number, rule in rows]
