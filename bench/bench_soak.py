"""A bounded soak on loopback: viewers' callbacks while analysts check, annotate and commit uploads.

    # gunicorn on PostgreSQL (a database of its own, e.g. `soak`) and Redis; with JOBS_REDIS_URL set,
    # the job worker too (README: the upload job queue):
    gunicorn -c gunicorn.conf.py app:server &
    celery -A dashboard.worker:celery worker &
    python bench/bench_soak.py http://127.0.0.1:8080 --viewers 40 --seconds 60 \\
        --analyst soak1:PASSWORD --analyst soak2:PASSWORD --analyst soak3:PASSWORD

Two phases of `--seconds` each: the viewers alone, then the viewers while every analyst (one
thread each, signed in as that analyst) uploads in a loop: a large rejected workbook (`--rows`
rows, every value damaged, a long unique note on each: a big report and a heavy annotated copy),
whose annotated copy it then downloads, and a valid long-template workbook with slightly revised
values, which it commits. Viewers are bench/bench_load.py's (the page router and the frame of every
page in turn, each with its own session); uploads are driven as dash-renderer drives background
callbacks (start, then poll with the job's handles every 0.5 s).

Prints, per phase, the viewers' requests/s, errors, timeouts and p50/p95, and per upload step
(check, annotated copy, commit) how many ran, their errors, time-outs (no answer within
`--job-timeout`), jobs stopped by a limit, and p50/p95 of their durations; the load average goes
with it (the machine may be shared). Bounded: every thread stops at the end of its phase (an upload
in progress is waited for, at most `--job-timeout`); only loopback addresses are accepted.
"""
from __future__ import annotations

import argparse
import base64
import collections
import io
import json
import random
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_load import LOOPBACK, Viewer, dependencies, find_key, payload, run, warm_up  # noqa: E402
from dashclient import load_average, p95  # noqa: E402


# --- files -------------------------------------------------------------------------------------------

