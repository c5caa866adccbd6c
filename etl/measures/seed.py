"""Upsert the policy measures from data/seed: policies.csv, units.csv, measures.csv,
measure_units.csv (lead first), award_rules.csv and tasks.csv.

A later policy is more rows in these files (its own policy code), loaded by `python -m etl init`;
no code changes. Task statuses are operational data and are never touched by the seed.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from etl import config
from etl.csvfiles import read_csv
from etl.measures.models import AwardRule, Measure, MeasureTask, MeasureUnit, Policy, PolicyUnit

FILES = ("policies.csv", "units.csv", "measures.csv", "measure_units.csv", "award_rules.csv", "tasks.csv")


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _upsert(session: Session, model, where: dict, values: dict, existing: dict):
    """Update the row of `model` whose key columns equal `where`, or add it. `existing` caches
    each model's rows by key, loaded in one query (not one SELECT per row: every start re-seeds)."""
    if model not in existing:
        existing[model] = {tuple(getattr(r, k) for k in where): r
                           for r in session.scalars(select(model))}
    key = tuple(where.values())
    row = existing[model].get(key)
    if row is None:
        row = existing[model][key] = model(**where, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return row


def seed_measures(session: Session, seed_dir: Path | None = None) -> None:
    seed_dir = seed_dir or config.SEED_DIR
    if not (seed_dir / "measures.csv").exists():
        return
    existing: dict = {}
    for i, r in enumerate(read_csv(seed_dir / "policies.csv")):
        _upsert(session, Policy, {"code": r["code"]}, dict(
            name_zh=r["name_zh"], name_en=r["name_en"], issuer_zh=r["issuer_zh"],
            issued_on=r["issued_on"], valid_years=int(r["valid_years"]),
            closing_rule_zh=r["closing_rule_zh"], closing_rule_en=r["closing_rule_en"],
            source=r["source"], sort_order=_int(r["sort_order"]) or i), existing)
    for r in read_csv(seed_dir / "units.csv"):
        _upsert(session, PolicyUnit, {"code": r["code"]}, dict(
            short_zh=r["short_zh"], name_zh=r["name_zh"], short_en=r["short_en"], name_en=r["name_en"],
            aliases=r["aliases"], sort_order=int(r["sort_order"] or 0)), existing)
    session.flush()
    measure_ids: dict[tuple[str, int], int] = {}
    for r in read_csv(seed_dir / "measures.csv"):
        m = _upsert(session, Measure, {"policy_code": r["policy_code"], "number": int(r["number"])}, dict(
            chapter_zh=r["chapter_zh"], chapter_en=r["chapter_en"], section_zh=r["section_zh"],
            section_en=r["section_en"], title_zh=r["title_zh"], title_en=r["title_en"],
            instrument=r["instrument"], text_zh=r["text_zh"],
            units_as_written=r["units_as_written"]), existing)
        session.flush()
        measure_ids[(r["policy_code"], int(r["number"]))] = m.id
    links = read_csv(seed_dir / "measure_units.csv")
    touched = {measure_ids[(r["policy_code"], int(r["measure"]))] for r in links}
    if touched:  # the seed is the truth for the units of its measures: replace them
        session.execute(delete(MeasureUnit).where(MeasureUnit.measure_id.in_(sorted(touched))))
    for r in links:
        session.add(MeasureUnit(measure_id=measure_ids[(r["policy_code"], int(r["measure"]))],
                                unit_code=r["unit_code"], role=r["role"], position=int(r["position"])))
    for r in read_csv(seed_dir / "award_rules.csv"):
        _upsert(session, AwardRule, {"policy_code": r["policy_code"], "code": r["code"]}, dict(
            measure_id=measure_ids[(r["policy_code"], int(r["measure"]))], kind=r["kind"],
            name_zh=r["name_zh"], name_en=r["name_en"], amount=_num(r["amount"]), rate=_num(r["rate"]),
            basis_zh=r["basis_zh"], basis_en=r["basis_en"], basis_unit=r["basis_unit"],
            threshold=_num(r["threshold"]), cap=_num(r["cap"]), cap_per_zh=r["cap_per_zh"],
            cap_per_en=r["cap_per_en"], quota_per_year=_int(r["quota_per_year"]),
            rule_group=r["rule_group"], one_off=r["one_off"] == "1",
            otherwise_provided=r["otherwise_provided"] == "1", clause_zh=r["clause_zh"]), existing)
    for i, r in enumerate(read_csv(seed_dir / "tasks.csv")):
        _upsert(session, MeasureTask, {"policy_code": r["policy_code"], "code": r["code"]}, dict(
            measure_id=measure_ids[(r["policy_code"], int(r["measure"]))], unit_code=r["unit_code"],
            title_zh=r["title_zh"], title_en=r["title_en"], indicator_codes=r["indicator_codes"],
            sort_order=i), existing)
    session.flush()
