"""The whole chain for one file: read -> extract -> normalise -> validate -> (plan -> load), with a Report.

- `check_file(data, name, catalog)`: no database; every problem of the file, never a traceback.
- `preview_file(engine, data, name)`: check, then compare with the database (new / revised /
  unchanged) without writing: what the upload page shows before the analyst commits. A file whose
  values contradict the stored ones (etl.checks.validate.check_against_current errors) is rejected here
  and in ingest_file, in the same transaction that planned the load.
- `ingest_file(engine, data, name, loaded_by=...)`: check, then plan and load in one transaction.
  Status 'rejected' (errors: nothing written), 'unchanged' (every value already current: no batch),
  'dry-run' (planned, nothing written), 'stale' (expected_digest given and the plan differs from the
  one previewed: nothing written) or 'loaded'.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import logging
import threading
from itertools import compress, repeat
from operator import contains, not_
from typing import Callable, Iterable, Optional

from sqlalchemy import Engine

from etl import logs
from etl.checks import problems as kinds
from etl.store.catalog import load_catalog
from etl.store.db import ensure_db, is_initialised, session_scope
from etl.store.load import (apply_plan, held_back, loaded_before, lock_for_writing, plan_changes,
                            run_with_retry)
from etl.normalise.cells import normalise_values, parse_number
from etl.read.files import FileRejected, is_panic, read_workbook
from etl.read.layout import extract_workbook
from etl.outcomes import CheckResult, IngestOutcome, Preview
from etl.records import ERROR, Catalog, Problem, RawValues, Value, Workbook
from etl.checks.report import Report, rejected_report
from etl.measures.pipeline import ingest_awards, looks_like_awards, preview_awards
from etl.checks.validate import check_against_current, check_values
from etl.wording.catalogue import pair

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


_gc_lock = threading.Lock()
_gc_holders = 0  # calls of the functions below running now, in any thread
_gc_was_enabled = True


def _without_gc_pauses(fn):
    """Run `fn` with Python's cyclic garbage collector paused, resumed when the last such call in
    the process ends (it is process-wide). A 200,000-value file makes millions of small objects (the
    workbook's rows, RawValue, Value, rows to insert), almost none in reference cycles: the
    collector would walk them again and again as they are made (a fifth of the ETL's CPU time)
    and find nothing to free; reference counting frees them as before."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        global _gc_holders, _gc_was_enabled
        with _gc_lock:
            if _gc_holders == 0:
                _gc_was_enabled = gc.isenabled()
                gc.disable()
            _gc_holders += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _gc_lock:
                _gc_holders -= 1
                if _gc_holders == 0 and _gc_was_enabled:
                    gc.enable()
    return wrapper


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_NUMBER_TYPES = frozenset({int, float})


def _is_missing(raw) -> bool:
    kind = type(raw)
    if kind is float or kind is int:  # most cells: a number is never missing
        return False
    if raw is None or raw == "":
        return True
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return False
    return parse_number(raw).missing


_STAGES = {stage: pair(f"pipeline.stage.{stage}") for stage in ("reading", "checking")}


def _internal_error(file_name: str, stage: str, exc: BaseException) -> Problem:
    """A fault of the program, not of the file: the traceback goes to the log with an error id
    (etl.logs), the report gets one line with that id, never the traceback."""
    error_id = logs.unexpected(log, "while %s %s", stage, file_name)
    stage_zh, stage_en = _STAGES[stage]
    return kinds.INTERNAL_ERROR.in_file(file=file_name, stage_zh=stage_zh, stage_en=stage_en,
                                        exc_type=type(exc).__name__, error_id=error_id)


def _fault(exc: BaseException) -> bool:
    """Whether check_file turns `exc` into a report: any Exception and a Rust panic of a reader
    (a BaseException), never an interrupt."""
    return isinstance(exc, Exception) or is_panic(exc)


@_without_gc_pauses
def check_file(data: bytes, file_name: str, catalog: Catalog, *, skip_unknown: bool = False,
               progress: Optional[Progress] = None, workbook: Optional[Workbook] = None) -> CheckResult:
    """Read, extract, normalise and check a file; the report holds every problem, sorted.
    `workbook`: the file already read (read_once), so that it is not read twice."""
    sha = sha256_of(data)
    try:
        workbook = workbook if workbook is not None else read_workbook(data, file_name)
    except FileRejected as rejected:
        return CheckResult(rejected_report(file_name, sha, rejected.problem))
    except BaseException as exc:  # a reader bug must still end in a report, never a traceback
        if not _fault(exc):
            raise
        return CheckResult(rejected_report(file_name, sha, _internal_error(file_name, "reading", exc)))
    report = Report(file_name=file_name, sha256=sha, format=workbook.format,
                    encoding=workbook.encoding, sheet_order=[s.name for s in workbook.sheets])
    if progress:
        progress("read", 1, 4)
    try:
        extract = extract_workbook(workbook, catalog)
        if progress:
            progress("read", 2, 4)
        normalised = normalise_values(extract.values, catalog, skip_unknown=skip_unknown)
        if progress:
            progress("read", 3, 4)
        cross = check_values(normalised.values, catalog)
    except BaseException as exc:
        if not _fault(exc):
            raise
        report.add([_internal_error(file_name, "checking", exc)])
        report.status = "rejected"
        return CheckResult(report)
    report.notes, report.sources, report.metadata = extract.notes, extract.sources, extract.metadata
    report.cells_read = len(extract.values)
    raws = list(extract.values.raws() if isinstance(extract.values, RawValues) else (
        rv.raw for rv in extract.values))
    # a number is never missing: only the other cells are looked at (picked at C speed)
    others = compress(raws, map(not_, map(contains, repeat(_NUMBER_TYPES), map(type, raws))))
    report.values_missing = sum(map(_is_missing, others))
    report.values_valid = len(normalised.values)
    report.add(extract.problems + normalised.problems + normalised.skipped + cross)
    if not normalised.values and report.valid:
        report.add([kinds.NO_DATA.in_file(file=file_name)])
    if progress:
        progress("read", 4, 4)
    report.status = "checked" if report.valid else "rejected"
    return CheckResult(report, normalised.values if report.valid else [], extract.title_indicators)


def read_once(data: bytes, file_name: str) -> Optional[Workbook]:
    """The file read once for both chains (is it an award list? then its checks), or None when it
    cannot be read: check_file then reads it again and reports why."""
    try:
        return read_workbook(data, file_name)
    except BaseException as exc:  # check_file turns the same failure into a report
        if not _fault(exc):
            raise
        return None


def _catalog(engine: Engine) -> Catalog:
    if not is_initialised(engine):
        ensure_db(engine)
    with session_scope(engine) as session:
        return load_catalog(session)


@_without_gc_pauses
def preview_file(engine: Engine, data: bytes, file_name: str, *, skip_unknown: bool = False,
                 progress: Optional[Progress] = None) -> Preview:
    """Check, then compare with the database without writing anything."""
    workbook = read_once(data, file_name)
    if workbook is not None and looks_like_awards(data, file_name, workbook):
        # an award list (issue 15): its own chain, same report
        return preview_awards(engine, data, file_name, progress=progress, workbook=workbook)
    catalog = _catalog(engine)
    checked = check_file(data, file_name, catalog, skip_unknown=skip_unknown, progress=progress,
                         workbook=workbook)
    report = checked.report
    if not report.valid:
        return Preview(report)
    if progress:
        progress("compare", 0, 1)
    with session_scope(engine) as session:
        plan = plan_changes(session, checked.values)
        report.loaded_before = loaded_before(session, report.sha256)
        session.rollback()
    report.add(check_against_current(checked.values, plan.current, catalog, checked.title_indicators))
    if not report.valid:  # the file contradicts what the database holds
        report.status = "rejected"
        return Preview(report)
    report.changes = plan.changes()
    report.status = "preview"
    if progress:
        progress("compare", 1, 1)
    return Preview(report, checked.values, plan)


@_without_gc_pauses
def ingest_file(engine: Engine, data: bytes, file_name: str, *, loaded_by: str,
                skip_unknown: bool = False, dry_run: bool = False, is_demo: bool = False,
                is_reference: bool = False, extra_notes: Iterable[str] = (),
                progress: Optional[Progress] = None,
                expected_digest: Optional[str] = None) -> IngestOutcome:
    """Check and load one file, all or nothing. See the module docstring for the statuses."""
    workbook = read_once(data, file_name)
    if workbook is not None and looks_like_awards(data, file_name, workbook):
        # an award list (issue 15): its own chain, same report
        outcome = ingest_awards(engine, data, file_name, loaded_by=loaded_by, dry_run=dry_run,
                                is_demo=is_demo, record_breaches=is_demo,  # a demo register as found
                                expected_digest=expected_digest, progress=progress,
                                workbook=workbook)
        return IngestOutcome(outcome.status, outcome.report, outcome.batch_id, outcome.plan)
    catalog = _catalog(engine)
    checked = check_file(data, file_name, catalog, skip_unknown=skip_unknown, progress=progress,
                         workbook=workbook)
    report = checked.report
    if not report.valid:
        report.status = "rejected"
        _log_outcome(file_name, loaded_by, "rejected", report)
        return IngestOutcome("rejected", report)
    base_problems, base_skipped = list(report.problems), list(report.skipped)
    extra_notes = list(extra_notes)

    def work(session) -> IngestOutcome:
        report.problems, report.skipped = list(base_problems), list(base_skipped)  # a retry starts over
        if progress:
            progress("compare", 0, 1)
        if not dry_run:
            lock_for_writing(session)
        plan = plan_changes(session, checked.values, replace_demo=not is_demo)
        report.loaded_before = loaded_before(session, report.sha256)
        report.add(check_against_current(checked.values, plan.current, catalog, checked.title_indicators))
        if not report.valid:  # the file contradicts what the database holds: nothing written
            report.status = "rejected"
            session.rollback()
            return IngestOutcome("rejected", report, plan=plan)
        held = held_back(session, report, plan, expected_digest=expected_digest, dry_run=dry_run,
                         progress=progress)
        if held:
            return IngestOutcome(held, report, plan=plan)
        batch = apply_plan(session, plan, file_name=file_name, sha256=report.sha256,
                           loaded_by=loaded_by, report=report,
                           notes=extra_notes + report.metadata + report.notes,
                           sources=report.sources, is_demo=is_demo, is_reference=is_reference,
                           values_skipped=len(report.skipped), progress=progress)
        return IngestOutcome("loaded", report, batch.id, plan)

    outcome = run_with_retry(engine, work)
    _log_outcome(file_name, loaded_by, outcome.status, report, outcome.batch_id)
    return outcome


def _log_outcome(file_name: str, loaded_by: str, status: str, report: Report,
                 batch_id: Optional[int] = None) -> None:
    """One line per ingested file: what happened, for whom, with the counts."""
    errors = sum(1 for p in report.problems if p.severity == ERROR)
    if status == "loaded" and report.changes is not None:
        changes = report.changes
        log.info("loaded %s for %s as batch %s: %d new, %d revised, %d unchanged", file_name,
                 loaded_by, batch_id, changes.new, len(changes.revised), changes.unchanged)
    elif status == "rejected":
        log.info("rejected %s for %s: %d errors", file_name, loaded_by, errors)
    else:
        log.info("%s: %s for %s", file_name, status, loaded_by)
