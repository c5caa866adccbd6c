"""`python -m etl progress [--region CODE] [--target-set CODE] [--json] [--lang zh|en]`.

Prints one line per target (Chinese first; --lang en for English) and the summary headline, or
with --json: {"summary": ..., "results": [...]} with every number each status was computed from.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata

from etl.progress import engine as progress
from etl.store import queries


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
    summary = progress.summarise(results)
    if args.json:
        json.dump({"summary": summary, "results": results}, sys.stdout, ensure_ascii=False,
                  indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    print(render_table(results, summary, args.lang))
    return 0


# --- the table -----------------------------------------------------------------------------------

HEADERS = {
    "zh": ("目标集", "指标", "地区", "最新值", "期别", "目标", "差距", "进度", "R", "状态", "结论"),
    "en": ("Set", "Indicator", "Region", "Latest", "Period", "Target", "Gap", "Progress", "R",
           "Status", "Verdict"),
}
VERDICT_WORDS = {"final": ("最终", "Final"), "partial": ("部分年度", "Partial year"),
                 "projection": ("预测", "Projected")}


def render_table(results: list[dict], summary: dict, lang: str = "zh") -> str:
    zh = lang == "zh"
    rows = [HEADERS[lang]]
    for r in results:
        gap_unit = r["gap_unit_zh"] if zh else r["gap_unit_en"]
        ex = r["explanation"]
        rows.append((
            r["target_set_code"],
            r["indicator_zh"] if zh else r["indicator_en"],
            r["region_zh"] if zh else r["region_en"],
            _num(r["latest_value"]) + (r["unit"] if r["latest_value"] is not None and r["unit"] == "%" else ""),
            (r["latest_period_zh"] if zh else r["latest_period_en"]) or "—",
            r["target_label_zh"] if zh else r["target_label_en"],
            _gap(r["gap"], gap_unit),
            # share of the way, ratio to the nation or to the target: what makes sense for the kind
            (r["standing"]["text_zh"] if zh else r["standing"]["text_en"]) or "—",
            "—" if ex["r"] is None else f"{ex['r']:.2f}",
            f"{r['status_icon']} {r['status_zh'] if zh else r['status_en']}",
            VERDICT_WORDS[r["verdict"]["kind"]][0 if zh else 1],
        ))
    lines = _align(rows)
    lines.insert(1, "-" * _width(lines[0]))
    lines.append("")
    lines.append(summary["headline_zh"] if zh else summary["headline_en"])
    counts = [f"{c['label_zh'] if zh else c['label_en']} {c['count']}"
              for c in summary["classes"] if c["count"]]
    lines.append(("；".join(counts)) if zh else "; ".join(counts))
    return "\n".join(lines)


def _num(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"


def _gap(gap, unit: str) -> str:
    if gap is None:
        return "—"
    if abs(gap) < 1e-9:
        return f"0 {unit}"
    return f"{'+' if gap > 0 else '−'}{_num(abs(gap))} {unit}"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _align(rows: list[tuple]) -> list[str]:
    widths = [max(_width(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(cell) + " " * (widths[i] - _width(str(cell)))
                      for i, cell in enumerate(row)).rstrip() for row in rows]
