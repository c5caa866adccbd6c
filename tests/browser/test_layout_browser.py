"""Layout on a phone (Selenium, headless Chromium; set-up in conftest.py; the maps' labels at every
width in test_map_labels_browser.py):

- no page scrolls sideways at 390 px, in either language: the document is never wider than the
  screen (a row's gutters wider than the page's padding gave 4 px of sideways scroll);
- charts below the fold wait until they come near the screen (assets/lazy-charts.js).
The first page, /infrastructure (the one with the most charts below the fold), is opened anew at
phone width, and on that load both checks are made (the charts' in Chinese); after it every page is
reached inside the app, as from the navigation bar (helpers.navigate): each is still drawn at phone
width (the signed-in users' pages show a visitor their sign-in form), without parsing the scripts
again.
"""
from __future__ import annotations

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By

from tests.browser.helpers import navigate, open_page, settle, until, viewport

pytestmark = pytest.mark.browser


def page_paths() -> dict[str, str]:
    """Every page's path -> the page's own container ('#page-core') where a visitor may see it;
    the sign-in form ('#login-form') where it is for signed-in users."""
    import dash

    paths = {}
    for page in dash.page_registry.values():
        path = (page.get("path_template") or page["path"]).replace("<code>", "230100")
        paths[path] = ("#login-form" if page.get("roles")
                       else "#page-" + (path.strip("/").split("/")[0] or "overview"))
    return dict(sorted(paths.items()))


FIRST = "/infrastructure"  # opened anew: its charts below the fold wait for a first visit's reader


def check_charts_below_the_fold(browser) -> None:
    """On a first visit at phone width the charts near the screen are drawn and the rest wait
    (the map at the bottom, as long as before: 1 s) until they are scrolled to."""
    drawn = ("return [...document.querySelectorAll('.lazy-chart')].map(e => "
             "e.querySelectorAll('.scatterlayer .trace, .barlayer .trace').length > 0);")
    until(browser, lambda d: d.execute_script(drawn)[0], 30)
    settle(browser)  # whatever the first drawing set off has happened
    first = browser.execute_script(drawn)
    assert len(first) >= 3 and first[0] and not first[-1]  # the map at the bottom waits...
    with pytest.raises(TimeoutException):  # ... and goes on waiting (as long as before: 1 s)
        until(browser, lambda d: d.execute_script(drawn)[-1], 1)
    last = browser.find_elements(By.CSS_SELECTOR, ".lazy-chart")[-1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", last)
    until(browser, lambda d: d.execute_script(drawn)[-1], 30)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_scrolls_sideways_on_a_phone(server, browser, lang):
    """Every page at 390 px in `lang` (the first, FIRST, opened anew and, in Chinese, also checked
    for its charts below the fold: check_charts_below_the_fold)."""
    viewport(browser, 390, 844)
    paths = page_paths()
    assert {"/", "/core", FIRST, "/data", "/method"} <= set(paths)
    order = [FIRST] + [path for path in paths if path != FIRST]
    wide = {}
    for number, path in enumerate(order):
        container = paths[path]
        address = path + ("?lang=en" if lang == "en" else "")
        if number:  # reached inside the app, as from its links, and settled (Plotly's relayouts)
            navigate(browser, address, container)
        else:  # the first page: opened anew
            open_page(browser, server + address, container)
        width, client = browser.execute_script(
            "const s = document.scrollingElement; return [s.scrollWidth, s.clientWidth];")
        if width > client:
            wide[path] = browser.execute_script(
                "const w = document.scrollingElement.clientWidth; return [...document.body"
                ".querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 0.5)"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id);")
        if number == 0 and lang == "zh":
            check_charts_below_the_fold(browser)
    assert wide == {}
