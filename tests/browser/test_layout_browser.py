"""Layout at the widths the dashboard supports (Selenium, headless Chromium; set-up in conftest.py).

- the prefecture maps' labels stay apart and legible from a 360 px phone to a 1440 px desktop, in
  both languages (on a narrow card style.css drops the values and keeps the names);
- no page scrolls sideways at 390 px, in either language: the document is never wider than the
  screen (a row's gutters wider than the page's padding gave 4 px of sideways scroll);
- charts below the fold wait until they come near the screen (assets/lazy-charts.js).
At each width the first map page is opened anew and the other two are reached inside the app, as
from the navigation bar (helpers.navigate): each is still drawn at that width, without parsing the
scripts again; so are the visitors' pages at phone width.
"""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.helpers import navigate, settle, wait_for

pytestmark = pytest.mark.browser

MAP_PAGES = {"/core": "#page-core", "/enterprise": "#page-enterprise",
             "/infrastructure": "#page-infrastructure"}
WIDTHS = [360, 390, 768, 1024, 1440]

LABEL_BOXES = """
return [...document.querySelectorAll('[id$="-map"] g.textpoint text')].map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          size: parseFloat(getComputedStyle(t).fontSize)};
}).filter(b => b.right > b.left);"""


def viewport(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def open_page(driver, url: str, container: str | None = None, relayout: bool = True) -> None:
    driver.get(url)
    wait_for(driver, container or "#_pages_content > *")
    settle(driver)
    if relayout:
        time.sleep(0.5)  # Plotly's relayout after the container query changed the graph's height


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
                    and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5):
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_labels_stay_apart_and_legible_at_every_width(server, browser, lang):
    checked_values = 0
    for width in WIDTHS:
        viewport(browser, width)
        for number, (path, container) in enumerate(MAP_PAGES.items()):
            address = path + ("?lang=en" if lang == "en" else "")
            # no wait for the charts above the map to be laid out again: the map is measured
            # once it is drawn and has had the same time for its own relayout (below)
            if number == 0:
                open_page(browser, server + address, f"{container} [id$='-map-lazy']", relayout=False)
            else:
                navigate(browser, address, f"{container} [id$='-map-lazy']")
            # the map is drawn when it comes near the screen (assets/lazy-charts.js)
            browser.execute_script("document.querySelector(\"[id$='-map-lazy']\")"
                                   ".scrollIntoView({block: 'center'});")
            wait_for(browser, "[id$='-map'] g.textpoint text")
            time.sleep(0.5)  # Plotly's relayout of the map after the container query
            boxes = browser.execute_script(LABEL_BOXES)
            assert len(boxes) == 13, (path, width, len(boxes))
            assert overlapping(boxes) == [], (path, width)
            assert min(b["size"] for b in boxes) >= 11, (path, width)
            # values under the names where the card has room, names alone on a phone
            valued = [b for b in boxes if any(ch.isdigit() for ch in b["text"])]
            two_lines = sum(b["bottom"] - b["top"] > 22 for b in valued)
            if width >= 768:
                assert two_lines == len(valued), (path, width, two_lines)
            if width <= 390:
                assert two_lines == 0, (path, width, two_lines)
            checked_values += len(valued)
    assert checked_values > 0  # the fixture has city values on at least one map


def page_paths() -> dict[str, str | None]:
    """Every page's path -> the page's own container ('#page-core') where a visitor may see it;
    None where it is for signed-in users (a visitor gets the sign-in form there)."""
    import dash

    paths = {}
    for page in dash.page_registry.values():
        path = (page.get("path_template") or page["path"]).replace("<code>", "230100")
        paths[path] = None if page.get("roles") else "#page-" + (path.strip("/").split("/")[0] or "overview")
    return dict(sorted(paths.items()))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_scrolls_sideways_on_a_phone(server, browser, lang):
    viewport(browser, 390, 844)
    paths = page_paths()
    assert {"/", "/core", "/infrastructure", "/data", "/method"} <= set(paths)
    wide = {}
    opened = False
    for path, container in paths.items():
        address = path + ("?lang=en" if lang == "en" else "")
        if container and opened:  # a visitor's page: reached inside the app, as from its links
            navigate(browser, address, container)
            time.sleep(0.5)  # as open_page: Plotly's relayout after the container query
        else:  # the first page, and the sign-in form of the signed-in users' pages: opened anew
            open_page(browser, server + address)
            opened = True
        width, client = browser.execute_script(
            "const s = document.scrollingElement; return [s.scrollWidth, s.clientWidth];")
        if width > client:
            wide[path] = browser.execute_script(
                "const w = document.scrollingElement.clientWidth; return [...document.body"
                ".querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 0.5)"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id);")
    assert wide == {}


def test_charts_below_the_fold_are_drawn_when_they_come_into_view(server, browser):
    viewport(browser, 390, 844)
    open_page(browser, server + "/infrastructure", ".lazy-chart")
    time.sleep(1)
    drawn = ("return [...document.querySelectorAll('.lazy-chart')].map(e => "
             "e.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length > 0);")
    first = browser.execute_script(drawn)
    assert len(first) >= 3 and first[0] and not first[-1]  # the map at the bottom waits
    last = browser.find_elements(By.CSS_SELECTOR, ".lazy-chart")[-1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", last)
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(drawn)[-1])
