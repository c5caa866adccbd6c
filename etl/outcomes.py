"""What the pipelines return for one file: a check, a preview, an ingest. Shared by the statistics
pipeline (etl/pipeline.py) and the measures' award lists (etl/measures/pipeline.py), so that
neither imports the other's module for them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from etl.checks.report import Report
from etl.records import Value
from etl.store.load import ChangePlan

@dataclass
class CheckResult:
    report: Report
    values: list[Value] = field(default_factory=list)
    title_indicators: dict[str, str] = field(default_factory=dict)  # sheet -> indicator its title names


@dataclass
class Preview:
    report: Report
    values: list[Value] = field(default_factory=list)
    plan: Optional[ChangePlan] = None


@dataclass
class IngestOutcome:
    status: str  # loaded | rejected | unchanged | dry-run | stale
    report: Report
    batch_id: Optional[int] = None
    plan: Optional[ChangePlan] = None
