"""Task progress: a progress sheet through the ETL (cells in the report), and one task from the
browser's service with its history and a hook in the same transaction."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from etl.measures import tasks
from etl.measures.models import MeasureTask
from etl.pipeline import ingest_file
from etl.store.db import session_scope


def sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务进展"
    ws.append(["任务编号", "状态", "更新日期", "依据", "备注"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def task(engine, code):
    with session_scope(engine) as s:
        return s.scalar(select(MeasureTask).where(MeasureTask.code == code))


def test_progress_sheet_all_or_nothing_with_cells(engine):
    out = ingest_file(engine, sheet([["15.1", "推进中", "2025-06-30", "", ""], ["99.9", "推进中", "", "", ""],
                                     ["20.1", "快完成了", "", "", ""]]), "p.xlsx", loaded_by="a")
    assert out.status == "rejected"
    assert [(p.code, p.cell) for p in out.report.problems] == [("unknown-task", "A3"), ("bad-status", "B4")]
    assert task(engine, "15.1").status == "not_started"
    out = ingest_file(engine, sheet([["15.1", "推进中", "2025-06-30", "5G基站11.5万个", ""],
                                     ["20.1", "已完成", "2024-06-30", "黑政办规〔2024〕10号", ""]]),
                      "p.xlsx", loaded_by="analyst1")
    assert out.status == "loaded" and out.report.changes.new == 2
    t = task(engine, "20.1")
    assert (t.status, t.evidence, t.updated_by, str(t.updated_at.date())) == (
        "done", "黑政办规〔2024〕10号", "analyst1", "2024-06-30")


def test_set_status_from_the_browser_with_history(engine):
    seen = []
    t = task(engine, "15.4")
    tasks.set_status(engine, t.id, status="behind", evidence="申报未获批", by="analyst1",
                     also=lambda session, task, previous: seen.append((task.code, previous)))
    tasks.set_status(engine, t.id, status="in_progress", evidence="重新申报", by="analyst2")
    assert seen == [("15.4", "not_started")]
    assert [(h["status"], h["previous"], h["by"]) for h in tasks.history(engine, t.id)] == [
        ("in_progress", "behind", "analyst2"), ("behind", "not_started", "analyst1")]
    with pytest.raises(ValueError):
        tasks.set_status(engine, t.id, status="finished", by="x")
