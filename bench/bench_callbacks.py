"""Every page's real callbacks, cold and warm: p50 / p95 per callback and SQL statements per render.

    python bench/generate.py 1m                       # once: database bench, schema obs_1m
    python bench/bench_callbacks.py --schema obs_1m   # PostgreSQL
    python bench/bench_callbacks.py --schema obs_1m --redis redis://127.0.0.1:6379/15
    python bench/bench_callbacks.py --sqlite /tmp/demo.sqlite   # any SQLite file (demo if empty)

Each page is opened the way the browser opens it: a GET (cookies), then POSTs to
/_dash-update-component through Flask's test client (CSRF, auth guards, caching all run) for
the page router, the frame (navigation, banner, title) and every callback the rendered page fires
on load (found in its layout, see bench/dashclient.py), with the payloads dash-renderer sends.

"cold": the cache emptied before the page (as after an upload: every query hits the database;
the summaries of etl/store/summary.py, which a load or rollback builds once, are built first and
their time printed apart; --no-summary computes those figures in every render instead). What a
worker keeps in memory across data changes (the catalog, keyed by its own stamp: an upload does
not change it) is read once first, its time printed apart too, and the objects the app made at
start are frozen out of the garbage collector's full passes, as gunicorn.conf.py does in each
worker (without it one render in a few paid ~100 ms for a full collection);
"warm": the same requests again. `--runs` rounds of both; the script prints, per callback, the
median and 95th percentile of wall time and the median CPU time of this process (the machine may
be shared: CPU time is what the callback itself costs), the number of SQL statements the
cold render executed (all its callbacks together) and the size of the cold answer as sent.

What is timed is what the server spends on a browser's request: the client says it accepts
gzip, as every browser does, so the server's compression is counted (the response cache's, or
the per-response one of dashboard/delivery.py) and the time ends when the answer's bytes are
out; unpacking and parsing the answer (the browser's work, done on the phone) is not counted. Goal (issue 13): p95 <= 50 ms cold and warm on
20 M observations.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashclient import Poster, SqlCounter, load_average, p95  # noqa: E402

PAGES = ["/", "/core", "/enterprise", "/infrastructure", "/benchmarks", "/city/230100", "/data",
         "/method"]
GOAL_MS = 50


def short(key: str) -> str:
    if "_pages_content" in key:
        return "page router"
    if "navbar.children" in key:
        return "frame"
    name = key.strip(".").split("...")[0].split("@")[0]
    return name[:40]


def clear(app) -> None:
    from dashboard import data, response_cache
    from dashboard.cache import cache

    # a large answer compressed again after it was sent: stored first (older versions: none)
    getattr(response_cache, "settle", lambda: None)()
    with app.server.app_context():
        cache.clear()
    forget = getattr(data, "forget_local", None)
    if forget:
        forget()
    answers = app.server.extensions.get("monitor_response_cache")  # finished answers, per worker
    if answers:
        answers["local"].__init__(answers["local"].limit)


def build_summaries(app, engine) -> tuple[float, float]:
    """What a load or a rollback does once (dashboard.data.refresh_summaries): the derived figures
    of the new data, computed before any viewer asks. Timed apart: it is no page's cost."""
    from dashboard import data
    from etl.store import summary

    summary.clear(engine)
    clear(app)
    with app.server.test_request_context("/"):
        return timed(data.refresh_summaries)


def read_catalog(app) -> tuple[float, float]:
    """What a worker reads once and keeps across data changes (dashboard.data.read_catalog)."""
    from dashboard import data

    with app.server.test_request_context("/"):
        return timed(data.read_catalog)


def timed(call) -> tuple[float, float]:
    cpu = time.process_time()
    wall = time.perf_counter()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def record(timings: dict, name: str, phase: str, elapsed: float, poster: Poster) -> None:
    """One answer's wall and CPU time (the request until its bytes are out, as a browser gets
    them: gzip when large) and its size as sent."""
    slot = timings.setdefault(name, {"cold": [], "warm": [], "cpu_cold": [], "cpu_warm": [],
                                     "bytes": []})
    slot[phase].append(elapsed)
    slot[f"cpu_{phase}"].append(poster.last_cpu)
    if phase == "cold":
        slot["bytes"].append(poster.last_bytes)


