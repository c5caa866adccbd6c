"""The overview in headless Chromium: first visit and warm visit — time, requests, bytes.

    PUBLIC_VIEWING=1 PORT=8078 python app.py &          # or gunicorn -c gunicorn.conf.py app:server
    python bench/bench_browser.py http://127.0.0.1:8078/ [--runs 3]

"first visit": a new browser profile (empty HTTP cache) opens the URL; "warm visit": the same
browser opens it again (HTTP cache and server cache warm). The page counts as drawn when the
headline is shown and every target card's sparkline has been drawn (an <svg> in it), or when a
page without cards shows its notice. Requests and bytes come from Chromium's network log (DevTools
protocol): bytes on the wire (after compression) and decoded (uncompressed). Goal (issue 13):
<= 2 s first visit, <= 1 s warm, on demo data on a quiet machine. Needs chromium and chromedriver.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashclient import load_average  # noqa: E402

READY_JS = """
const head = document.querySelector('#overview-headline');
const empty = document.querySelector('#overview-empty');
if (!head && !empty) return false;
const cards = document.querySelectorAll('.target-card');
const lines = document.querySelectorAll('.target-card .sparkline');
if (!empty && cards.length === 0) return false;
for (const s of lines) { if (s.tagName === 'IMG' ? !s.complete : !s.querySelector('svg')) return false; }
return true;
"""


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def network(driver) -> tuple[int, int, int]:
    """(requests, bytes on the wire, decoded bytes) since the log was last read."""
    requests, wire, decoded = set(), 0, 0
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            if not params.get("request", {}).get("url", "").startswith("data:"):
                requests.add(params["requestId"])
        elif method == "Network.loadingFinished":
            wire += int(params.get("encodedDataLength", 0))
        elif method == "Network.dataReceived":
            decoded += int(params.get("dataLength", 0))
    return len(requests), wire, decoded


def visit(driver, url: str, timeout: float = 120) -> float:
    start = time.perf_counter()
    driver.get(url)
    while time.perf_counter() - start < timeout:
        if driver.execute_script(READY_JS):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url}: not drawn after {timeout} s")


def settle(driver, quiet: float = 1.0) -> None:
    """Wait until no request was made for `quiet` seconds (late callbacks, e.g. the URL's)."""
    time.sleep(quiet)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    first, warm = [], []
    for _ in range(args.runs):
        driver = make_driver()
        try:
            driver.get("about:blank")
            network(driver)
            t1 = visit(driver, args.url)
            settle(driver)
            first.append((t1, *network(driver)))
            t2 = visit(driver, args.url)
            settle(driver)
            warm.append((t2, *network(driver)))
        finally:
            driver.quit()
    print(f"overview in headless Chromium, {args.url}, {args.runs} runs; load average {load_average()}")
    print(f"{'visit':<8}{'seconds (median)':>18}{'requests':>10}{'KB on wire':>12}{'KB decoded':>12}  goal")
    for name, rows, goal in (("first", first, "<= 2 s"), ("warm", warm, "<= 1 s")):
        print(f"{name:<8}{statistics.median(r[0] for r in rows):>18.2f}"
              f"{statistics.median(r[1] for r in rows):>10.0f}"
              f"{statistics.median(r[2] for r in rows) / 1024:>12.0f}"
              f"{statistics.median(r[3] for r in rows) / 1024:>12.0f}  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
