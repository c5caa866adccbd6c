"""Waiting for the dashboard in the browser tests, and moving between its pages.

`navigate` changes page the way the app's own links do (dcc.Link: history.pushState and Dash's
location event), so that a test visiting many pages at one width or in one language pays for the
scripts (React, Plotly, ag-grid: several MB parsed and run) once, not on every page; the page itself
is rendered anew by the router, as after a click on the navigation bar. Tests that check what a
first visit loads (requests, console errors) open every page with `driver.get`.
"""
from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


# how often the waits below look again: Selenium's default (0.5 s) cost a quarter of a second on
# average per wait not met at once, hundreds of times a run
POLL = 0.05


def until(driver, condition, timeout: float = 45, **options):
    """WebDriverWait(driver, timeout).until(condition), looking every POLL s; `options` as
    WebDriverWait's (ignored_exceptions)."""
    return WebDriverWait(driver, timeout, poll_frequency=POLL, **options).until(condition)


def wait_for(driver, css: str, timeout: float = 45):
    return until(driver, EC.presence_of_element_located((By.CSS_SELECTOR, css)), timeout)


def wait_text(driver, css: str, text: str, timeout: float = 45):
    until(driver, EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text), timeout)
    return driver.find_element(By.CSS_SELECTOR, css)


# The page is still when, for `quiet` ms in a row: the document has loaded; Dash has no callback
# queued or in flight (its store, and the loading marks its renderer puts on the document); every
# Plotly graph on screen is drawn at its box's current size with no resize of Dash's pending
# (dcc.Graph marks the graph `dash-graph--pending` from its resize observer's call, 50 ms after the
# box changed, until Plotly's relayout is done, 100 ms later or more; before that call the box and
# the drawing differ in size); and nothing in the DOM changed (a MutationObserver). Checked every
# 20 ms in the page; answers null when still, else why not (after `timeout` ms).
STILL = """
const [quiet, timeout, done] = arguments;
if (!window.__lastChange) {
  window.__lastChange = {at: performance.now()};
  new MutationObserver(() => { window.__lastChange.at = performance.now(); }).observe(
    document, {subtree: true, childList: true, attributes: true, characterData: true});
}
function busy() {
  if (document.readyState !== 'complete') return 'the document loading';
  const state = window.store && window.store.getState && window.store.getState();
  if (state && state.isLoading) return 'a Dash callback in flight';
  if (document.querySelector('[data-dash-is-loading="true"]')) return 'a component loading';
  for (const graph of document.querySelectorAll('.dash-graph')) {
    if (graph.offsetParent === null) continue;  // not displayed
    const gd = graph.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) return 'a graph not drawn yet: ' + graph.id;
    if (gd.classList.contains('dash-graph--pending')) return 'a graph being resized: ' + graph.id;
    const box = gd.getBoundingClientRect();
    const full = gd._fullLayout;
    if (Math.abs(full.width - box.width) > 1 || Math.abs(full.height - box.height) > 1)
      return 'a graph drawn at another size than its box: ' + graph.id;
  }
  return '';
}
const start = performance.now();
let still = start, why = '';
(function check() {
  const now = performance.now();
  why = busy();
  if (why || window.__lastChange.at > still) still = Math.max(now, window.__lastChange.at);
  if (!why && now - still >= quiet) return done(null);
  if (now - start > timeout) return done(why || 'the DOM still changing');
  setTimeout(check, 20);
})();"""


def settle(driver, timeout: float = 45, quiet: float = 0.10) -> None:
    """Wait until the page is still (STILL above): what a test then measures is what a reader sees
    once the page has settled, not a frame of a relayout. Fails after `timeout` s, saying why."""
    driver.set_script_timeout(timeout + 10)
    why = driver.execute_async_script(STILL, quiet * 1000, timeout * 1000)
    assert why is None, f"the page did not settle in {timeout} s: {why}"


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
    until(driver, lambda d: d.execute_script("return window.__pageChanged"), timeout)
    wait_for(driver, container, timeout)
    settle(driver, timeout)
    # the page may add its state to the query (period, indicator): the path is the one asked for
    assert driver.execute_script("return location.pathname") == path.split("?")[0]


def viewport(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def open_page(driver, url: str, container: str | None = None) -> None:
    """driver.get(url), then wait for `container` (default: the page's content) and for the page
    to settle (Plotly's relayouts after the container queries included)."""
    driver.get(url)
    wait_for(driver, container or "#_pages_content > *")
    settle(driver)
