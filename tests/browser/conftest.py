"""Set-up shared by the browser tests (Selenium, headless Chromium, Debian's chromedriver).

- every test here is marked `browser` (pytestmark in each file, so that `-m "not browser"` leaves
  them out);
- `server` is the base URL of one app on the fixture data, served for the whole run, for the
  tests that only read;
- `serve(app)` runs a Dash app on a free local port (the OS picks it: never one of the fixed ports
  of the developers' servers) for the test's duration and returns its base URL (`server_starter`
  for fixtures of a wider scope);
- `browser` is a headless Chromium in Chinese, 1280 px wide, that downloads into the test's
  tmp_path (`browser.download_dir`) and keeps the console and network logs. One Chromium serves
  the whole run: each test gets it without cookies, logs or viewport changes of the test before,
  on an empty page of a server of the run's own (BLANK below), not about:blank.
Without Chromium the tests are skipped, unless CI=true: there a missing browser, or any skipped
browser test, is a failure.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
IN_CI = os.environ.get("CI") == "true"
WINDOW = "1280,1400"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if IN_CI and report.skipped and item.get_closest_marker("browser"):
        report.outcome = "failed"
        report.longrepr = f"a browser test may not be skipped under CI=true: {report.longrepr}"
    return report


def start_server(app):
    """Serve the Dash `app` on 127.0.0.1 at a port the OS picks; returns (base URL, stop)."""
    return serve_wsgi(app.server)


def serve_wsgi(wsgi_app):
    """Serve a WSGI application on 127.0.0.1 at a port the OS picks; returns (base URL, stop)."""
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def stop():
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_port}", stop


@pytest.fixture(scope="session")
def server_starter():
    """start_server, for fixtures of a wider scope than a test (they stop what they start)."""
    return start_server


@pytest.fixture(scope="session")
def server(databases, server_starter, tmp_path_factory):
    """The base URL of one app on the fixture database (tests/dashboard_fixture.py), open to
    visitors, for the whole run: the tests that use it only read (test_dashboard_browser,
    test_layout_browser). Modules whose tests write define a `server` of their own."""
    from dashboard import create_app
    from tests.dashboard_fixture import load_fixture

    engine, cleanup = databases.new(tmp_path_factory.mktemp("dashboard"), seeded=True)
    load_fixture(engine, demo=True)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PUBLIC_VIEWING", "1")
        app = create_app(engine, load_demo_if_empty=False)
    app.server.config.update(PUBLIC_VIEWING=True)
    url, stop = server_starter(app)
    yield url
    stop()
    cleanup()


@pytest.fixture
def serve():
    """serve(app) -> the base URL of the Dash `app`, served until the test ends."""
    stops = []

    def start(app) -> str:
        url, stop = start_server(app)
        stops.append(stop)
        return url

    yield start
    for stop in stops:
        stop()


# V8 runs the pages' scripts in its interpreter and baseline compiler only (Sparkplug), without
# the optimising compilers (Maglev, TurboFan): the scripts behave the same; a test runs each page
# briefly, so optimising them cost more CPU than it saved (~8 % of the browser tests' CPU).
V8_TIERS = "--js-flags=--max-opt=1"


def _launch():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", f"--window-size={WINDOW}",
                "--lang=zh-CN", V8_TIERS):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def _alive(driver) -> bool:
    try:
        driver.current_url
        return True
    except Exception:  # a crashed browser or driver: launch another
        return False


# Between tests the browser shows an empty page served on 127.0.0.1, the host of every app the tests
# serve, not about:blank: leaving about:blank for an app's page made Chromium start a new renderer
# process and compile the app's scripts (React, Dash, Plotly: MB) anew in every test, ~0.4 s of
# CPU each time; between pages of one site (127.0.0.1, whatever the port) it keeps its renderer.
# Its icon is written in the page (data:), so that Chromium asks this server for no /favicon.ico:
# that request came late, now and then after the next test had emptied its logs, and that test's
# foreign_requests saw a request to another origin (this server's port).
BLANK = b'<!doctype html><meta charset=utf-8><title>blank</title><link rel="icon" href="data:,">'


def _serve_blank(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(BLANK)))])
    return [BLANK]


@pytest.fixture(scope="session")
def _blank_page():
    """The URL of the empty page that `browser` shows between tests (BLANK)."""
    url, stop = serve_wsgi(_serve_blank)
    yield url + "/"
    stop()


@pytest.fixture(scope="session")
def _chromium():
    """One Chromium for the run (starting one costs seconds); `browser` resets it for each test."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if IN_CI:
            pytest.fail("CI needs Chromium and chromedriver for the browser tests")
        pytest.skip("Chromium / chromedriver not installed")
    holder = {"driver": _launch()}
    yield holder
    holder["driver"].quit()


@pytest.fixture
def browser(_chromium, _blank_page, tmp_path):
    """The run's Chromium as a new visitor would bring it: no cookies, no logs of earlier tests,
    the desktop viewport, downloads into this test's tmp_path (`browser.download_dir`)."""
    if not _alive(_chromium["driver"]):
        _chromium["driver"] = _launch()
    driver = _chromium["driver"]
    driver.get(_blank_page)
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.download_dir = tmp_path
    for log in ("browser", "performance"):  # read and so emptied: a test sees only its own
        driver.get_log(log)
    yield driver
    driver.get(_blank_page)
