"""Implementation status of the measures' tasks: 未启动 / 推进中 / 已完成 / 滞后, with the date,
the evidence (文号 or link text) and who said so; every change kept in task_updates.

Two ways in, one write (`apply_updates`):
- a progress sheet (任务编号, 状态, 更新日期, 依据, 备注) in a workbook uploaded like any list:
  `read_task_sheet` finds it by its header, and etl.measures.pipeline loads it in the same
  transaction as the workbook's awards (the batch records the file);
- one task from the browser: `set_status(engine, task_id, ...)`, with an `also(session)` hook run
  in the same transaction (the dashboard writes its audit record there).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Optional

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from etl.measures.models import MeasureTask, TaskUpdate
from etl.checks import problems as kinds
from etl.measures.read import header_row, headed_sheets, parse_date
from etl.measures.records import raw_text
from etl.normalise.labels import alias_key
from etl.records import Problem, Workbook, cell_ref
from etl.store.db import session_scope
from etl.store.models import utcnow

STATUS_WORDS = {
    "not_started": ("未启动", "未开始", "not started", "not_started"),
    "in_progress": ("推进中", "进行中", "正在推进", "in progress", "in_progress"),
    "done": ("已完成", "完成", "done", "completed"),
    "behind": ("滞后", "进度滞后", "behind", "delayed"),
}
STATUS_KEYS = {alias_key(w): code for code, words in STATUS_WORDS.items() for w in words}
TASK_COLUMNS = {
    "task": ("任务编号", "任务代码"),  # etl.measures.pipeline.NEEDLES looks for these
    "status": ("状态", "进展状态", "实施状态"),
    "date": ("更新日期", "日期", "截至日期"),
    "evidence": ("依据", "依据（文号或链接）", "文号", "证明材料"),
    "note": ("备注", "进展情况", "说明"),
}
TASK_HEADER = {alias_key(n): f for f, names in TASK_COLUMNS.items() for n in names}


@dataclass(frozen=True)
class TaskUpdateRow:
    task_code: str
    status: str
    date: Optional[dt.date] = None
    evidence: str = ""
    note: str = ""
    sheet: str = ""
    row: int = 0


@dataclass
class TaskRead:
    updates: list[TaskUpdateRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)


def _header(rows) -> Optional[tuple[int, dict[str, int]]]:
    return header_row(rows, TASK_HEADER, ("task", "status"))


def is_task_workbook(workbook: Workbook) -> bool:
    return any(_header(sheet.rows) for sheet in workbook.sheets)


def read_task_sheet(workbook: Workbook, known: set[str]) -> TaskRead:
    out = TaskRead()
    for sheet, header, cols in headed_sheets(workbook, _header):
        out.sheets.append(sheet.name)
        for r in range(header + 1, len(sheet.rows)):
            row = sheet.rows[r]
            get = {f: (row[c] if c < len(row) else "") for f, c in cols.items()}
            text = {f: ("" if v is None else str(v).strip()) for f, v in get.items()}
            if not any(text.values()):
                continue
            code = text["task"]
            if code not in known:
                out.problems.append(kinds.UNKNOWN_TASK.at(sheet.name, cell_ref(r, cols["task"]),
                                                          raw=raw_text(text["task"]), text=text["task"]))
                continue
            status = STATUS_KEYS.get(alias_key(text["status"]))
            if status is None:
                out.problems.append(kinds.BAD_STATUS.at(sheet.name, cell_ref(r, cols["status"]),
                                                        raw=raw_text(text["status"]), text=text["status"]))
                continue
            date = parse_date(get["date"]) if text.get("date") else None
            if text.get("date") and date is None:
                out.problems.append(kinds.AWARD_TYPE.at(sheet.name, cell_ref(r, cols["date"]), variant="task-date",
                                                        raw=raw_text(text["date"]), text=text["date"]))
                continue
            out.updates.append(TaskUpdateRow(code, status, date, text.get("evidence", ""),
                                             text.get("note", ""), sheet.name, r + 1))
    return out


def apply_updates(session: Session, updates: list[TaskUpdateRow], *, by: str, source: str,
                  policy: str, is_demo: bool = False) -> int:
    """Write the updates that change a task (status, evidence or note); returns how many did."""
    tasks = {t.code: t for t in session.scalars(select(MeasureTask).where(MeasureTask.policy_code == policy))}
    changed = 0
    for u in updates:
        task = tasks[u.task_code]
        if (task.status, task.evidence, task.note) == (u.status, u.evidence, u.note):
            continue
        at = dt.datetime.combine(u.date, dt.time(9)) if u.date else utcnow()
        session.add(TaskUpdate(task_id=task.id, status=u.status, previous_status=task.status,
                               evidence=u.evidence, note=u.note, at=at, by=by[:80], source=source[:255],
                               is_demo=is_demo))
        task.status, task.evidence, task.note = u.status, u.evidence, u.note
        task.updated_at, task.updated_by, task.is_demo = at, by[:80], is_demo
        changed += 1
    session.flush()
    return changed


def pending_changes(session: Session, updates: list[TaskUpdateRow], policy: str) -> int:
    tasks = {t.code: t for t in session.scalars(select(MeasureTask).where(MeasureTask.policy_code == policy))}
    return sum((tasks[u.task_code].status, tasks[u.task_code].evidence, tasks[u.task_code].note)
               != (u.status, u.evidence, u.note) for u in updates)


def set_status(engine: Engine, task_id: int, *, status: str, evidence: str = "", note: str = "",
               by: str, also: Optional[Callable[[Session, MeasureTask, str], None]] = None) -> MeasureTask:
    """One task's new status from the browser. `also(session, task, previous_status)` runs in the
    same transaction (the audit record). Raises ValueError for an unknown status or task."""
    if status not in STATUS_WORDS:
        raise ValueError(f"unknown status {status!r}")
    with session_scope(engine) as session:
        task = session.get(MeasureTask, task_id)
        if task is None:
            raise ValueError(f"no task {task_id}")
        previous = task.status
        apply_updates(session, [TaskUpdateRow(task.code, status, None, evidence.strip(), note.strip())],
                      by=by, source="browser", policy=task.policy_code)
        if also is not None:
            also(session, task, previous)
        return task


def history(engine: Engine, task_id: int) -> list[dict]:
    with session_scope(engine) as session:
        return [{"at": u.at, "by": u.by, "status": u.status, "previous": u.previous_status,
                 "evidence": u.evidence, "note": u.note, "source": u.source}
                for u in session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task_id)
                                         .order_by(TaskUpdate.at.desc(), TaskUpdate.id.desc()))]
