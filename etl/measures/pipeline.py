"""The chain for one award list, as etl.pipeline does it for statistics:
read -> rows -> checks (against the rules and the register) -> plan -> load, with a Report.

- `looks_like_awards(data, name)`: does the file hold an award list (its header)? etl.pipeline
  sends such files here, so the upload page, `python -m etl ingest`, history and rollback serve
  award lists as they serve statistics.
- `check_awards_file(data, name, catalog, book, register)`: no database.
- `preview_awards(engine, data, name)`: check against the register, plan, write nothing.
- `ingest_awards(engine, data, name, loaded_by=...)`: check and load in one transaction, all or
  nothing. Statuses as etl.pipeline: rejected, unchanged, dry-run, stale, loaded.
  `record_breaches=True` loads a register as found (the demo, or a list already paid that an
  auditor wants on record): rule problems become warnings kept with each award (Award.flags)
  instead of stopping the load; format problems still reject the file.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from sqlalchemy import Engine

from etl.checks import problems as kinds
from etl.checks.report import Report, rejected_report
from etl.measures import store
from etl.measures.checks import findings
from etl.measures.read import is_awards_workbook, read_awards
from etl.measures.records import AwardRow
from etl.measures.tasks import TaskUpdateRow, is_task_workbook, read_task_sheet
from etl.measures.rules import Rulebook
from etl.outcomes import Preview
from etl.read.files import OLE_MAGIC, FileRejected, read_workbook
from etl.records import WARNING, Catalog, Workbook
from etl.store.catalog import load_catalog
from etl.store.db import ensure_db, is_initialised, session_scope
from etl.store.load import held_back, loaded_before, lock_for_writing, run_with_retry
from etl.wording.catalogue import both

Progress = Callable[[str, int, int], None]


@dataclass
class AwardCheck:
    report: Report
    rows: list[AwardRow] = field(default_factory=list)
    flags: dict[str, list[dict]] = field(default_factory=dict)  # award key -> recorded breaches
    tasks: list[TaskUpdateRow] = field(default_factory=list)  # a progress sheet's rows


@dataclass
class AwardOutcome:
    status: str
    report: Report
    batch_id: Optional[int] = None
    plan: Optional[store.AwardPlan] = None


# Words one of which every award list (统一社会信用代码) or progress sheet (任务编号 / 任务代码) has
NEEDLES = ("信用代码", "任务编号", "任务代码")
MAX_XML = 64 * 1024 * 1024  # inflated bytes searched at most


def _xml_needles() -> list[bytes]:
    """NEEDLES as XML may write them: UTF-8, or character references (&#20449; / &#x4FE1;; openpyxl
    writes CJK inline strings so)."""
    out = []
    for n in NEEDLES:
        out.append(n.encode("utf-8"))
        out.append("".join(f"&#{ord(ch)};" for ch in n).encode())
        out.append("".join(f"&#x{ord(ch):X};" for ch in n).encode())
        out.append("".join(f"&#x{ord(ch):x};" for ch in n).encode())
    return out


def _contains(archive: zipfile.ZipFile, info: zipfile.ZipInfo, needles: list[bytes]) -> bool:
    """Stream one member (never more than its declared size) looking for any needle."""
    keep = max(len(n) for n in needles)
    tail, seen = b"", 0
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            seen += len(chunk)
            if seen > info.file_size:
                return False  # a member that lies about its size: the reader rejects the file
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-keep:]
    return False


def might_be_awards(data: bytes) -> bool:
    """A cheap look at the bytes before any parsing: False when none of NEEDLES can be in the file,
    so that a statistics workbook is not parsed twice (etl.pipeline asks this of every file). An
    xlsx's shared strings and sheets are searched as they inflate (bounded by MAX_XML and each
    member's declared size); an xls in UTF-16; a CSV in UTF-8, GB18030 and UTF-16."""
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [i for i in archive.infolist() if i.filename.lower() == "xl/sharedstrings.xml"
                         or (i.filename.lower().startswith("xl/worksheets/") and i.filename.lower().endswith(".xml"))]
                if sum(i.file_size for i in names) > MAX_XML:
                    return False  # an award list is a few thousand rows, never this (nor a zip bomb)
                return any(_contains(archive, info, _xml_needles()) for info in names)
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError, EOFError):
            return False  # the statistics reader reports a damaged file
    if data[:8] == OLE_MAGIC:
        return any(n.encode("utf-16-le") in data for n in NEEDLES)
    return any(n.encode(enc) in data for n in NEEDLES for enc in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"))


def looks_like_awards(data: bytes, file_name: str, workbook: Optional[Workbook] = None) -> bool:
    """An award list or a progress sheet of the measures' tasks (or both). With the `workbook`
    already read (etl.pipeline reads every file once), decided from its header rows alone: the
    bytes are neither searched nor inflated again."""
    if workbook is not None:
        return is_awards_workbook(workbook) or is_task_workbook(workbook)
    if not might_be_awards(data):
        return False
    try:
        workbook = read_workbook(data, file_name)
        return is_awards_workbook(workbook) or is_task_workbook(workbook)
    except FileRejected:
        return False
    except Exception:  # noqa: BLE001 - the statistics chain reports an unreadable file
        return False


def check_awards_file(data: bytes, file_name: str, catalog: Catalog, book: Rulebook,
                      register: list[AwardRow], *, record_breaches: bool = False,
                      task_codes: frozenset[str] | set[str] = frozenset(),
                      workbook: Optional[Workbook] = None) -> AwardCheck:
    sha = hashlib.sha256(data).hexdigest()
    try:
        workbook = workbook if workbook is not None else read_workbook(data, file_name)
    except FileRejected as rejected:
        return AwardCheck(rejected_report(file_name, sha, rejected.problem))
    report = Report(file_name=file_name, sha256=sha, format=workbook.format,
                    encoding=workbook.encoding, sheet_order=[s.name for s in workbook.sheets])
    read = read_awards(workbook, book, catalog)
    progress = read_task_sheet(workbook, set(task_codes))
    if progress.sheets:  # a progress sheet alone is not an award list without a header
        read.problems = [p for p in read.problems if not (p.code == "award-header" and p.sheet is None)]
    report.cells_read = read.cells_read + len(progress.updates) + len(progress.problems)
    report.values_valid = len(read.rows) + len(progress.updates)
    report.metadata = [both("awards.meta.list", n=len(read.rows))]
    if progress.sheets:
        report.metadata.append(both("awards.meta.progress", n=len(progress.updates)))
    report.add(read.problems + progress.problems)
    flags: dict[str, list[dict]] = {}
    found = findings(read.rows, register, book)
    problems = []
    for row, p in found:
        if record_breaches and p.code in kinds.AWARD_RULE_CODES:
            p = replace(p, severity=WARNING)
            flags.setdefault(row.key, []).append({"code": p.code, "message_zh": p.message_zh,
                                                  "message_en": p.message_en})
        problems.append(p)
    report.add(problems)
    if not read.rows and not progress.updates and report.valid:
        report.add([kinds.AWARD_MISSING.in_file(variant="no-awards", file=file_name)])
    report.status = "checked" if report.valid else "rejected"
    valid = report.valid
    return AwardCheck(report, read.rows if valid else [], flags, progress.updates if valid else [])


def _context(engine: Engine, policy: str):
    if not is_initialised(engine):
        ensure_db(engine)
    with session_scope(engine) as session:
        return load_catalog(session), store.rulebook(session, policy)


def preview_awards(engine: Engine, data: bytes, file_name: str, *, policy: str = store.DEFAULT_POLICY,
                   progress: Optional[Progress] = None, workbook: Optional[Workbook] = None):
    """Check against the register and plan, writing nothing (what the upload page shows)."""
    catalog, book = _context(engine, policy)
    with session_scope(engine) as session:
        register = store.register(session, policy)
        checked = check_awards_file(data, file_name, catalog, book, register,
                                    task_codes=store.task_codes(session, policy), workbook=workbook)
        report = checked.report
        if not report.valid:
            report.status = "rejected"
            return Preview(report)
        plan = store.plan_awards(session, checked.rows, checked.tasks, policy)
        report.loaded_before = loaded_before(session, report.sha256)
        session.rollback()
    report.changes = plan.changes()
    report.status = "preview"
    if progress:
        progress("compare", 1, 1)
    return Preview(report, [], plan)


def ingest_awards(engine: Engine, data: bytes, file_name: str, *, loaded_by: str,
                  policy: str = store.DEFAULT_POLICY, dry_run: bool = False, is_demo: bool = False,
                  record_breaches: bool = False, expected_digest: Optional[str] = None,
                  progress: Optional[Progress] = None,
                  workbook: Optional[Workbook] = None) -> AwardOutcome:
    catalog, book = _context(engine, policy)

    def work(session) -> AwardOutcome:
        if not dry_run:
            lock_for_writing(session)
        register = store.register(session, policy)  # read under the lock: quotas count every file
        checked = check_awards_file(data, file_name, catalog, book, register,
                                    record_breaches=record_breaches,
                                    task_codes=store.task_codes(session, policy), workbook=workbook)
        report = checked.report
        if not report.valid:
            report.status = "rejected"
            session.rollback()
            return AwardOutcome("rejected", report)
        plan = store.plan_awards(session, checked.rows, checked.tasks, policy)
        report.loaded_before = loaded_before(session, report.sha256)
        held = held_back(session, report, plan, expected_digest=expected_digest, dry_run=dry_run,
                         progress=progress)
        if held:
            return AwardOutcome(held, report, plan=plan)
        batch = store.apply_awards(session, plan, book, file_name=file_name, sha256=report.sha256,
                                   loaded_by=loaded_by, report=report, is_demo=is_demo,
                                   flags=checked.flags)
        if progress:
            progress("load", 1, 1)
        return AwardOutcome("loaded", report, batch.id, plan)

    return run_with_retry(engine, work)
