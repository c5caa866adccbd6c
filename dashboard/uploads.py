"""The analysts' upload flow, without Dash: check -> preview -> commit or cancel.

    check_upload(engine, data, file_name, *, user, skip_unknown) -> (PendingInfo, report dict)
    commit_upload(engine, pending_id, *, user) -> CommitResult
    cancel_upload(engine, pending_id, *, user) -> "cancelled" | "refused" | "gone"
    annotated_copy(engine, pending_id, *, user) -> (file name, xlsx bytes)
    template_file(engine) -> (file name, xlsx bytes)
    rollback_batch(engine, batch_id, *, user, reason)   (the history page's rollback)
    refresh_summaries(identity) -> seconds   (in a job: the summaries after a rollback)
    job_identity() / job_context(identity) -> the user a background job acts for (see below)
    ProgressText(set_progress, lang, kind, file_count) -> the progress(stage, done, total) hook

Every step is recorded in the audit log and in the server's log (etl.logs). A checked file waits in SQL (etl.store.pending), so the commit
may reach any worker. The commit hands the ETL the change plan the analyst saw; if another upload
changed those values in the meantime the ETL loads nothing and says "stale", and the analyst is
shown the new plan (old -> new as it is now) to commit again or cancel: no value is lost or mixed.

Background jobs. The upload page checks and commits in Dash background callbacks: each runs in a
process forked from the gunicorn worker that received the request (DiskcacheManager; results and
progress in a diskcache in the instance folder, so any worker answers the browser's polls). That
process has no request and no session (in production a Celery worker runs the jobs instead, with
its own app: dashboard/jobs.py, dashboard/worker.py). So the role is checked in the request that starts the job
(`job_identity`, a Dash custom_data hook: it runs where the session is and records the verified
user id, session nonce and address), and `job_context` re-checks that user in the database inside
the job (still active, same session nonce, still an analyst or admin) before anything is read or
written; it also enters the starting app's context and renews the engine's connection pool, whose
connections belong to the parent process.
"""
from __future__ import annotations

import logging
import os
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from flask import Flask, current_app, has_request_context
from sqlalchemy import Engine
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboard import security
from dashboard.accounts import audit
from dashboard.accounts.models import User
from etl.checks.annotate import annotated_xlsx
from etl.read.files import too_large
from etl.store import pending
from etl.store.db import session_scope
from etl.wording.catalogue import has, t

log = logging.getLogger(__name__)

DATA_EDITORS = ("analyst", "admin")  # as dashboard.auth.DATA_EDITORS


@dataclass
class CommitResult:
    status: str  # loaded | unchanged | stale | rejected | gone | refused (someone else's upload)
    file_name: str = ""
    batch_id: Optional[int] = None
    report: dict[str, Any] = field(default_factory=dict)


def too_large_report(file_name: str, size: int, limit: int) -> dict[str, Any]:
    problem = too_large(file_name, size, limit)
    return {"file_name": file_name, "valid": False, "status": "rejected", "counts": {},
            "changes": None, "problems": [problem.to_dict()], "skipped": [], "notes": [],
            "sources": [], "metadata": []}


