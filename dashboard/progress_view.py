"""The progress engine's results for the overview: which target period is shown, its assessments
(etl/progress/assess.py's dataclasses, never recomputed here) and its summary.

A target period is the target sets ending in one year (etl.progress.assess.TargetPeriod). The
overview opens on `default_period` (the earliest open policy period, else the newest closed one's
final assessment; illustrative sets only when chosen) and any other is one click away
(`?targets=2030`).
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import Engine

from etl.progress import engine as progress
from etl.progress.assess import TargetPeriod


def choose_period(periods: list[TargetPeriod], wanted: Optional[str]) -> Optional[TargetPeriod]:
    """The period asked for in the URL (its year; 'ill' suffix for an illustrative period of a
    year that also has policy targets), else the default one."""
    for p in periods:
        if wanted and wanted == period_param(p, periods):
            return p
    return progress.default_period(periods)


def period_param(period: TargetPeriod, periods: list[TargetPeriod]) -> str:
    """The URL value of a period: its year, unless that year also has a period of the other kind."""
    twins = [p for p in periods if p.year == period.year]
    return f"{period.year}" + ("-illustrative" if period.illustrative and len(twins) > 1 else "")


def report_from_engine(engine: Engine, wanted: Optional[str] = None) -> dict:
    """{'period', 'periods', 'assessments', 'summary'} for the chosen target period."""
    periods = progress.periods(engine)
    period = choose_period(periods, wanted)
    results = []
    if period is not None:
        results = [a for a in progress.assess_targets(engine, target_year=period.year)
                   if a.target.target_set_code in period.set_codes]
    return {"period": period, "periods": periods, "assessments": results,
            "summary": progress.summarise(results)}
