"""Upsert the catalog (regions, indicators, aliases) and the targets from data/seed/*.csv.

Targets are data: a 2030 target set is a few more rows in target_sets.csv and targets.csv, loaded
by `python -m etl init` (an upsert: existing rows are updated, new ones added); no code changes.

    apply_seed(session)              # what every start does (etl.store.db.init_db): the seed runs
                                     # only if its digest or the schema changed since it last ran
    apply_seed(session, force=True)  # `python -m etl init`: always

The digest (seed_digest) covers everything the seed reads: the bytes of every file in the seed
folder, the code of the seed modules, and SEED_VERSION. It is stored in seed_state in the seed's
own transaction, with the migration the schema was at.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from etl import config
from etl.csvfiles import read_csv
from etl.normalise import labels
from etl.normalise.labels import alias_key
from etl.store.locks import hold_lock
from etl.store.models import (
    Indicator, IndicatorAlias, Region, RegionAlias, SeedState, Target, TargetSet, utcnow,
)

log = logging.getLogger(__name__)

# Bump when what the seed writes changes without a change to the seed files or to the seed modules'
# code (the digest covers those): say, a model's default or a helper the seed calls elsewhere.
SEED_VERSION = 1


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


def _seed_modules() -> list[Path]:
    """The code that reads the seed files and maps them to rows: its text is part of the digest."""
    from etl import csvfiles
    from etl.measures import seed as measures_seed

    return [Path(__file__), Path(measures_seed.__file__), Path(labels.__file__),
            Path(csvfiles.__file__)]


def seed_digest(seed_dir: Path | None = None) -> str:
    """sha256 of everything the seed reads: SEED_VERSION, the seed modules' code and every file in
    the seed folder, by name, in name order."""
    seed_dir = seed_dir or config.SEED_DIR
    digest = hashlib.sha256(f"seed {SEED_VERSION}\n".encode())
    for path in _seed_modules():
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in sorted(p for p in seed_dir.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def apply_seed(session: Session, seed_dir: Path | None = None, *, force: bool = False) -> bool:
    """Seed the catalog unless the database holds the digest of this very seed at this migration
    (then nothing is written). Returns whether it seeded. Call it after the migrations."""
    seed_dir = seed_dir or config.SEED_DIR
    hold_lock(session, "seed")  # concurrent starts: one seeds, the others then find its digest
    digest = seed_digest(seed_dir)
    migration = session.scalar(text("SELECT version_num FROM alembic_version")) or ""
    state = session.get(SeedState, "catalog")
    if not force and state is not None and (state.digest, state.migration) == (digest, migration):
        log.info("seed unchanged (digest %s, migration %s): skipped", digest[:12], migration)
        return False
    seed_catalog(session, seed_dir)
    if state is None:
        state = SeedState(name="catalog")
        session.add(state)
    state.digest, state.migration, state.applied_at = digest, migration, utcnow()
    session.flush()
    log.info("seed applied from %s (digest %s, migration %s%s)", seed_dir, digest[:12], migration,
             ", forced" if force else "")
    return True
