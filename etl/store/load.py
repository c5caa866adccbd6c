"""Loading checked values into SQL: plan the changes, then apply them, in one transaction per file.

- `plan_changes(session, values)` compares the file's values with the current ones: new keys,
  revised values (old -> new, with the old version) and unchanged values. It reads the stored rows
  of the touched (indicator, region) pairs in a few queries, not one per value.
- `apply_plan(session, plan, ...)` writes a batch and the new versions. A value is never updated in
  place: a revision is a new row with version = max(version) + 1 and the previous current row only
  loses its is_current flag. Rows go in with COPY on PostgreSQL, Core executemany elsewhere.
- `rollback_batch(session, batch_id, ...)` marks a batch rolled back; for each key it touched the
  newest version from a batch that is still loaded becomes current again. `rollback(engine, ...)`
  runs it in its own transaction through `run_with_retry`, like a load, so a rollback that meets a
  concurrent load waits for it or tries again instead of failing with "database is locked".
- `load_with_retry(engine, work)` runs plan + apply in a transaction, retried when two loads race
  (the unique constraint on (key, version) fires, or SQLite reports the database locked): the loser
  plans again against the winner's values, so versions never collide and files never mix.
"""
from __future__ import annotations

import hashlib
import logging
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby, repeat
from operator import attrgetter, itemgetter
from typing import Any, Callable, Iterable, Optional, TypeVar

from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from etl.store.db import session_scope
from etl.store.models import Batch, Observation, Region, utcnow
from etl.records import Value
from etl.checks.report import Changes, Report, Revision
from etl.checks.validate import Stored, related_indicators
from etl.wording.catalogue import pair

log = logging.getLogger(__name__)

Key = tuple[str, str, int, int, str]
CHUNK = 5000  # rows per executemany / ids per UPDATE ... IN
RETRIES = 6
SQLITE_LOAD_CACHE_KIB = 65536  # SQLite's page cache while a large file is inserted (64 MB)
T = TypeVar("T")


def same_value(a: float, b: float) -> bool:
    """Equal as statistics: the same text parses to the same float; 1e-9 absorbs unit arithmetic."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


class BatchError(Exception):
    """A rollback that cannot be done; message_zh / message_en say why."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


class BatchNotFound(BatchError, LookupError):
    pass


class BatchAlreadyRolledBack(BatchError):
    pass


@dataclass(frozen=True)
class StoredRow:
    id: int
    value: float
    version: int
    batch_id: int
    is_demo: bool = False


@dataclass
class ChangePlan:
    """What loading the values would do, against the database as it was when planned."""

    new: list[tuple[Value, int]] = field(default_factory=list)  # (value, version to write)
    revised: list[Revision] = field(default_factory=list)
    unchanged: list[Value] = field(default_factory=list)
    values: dict[Key, Value] = field(default_factory=dict)  # the file's value per key (revisions)
    superseded_ids: list[int] = field(default_factory=list)  # current rows the revisions replace
    current: dict[Key, Stored] = field(default_factory=dict)  # stored current values (with batch,
    # file, cell) of the file's indicators and those checked with them (etl.checks.validate.RELATED_GROUPS)
    # in the file's regions, every period: for etl.checks.validate.check_against_current

    @property
    def is_noop(self) -> bool:
        return not self.new and not self.revised

    def changes(self) -> Changes:
        return Changes(new=len(self.new), revised=list(self.revised), unchanged=len(self.unchanged),
                       new_listed=[v for v, _ in self.new], unchanged_listed=list(self.unchanged))

    def digest(self) -> str:
        """A fingerprint of the planned writes and the versions they replace: the uploads page
        stores it with a preview and commits only if the plan is still the same."""
        h = hashlib.sha256()
        for v, version in sorted(self.new, key=lambda item: item[0].key):
            h.update(repr((v.key, repr(v.value), version)).encode())
        for r in sorted(self.revised, key=lambda r: (r.indicator_code, r.region_code, r.year,
                                                      r.quarter, r.basis)):
            h.update(repr((r.indicator_code, r.region_code, r.year, r.quarter, r.basis,
                           r.old_version, repr(r.new_value))).encode())
        h.update(f"unchanged={len(self.unchanged)}".encode())
        return h.hexdigest()

    def summary(self) -> dict[str, Any]:
        return {"new": len(self.new), "revised": len(self.revised), "unchanged": len(self.unchanged),
                "digest": self.digest()}