def rejected_workbook(rows: int, seed: int) -> bytes:
    """A long-template workbook whose every value is damaged, each row with a long unique note."""
    from openpyxl import Workbook

    from etl.read.template import HEADER

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(list(HEADER))
    for i in range(rows):
        note = f"{i:06d} " + "".join(rng.choice("数字龙江经济监测abcdefghij0123456789") for _ in range(120))
        sheet.append(["gdp", "230100", f"{2000 + i % 25}年", f"12{rng.randint(0, 99)}x{i}", "亿元",
                      "年度", "soak", note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def revised_workbook(seed: int) -> bytes:
    """The demo's benchmark workbook (a long template) with every value revised by up to ±0.5 %."""
    from etl.demo import files, series

    rng = random.Random(seed)
    rows = [row[:3] + (round(row[3] * (1 + rng.uniform(-0.005, 0.005)), 2),) + row[4:]
            for row in files.benchmark_rows(series.province_series())]
    return files.long_template_xlsx(rows, ["soak: revised benchmark values"])


def data_url(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


# --- an analyst --------------------------------------------------------------------------------------

def found(tree, kind: str) -> list:
    """Every pattern-matching id of `kind` in a response (the file cards' annotate buttons)."""
    hits = []
    if isinstance(tree, dict):
        ident = tree.get("id")
        if isinstance(ident, dict) and ident.get("type") == kind:
            hits.append(ident["index"])
        for value in tree.values():
            hits.extend(found(value, kind))
    elif isinstance(tree, list):
        for value in tree:
            hits.extend(found(value, kind))
    return hits


class Stop(Exception):
    pass


class Analyst:
    def __init__(self, host: str, port: int, deps: list[dict], name: str, password: str,
                 timeout: float, job_timeout: float) -> None:
        self.viewer = Viewer(host, port, timeout)
        self.deps, self.name, self.password = deps, name, password
        self.job_timeout = job_timeout
        self.nonce = secrets.token_urlsafe(12)

    def post(self, body: dict, query: str = "") -> tuple[int, dict]:
        return self.viewer.post(body, query)

    def sign_in(self) -> None:
        self.viewer.sign_in(self.deps, self.name, self.password)

    def background(self, body: dict) -> tuple[str, dict]:
        """Start a callback and poll it as dash-renderer does: (outcome, response), outcome one of
        ok | error:<status> | timeout. A plain (not background) callback answers at once."""
        status, started = self.post(body)
        if status != 200:
            return f"error:{status}", {}
        if "response" in started:
            return "ok", started["response"]
        if "cacheKey" not in started:
            return "error:no-job", {}
        query = f"?cacheKey={started['cacheKey']}&job={started['job']}"
        for item in body["inputs"] + body["state"]:
            for each in item if isinstance(item, list) else [item]:
                each["value"] = None
        give_up = time.perf_counter() + self.job_timeout
        while time.perf_counter() < give_up:
            time.sleep(0.5)
            status, polled = self.post(body, query)
            if status not in (200, 204):
                return f"error:{status}", {}
            if "response" in polled:
                return "ok", polled["response"]
        return "timeout", {}

    def check(self, data: bytes, name: str) -> tuple[str, dict]:
        dep = find_key(self.deps, "upload-results.children")
        return self.background(payload(dep, {
            "upload-files.contents": [data_url(data)], "upload-files.filename": [name],
            "upload-skip-unknown.value": False, "upload-lang.data": "en",
            "upload-nonce.data": self.nonce}, "upload-files.contents"))

    def annotated(self, pending_id: str) -> tuple[str, dict]:
        dep = find_key(self.deps, "upload-annotated-download.data")
        ident = {"index": pending_id, "type": "upload-annotate"}
        body = payload(dep, {"upload-lang.data": "en", "upload-nonce.data": self.nonce}, "")
        body["inputs"] = [[{"id": ident, "property": "n_clicks", "value": 1}]]
        body["changedPropIds"] = [json.dumps(ident, separators=(",", ":")) + ".n_clicks"]
        return self.background(body)

    def commit(self, pending_ids: list[str]) -> tuple[str, dict]:
        dep = find_key(self.deps, "upload-commit-result.children", "upload-commit.n_clicks")
        return self.background(payload(dep, {
            "upload-commit.n_clicks": 1, "upload-pending.data": pending_ids,
            "upload-lang.data": "en", "upload-nonce.data": self.nonce}, "upload-commit.n_clicks"))


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.steps: dict[str, dict] = collections.defaultdict(
            lambda: {"ok": [], "errors": 0, "timeouts": 0, "stopped": 0, "why": collections.Counter()})

    def add(self, step: str, outcome: str, seconds: float, response: dict) -> None:
        with self.lock:
            row = self.steps[step]
            if outcome == "ok" and "upload-job-stopped" in json.dumps(response):
                row["stopped"] += 1
            elif outcome == "ok":
                row["ok"].append(seconds)
            elif outcome == "timeout":
                row["timeouts"] += 1
            else:
                row["errors"] += 1
                row["why"][outcome] += 1


def analyst_loop(analyst: Analyst, files: dict, tally: Tally, stop: threading.Event,
                 index: int) -> None:
    try:
        analyst.sign_in()
    except Exception as exc:  # noqa: BLE001 - counted, the soak goes on
        tally.add("sign-in", f"error:{type(exc).__name__}", 0, {})
        return
    turn = index
    while not stop.is_set():
        rejected = turn % 2 == 0
        turn += 1
        data, name = files["rejected" if rejected else "revised"](turn)
        step = "check"
        try:
            began = time.perf_counter()
            outcome, response = analyst.check(data, name)
            tally.add("check", outcome, time.perf_counter() - began, response)
            if outcome != "ok":
                continue
            if rejected:
                for pending_id in found(response, "upload-annotate")[:1]:
                    step = "annotated copy"
                    began = time.perf_counter()
                    outcome, response = analyst.annotated(pending_id)
                    if outcome == "ok" and "upload-annotated-download" not in json.dumps(response) \
                            and "upload-job-stopped" not in json.dumps(response):
                        outcome = "error:no-file"
                    tally.add("annotated copy", outcome, time.perf_counter() - began, response)
            else:
                pending = (response.get("upload-pending") or {}).get("data") or []
                if pending:
                    step = "commit"
                    began = time.perf_counter()
                    outcome, response = analyst.commit(pending)
                    tally.add("commit", outcome, time.perf_counter() - began, response)
        except TimeoutError:  # one request took longer than --timeout
            tally.add(step, "timeout", 0, {})
        except Exception as exc:  # noqa: BLE001 - counted, the soak goes on
            tally.add(step, f"error:{type(exc).__name__}", 0, {})


# --- the soak ----------------------------------------------------------------------------------------

def print_viewers(label: str, r: dict) -> None:
    print(f"{label:<22}{r['rate']:>8.1f}{r['ok']:>8}{r['errors']:>8}{r['timeouts']:>9}"
          f"{r['p50'] * 1000:>9.0f}{r['p95'] * 1000:>9.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--analyst", action="append", default=[], metavar="NAME:PASSWORD",
                        help="an analyst account; one uploading thread each")
    parser.add_argument("--rows", type=int, default=20000, help="rows of the rejected workbook")
    parser.add_argument("--timeout", type=float, default=30, help="seconds a request may take")
    parser.add_argument("--job-timeout", type=float, default=300,
                        help="seconds an upload step may take, polls included")
    args = parser.parse_args(argv)
    parts = urlsplit(args.url)
    if parts.hostname not in LOOPBACK:
        parser.error("loopback only (127.0.0.1, localhost, ::1)")
    if not args.analyst:
        parser.error("at least one --analyst NAME:PASSWORD")
    host, port = parts.hostname, parts.port or 80

    import http.client

    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", "/_dash-dependencies")
    all_deps = json.loads(conn.getresponse().read())
    deps = dependencies(host, port)
    print("building the upload files …", flush=True)
    heavy = rejected_workbook(args.rows, 1)
    revised = [revised_workbook(seed) for seed in range(4)]
    files = {"rejected": lambda turn: (heavy, f"soak_rejected_{turn}.xlsx"),
             "revised": lambda turn: (revised[turn % len(revised)], f"soak_revised_{turn}.xlsx")}
    print(f"rejected workbook: {len(heavy) / 1e6:.1f} MB, {args.rows} rows; "
          f"revised workbook: {len(revised[0]) / 1e3:.0f} kB", flush=True)

    warm_up(host, port, args.timeout, deps)

    load_before = load_average()
    alone = run("callback", host, port, args.viewers, args.seconds, args.timeout, "", deps)
    load_alone = load_average()

    tally, stop = Tally(), threading.Event()
    analysts = []
    for index, account in enumerate(args.analyst):
        name, _, password = account.partition(":")
        analyst = Analyst(host, port, all_deps, name, password, args.timeout, args.job_timeout)
        thread = threading.Thread(target=analyst_loop, args=(analyst, files, tally, stop, index),
                                  daemon=True)
        thread.start()
        analysts.append(thread)
    time.sleep(min(5.0, args.seconds / 6))  # the first checks are running
    busy = run("callback", host, port, args.viewers, args.seconds, args.timeout, "", deps)
    load_busy = load_average()
    stop.set()
    for thread in analysts:
        thread.join(args.job_timeout + args.timeout + 5)
    left = sum(thread.is_alive() for thread in analysts)

    print(f"\nsoak {args.url}: {args.viewers} viewers, {len(args.analyst)} uploading analysts, "
          f"{args.seconds:.0f} s per phase")
    print(f"load average: before {load_before}; viewers alone {load_alone}; with uploads {load_busy}")
    print(f"{'viewers callbacks':<22}{'req/s':>8}{'ok':>8}{'errors':>8}{'timeouts':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}")
    print_viewers("alone", alone)
    print_viewers("while uploads run", busy)
    print(f"\n{'upload step':<22}{'done':>6}{'errors':>8}{'timeouts':>9}{'stopped':>9}"
          f"{'p50 s':>8}{'p95 s':>8}")
    for step, row in tally.steps.items():
        ok = row["ok"]
        p50 = statistics.median(ok) if ok else float("nan")
        print(f"{step:<22}{len(ok):>6}{row['errors']:>8}{row['timeouts']:>9}{row['stopped']:>9}"
              f"{p50:>8.1f}{(p95(ok) if ok else float('nan')):>8.1f}"
              + (f"   {dict(row['why'])}" if row["why"] else ""))
    if left:
        print(f"{left} analyst thread(s) still waiting for a job at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
