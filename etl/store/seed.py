"""Upsert the catalog (regions, indicators, aliases) and the targets from data/seed/*.csv.

Targets are data: a 2030 target set is a few more rows in target_sets.csv and targets.csv, loaded
by `python -m etl init` (an upsert: existing rows are updated, new ones added); no code changes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from etl import config
from etl.csvfiles import read_csv
from etl.normalise.labels import alias_key
from etl.store.models import Indicator, IndicatorAlias, Region, RegionAlias, Target, TargetSet


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def _loaded(session: Session, model) -> list:
    """Every row of `model`, loaded in one query: the upserts below then find an existing row in
    the session's identity map instead of one SELECT each (a start on a seeded database re-seeds
    hundreds of rows). Keep the returned list while upserting: the identity map holds rows weakly."""
    return list(session.scalars(select(model)))


def _upsert(session: Session, model, key: dict, values: dict):
    row = session.get(model, tuple(key.values()) if len(key) > 1 else next(iter(key.values())))
    if row is None:
        row = model(**key, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return row


def seed_regions(session: Session, rows: Iterable[dict[str, str]]) -> None:
    rows = list(rows)
    loaded = _loaded(session, Region), _loaded(session, RegionAlias)  # noqa: F841 (kept while seeding)
    # parents first, so the foreign key holds on PostgreSQL too
    order = {"country": 0, "province": 1, "prefecture": 2}
    for index, r in enumerate(sorted(rows, key=lambda r: order[r["level"]])):
        _upsert(session, Region, {"code": r["code"]}, dict(
            name_zh=r["name_zh"], short_zh=r["short_zh"], name_en=r["name_en"], level=r["level"],
            parent_code=r["parent_code"] or None, sort_order=index))
        session.flush()
    for r in rows:
        names = {r["code"], r["name_zh"], r["short_zh"], r["name_en"]}
        names.update(a for a in r["extra_aliases"].split("|") if a)
        for name in names:
            _upsert(session, RegionAlias, {"alias": alias_key(name)}, {"region_code": r["code"]})
    session.flush()


def seed_indicators(session: Session, rows: Iterable[dict[str, str]]) -> None:
    loaded = _loaded(session, Indicator), _loaded(session, IndicatorAlias)  # noqa: F841
    for index, r in enumerate(rows):
        _upsert(session, Indicator, {"code": r["code"]}, dict(
            name_zh=r["name_zh"], name_en=r["name_en"], unit=r["unit"], unit_en=r["unit_en"],
            direction=r["direction"], measure=r["measure"],
            quarterly_cumulative=r["quarterly_cumulative"] == "1",
            derivation=r["derivation"] or None, min_value=_num(r["min_value"]),
            max_value=_num(r["max_value"]), definition_zh=r["definition_zh"],
            definition_en=r["definition_en"], source_zh=r["source_zh"], source_en=r["source_en"],
            sort_order=index))
        session.flush()
        names = {r["code"], r["name_zh"], r["name_en"]}
        names.update(a for a in r["aliases"].split("|") if a)
        for name in names:
            _upsert(session, IndicatorAlias, {"alias": alias_key(name)}, {"indicator_code": r["code"]})
    session.flush()


def seed_targets(session: Session, set_rows: Iterable[dict[str, str]],
                 target_rows: Iterable[dict[str, str]]) -> None:
    loaded = _loaded(session, TargetSet)  # noqa: F841
    targets = {(t.target_set_code, t.indicator_code, t.region_code, t.target_year): t
               for t in _loaded(session, Target)}
    for r in set_rows:
        _upsert(session, TargetSet, {"code": r["code"]}, dict(
            name_zh=r["name_zh"], name_en=r["name_en"], issuer_zh=r["issuer_zh"],
            issued_on=r["issued_on"] or None, source=r["source"], base_year=int(r["base_year"]),
            target_year=int(r["target_year"]), sort_order=int(r["sort_order"] or 0),
            illustrative=(r.get("illustrative") or "0") == "1"))
    session.flush()
    for index, r in enumerate(target_rows):
        key = (r["target_set_code"], r["indicator_code"], r["region_code"], int(r["target_year"]))
        existing = targets.get(key)
        values = dict(
            kind=r["kind"], value=_num(r["value"]), tolerance=_num(r["tolerance"]),
            clause_ref_zh=r["clause_ref_zh"], clause_ref_en=r["clause_ref_en"],
            clause_text=r["clause_text"], note_zh=r["note_zh"], note_en=r["note_en"],
            sort_order=index)
        if existing is None:
            targets[key] = Target(target_set_code=r["target_set_code"],
                                  indicator_code=r["indicator_code"], region_code=r["region_code"],
                                  target_year=int(r["target_year"]), **values)
            session.add(targets[key])
        else:
            for name, value in values.items():
                setattr(existing, name, value)
    session.flush()


def seed_catalog(session: Session, seed_dir: Path | None = None) -> None:
    seed_dir = seed_dir or config.SEED_DIR
    seed_regions(session, read_csv(seed_dir / "regions.csv"))
    seed_indicators(session, read_csv(seed_dir / "indicators.csv"))
    seed_targets(session, read_csv(seed_dir / "target_sets.csv"), read_csv(seed_dir / "targets.csv"))
    from etl.measures.seed import seed_measures  # the policy's measures, units, rules and tasks

    seed_measures(session, seed_dir)
