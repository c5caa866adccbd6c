"""Waiting for the dashboard in the browser tests, and moving between its pages.

`navigate` changes page the way the app's own links do (dcc.Link: history.pushState and Dash's
location event), so that a test visiting many pages at one width or in one language pays for the
scripts (React, Plotly, ag-grid: several MB parsed and run) once, not on every page; the page itself
is rendered anew by the router, as after a click on the navigation bar. Tests that check what a
first visit loads (requests, console errors) open every page with `driver.get`.
"""
from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def wait_for(driver, css: str, timeout: float = 45):
    return WebDriverWait(driver, timeout).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_text(driver, css: str, text: str, timeout: float = 45):
    WebDriverWait(driver, timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
    return driver.find_element(By.CSS_SELECTOR, css)


def settle(driver, timeout: float = 45) -> None:
    """Wait until Dash has no callback in flight (the renderer marks loading on the document)."""
    end = time.time() + timeout
    while time.time() < end:
        busy = driver.execute_script(
            "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length")
        if not busy:
            time.sleep(0.3)
            return
        time.sleep(0.2)


def navigate(driver, path: str, container: str = "#_pages_content > *", timeout: float = 45) -> None:
    """Go to `path` (with its query) inside the loaded app, as a dcc.Link does, and wait until the
    router has written the new page (any change inside #_pages_content, whether React replaced its
    nodes or reused them), `container` (a CSS selector) is there and no callback is in flight."""
    driver.execute_script("""
        const content = document.getElementById('_pages_content');
        window.__pageChanged = false;
        if (window.__pageObserver) window.__pageObserver.disconnect();
        window.__pageObserver = new MutationObserver(() => { window.__pageChanged = true; });
        window.__pageObserver.observe(content, {childList: true, subtree: true, characterData: true});
        window.history.pushState({}, '', arguments[0]);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        window.scrollTo(0, 0);""", path)
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return window.__pageChanged"))
    wait_for(driver, container, timeout)
    settle(driver, timeout)
    # the page may add its state to the query (period, indicator): the path is the one asked for
    assert driver.execute_script("return location.pathname") == path.split("?")[0]


def viewport(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def open_page(driver, url: str, container: str | None = None, relayout: bool = True) -> None:
    driver.get(url)
    wait_for(driver, container or "#_pages_content > *")
    settle(driver)
    if relayout:
        time.sleep(0.5)  # Plotly's relayout after the container query changed the graph's height
