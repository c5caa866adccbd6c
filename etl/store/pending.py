"""Uploaded files waiting for their owner's "commit", stored in SQL (not in a worker's memory).

    store(engine, data, file_name, report, *, owner, skip_unknown) -> PendingInfo
    get(engine, pending_id, *, owner) -> PendingUpload row with its bytes (only the owner's)
    mark(engine, pending_id, status, *, batch_id=None)
    replan(engine, pending_id, report, plan)
    purge_expired(engine)
    batch_values(engine, batch_id) -> the values one batch loaded, with their provenance

Any gunicorn worker can commit a file another worker checked: the bytes, their sha256, the options
and the change plan the analyst saw live in `pending_uploads` until they are committed, cancelled
or expire (Settings.pending_upload_hours).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import Engine, delete, select

from etl import config
from etl.store.db import session_scope
from etl.store.models import Batch, Indicator, Observation, PendingUpload, Region, utcnow


class NotYours(Exception):
    """The pending upload does not exist, is not the caller's, or has expired."""


@dataclass(frozen=True)
class PendingInfo:
    id: str
    file_name: str
    size: int
    sha256: str
    status: str  # pending | rejected | committed | cancelled
    skip_unknown: bool


def store(engine: Engine, data: bytes, file_name: str, report: dict[str, Any], *, owner: str,
          skip_unknown: bool, plan: Optional[dict[str, Any]] = None,
          keep_bytes: bool = True) -> PendingInfo:
    """Keep a checked file: 'pending' when it may be committed, else 'rejected' (for its report
    and annotated copy). keep_bytes=False for files refused before reading (too large)."""
    status = "pending" if report.get("valid") and report.get("status") != "rejected" else "rejected"
    row = PendingUpload(
        id=secrets.token_urlsafe(24), owner=owner, file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        content=data if keep_bytes else b"", skip_unknown=skip_unknown, status=status,
        plan_digest=(plan or {}).get("digest", ""), plan_summary=plan or {}, report=report,
        expires_at=utcnow() + dt.timedelta(hours=config.settings().pending_upload_hours))
    with session_scope(engine) as db:
        db.add(row)
    return PendingInfo(row.id, row.file_name, row.size, row.sha256, row.status, skip_unknown)


def get(engine: Engine, pending_id: str, *, owner: str) -> PendingUpload:
    with session_scope(engine) as db:
        row = db.get(PendingUpload, pending_id or "")
        if row is None or row.owner != owner or row.expires_at < utcnow():
            raise NotYours(pending_id)
        db.expunge(row)
        return row


def owner_of(engine: Engine, pending_id: str) -> Optional[str]:
    """Whose upload this is (None when there is no such upload)."""
    with session_scope(engine) as db:
        row = db.get(PendingUpload, pending_id or "")
        return row.owner if row is not None else None


def mark(engine: Engine, pending_id: str, status: str, *, batch_id: Optional[int] = None,
         expected: str = "pending") -> bool:
    """Move a pending upload on; False when it was not in the expected state any more (a second
    click, another tab, another worker got there first)."""
    with session_scope(engine) as db:
        row = db.get(PendingUpload, pending_id, with_for_update=True)
        if row is None or row.status != expected:
            return False
        row.status = status
        row.batch_id = batch_id
        if status == "cancelled":
            row.content = b""  # no longer wanted; a committed file keeps them for its annotated copy
        return True


def replan(engine: Engine, pending_id: str, report: dict[str, Any], plan: dict[str, Any]) -> None:
    """The database moved since the preview: remember the new plan the analyst is now shown."""
    with session_scope(engine) as db:
        row = db.get(PendingUpload, pending_id, with_for_update=True)
        if row is not None and row.status == "pending":
            row.report, row.plan_digest, row.plan_summary = report, plan["digest"], plan


def purge_expired(engine: Engine) -> int:
    with session_scope(engine) as db:
        result = db.execute(delete(PendingUpload).where(PendingUpload.expires_at < utcnow()))
        return result.rowcount or 0


def batch_values(engine: Engine, batch_id: int, *, limit: Optional[int] = 5000) -> list[dict]:
    """The values a batch loaded, with names, provenance and whether each is still current."""
    query = (select(Observation.indicator_code, Indicator.name_zh.label("indicator_zh"),
                    Indicator.name_en.label("indicator_en"), Indicator.unit,
                    Observation.region_code, Region.name_zh.label("region_zh"),
                    Region.name_en.label("region_en"), Observation.year, Observation.quarter,
                    Observation.basis, Observation.value, Observation.version,
                    Observation.is_current, Observation.sheet, Observation.cell,
                    Observation.raw_value, Observation.notes)
             .join(Indicator, Indicator.code == Observation.indicator_code)
             .join(Region, Region.code == Observation.region_code)
             .where(Observation.batch_id == batch_id)
             .order_by(Indicator.sort_order, Region.sort_order, Observation.year,
                       Observation.quarter, Observation.basis))
    if limit is not None:
        query = query.limit(limit)
    with session_scope(engine) as db:
        return [dict(m) for m in db.execute(query).mappings()]


def batch_exists(engine: Engine, batch_id: int) -> bool:
    with session_scope(engine) as db:
        return db.get(Batch, batch_id) is not None