# --- reading what is stored --------------------------------------------------------------------------

def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def stored_rows(session: Session, keys: Iterable[Key]) -> tuple[dict[Key, StoredRow], dict[Key, int],
                                                               dict[Key, Stored]]:
    """(current row per key, max version per key, every current value with its provenance of the
    touched indicators and their related ones x the file's regions), one query per indicator."""
    keys = keys if isinstance(keys, (set, dict)) else set(keys)
    pairs: dict[str, set[str]] = defaultdict(set)
    for indicator, region in set(map(itemgetter(0, 1), keys)):  # a few hundred of them
        pairs[indicator].add(region)
    all_regions = set().union(*pairs.values())
    for indicator in related_indicators(pairs) - set(pairs):
        pairs[indicator] = all_regions
    # the parents and children of the file's regions too: a province above the stored nation, or
    # a nation below a stored province, is impossible (check_against_current, above-parent)
    family = _region_family(session, all_regions)
    for indicator in pairs:
        pairs[indicator] = pairs[indicator] | family
    current: dict[Key, StoredRow] = {}
    max_version: dict[Key, int] = {}
    context: dict[Key, Stored] = {}
    columns = (Observation.id, Observation.indicator_code, Observation.region_code, Observation.year,
               Observation.quarter, Observation.basis, Observation.value, Observation.version,
               Observation.is_current, Observation.batch_id, Observation.sheet, Observation.cell,
               Batch.is_demo, Batch.file_name)
    for indicator, regions in pairs.items():
        query = (select(*columns).join(Batch, Batch.id == Observation.batch_id)
                 .where(Observation.indicator_code == indicator,
                        Observation.region_code.in_(sorted(regions))))
        for row in session.execute(query):
            key = (row.indicator_code, row.region_code, row.year, row.quarter, row.basis)
            if row.is_current:
                context[key] = Stored(row.value, row.batch_id, row.file_name, row.sheet, row.cell,
                                      row.is_demo)
            if key not in keys:
                continue
            if row.version > max_version.get(key, 0):
                max_version[key] = row.version
            if row.is_current:
                current[key] = StoredRow(row.id, row.value, row.version, row.batch_id, row.is_demo)
    return current, max_version, context


def _region_family(session: Session, regions: set[str]) -> set[str]:
    """The regions, their parents and their children (one small query on the catalog)."""
    family = set(regions)
    for code, parent in session.execute(select(Region.code, Region.parent_code)):
        if code in regions and parent:
            family.add(parent)
        if parent in regions:
            family.add(code)
    return family