def check_upload(engine: Engine, data: bytes, file_name: str, *, user: str, skip_unknown: bool,
                 limit: int, progress: Optional[Callable[[str, int, int], None]] = None,
                 addr: Optional[str] = None) -> tuple[pending.PendingInfo, dict[str, Any]]:
    """Check a file and compare it with the database; keep it for commit (or for its report).
    `addr`: the client's address for the audit log, when called outside the request (a job)."""
    from etl import pipeline

    pending.purge_expired(engine)
    if len(data) > limit:
        report = too_large_report(file_name, len(data), limit)
        info = pending.store(engine, data, file_name, report, owner=user,
                             skip_unknown=skip_unknown, keep_bytes=False)
    else:
        preview = pipeline.preview_file(engine, data, file_name, skip_unknown=skip_unknown,
                                        progress=progress)
        report = preview.report.to_dict()
        plan = preview.plan.summary() if preview.plan is not None else None
        info = pending.store(engine, data, file_name, report, owner=user,
                             skip_unknown=skip_unknown, plan=plan)
    counts = report.get("counts") or {}
    with session_scope(engine) as db:
        audit.record(db, "upload" if info.status == "pending" else "upload-rejected",
                     username=user, target=file_name, remote_addr=addr,
                     details={"sha256": info.sha256, "size": info.size,
                              "errors": counts.get("errors"), "warnings": counts.get("warnings"),
                              "skip_unknown": skip_unknown, "pending": info.id})
    log.info("upload %s by %s: %s (%s errors, %s warnings)", file_name, user,
             "checked, waiting for commit" if info.status == "pending" else "rejected",
             counts.get("errors"), counts.get("warnings"))
    return info, report


def commit_upload(engine: Engine, pending_id: str, *, user: str,
                  progress: Optional[Callable[[str, int, int], None]] = None,
                  addr: Optional[str] = None) -> CommitResult:
    from etl import pipeline

    try:
        row = pending.get(engine, pending_id, owner=user)
    except pending.NotYours:
        owner = _someone_elses(engine, pending_id, user)
        if owner:
            _refused(engine, "commit-refused", "commit", pending_id, user, owner)
            return CommitResult("refused")  # not "gone": it is there, and not theirs to name
        log.warning("commit of pending upload %s by %s: gone (expired, or no such upload)",
                    pending_id[:8], user)
        return CommitResult("gone")  # no file name: the upload is no longer there to name it
    if row.status != "pending":
        return CommitResult("gone", row.file_name)
    outcome = pipeline.ingest_file(engine, row.content, row.file_name, loaded_by=user,
                                   skip_unknown=row.skip_unknown,
                                   expected_digest=row.plan_digest, progress=progress)
    report = outcome.report.to_dict()
    status = outcome.status
    with session_scope(engine) as db:
        if status == "loaded":
            action = "commit"
        elif status == "stale":
            action = "commit-refused"
        else:
            action = "commit-" + status
        audit.record(db, action, username=user, target=row.file_name, remote_addr=addr,
                     details={"batch_id": outcome.batch_id, "sha256": row.sha256,
                              "pending": pending_id, "changes": _change_counts(report)})
    log.info("commit of %s by %s: %s%s %s", row.file_name, user, status,
             f" as batch {outcome.batch_id}" if outcome.batch_id else "", _change_counts(report))
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


def _someone_elses(engine: Engine, pending_id: str, user: str) -> Optional[str]:
    """The owner of this pending upload when it is another user's, else None."""
    owner = pending.owner_of(engine, pending_id)
    return owner if owner is not None and owner != user else None


def _refused(engine: Engine, action: str, verb: str, pending_id: str, user: str, owner: str) -> None:
    """A handle of someone else's upload used to commit or cancel it: recorded in the audit log
    (by the upload's id, not its file name: not the caller's to know) and logged."""
    with session_scope(engine) as db:
        audit.record(db, action, username=user, target=pending_id[:8],
                     details={"pending": pending_id[:8]})
    log.warning("%s tried to %s an upload of %s: refused", user, verb, owner)


def commit_message(result: CommitResult, lang: str) -> str:
    """What the commit says of an upload it did not load because it was not there to load:
    someone else's (refused), or committed, cancelled or expired (gone; named when still known)."""
    if result.status == "refused":
        return t("upload.commit_refused", lang)
    if result.file_name:
        return t("upload.gone", lang, file=result.file_name)
    return t("upload.gone_unnamed", lang)


