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
from etl.wording.catalogue import has, t
from etl.wording.numbers import fmt_plain

# Statuses: checked (read and checked only), rejected (errors: nothing loaded), preview (checked and
# compared with the database, nothing written), dry-run, loaded, unchanged (identical values: no-op),
# stale (the database changed since the preview the analyst approved: nothing loaded). Their words,
# and the report's: report.* in etl/wording/texts/report.toml.
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
        say = _both if both else _english
        status_key = f"report.status.{self.status}"
        out = [say("report.file", file=self.file_name)]
        fmt = self.format or "?"
        if self.encoding:
            fmt += f", {self.encoding}"
        out.append(f"  sha256 {self.sha256[:16]}…  {say('report.format')}: {fmt}")
        if has(status_key):
            status_zh, status_en = t(status_key, "zh"), t(status_key, "en")
        else:
            status_zh = status_en = self.status
        valid = "report.valid" if self.valid else "report.invalid"
        out.append("  " + (f"{t('report.result', 'zh', valid=t(valid, 'zh'), status=status_zh)} / " if both
                           else "") + t("report.result", "en", valid=t(valid, "en"), status=status_en))
        out.append("  " + say("report.counts", **self.counts))
        if self.batch_id:
            out.append("  " + say("report.batch", id=self.batch_id))
        if self.loaded_before:
            out.append("  " + say("report.loaded_before", ids=", ".join(str(i) for i in self.loaded_before)))
        if self.changes is not None:
            ch = self.changes
            out.append("  " + say("report.changes", new=ch.new, revised=len(ch.revised), unchanged=ch.unchanged))
            listed = ch.revised if max_lines is None else ch.revised[:max_lines]
            for r in listed:
                # the value's key as stored (codes, not labels: the line names no indicator's kind)
                key = f"{r.indicator_code} {r.region_code} {r.year}" + (f"Q{r.quarter}" if r.quarter else "") \
                    + f" {r.basis}"
                out.append("    " + t("report.revision", "zh" if both else "en", where=r.where, value_key=key,
                                      old=fmt_plain(r.old_value, 4, large_whole=False),
                                      new=fmt_plain(r.new_value, 4, large_whole=False),
                                      old_version=r.old_version, new_version=r.new_version))
            if len(listed) < len(ch.revised):
                more = len(ch.revised) - len(listed)
                out.append("    " + say("report.more_revisions", n=more))
        for title, items in (("report.problems", self.problems), ("report.skipped", self.skipped)):
            if not items:
                continue
            out.append(say(title, n=len(items)) + ":")
            shown = items if max_lines is None else items[:max_lines]
            for p in shown:
                out.extend(_problem_lines(p, both))
            if len(shown) < len(items):
                more = len(items) - len(shown)
                out.append("  " + say("report.more", n=more))
        for title, items in (("report.sources", self.sources), ("report.notes", self.notes)):
            if items:
                out.append(say(title) + ":")
                out.extend("  " + line.replace("\n", "\n  ") for line in items)
        return "\n".join(out)


def _both(key: str, **values: Any) -> str:
    """A line of the terminal report in Chinese, then English."""
    return f"{t(key, 'zh', **values)} / {t(key, 'en', **values)}"


def _english(key: str, **values: Any) -> str:
    return t(key, "en", **values)


def _problem_lines(p: Problem, both: bool) -> list[str]:
    severity = f"report.severity.{p.severity}"
    if p.severity not in (ERROR, WARNING, INFO):
        mark = p.severity
    else:
        mark = f"{t(severity, 'zh')} {t(severity, 'en')}" if both else t(severity, "en")
    where = p.where or t("report.whole_file", "zh" if both else "en")
    raw = f"  “{p.raw}”" if p.raw not in (None, "") else ""
    head = f"  {where}  [{mark}] {p.code}{raw}"
    if both:
        lines = [head, f"      {p.message_zh}", f"      {p.message_en}"]
        if p.fix_zh:
            lines += [f"      {t('report.fix', 'zh', fix=p.fix_zh)}", f"      {t('report.fix', 'en', fix=p.fix_en)}"]
        return lines
    return [head, f"      {p.message_en}"] + ([f"      {t('report.fix', 'en', fix=p.fix_en)}"] if p.fix_en else [])


def rejected_report(file_name: str, sha256: str, problem: Problem) -> Report:
    """The report of a file that could not be read at all."""
    report = Report(file_name=file_name, sha256=sha256, status="rejected")
    report.add([problem])
    return report