def plan_changes(session: Session, values: list[Value], *, replace_demo: bool = True) -> ChangePlan:
    """New / revised / unchanged, against the current values. Values must have unique keys
    (etl.checks.validate rejects duplicates first).

    With `replace_demo` (any load that is not itself demo data), a real figure equal to a current
    demo value is still loaded as a new version: otherwise the screen would keep showing the demo
    batch as the source of a number that a real file has now confirmed."""
    plan = ChangePlan()
    values = values if isinstance(values, list) else list(values)
    if not all(map(math.isfinite, map(attrgetter("value"), values))):
        v = next(v for v in values if not math.isfinite(v.value))
        # etl.normalise refuses these; the store never sees one
        raise ValueError(f"non-finite value {v.value!r} at {v.sheet}!{v.cell} for {v.key}")
    keys = list(map(attrgetter("key"), values))
    by_key = dict(zip(keys, values))
    if len(by_key) < len(values):  # a key twice (etl.checks.validate rejects that): the first value
        by_key = {}
        for key, v in zip(keys, values):
            by_key.setdefault(key, v)
    plan.values = by_key
    current, max_version, plan.current = stored_rows(session, by_key)
    if not current and not max_version:  # nothing stored under the file's keys: all new, version 1
        plan.new = list(zip(by_key.values(), repeat(1)))
        return plan
    for key, v in by_key.items():
        stored = current.get(key)
        version = max_version.get(key, 0) + 1
        if stored is None:
            plan.new.append((v, version))
        elif same_value(stored.value, v.value) and not (replace_demo and stored.is_demo):
            plan.unchanged.append(v)
        else:
            plan.revised.append(Revision(
                v.indicator_code, v.region_code, v.year, v.quarter, v.basis, stored.value, v.value,
                stored.version, version, stored.batch_id, v.sheet, v.cell, v.raw_value))
            plan.superseded_ids.append(stored.id)
    return plan


# --- writing -----------------------------------------------------------------------------------------

# the columns a value gives, then those the load adds (the same for a run of rows: _CONSTANT_COLUMNS)
_VALUE_COLUMNS = ("indicator_code", "region_code", "year", "quarter", "basis", "value", "sheet", "cell",
                  "raw_value", "notes")
_CONSTANT_COLUMNS = ("version", "is_current", "batch_id")
_value_columns = attrgetter(*_VALUE_COLUMNS)
# the text columns' lengths, from the table (String(n)), by their place in _VALUE_COLUMNS
_SHEET, _CELL, _RAW, _NOTES = (Observation.__table__.c[name].type.length
                               for name in ("sheet", "cell", "raw_value", "notes"))
_TEXT_LIMITS = ((6, _SHEET), (7, _CELL), (8, _RAW), (9, _NOTES))


def _value_rows(values: list[Value]) -> list[tuple]:
    """The _VALUE_COLUMNS of each value as a tuple, texts cut to their column's length (the rows
    made and their lengths checked at C speed; cut one by one only when one is too long)."""
    rows = list(map(_value_columns, values))
    if rows and any(max(map(len, map(itemgetter(place), rows))) > limit for place, limit in _TEXT_LIMITS):
        return [row[:6] + tuple(row[place][:limit] for place, limit in _TEXT_LIMITS) for row in rows]
    return rows


def _copy_rows(items: list[tuple[Value, int]], batch_id: int) -> list[tuple]:
    """The rows COPY writes (_VALUE_COLUMNS, then _CONSTANT_COLUMNS) of (value, version) pairs,
    texts cut to their column's length."""
    return [(v.indicator_code, v.region_code, v.year, v.quarter, v.basis, v.value, v.sheet[:_SHEET],
             v.cell[:_CELL], v.raw_value[:_RAW], v.notes[:_NOTES], version, True, batch_id)
            for v, version in items]


def _runs(items: list[tuple[Value, int]]) -> list[tuple[int, list[Value]]]:
    """(version, values) for each run of consecutive (value, version) pairs with the same version,
    in their order (rows get their ids in that order)."""
    return [(version, list(map(itemgetter(0), group)))
            for version, group in groupby(items, key=itemgetter(1))]