def cancel_upload(engine: Engine, pending_id: str, *, user: str) -> str:
    """'cancelled'; 'refused' when the upload is someone else's (recorded: a handle was used by
    another user); 'gone' when it was committed, cancelled or has expired."""
    try:
        row = pending.get(engine, pending_id, owner=user)
    except pending.NotYours:
        owner = _someone_elses(engine, pending_id, user)
        if owner:
            _refused(engine, "cancel-refused", "cancel", pending_id, user, owner)
            return "refused"
        return "gone"
    if not pending.mark(engine, pending_id, "cancelled"):
        return "gone"
    with session_scope(engine) as db:
        audit.record(db, "cancel", username=user, target=row.file_name,
                     details={"pending": pending_id, "sha256": row.sha256})
    log.info("upload %s cancelled by %s", row.file_name, user)
    return "cancelled"


def annotated_copy(engine: Engine, pending_id: str, *, user: str) -> tuple[str, bytes]:
    row = pending.get(engine, pending_id, owner=user)
    if not row.content:
        raise pending.NotYours(pending_id)
    problems = (row.report or {}).get("problems", []) + (row.report or {}).get("skipped", [])
    stem = row.file_name.rsplit(".", 1)[0] or "upload"
    return t("uploads.annotated_name", "zh", stem=stem), annotated_xlsx(row.content, row.file_name, problems)


def template_file(engine: Engine) -> tuple[str, bytes]:
    """The long template, with the catalog's codes: (file name, xlsx bytes)."""
    import tempfile
    from pathlib import Path

    from etl.read.template import write_template
    from etl.store.catalog import load_catalog

    with session_scope(engine) as db:
        catalog = load_catalog(db)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / t("uploads.template_name", "zh")
        write_template(path, catalog)
        return path.name, path.read_bytes()


def rollback_batch(engine: Engine, batch_id: int, *, user: str, reason: str) -> None:
    """An admin's rollback (etl.store.load.rollback, retried like loads), with its audit record
    in the same transaction; BatchError when refused."""
    from etl.store.load import rollback

    rollback(engine, batch_id, user=user, reason=reason,
             also=lambda db, _batch: audit.record(
                 db, "rollback", username=user, target=f"batch {batch_id}",
                 details={"batch_id": batch_id, "reason": reason}))  # logged by rollback


def refresh_summaries(identity: Optional[dict[str, Any]]) -> float:
    """The maintained summaries of the current data (dashboard.data.refresh_summaries), built in a
    bounded job for the editor who changed the data (the history page's rollback); the seconds it
    took. Never in the web request: a few seconds of CPU at national scale."""
    from dashboard import data

    with job_context(identity) as (_engine, username, _addr):
        started = time.perf_counter()
        data.invalidate()  # this process's stamp: the data as they are now
        data.refresh_summaries()
        seconds = time.perf_counter() - started
    log.info("summaries built for %s's data change in %.1f s", username, seconds)
    return seconds


# --- background jobs ------------------------------------------------------------------------------

# the apps of this process, by id: a forked job finds its own (weak: test apps come and go)
_APPS: "weakref.WeakValueDictionary[str, Flask]" = weakref.WeakValueDictionary()
_INHERITED_POOLS: list = []  # in a forked job: the parent's connection pools, never used, never closed
_WORKER_APP: list = []  # in a Celery worker (dashboard.worker): its own app serves every job


def serve_jobs_with(app: Flask) -> None:
    """A Celery worker's app: jobs started by any web server run in its context."""
    _WORKER_APP[:] = [app]


def job_identity(_context: Any = None) -> Optional[dict[str, Any]]:
    """In the request that starts (or polls) a callback: who is asking, as verified from the
    session here, and which app serves them. Registered as a Dash custom_data hook; the job reads it
    from callback_context.custom_data and never trusts anything the browser sent about the user."""
    if not has_request_context():
        return None
    from dashboard import auth

    app = current_app._get_current_object()
    _APPS.setdefault(str(id(app)), app)
    user = auth.current_user_or_none()
    if user is None:
        return {"role": auth.ANONYMOUS, "app": str(id(app)), "pid": os.getpid()}
    return {"role": user.role, "user_id": user.user_id, "username": user.username,
            "nonce": user.nonce, "addr": audit.request_addr(), "app": str(id(app)),
            "pid": os.getpid()}


