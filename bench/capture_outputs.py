"""Capture what every page's callbacks answer on the demo database, to compare two versions.

    python bench/capture_outputs.py capture OUT.json [--db /tmp/demo.sqlite]
    python bench/capture_outputs.py compare BEFORE.json AFTER.json

`capture` loads the demo workbooks into a fresh SQLite file (or reuses --db), then for every page,
in both languages and with a few control settings, posts the page router, the frame and every
callback the page fires on load, through Flask's test client, and writes their answers.

`compare` reduces each answer to what a reader sees — the numbers and the texts, wherever they
sit in the layout (figure data, tables, cards, grid rows) — and prints the differences per page.
A change of representation (an SVG instead of a Plotly figure, rows fetched page by page, a
figure's JSON written in another key order) keeps the numbers and texts; a different number
shows up as a difference.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

VIEWS = [
    "/", "/core", "/core?indicator=gdp", "/core?indicator=digital_core_va&period=2023",
    "/enterprise", "/infrastructure", "/benchmarks", "/benchmarks?peers=110000,310000",
    "/city/230100", "/city/230200?indicator=gdp", "/city/232700", "/data", "/data?indicator=gdp",
    "/data?region=230100", "/method",
]


def capture(out: Path, db: Path | None) -> None:
    os.environ.setdefault("PUBLIC_VIEWING", "1")
    from dashboard import create_app
    from dashboard.cache import cache
    from dashclient import Poster
    from etl.store.db import make_engine

    path = db or Path(tempfile.mkdtemp()) / "demo.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    app = create_app(engine, load_demo_if_empty=True)
    app.server.config["PUBLIC_VIEWING"] = True
    poster = Poster(app)
    answers = {}
    for view in VIEWS:
        for lang in ("zh", "en"):
            path_, _, query = view.partition("?")
            search = "?" + "&".join(x for x in (query, "lang=en" if lang == "en" else "") if x)
            search = "" if search == "?" else search
            with app.server.app_context():
                cache.clear()
            _, page, status = poster.page_raw(path_, search)
            _, frame, _ = poster.shell_raw(path_, search)
            entry = {"status": status, "page": page, "frame": frame, "callbacks": {}}
            layout = (page or {}).get("response", {}).get("_pages_content", {}).get("children")
            for key, inputs, state in poster.initial_callbacks(layout, path_, search):
                _, answer, code = poster.post_raw(key, inputs, state)
                entry["callbacks"][key] = answer if code == 200 else code
            answers[f"{path_}{search}"] = entry
    out.write_text(json.dumps(answers, ensure_ascii=False, sort_keys=True, default=str))
    print(f"{len(answers)} views captured into {out}")


SKIP_KEYS = {"id", "className", "style", "config", "type", "namespace", "href", "columnDefs",
             "dashGridOptions", "defaultColDef", "responsive", "layout", "template"}


def leaves(node, found: collections.Counter, key: str = "") -> None:
    """Numbers (rounded to 6 significant digits) and texts a reader can see."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in SKIP_KEYS and k != "layout":
                continue
            leaves(v, found, k)
    elif isinstance(node, list):
        for item in node:
            leaves(item, found, key)
    elif isinstance(node, bool) or node is None:
        return
    elif isinstance(node, (int, float)):
        found[f"{float(node):.6g}"] += 1
    elif isinstance(node, str):
        text = node.strip()
        if text.startswith("{"):  # a lazy chart's figure travels as JSON text (data-figure)
            try:
                leaves(json.loads(text), found, key)
                return
            except ValueError:
                pass
        if text and not text.startswith(("data:", "<svg")):
            found[text] += 1


def reduce(entry: dict) -> collections.Counter:
    found: collections.Counter = collections.Counter()
    leaves(entry.get("page"), found)
    leaves(entry.get("frame"), found)
    for answer in (entry.get("callbacks") or {}).values():
        leaves(answer, found)
    return found


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    differences = 0
    for view in sorted(set(a) | set(b)):
        if view not in a or view not in b:
            print(f"{view}: only in {'after' if view in b else 'before'}")
            differences += 1
            continue
        ra, rb = reduce(a[view]), reduce(b[view])
        lost, gained = ra - rb, rb - ra
        if lost or gained:
            differences += 1
            print(f"\n{view}: {sum(lost.values())} values only before, {sum(gained.values())} only after")
            for text, n in list(lost.items())[:15]:
                print(f"   - {n}× {text[:110]!r}")
            for text, n in list(gained.items())[:15]:
                print(f"   + {n}× {text[:110]!r}")
    print(f"\n{len(set(a) | set(b))} views, {differences} with differences")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("out", type=Path)
    cap.add_argument("--db", type=Path)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "capture":
        capture(args.out, args.db)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
