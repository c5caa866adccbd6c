"""The analysts' upload flow, without Dash: check -> preview -> commit or cancel.

    check_upload(engine, data, file_name, *, user, skip_unknown) -> (PendingInfo, report dict)
    commit_upload(engine, pending_id, *, user) -> CommitResult
    cancel_upload(engine, pending_id, *, user) -> bool
    annotated_copy(engine, pending_id, *, user) -> (file name, xlsx bytes)

Every step is recorded in the audit log. A checked file waits in SQL (etl.pending), so the commit
may reach any worker. The commit hands the ETL the change plan the analyst saw; if another upload
changed those values in the meantime the ETL loads nothing and says "stale", and the analyst is
shown the new plan (old -> new as it is now) to commit again or cancel: no value is lost or mixed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import Engine

from dashboard import audit
from etl import pending
from etl.annotate import annotated_xlsx
from etl.db import session_scope
from etl.records import ERROR, Problem


@dataclass
class CommitResult:
    status: str  # loaded | unchanged | stale | rejected | gone
    file_name: str = ""
    batch_id: Optional[int] = None
    report: dict[str, Any] = field(default_factory=dict)


def too_large_report(file_name: str, size: int, limit: int) -> dict[str, Any]:
    problem = Problem("too-large", ERROR,
                      f"文件“{file_name}”大小 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB。",
                      f"File {file_name!r} is {size / 1048576:.1f} MB, over the "
                      f"{limit / 1048576:.0f} MB limit.")
    return {"file_name": file_name, "valid": False, "status": "rejected", "counts": {},
            "changes": None, "problems": [problem.to_dict()], "skipped": [], "notes": [],
            "sources": [], "metadata": []}


def check_upload(engine: Engine, data: bytes, file_name: str, *, user: str, skip_unknown: bool,
                 limit: int) -> tuple[pending.PendingInfo, dict[str, Any]]:
    """Check a file and compare it with the database; keep it for commit (or for its report)."""
    from etl import pipeline

    pending.purge_expired(engine)
    if len(data) > limit:
        report = too_large_report(file_name, len(data), limit)
        info = pending.store(engine, data, file_name, report, owner=user,
                             skip_unknown=skip_unknown, keep_bytes=False)
    else:
        preview = pipeline.preview_file(engine, data, file_name, skip_unknown=skip_unknown)
        report = preview.report.to_dict()
        plan = preview.plan.summary() if preview.plan is not None else None
        info = pending.store(engine, data, file_name, report, owner=user,
                             skip_unknown=skip_unknown, plan=plan)
    counts = report.get("counts") or {}
    with session_scope(engine) as db:
        audit.record(db, "upload" if info.status == "pending" else "upload-rejected",
                     username=user, target=file_name,
                     details={"sha256": info.sha256, "size": info.size,
                              "errors": counts.get("errors"), "warnings": counts.get("warnings"),
                              "skip_unknown": skip_unknown, "pending": info.id})
    return info, report


def commit_upload(engine: Engine, pending_id: str, *, user: str) -> CommitResult:
    from etl import pipeline

    try:
        row = pending.get(engine, pending_id, owner=user)
    except pending.NotYours:
        return CommitResult("gone")
    if row.status != "pending":
        return CommitResult("gone", row.file_name)
    outcome = pipeline.ingest_file(engine, row.content, row.file_name, loaded_by=user,
                                   skip_unknown=row.skip_unknown,
                                   expected_digest=row.plan_digest)
    report = outcome.report.to_dict()
    status = outcome.status
    with session_scope(engine) as db:
        if status == "loaded":
            action = "commit"
        elif status == "stale":
            action = "commit-refused"
        else:
            action = "commit-" + status
        audit.record(db, action, username=user, target=row.file_name,
                     details={"batch_id": outcome.batch_id, "sha256": row.sha256,
                              "pending": pending_id, "changes": _change_counts(report)})
    if status in ("loaded", "unchanged"):
        pending.mark(engine, pending_id, "committed", batch_id=outcome.batch_id)
    elif status == "stale":
        pending.replan(engine, pending_id, report, outcome.plan.summary())
    elif status == "rejected":
        pending.mark(engine, pending_id, "rejected")
    return CommitResult(status, row.file_name, outcome.batch_id, report)


def _change_counts(report: dict[str, Any]) -> dict[str, int]:
    changes = report.get("changes") or {}
    return {"new": changes.get("new", 0), "revised": changes.get("revised_count", 0),
            "unchanged": changes.get("unchanged", 0)}


def cancel_upload(engine: Engine, pending_id: str, *, user: str) -> bool:
    try:
        row = pending.get(engine, pending_id, owner=user)
    except pending.NotYours:
        return False
    if not pending.mark(engine, pending_id, "cancelled"):
        return False
    with session_scope(engine) as db:
        audit.record(db, "cancel", username=user, target=row.file_name,
                     details={"pending": pending_id, "sha256": row.sha256})
    return True


def annotated_copy(engine: Engine, pending_id: str, *, user: str) -> tuple[str, bytes]:
    row = pending.get(engine, pending_id, owner=user)
    if not row.content:
        raise pending.NotYours(pending_id)
    problems = (row.report or {}).get("problems", []) + (row.report or {}).get("skipped", [])
    stem = row.file_name.rsplit(".", 1)[0] or "upload"
    return f"{stem}_校验批注.xlsx", annotated_xlsx(row.content, row.file_name, problems)