def verified_editor(engine: Engine, identity: Optional[dict[str, Any]]) -> str:
    """The username of an analyst or admin whose session is still valid, or Unauthorized/Forbidden."""
    if not identity or not identity.get("user_id"):
        raise Unauthorized(security.refusal("security.sign_in"))
    if identity.get("role") not in DATA_EDITORS:
        raise Forbidden(security.refusal("security.not_allowed"))
    with session_scope(engine) as db:
        user = db.get(User, int(identity["user_id"]))
        if (user is None or not user.active or user.session_nonce != identity.get("nonce")
                or user.role not in DATA_EDITORS):
            raise Forbidden(security.refusal("security.not_allowed"))
        return user.username


@contextmanager
def job_context(identity: Optional[dict[str, Any]]) -> Iterator[tuple[Engine, str, Optional[str]]]:
    """(engine, username, client address) for a check or commit, inside the app's context.

    In a forked job: enter the context of the app that started it and give the engine a fresh pool
    (the inherited connections belong to the parent). Called in a request (no job): the identity is
    taken from the session now. Either way the user is re-checked in the database first."""
    from dashboard import data

    if identity is None and has_request_context():
        identity = job_identity()
    if identity is None:
        raise Unauthorized(security.refusal("security.sign_in"))
    from dashboard import jobs

    forked = identity.get("pid") != os.getpid() or jobs.in_child()
    # A forked job inherits a copy of the starting request's context (contextvars), so "is there a
    # request?" cannot tell a job from a request: the process id can.
    if not forked and has_request_context():
        engine = data.engine()
        yield engine, verified_editor(engine, identity), None
        return
    app = _APPS.get(str(identity.get("app"))) or (_WORKER_APP[0] if _WORKER_APP else None)
    if app is None:  # not forked from the worker that started it (spawn start method)
        raise RuntimeError("upload jobs need the fork start method (Linux)")
    with app.app_context():
        engine = data.engine()
        if forked and engine.pool not in _INHERITED_POOLS:
            # keep the parent's pool referenced until the job exits: if its connections were
            # garbage-collected here, the driver would close them, i.e. the parent's sessions
            _INHERITED_POOLS.append(engine.pool)
            engine.dispose(close=False)
        yield engine, verified_editor(engine, identity), identity.get("addr")


_STAGES = {
    # stage of etl.pipeline's progress(stage, done, total) -> share of one file's bar (from, to)
    "check": {"read": (0.0, 0.85), "compare": (0.85, 1.0)},
    "commit": {"read": (0.0, 0.4), "compare": (0.4, 0.5), "load": (0.5, 1.0)},
}


class ProgressText:
    """Turns etl.pipeline's progress(stage, done, total) for file i of n into (percent, label,
    text) for the page's progress bar, and hands them to `set_progress` at most every 0.2 s
    (each is a write to the job's cache) and at every new stage."""

    def __init__(self, set_progress: Callable[[tuple], None], lang: str, kind: str, files: int):
        self.set_progress, self.lang, self.stages, self.files = set_progress, lang, _STAGES[kind], files
        self.index, self.name, self.last, self.stage = 0, "", 0.0, ""

    def file(self, index: int, name: str) -> None:
        self.index, self.name = index, name
        self("read", 0, 1)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.2 and done < total:
            return
        self.stage, self.last = stage, now
        start, end = self.stages.get(stage, (0.0, 1.0))
        within = start + (end - start) * (done / total if total else 1.0)
        percent = int(100 * (self.index + within) / max(self.files, 1))
        words = t(key, self.lang) if has(key := f"uploads.stage.{stage}") else stage
        detail = f" {done:,}/{total:,}" if stage == "load" else ""
        text = t("uploads.progress", self.lang, i=self.index + 1, n=self.files, name=self.name,
                 stage=words, detail=detail)
        self.set_progress((percent, f"{percent}%", text))
