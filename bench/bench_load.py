"""A bounded load test on loopback: callback and static requests per second, side by side.

    gunicorn -c gunicorn.conf.py app:server &            # DATABASE_URL, CACHE_REDIS_URL set
    python bench/bench_load.py http://127.0.0.1:8079 --viewers 200 --seconds 20

`--viewers` threads, each a viewer with its own session: GET / (cookies), then in a loop the
callbacks a visit posts — the page router and the frame for a page of the dashboard, in turn —
for `--seconds`. Then the same number of threads fetch a static file (Bootstrap's CSS) for
the same time. Prints requests/s, errors, timeouts and p50/p95 of each, and the ratio. Only
loopback addresses are accepted.

The client shares the machine with the server: `--server-pid` (gunicorn's master, e.g.
`$(cat gunicorn.pid)`) adds the CPU time the server's processes spent per request, and the
client's own CPU per request is printed too. On a busy 2-core machine those are the steadier
figures: requests/s is bounded by about 2,000 ms / (server + client CPU ms per request). Goal (issue 13): >= 300 callback requests/s with 200 viewers on
2 cores, 0 errors, >= 0.5 x the static rate.
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import http.cookies
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashclient import load_average, p95  # noqa: E402

PAGES = ["/", "/core", "/enterprise", "/infrastructure", "/benchmarks", "/city/230100", "/method"]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Viewer:
    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.router = None
        self.frame = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        headers["Accept-Encoding"] = "gzip"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except Exception:
            self.conn.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, data

    def start(self, deps: dict) -> None:
        self.request("GET", "/")
        self.router, self.frame = deps["router"], deps["frame"]

    def post(self, body: dict, query: str = "") -> tuple[int, dict]:
        """A Dash callback request; the answer parsed (gzip or not)."""
        headers = {"Content-Type": "application/json"}
        if "_csrf_token" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["_csrf_token"]
        status, data = self.request("POST", "/_dash-update-component" + query,
                                    json.dumps(body).encode(), headers)
        if status == 200 and data:
            try:
                return status, json.loads(data)
            except ValueError:
                return status, json.loads(gzip.decompress(data))
        return status, {}

    def sign_in(self, all_deps: list[dict], name: str, password: str) -> None:
        """Signs in through the login page's own callback, as a person would."""
        self.request("GET", "/login")
        dep = find_key(all_deps, "login-message")
        status, body = self.post(payload(dep, {
            "login-submit.n_clicks": 1, "login-username.value": name,
            "login-password.value": password, "login-next.data": "/",
            "login-lang.data": "en"}, "login-submit.n_clicks"))
        if status != 200 or "login-redirect" not in json.dumps(body):
            raise RuntimeError(f"{name} could not sign in: {status} {str(body)[:200]}")

    def callback(self, key: str, inputs: list[dict]) -> int:
        parts = key[2:-2].split("...") if key.startswith("..") else [key]
        outputs = [dict(zip(("id", "property"), p.rsplit(".", 1))) for p in parts]
        body = json.dumps({"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
                           "inputs": inputs, "state": [],
                           "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]})
        headers = {"Content-Type": "application/json"}
        if "_csrf_token" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["_csrf_token"]
        status, _ = self.request("POST", "/_dash-update-component", body.encode(), headers)
        return status


def find_key(deps: list[dict], output_part: str, input_name: str | None = None) -> dict:
    for dep in deps:
        names = [f"{i['id']}.{i['property']}" for i in dep["inputs"]]
        if output_part in dep["output"] and (input_name is None or input_name in names):
            return dep
    raise KeyError(output_part)


def payload(dep: dict, values: dict, triggered: str) -> dict:
    """The body of a callback request for `dep`, its inputs and state taken from `values`."""
    key = dep["output"]
    outputs = []
    for part in key[2:-2].split("...") if key.startswith("..") else [key]:
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(ident) if ident.startswith("{") else ident,
                        "property": prop.split("@")[0]})

    def fill(items):
        return [{"id": i["id"], "property": i["property"],
                 "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": fill(dep["inputs"]), "state": fill(dep.get("state", [])),
            "changedPropIds": [triggered]}


def _ticks(pid: int, children: bool = False) -> int:
    """utime + stime of one process, in clock ticks (0 when it is gone); with children=True also
    the time of its children that have ended (a worker gunicorn restarted)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15 if children else 13])
    except (OSError, IndexError, ValueError):
        return 0


def _family(pid: int) -> list[int]:
    """A process and its children (gunicorn's master and workers)."""
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def server_cpu(pid: int | None) -> dict[int, int]:
    return {p: _ticks(p, children=p == pid) for p in _family(pid)} if pid else {}


def cpu_ms_spent(before: dict[int, int], after: dict[int, int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    return sum(after[p] - before.get(p, 0) for p in after) * 1000 / tick


def dependencies(host: str, port: int) -> dict:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    keys = [d["output"] for d in deps]
    return {"router": next(k for k in keys if "_pages_content.children" in k),
            "frame": next(k for k in keys if "navbar.children" in k), "all": deps}


def warm_up(host: str, port: int, timeout: float, deps: dict) -> None:
    """Every page once, so that the runs that follow see a warm cache."""
    warm = Viewer(host, port, timeout)
    warm.start(deps)
    for page in PAGES:
        warm.callback(deps["router"], [{"id": "_pages_location", "property": "pathname", "value": page},
                                       {"id": "_pages_location", "property": "search", "value": ""}])


def run(kind: str, host: str, port: int, viewers: int, seconds: float, timeout: float,
        static_path: str, deps: dict, server_pid: int | None = None,
        sessions: list[dict] | None = None) -> dict:
    """`viewers` threads for `seconds`: callbacks or the static file. With `sessions` (the cookies
    of signed-in sessions) viewer i uses session i modulo their number."""
    latencies: list[float] = []
    errors = [0]
    timeouts = [0]
    lock = threading.Lock()
    stop_at = [0.0]
    ready = threading.Barrier(viewers + 1)
    go = threading.Event()  # set once stop_at is
    in_window = [0]  # answers completed before stop_at: the rate counts these over `seconds`

    def worker(index: int) -> None:
        viewer = Viewer(host, port, timeout)
        try:
            if kind == "callback":
                if sessions:
                    viewer.cookies = dict(sessions[index % len(sessions)])
                viewer.start(deps)
        except Exception:
            with lock:
                errors[0] += 1
            viewer = None
        ready.wait()
        go.wait()
        n = index
        while viewer is not None and time.perf_counter() < stop_at[0]:
            start = time.perf_counter()
            try:
                if kind == "callback":
                    page = PAGES[n % len(PAGES)]
                    if n % 2:
                        status = viewer.callback(viewer.router, [
                            {"id": "_pages_location", "property": "pathname", "value": page},
                            {"id": "_pages_location", "property": "search", "value": ""}])
                    else:
                        status = viewer.callback(viewer.frame, [
                            {"id": "url", "property": "pathname", "value": page},
                            {"id": "url", "property": "search", "value": ""}])
                else:
                    status, _ = viewer.request("GET", static_path)
                ok = status == 200
            except TimeoutError:
                with lock:
                    timeouts[0] += 1
                continue
            except Exception:
                ok = False
            finished = time.perf_counter()
            with lock:
                if ok:
                    latencies.append(finished - start)
                    in_window[0] += finished <= stop_at[0]
                else:
                    errors[0] += 1
            n += 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(viewers)]
    for thread in threads:
        thread.start()
    ready.wait()
    server_before, client_before = server_cpu(server_pid), time.process_time()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    go.set()
    time.sleep(seconds)
    with lock:
        done = max(in_window[0], 1)
    server_after, client_after = server_cpu(server_pid), time.process_time()
    for thread in threads:
        thread.join(timeout + 5)
    return {"rate": in_window[0] / seconds, "ok": len(latencies), "errors": errors[0],
            "server_ms": (cpu_ms_spent(server_before, server_after) / done
                          if server_pid else float("nan")),
            "client_ms": (client_after - client_before) * 1000 / done,
            "timeouts": timeouts[0],
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": p95(latencies) if latencies else float("nan")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--static", default="/vendor/bootstrap/css/bootstrap.min.css")
    parser.add_argument("--server-pid", type=int,
                        help="gunicorn's master pid: print the server's CPU ms per request")
    parser.add_argument("--login", metavar="NAME:PASSWORD",
                        help="viewers are signed in with this account (a signed-in request "
                             "reads its session and account)")
    parser.add_argument("--sessions", type=int, default=20,
                        help="with --login: how many sessions the viewers share")
    args = parser.parse_args(argv)
    if args.login and ":" not in args.login:
        parser.error("--login NAME:PASSWORD")
    parts = urlsplit(args.url)
    if parts.hostname not in LOOPBACK:
        parser.error("loopback only (127.0.0.1, localhost, ::1)")
    host, port = parts.hostname, parts.port or 80
    deps = dependencies(host, port)
    warm_up(host, port, args.timeout, deps)
    load_before = load_average()
    login = tuple(args.login.split(":", 1)) if args.login else None
    sessions = []
    for _ in range(args.sessions if login else 0):
        # signing in costs a password hash (~0.5 s): a few sessions, shared by the viewers
        viewer = Viewer(host, port, args.timeout)
        viewer.sign_in(deps["all"], *login)
        sessions.append(viewer.cookies)
    callback = run("callback", host, port, args.viewers, args.seconds, args.timeout, args.static,
                   deps, args.server_pid, sessions)
    static = run("static", host, port, args.viewers, args.seconds, args.timeout, args.static,
                 deps, args.server_pid)
    who = f"signed in as {login[0]}, {len(sessions)} sessions" if login else "anonymous"
    print(f"load test {args.url}: {args.viewers} viewers ({who}), {args.seconds:.0f} s each; "
          f"load average {load_before} before, {load_average()} after")
    print(f"{'requests':<10}{'req/s':>8}{'ok':>8}{'errors':>8}{'timeouts':>9}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'server CPU ms/req':>19}{'client CPU ms/req':>19}")
    for name, r in (("callback", callback), ("static", static)):
        print(f"{name:<10}{r['rate']:>8.1f}{r['ok']:>8}{r['errors']:>8}{r['timeouts']:>9}"
              f"{r['p50'] * 1000:>8.0f}{r['p95'] * 1000:>8.0f}{r['server_ms']:>19.2f}{r['client_ms']:>19.2f}")
    ratio = callback["rate"] / static["rate"] if static["rate"] else float("nan")
    print(f"callback / static = {ratio:.2f} (goal >= 0.5); callback req/s goal >= 300, 0 errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
