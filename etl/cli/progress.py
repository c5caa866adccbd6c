"""`python -m etl progress [--region CODE] [--target-set CODE] [--json] [--lang zh|en]`.

Prints one line per target (Chinese first; --lang en for English) and the summary headline, or
with --json: {"summary": ..., "results": [...]} with every number each status was computed from
(the dataclasses of etl/progress/assess.py) and its words in both languages. A target's value is
the one its verdict is about (up to its target year); a newer value is shown apart.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import unicodedata

from etl.progress import engine as progress
from etl.store import queries
from etl.wording import LANGS, pick, t
from etl.wording import progress as words
from etl.wording.numbers import fmt_gap, fmt_value


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "progress", help="每项目标的进展评估 / progress against every target",
        description="每项目标的最新值、差距与进展状态（CAGR比值法，见 docs/method.md）/ "
                    "Status of every target (CAGR-ratio method, see docs/method.md)")
    parser.add_argument("--region", metavar="CODE",
                        help="按此地区评估全部目标（如 230100 哈尔滨）/ assess every target for this region")
    parser.add_argument("--target-set", metavar="CODE",
                        help="只评估此目标集 / only this target set (e.g. digital-longjiang-2021)")
    parser.add_argument("--json", action="store_true", help="输出JSON / print JSON")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language")
    parser.set_defaults(handler=run)
    return parser


def run(args, engine) -> int:
    known_sets = {s["code"] for s in queries.target_sets(engine)}
    if args.target_set and args.target_set not in known_sets:
        print(f"未知目标集 / unknown target set: {args.target_set} "
              f"(可选 / choose from: {', '.join(sorted(known_sets))})", file=sys.stderr)
        return 2
    try:
        results = progress.assess_targets(engine, target_set=args.target_set, region=args.region)
    except KeyError:
        print(f"未知地区代码 / unknown region code: {args.region}", file=sys.stderr)
        return 2
    periods = progress.periods(engine)
    if args.json:
        json.dump(to_json(results, periods), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    print(render_periods(results, periods, args.lang))
    return 0


def by_period(results: list, periods: list) -> list[tuple]:
    """(period, its assessments) for every target period with results, oldest first."""
    out = []
    for period in periods:
        mine = [r for r in results if r.target.target_set_code in period.set_codes]
        if mine:
            out.append((period, mine))
    return out


def to_json(results: list, periods: list) -> dict:
    """Every number of each assessment (etl/progress/assess.py's dataclasses) and, beside them,
    its words in both languages (etl/wording/progress.py); the summary of all, and of each target
    period (the overview's default one marked)."""
    default = progress.default_period(periods)
    return {
        "summary": progress.summarise(results).to_dict(),
        "periods": [dict(dataclasses.asdict(period), default=period == default,
                         summary=progress.summarise(mine).to_dict(),
                         title={lang: words.period_title(period, lang) for lang in LANGS})
                    for period, mine in by_period(results, periods)],
        "results": [dict(r.to_dict(), words={lang: words.words(r, lang) for lang in LANGS})
                    for r in results]}


def render_periods(results: list, periods: list, lang: str = "zh") -> str:
    """One table per target period (a closed one: its final assessment), each with its headline."""
    parts = []
    for period, mine in by_period(results, periods):
        parts.append(f"== {words.period_title(period, lang)} ==")
        parts.append(render_table(mine, progress.summarise(mine), lang, period))
    return "\n\n".join(parts)


# --- the table -----------------------------------------------------------------------------------

COLUMNS = ("set", "indicator", "region", "value", "period", "target", "gap", "standing", "r",
           "status", "verdict", "newer")


def table_row(r, lang: str) -> tuple:
    """One target's line: the value assessed (up to the target year: a final verdict keeps the
    target year's value), its words from the catalogue, and the newest value after the target year
    apart."""
    unit, unit_en = r.target.unit, r.target.unit_en
    latest = r.latest
    newer = r.newer
    return (
        r.target.target_set_code + (" *" if r.target.set_illustrative else ""),
        pick(r.target.indicator_zh, r.target.indicator_en, lang),
        pick(r.region_zh, r.region_en, lang),
        fmt_value(r.latest_value, unit, lang),
        pick(latest.period_zh, latest.period_en, lang) if latest else "—",
        words.target_label(r.target, lang),
        fmt_gap(r.gap, unit, lang, like=r.latest_value),
        # share of the way, ratio to the nation or to the target: what makes sense for the kind
        words.standing_text(r, lang) or "—",
        "—" if r.explanation.r is None else f"{r.explanation.r:.2f}",
        f"{words.status_icon(r.status)} {words.status_label(r.status, lang)}",
        words.verdict_word(r.verdict.kind, lang),
        (t("cli.newer", lang, value=fmt_value(newer.value, unit, lang),
           period=pick(newer.period_zh, newer.period_en, lang)) if newer else ""),
    )


def render_table(results: list, summary, lang: str = "zh", period=None) -> str:
    rows = [tuple(t(f"cli.col.{c}", lang) for c in COLUMNS)] + [table_row(r, lang) for r in results]
    if not any(row[-1] for row in rows[1:]):  # no newer values: no empty column
        rows = [row[:-1] for row in rows]
    lines = _align(rows)
    lines.insert(1, "-" * _width(lines[0]))
    lines.append("")
    lines.append(words.period_headline(period, summary, lang))
    counts = [f"{words.status_label(code, lang)} {n}" for code, n in summary.counts.items() if n]
    lines.append(t("cli.counts_separator", lang).join(counts))
    if any(r.target.set_illustrative for r in results):
        years = sorted({r.target_year for r in results if r.target.set_illustrative})
        lines.append("* " + t("summary.illustrative_note", lang, year="/".join(map(str, years))))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _align(rows: list[tuple]) -> list[str]:
    widths = [max(_width(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(cell) + " " * (widths[i] - _width(str(cell)))
                      for i, cell in enumerate(row)).rstrip() for row in rows]