def apply_plan(session: Session, plan: ChangePlan, *, file_name: str, sha256: str, loaded_by: str,
               report: Optional[Report] = None, notes: Iterable[str] = (),
               sources: Iterable[str] = (), is_demo: bool = False, is_reference: bool = False,
               values_skipped: int = 0,
               progress: Optional[Callable[[str, int, int], None]] = None) -> Batch:
    """Write a batch and its new versions (inside the caller's transaction); returns the batch."""
    batch = Batch(file_name=file_name[:255], sha256=sha256, loaded_by=loaded_by[:80], loaded_at=utcnow(),
                  status="loaded", is_demo=is_demo, is_reference=is_reference,
                  values_read=report.values_read if report is not None else len(plan.values),
                  values_new=len(plan.new), values_revised=len(plan.revised),
                  values_unchanged=len(plan.unchanged), values_skipped=values_skipped,
                  report={}, notes=list(notes), source_lines=list(sources))
    session.add(batch)
    session.flush()
    for ids in _chunks(plan.superseded_ids):
        session.execute(update(Observation).where(Observation.id.in_(ids)).values(is_current=False)
                        .execution_options(synchronize_session=False))
    insert_rows(session, batch.id, plan.new + [
        (plan.values[(r.indicator_code, r.region_code, r.year, r.quarter, r.basis)], r.new_version)
        for r in plan.revised], progress)
    if report is not None:
        report.batch_id = batch.id
        report.status = "loaded"
        report.changes = plan.changes()
        # a 200,000-value revision list would be a 40 MB JSON cell: the batch keeps the first 5,000
        batch.report = report.to_dict(max_revisions=5000)
    session.flush()
    log.info("batch %d written (not yet committed): %s by %s, %d new, %d revised, %d unchanged",
             batch.id, file_name, loaded_by, len(plan.new), len(plan.revised), len(plan.unchanged))
    return batch


def insert_rows(session: Session, batch_id: int, items: list[tuple[Value, int]],
                progress: Optional[Callable[[str, int, int], None]] = None) -> None:
    """Bulk insert a batch's observations, current, of (value, version) pairs, in their order, by
    the driver's fastest path: COPY on PostgreSQL (psycopg), else the DBAPI's executemany of
    tuples in chunks (no per-row parameter processing by SQLAlchemy; its error wrapping is kept
    for run_with_retry)."""
    total = len(items)
    bind = session.connection()
    if bind.dialect.name == "postgresql" and bind.dialect.driver == "psycopg":
        import psycopg

        # the binary format: a float or an integer packed as it is, not written out as text and
        # parsed again (COPY's CPU in this process 0.21 -> 0.08 s at 200,000 rows); its types are
        # the table's own, read from the database
        columns = _VALUE_COLUMNS + _CONSTANT_COLUMNS
        statement = f"COPY observations ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
        driver = bind.connection.driver_connection
        try:
            with driver.cursor() as cursor:
                cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = "
                               "'observations'::regclass AND attnum > 0 AND NOT attisdropped")
                types = dict(cursor.fetchall())
                with cursor.copy(statement) as copy:
                    copy.set_types([types[name] for name in columns])
                    write_row = copy.write_row
                    for start in range(0, total, CHUNK):
                        for row in _copy_rows(items[start:start + CHUNK], batch_id):
                            write_row(row)
                        if progress and start + CHUNK < total:  # each chunk; the end below
                            progress("load", start + CHUNK, total)
        except psycopg.IntegrityError as exc:  # as SQLAlchemy would raise it, so run_with_retry sees it
            raise IntegrityError(statement, None, exc) from exc
        except psycopg.OperationalError as exc:
            raise OperationalError(statement, None, exc) from exc
        if progress:
            progress("load", total, total)
        return
    if bind.dialect.paramstyle == "qmark":  # sqlite3
        # the run's version, is_current and the batch as literals in the statement, not bound per
        # row: three parameters fewer per row (0.1-0.15 s of SQLite's 1.3 s at 200,000 rows)
        head = f"INSERT INTO observations ({', '.join(_VALUE_COLUMNS + _CONSTANT_COLUMNS)}) VALUES ("
        # a page cache that holds the pages of the table and its three indexes (unique key, batch,
        # vintage) while a large file goes in (the default 2 MB makes SQLite read the same index
        # pages back again and again: a quarter of the insert's CPU at 200,000 rows); the
        # connection's own size is put back after
        cache = bind.exec_driver_sql("PRAGMA cache_size").scalar() if total > CHUNK else None
        if cache is not None:
            bind.exec_driver_sql(f"PRAGMA cache_size={min(int(cache), -SQLITE_LOAD_CACHE_KIB)}")
        try:
            done = 0
            for version, values in _runs(items):
                rows = _value_rows(values)
                statement = (head + ", ".join("?" for _ in _VALUE_COLUMNS)
                             + f", {int(version)}, 1, {int(batch_id)})")
                for start in range(0, len(rows), CHUNK):
                    chunk = rows[start:start + CHUNK]
                    bind.exec_driver_sql(statement, chunk)
                    done += len(chunk)
                    if progress:
                        progress("load", done, total)
        finally:
            if cache is not None:
                try:
                    bind.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
                except Exception:  # never in place of the insert's own error (run_with_retry)
                    log.warning("could not put SQLite's cache_size back to %s", cache, exc_info=True)
        return
    table = Observation.__table__
    done = 0
    for version, values in _runs(items):
        rows = _value_rows(values)
        constants = {"version": version, "is_current": True, "batch_id": batch_id}
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            session.execute(insert(table), [{**dict(zip(_VALUE_COLUMNS, row)), **constants}
                                            for row in chunk])
            done += len(chunk)
            if progress:
                progress("load", done, total)


