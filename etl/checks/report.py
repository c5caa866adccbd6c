"""The validation report of one file, shaped like a frictionless report.

A Report says which file it is (name, sha256, format, encoding), whether it is valid (no errors),
every problem (errors and warnings, sorted by sheet then row and column), what was skipped (info),
the notes, source and metadata lines found in the file, counts, and, once the file has been compared
with the database, the changes: how many values are new, which are revised (old -> new) and how many
are unchanged. `to_dict()` is JSON-ready (stored in batches.report, printed by `--json`);
`format_text()` is what the terminal shows, Chinese first, English second.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from etl.records import ERROR, INFO, WARNING, Problem, Value, sheet_cell

# Statuses: checked (read and checked only), rejected (errors: nothing loaded), preview (checked and
# compared with the database, nothing written), dry-run, loaded, unchanged (identical values: no-op),
# stale (the database changed since the preview the analyst approved: nothing loaded).
STATUS_TEXT = {
    "checked": ("已检查", "checked"),
    "rejected": ("已拒绝（未载入任何数据）", "rejected (nothing loaded)"),
    "preview": ("预览（尚未载入）", "preview (not loaded yet)"),
    "dry-run": ("试运行（未写入数据库）", "dry run (nothing written)"),
    "loaded": ("已载入", "loaded"),
    "unchanged": ("数值与数据库完全相同，未载入（无变化）", "identical to the database: nothing to load (no-op)"),
    "stale": ("数据库在预览后已变化，未载入，请重新预览", "the database changed since the preview: nothing "
              "loaded, preview again"),
}

_CELL = re.compile(r"^([A-Za-z]+)(\d+)$")


def cell_position(cell: Optional[str]) -> tuple[int, int]:
    """'C7' -> (7, 3) (row, column, 1-based); no cell -> (0, 0) so file-level problems come first."""
    m = _CELL.match(cell or "")
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return (int(m.group(2)), col)


def sort_problems(problems: list[Problem], sheet_order: Optional[list[str]] = None) -> list[Problem]:
    """By sheet (file-level first, then workbook order or name), then row, then column."""
    order = {name: i for i, name in enumerate(sheet_order or [])}

    def key(p: Problem):
        if not p.sheet:
            return (0, 0, "", (0, 0), p.code)
        return (1, order.get(p.sheet, len(order)), p.sheet, cell_position(p.cell), p.code)

    return sorted(problems, key=key)


@dataclass(frozen=True)
class Revision:
    """A value the file changes: the current version in the database -> the file's value."""

    indicator_code: str
    region_code: str
    year: int
    quarter: int
    basis: str
    old_value: float
    new_value: float
    old_version: int
    new_version: int
    old_batch_id: Optional[int]
    sheet: str
    cell: str
    raw_value: str

    @property
    def where(self) -> str:
        return sheet_cell(self.sheet, self.cell)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["where"] = self.where
        return data


MAX_LISTED = 5000  # new and unchanged values listed in a report for the upload page's preview


@dataclass
class Changes:
    """What loading a file would change: counts, every revision (old -> new), and the new and
    unchanged values themselves (`new_listed`, `unchanged_listed`: the upload page's preview grid
    shows them beside the revisions; up to MAX_LISTED of them go into the report)."""

    new: int = 0
    revised: list[Revision] = field(default_factory=list)
    unchanged: int = 0
    new_listed: list[Value] = field(default_factory=list)
    unchanged_listed: list[Value] = field(default_factory=list)

    def to_dict(self, max_revisions: Optional[int] = None) -> dict[str, Any]:
        shown = self.revised if max_revisions is None else self.revised[:max_revisions]
        listed = ([("new", v) for v in self.new_listed]
                  + [("unchanged", v) for v in self.unchanged_listed])
        return {"new": self.new, "revised_count": len(self.revised), "unchanged": self.unchanged,
                "revised": [r.to_dict() for r in shown],
                "revised_not_listed": len(self.revised) - len(shown),
                "listed": [_listed(status, v) for status, v in listed[:MAX_LISTED]],
                "listed_not_listed": max(0, len(listed) - MAX_LISTED)}


def _listed(status: str, v: Value) -> dict[str, Any]:
    return {"status": status, "indicator_code": v.indicator_code, "region_code": v.region_code,
            "year": v.year, "quarter": v.quarter, "basis": v.basis, "value": v.value,
            "where": sheet_cell(v.sheet, v.cell)}


