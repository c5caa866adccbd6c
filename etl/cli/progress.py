"""`python -m etl progress [--region CODE] [--target-set CODE] [--json] [--lang zh|en] [--wide]`.

Prints one line per target (Chinese first; --lang en for English) and the summary headline, or
with --json: {"summary": ..., "results": [...]} with every number each status was computed from
(the dataclasses of etl/progress/assess.py) and its words in both languages. A target's value is
the one its verdict is about (up to its target year); a newer value is shown apart.

The table fits the terminal (120 columns when the output is not a terminal): a region that is
the same on every line is named once above the table, then the least needed columns are left out
(verdict, set, R, progress, period; a footer line names them) until the indicator's name,
wrapped, fits;
--wide prints every column. A footer explains R, and a warning leads when the database holds demo
data.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import textwrap
import unicodedata

from etl.progress import engine as progress
from etl.store import queries
from etl.wording import LANGS, both, pick, t
from etl.wording import progress as words
from etl.wording.numbers import fmt_gap, fmt_value


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "progress", help=both("progress.cli.help"), description=both("progress.cli.description"))
    parser.add_argument("--region", metavar="CODE", help=both("progress.cli.region"))
    parser.add_argument("--target-set", metavar="CODE", help=both("progress.cli.target_set"))
    parser.add_argument("--json", action="store_true", help=both("progress.cli.json"))
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help=both("cli.help.language"))
    parser.add_argument("--wide", action="store_true", help=both("progress.cli.wide"))
    parser.set_defaults(handler=run)
    return parser


def run(args, engine) -> int:
    known_sets = {s["code"] for s in queries.target_sets(engine)}
    if args.target_set and args.target_set not in known_sets:
        print(both("progress.cli.unknown_set", code=args.target_set, choices=", ".join(sorted(known_sets))),
              file=sys.stderr)
        return 2
    try:
        results = progress.assess_targets(engine, target_set=args.target_set, region=args.region)
    except KeyError:
        print(both("cli.unknown_region", code=args.region), file=sys.stderr)
        return 2
    periods = progress.periods(engine)
    if args.json:
        json.dump(to_json(results, periods), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    width = None if args.wide else shutil.get_terminal_size((120, 24)).columns
    if (queries.data_vintage(engine) or {}).get("any_demo"):
        warning = t("cli.demo_warning", args.lang)
        print("\n".join(_wrap(warning, width) if width else [warning]) + "\n")
    print(render_periods(results, periods, args.lang, width=width))
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


def render_periods(results: list, periods: list, lang: str = "zh", width: int | None = None) -> str:
    """One table per target period (a closed one: its final assessment), each with its headline;
    `width`: the terminal's columns (None: every column, however wide)."""
    parts = []
    for period, mine in by_period(results, periods):
        parts.append(f"== {words.period_title(period, lang)} ==")
        parts.append(render_table(mine, progress.summarise(mine), lang, period, width=width))
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


# the columns a narrow terminal does without, the first first
DROPPABLE = ("verdict", "set", "r", "standing", "period")
WRAPPED = "indicator"  # then the indicator's name wraps, down to MIN_WRAP columns
MIN_WRAP = 12
PREFER_WRAP = 20  # a column is left out rather than the name wrapped narrower than this
GUTTER = 2


def render_table(results: list, summary, lang: str = "zh", period=None,
                 width: int | None = None) -> str:
    columns = list(COLUMNS)
    rows = [table_row(r, lang) for r in results]
    if not any(row[-1] for row in rows):  # no newer values: no empty column
        columns, rows = columns[:-1], [row[:-1] for row in rows]
    lines, hidden = [], []
    if width is not None:
        region = columns.index("region")
        if len({row[region] for row in rows}) == 1:  # named once, above the table
            lines.append(t("cli.one_region", lang, region=rows[0][region]))
            columns, rows = _without(columns, rows, "region")
        for name in DROPPABLE:  # until the table fits with the indicator wrapped at PREFER_WRAP
            at = columns.index(WRAPPED)
            header = tuple(t(f"cli.col.{c}", lang) for c in columns)
            saved = max(0, _col_width(header, rows, at) - PREFER_WRAP)
            if _table_width(columns, rows, lang) - saved <= width:
                break
            columns, rows = _without(columns, rows, name)
            hidden.append(t(f"cli.col.{name}", lang))
    header = tuple(t(f"cli.col.{c}", lang) for c in columns)
    wrap_at = None
    if width is not None and _table_width(columns, rows, lang) > width:
        at = columns.index(WRAPPED)
        others = _table_width(columns, rows, lang) - _col_width(header, rows, at)
        wrap_at = max(MIN_WRAP, width - others)
    table = _align([header] + rows, wrap=(columns.index(WRAPPED), wrap_at) if wrap_at else None)
    table.insert(1, "-" * max(_width(line) for line in table))
    lines += table
    lines.append("")
    lines.append(words.period_headline(period, summary, lang))
    counts = [f"{words.status_label(code, lang)} {n}" for code, n in summary.counts.items() if n]
    lines.append(t("cli.counts_separator", lang).join(counts))
    if any(r.target.set_illustrative for r in results):
        years = sorted({r.target_year for r in results if r.target.set_illustrative})
        lines.append("* " + t("summary.illustrative_note", lang, year="/".join(map(str, years))))
    if "r" in columns:
        lines.append(words.method_text("cli.r_footer", lang))
    if hidden:
        lines.append(t("cli.hidden", lang, width=width,
                       columns=t("cli.counts_separator", lang).join(hidden)))
    if width is not None:  # the footer's long lines wrap too
        lines = [part for line in lines for part in (_wrap(line, width) if line else [line])]
    return "\n".join(lines)


def _without(columns: list, rows: list, name: str) -> tuple[list, list]:
    at = columns.index(name)
    return columns[:at] + columns[at + 1:], [row[:at] + row[at + 1:] for row in rows]


def _col_width(header: tuple, rows: list, at: int) -> int:
    return max(_width(str(row[at])) for row in [header] + rows)


def _table_width(columns: list, rows: list, lang: str) -> int:
    header = tuple(t(f"cli.col.{c}", lang) for c in columns)
    return sum(_col_width(header, rows, i) for i in range(len(columns))) + GUTTER * (len(columns) - 1)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display columns (a CJK character takes two); English wraps at
    spaces, Chinese anywhere."""
    if " " in text and _width(text) == len(text):
        return textwrap.wrap(text, width) or [""]
    lines, line = [], ""
    for ch in text:
        if _width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line]


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _align(rows: list[tuple], wrap: tuple[int, int] | None = None) -> list[str]:
    """Columns padded to their widest cell; wrap=(column, width): that column's cells wrap onto
    more lines of the same row."""
    cells = [[[str(cell)] for cell in row] for row in rows]
    if wrap:
        at, limit = wrap
        for row in cells:
            row[at] = _wrap(row[at][0], limit)
    widths = [max(_width(part) for row in cells for part in row[i]) for i in range(len(rows[0]))]
    lines = []
    for row in cells:
        for k in range(max(len(parts) for parts in row)):
            parts = [parts[k] if k < len(parts) else "" for parts in row]
            lines.append((" " * GUTTER).join(part + " " * (widths[i] - _width(part))
                                             for i, part in enumerate(parts)).rstrip())
    return lines