def measure(app, engine, pages: list[str], runs: int) -> list[tuple]:
    poster = Poster(app)
    counter = SqlCounter(engine)
    results = []
    for path in pages:
        timings: dict[str, dict[str, list]] = {}
        statements = []
        for _ in range(runs):
            for phase in ("cold", "warm"):
                if phase == "cold":
                    clear(app)
                with counter.counting():
                    # the frame first: the browser posts it as soon as the shell loads
                    calls = [("frame", lambda: poster.shell_raw(path, "")),
                             ("page router", lambda: poster.page_raw(path, ""))]
                    answers = {}
                    for name, call in calls:
                        elapsed, payload, status = call()
                        if status != 200:
                            raise RuntimeError(f"{path} {name}: HTTP {status}")
                        answers[name] = payload
                        record(timings, name, phase, elapsed, poster)
                    layout = answers["page router"]["response"]["_pages_content"]["children"]
                    for key, inputs, state in poster.initial_callbacks(layout, path, ""):
                        elapsed, _, status = poster.post_raw(key, inputs, state)
                        if status not in (200, 204):
                            raise RuntimeError(f"{path} {short(key)}: HTTP {status}")
                        record(timings, short(key), phase, elapsed, poster)
                if phase == "cold":
                    statements.append(counter.count)
        results.append((path, timings, max(statements)))
    return results


def report(label: str, results, runs: int) -> None:
    print(f"\n{label}; {runs} runs; load average {load_average()}")
    print(f"goal: every callback p95 <= {GOAL_MS} ms cold and warm; SQL statements per render must "
          "not grow with the catalog")
    print(f"{'page':<16}{'callback':<26}{'cold p50':>9}{'p95':>7}{'cpu':>6}"
          f"{'warm p50':>10}{'p95':>7}{'cpu':>6}{'SQL/render':>11}{'KB sent':>9}")
    worst = 0.0
    for path, timings, statements in results:
        first = True
        for name, slot in timings.items():
            cold, warm = slot["cold"], slot["warm"]
            worst = max(worst, p95(cold), p95(warm))
            print(f"{path if first else '':<16}{name:<26}"
                  f"{statistics.median(cold) * 1000:>9.0f}{p95(cold) * 1000:>7.0f}"
                  f"{statistics.median(slot['cpu_cold']) * 1000:>6.0f}"
                  f"{statistics.median(warm) * 1000:>10.1f}{p95(warm) * 1000:>7.1f}"
                  f"{statistics.median(slot['cpu_warm']) * 1000:>6.0f}"
                  f"{statements if first else '':>11}{max(slot['bytes']) / 1024:>9.1f}")
            first = False
    verdict = "met" if worst <= GOAL_MS / 1000 else "not met"
    print(f"worst p95: {worst * 1000:.0f} ms (goal <= {GOAL_MS} ms: {verdict})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", help="PostgreSQL schema made by bench/generate.py (obs_1m, obs_5m, obs_20m)")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--sqlite", type=Path, help="a SQLite file instead (the demo is loaded when empty)")
    parser.add_argument("--redis", help="CACHE_REDIS_URL (default: the in-process cache)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--no-summary", action="store_true",
                        help="compute the summarised figures in every render (as before issue 13's summary)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PUBLIC_VIEWING", "1")
    if args.redis:
        os.environ["CACHE_REDIS_URL"] = args.redis
        os.environ.setdefault("CACHE_KEY_PREFIX", "bench:")
    from dashboard import create_app
    from etl.store.db import make_engine

    if args.schema:
        from generate import engine_for

        engine = engine_for(args.url, args.schema)
        label = f"PostgreSQL {args.schema}"
    elif args.sqlite:
        engine = make_engine(f"sqlite:///{args.sqlite}")
        label = f"SQLite {args.sqlite.name}"
    else:
        parser.error("--schema or --sqlite")
    from sqlalchemy import text

    app = create_app(engine, load_demo_if_empty=bool(args.sqlite))
    app.server.config["PUBLIC_VIEWING"] = True
    with engine.connect() as conn:
        count = conn.scalar(text("SELECT count(*) FROM observations"))
    wall, cpu = read_catalog(app)
    print(f"catalog read once per worker (kept across data changes): {wall * 1000:.0f} ms wall, "
          f"{cpu * 1000:.0f} ms CPU")
    if args.no_summary:
        app.server.config["MONITOR_SUMMARY"] = False
        label += " (no summary)"
    else:
        wall, cpu = build_summaries(app, engine)
        print(f"summaries built once for these data (as after a load or rollback): {wall:.2f} s "
              f"wall, {cpu:.2f} s CPU; load average {load_average()}")
    gc.collect()
    gc.freeze()  # as gunicorn.conf.py's post_worker_init
    report(f"{label}: {count:,} observations", measure(app, engine, args.pages, args.runs), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
