"""The progress engine's results (etl/progress/engine.py), reshaped for the overview cards and charts.

Kept apart from the pages so that the cards read a few plain fields and every number still comes
from the engine: nothing is recomputed here.
"""
from __future__ import annotations

from sqlalchemy import Engine

from etl.progress import engine as progress


def card_status(result: dict) -> dict:
    """One assessment plus the fields a card shows directly."""
    verdict = result.get("verdict") or {}
    projection = result.get("projection") or {}
    by_value = projection.get("measured") == "value"
    return {
        **result,
        "label_zh": result["status_zh"],
        "label_en": result["status_en"],
        "icon": result.get("status_icon"),
        "is_final": verdict.get("kind") == "final",
        "partial_target_year": verdict.get("kind") == "partial",
        "verdict_zh": verdict.get("text_zh"),
        "verdict_en": verdict.get("text_en"),
        "target_text_zh": result.get("target_label_zh"),
        "target_text_en": result.get("target_label_en"),
        # projections of a ratio to the nation are not in the indicator's unit: not shown as values
        "projection": projection.get("at_observed_cagr") if by_value else None,
        "required_growth": projection.get("required_growth") if by_value else None,
    }


def summary_view(summary: dict) -> dict:
    return {
        "good": summary["met_or_on_track"],
        "total": summary["total"],
        "final": summary["final"],
        "headline_zh": summary["headline_zh"],
        "headline_en": summary["headline_en"],
        "counts": [{"status": c["code"], "label_zh": c["label_zh"], "label_en": c["label_en"],
                    "icon": c["icon"], "count": c["count"]} for c in summary["classes"]],
    }


def report_from_engine(engine: Engine) -> dict:
    results = progress.assess_targets(engine)
    return {"statuses": [card_status(r) for r in results],
            "summary": summary_view(progress.summarise(results))}