# --- rollback ----------------------------------------------------------------------------------------

def rollback_batch(session: Session, batch_id: int, *, user: str, reason: str = "") -> Batch:
    """Mark the batch rolled back and make, for each key it touched, the newest version from a
    batch still loaded current again. Raises BatchNotFound / BatchAlreadyRolledBack."""
    lock_for_writing(session)
    batch = session.get(Batch, batch_id, with_for_update=True)
    if batch is None:
        raise BatchNotFound(*pair("rollback.not_found", batch=batch_id))
    if batch.status == "rolled_back":
        raise BatchAlreadyRolledBack(*pair("rollback.already", batch=batch_id, by=batch.rolled_back_by,
                                           at=f"{batch.rolled_back_at:%Y-%m-%d %H:%M}"))
    batch.status = "rolled_back"
    batch.rolled_back_at = utcnow()
    batch.rolled_back_by = user[:80]
    batch.rollback_reason = reason
    session.flush()
    keys = {(r.indicator_code, r.region_code, r.year, r.quarter, r.basis) for r in session.execute(
        select(Observation.indicator_code, Observation.region_code, Observation.year,
               Observation.quarter, Observation.basis).where(Observation.batch_id == batch_id))}
    refresh_current(session, keys)
    from etl.measures.store import refresh_current as refresh_awards  # an award list's batch (issue 15)

    refresh_awards(session, batch_id)
    return batch


def rollback(engine: Engine, batch_id: int, *, user: str, reason: str = "",
             also: Optional[Callable[[Session, Batch], None]] = None) -> Batch:
    """rollback_batch in a transaction of its own, retried on a race with a load like loads are.
    `also(session, batch)` runs in the same transaction (the audit record of the rollback), so a
    retry repeats it and a failure leaves neither. Raises BatchNotFound / BatchAlreadyRolledBack."""

    def work(session: Session) -> Batch:
        batch = rollback_batch(session, batch_id, user=user, reason=reason)
        if also is not None:
            also(session, batch)
        return batch

    batch = run_with_retry(engine, work)
    log.info("batch %d (%s) rolled back by %s: %s", batch_id, batch.file_name, user, reason)
    return batch