@dataclass
class Report:
    file_name: str
    sha256: str = ""
    format: Optional[str] = None  # xlsx | xls | csv
    encoding: Optional[str] = None  # csv only
    problems: list[Problem] = field(default_factory=list)  # errors and warnings
    skipped: list[Problem] = field(default_factory=list)  # info: skipped indicators and columns
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    cells_read: int = 0  # data cells found, including empty / missing ones
    values_missing: int = 0  # cells marked as missing (—, …, empty)
    values_valid: int = 0  # values that passed every check of their own cell
    changes: Optional[Changes] = None
    status: str = "checked"
    batch_id: Optional[int] = None
    loaded_before: list[int] = field(default_factory=list)  # batches that loaded this very file
    sheet_order: list[str] = field(default_factory=list)

    # --- derived -----------------------------------------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def values_read(self) -> int:
        """Non-missing values found in the file."""
        return self.cells_read - self.values_missing

    @property
    def counts(self) -> dict[str, int]:
        return {"cells": self.cells_read, "missing": self.values_missing, "read": self.values_read,
                "valid": self.values_valid, "errors": len(self.errors),
                "warnings": len(self.warnings), "skipped": len(self.skipped)}

    def add(self, problems: list[Problem]) -> None:
        """File the problems: errors and warnings under problems, info under skipped; keep sorted."""
        self.problems = sort_problems(
            self.problems + [p for p in problems if p.severity != INFO], self.sheet_order)
        self.skipped = sort_problems(
            self.skipped + [p for p in problems if p.severity == INFO], self.sheet_order)

    # --- output ------------------------------------------------------------------------------------

    def to_dict(self, max_revisions: Optional[int] = None) -> dict[str, Any]:
        return {
            "file_name": self.file_name, "sha256": self.sha256, "format": self.format,
            "encoding": self.encoding, "valid": self.valid, "status": self.status,
            "batch_id": self.batch_id, "loaded_before": list(self.loaded_before),
            "counts": self.counts,
            "changes": self.changes.to_dict(max_revisions) if self.changes else None,
            "problems": [p.to_dict() for p in self.problems],
            "skipped": [p.to_dict() for p in self.skipped],
            "notes": list(self.notes), "sources": list(self.sources),
            "metadata": list(self.metadata),
        }

    def format_text(self, lang: str = "zh", *, max_lines: Optional[int] = 200) -> str:
        """The report for a terminal. lang 'zh': each line in Chinese, then English; 'en': English only."""
        both = lang == "zh"

        def say(zh: str, en: str) -> str:
            return f"{zh} / {en}" if both else en

        status_zh, status_en = STATUS_TEXT.get(self.status, (self.status, self.status))
        out = [say(f"文件：{self.file_name}", f"file: {self.file_name}")]
        fmt = self.format or "?"
        if self.encoding:
            fmt += f", {self.encoding}"
        out.append(f"  sha256 {self.sha256[:16]}…  {say('格式', 'format')}: {fmt}")
        out.append("  " + say(f"检查结果：{'通过' if self.valid else '未通过'}；状态：{status_zh}",
                              f"check: {'valid' if self.valid else 'invalid'}; status: {status_en}"))
        c = self.counts
        out.append("  " + say(
            f"数值：读取 {c['read']}（另有缺失 {c['missing']}），有效 {c['valid']}，错误 {c['errors']}，"
            f"警告 {c['warnings']}，跳过 {c['skipped']}",
            f"values: {c['read']} read ({c['missing']} missing), {c['valid']} valid, "
            f"{c['errors']} errors, {c['warnings']} warnings, {c['skipped']} skipped"))
        if self.batch_id:
            out.append("  " + say(f"批次 {self.batch_id}", f"batch {self.batch_id}"))
        if self.loaded_before:
            ids = ", ".join(str(i) for i in self.loaded_before)
            out.append("  " + say(f"此文件曾作为批次 {ids} 载入", f"this file was loaded before as batch {ids}"))
        if self.changes is not None:
            ch = self.changes
            out.append("  " + say(
                f"变更：新增 {ch.new}，修订 {len(ch.revised)}，未变 {ch.unchanged}",
                f"changes: {ch.new} new, {len(ch.revised)} revised, {ch.unchanged} unchanged"))
            listed = ch.revised if max_lines is None else ch.revised[:max_lines]
            for r in listed:
                period = f"{r.year}" + (f"Q{r.quarter}" if r.quarter else "") + f" {r.basis}"
                out.append(f"    {r.where}  {r.indicator_code} {r.region_code} {period}: "
                           f"{r.old_value:g} -> {r.new_value:g}  (v{r.old_version} -> v{r.new_version})")
            if len(listed) < len(ch.revised):
                more = len(ch.revised) - len(listed)
                out.append("    " + say(f"……另有 {more} 项修订（完整列表见 --json）",
                                        f"... {more} more revisions (see --json for all)"))
        for title_zh, title_en, items in (("问题", "problems", self.problems),
                                          ("跳过", "skipped", self.skipped)):
            if not items:
                continue
            out.append(say(f"{title_zh}（{len(items)}）", f"{title_en} ({len(items)})") + ":")
            shown = items if max_lines is None else items[:max_lines]
            for p in shown:
                out.extend(_problem_lines(p, both))
            if len(shown) < len(items):
                more = len(items) - len(shown)
                out.append("  " + say(f"……另有 {more} 项（完整列表见 --json）",
                                      f"... {more} more (see --json for all)"))
        for title_zh, title_en, items in (("来源", "sources", self.sources), ("注释", "notes", self.notes)):
            if items:
                out.append(say(title_zh, title_en) + ":")
                out.extend("  " + line.replace("\n", "\n  ") for line in items)
        return "\n".join(out)


def _problem_lines(p: Problem, both: bool) -> list[str]:
    mark = {ERROR: "错误 error", WARNING: "警告 warning", INFO: "跳过 info"}.get(p.severity, p.severity)
    if not both:
        mark = mark.split(" ", 1)[-1]
    where = p.where or ("（整个文件）" if both else "(whole file)")
    raw = f"  “{p.raw}”" if p.raw not in (None, "") else ""
    head = f"  {where}  [{mark}] {p.code}{raw}"
    if both:
        lines = [head, f"      {p.message_zh}", f"      {p.message_en}"]
        if p.fix_zh:
            lines += [f"      如何修改：{p.fix_zh}", f"      How to fix: {p.fix_en}"]
        return lines
    return [head, f"      {p.message_en}"] + ([f"      How to fix: {p.fix_en}"] if p.fix_en else [])


def rejected_report(file_name: str, sha256: str, problem: Problem) -> Report:
    """The report of a file that could not be read at all."""
    report = Report(file_name=file_name, sha256=sha256, status="rejected")
    report.add([problem])
    return report
