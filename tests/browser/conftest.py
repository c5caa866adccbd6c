"""Set-up shared by the browser tests (Selenium, headless Chromium, Debian's chromedriver).

- every test here is marked `browser` (pytestmark in each file, so that `-m "not browser"` leaves
  them out);
- `serve(app)` runs a Dash app on a free local port (the OS picks it: never one of the fixed ports
  of the developers' servers) for the test's duration and returns its base URL;
- `browser` is a headless Chromium in Chinese, 1280 px wide, that downloads into the test's
  tmp_path (`browser.download_dir`) and keeps the console and network logs.
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if IN_CI and report.skipped and item.get_closest_marker("browser"):
        report.outcome = "failed"
        report.longrepr = f"a browser test may not be skipped under CI=true: {report.longrepr}"
    return report


@pytest.fixture
def serve():
    """serve(app) -> the base URL of the Dash `app` served on 127.0.0.1 until the test ends."""
    from werkzeug.serving import make_server

    servers = []

    def start(app) -> str:
        httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_port}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def browser(tmp_path):
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if IN_CI:
            pytest.fail("CI needs Chromium and chromedriver for the browser tests")
        pytest.skip("Chromium / chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1280,1400",
                "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.download_dir = tmp_path
    yield driver
    driver.quit()