def refresh_current(session: Session, keys: set[Key]) -> None:
    """Set is_current on exactly the newest version from a loaded batch, for each key."""
    pairs: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        pairs[key[0]].add(key[1])
    best: dict[Key, tuple[int, int]] = {}  # key -> (version, id) of the newest loaded version
    flagged: dict[Key, list[int]] = defaultdict(list)  # rows currently flagged current
    for indicator, regions in pairs.items():
        query = (select(Observation.id, Observation.indicator_code, Observation.region_code,
                        Observation.year, Observation.quarter, Observation.basis,
                        Observation.version, Observation.is_current, Batch.status)
                 .join(Batch, Batch.id == Observation.batch_id)
                 .where(Observation.indicator_code == indicator,
                        Observation.region_code.in_(sorted(regions))))
        for row in session.execute(query):
            key = (row.indicator_code, row.region_code, row.year, row.quarter, row.basis)
            if key not in keys:
                continue
            if row.is_current:
                flagged[key].append(row.id)
            if row.status == "loaded" and (key not in best or row.version > best[key][0]):
                best[key] = (row.version, row.id)
    keep = {ident for _, ident in best.values()}
    clear = [ident for ids in flagged.values() for ident in ids if ident not in keep]
    already = {ident for ids in flagged.values() for ident in ids}
    make = [ident for ident in keep if ident not in already]
    for ids in _chunks(clear):
        session.execute(update(Observation).where(Observation.id.in_(ids)).values(is_current=False)
                        .execution_options(synchronize_session=False))
    for ids in _chunks(make):
        session.execute(update(Observation).where(Observation.id.in_(ids)).values(is_current=True)
                        .execution_options(synchronize_session=False))
    session.flush()


# --- two loads at the same moment -----------------------------------------------------------------

WRITE_LOCK_ID = 2_300_000_001  # any constant shared by every writer of observations


def lock_for_writing(session: Session) -> None:
    """Serialise loads and rollbacks on PostgreSQL (a transaction-scoped advisory lock), so a plan
    is never made against values that a concurrent rollback is changing. SQLite already allows one
    writer at a time, and a stale read fails with "database is locked", which run_with_retry retries."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": WRITE_LOCK_ID})


def loaded_before(session: Session, sha256: str) -> list[int]:
    """The batches, still loaded, that came from a file with these bytes (a report's 'loaded before')."""
    return list(session.scalars(select(Batch.id).where(Batch.sha256 == sha256,
                                                       Batch.status == "loaded").order_by(Batch.id)))


def held_back(session: Session, report: Report, plan, *, expected_digest: Optional[str],
              dry_run: bool, progress: Optional[Callable[[str, int, int], None]] = None) -> Optional[str]:
    """The plan's changes put on the report (the compare stage done), then whether the load stops
    before writing, and why: 'stale' (the plan differs from the one previewed, `expected_digest`),
    'unchanged' (nothing to write) or 'dry-run'. Then report.status says so and the transaction is
    rolled back; None means: apply the plan. Serves the statistics (ChangePlan) and the award lists
    (etl.measures.store.AwardPlan) alike."""
    report.changes = plan.changes()
    if progress:
        progress("compare", 1, 1)
    if expected_digest is not None and plan.digest() != expected_digest:
        status = "stale"
    elif plan.is_noop:
        status = "unchanged"
    elif dry_run:
        status = "dry-run"
    else:
        return None
    report.status = status
    session.rollback()
    return status


# --- retries --------------------------------------------------------------------

def _is_race(exc: Exception) -> bool:
    """A conflict that a fresh attempt resolves: the version constraint, a lock, a deadlock or a
    serialization failure. Other integrity errors (a bad foreign key) are real and re-raised."""
    text = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, IntegrityError):
        return "uq_observation_version" in text or (
            "unique constraint failed" in text and "observations." in text)
    if isinstance(exc, OperationalError):
        return any(word in text for word in ("locked", "busy", "deadlock", "serializ", "could not obtain lock"))
    return False


def run_with_retry(engine: Engine, work: Callable[[Session], T], *, attempts: int = RETRIES) -> T:
    """Run work(session) in one transaction; on a race with another load, roll back and run again."""
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except (IntegrityError, OperationalError) as exc:
            if attempt == attempts or not _is_race(exc):
                raise
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    raise AssertionError("unreachable")
