"""The prefecture maps' labels stay apart and legible from a 360 px phone to a 1440 px desktop, in
both languages (on a narrow card style.css drops the values and keeps the names). Selenium, headless
Chromium; set-up in conftest.py. A module of its own, so that in two processes (scripts/test) it and
the other layout tests can run side by side.

Each map page is drawn once per language, at a width of its own (/core at 360 px, /enterprise at
768, /infrastructure at 1440: each kind of width is met by a first drawing), and then measured at
the other widths by changing the viewport, as a phone turned sideways or a window resized: the
labels are measured once the page has settled (helpers.settle: Plotly has drawn the map at its
card's new size), so at every width they are the ones a reader who opened the page there sees.
The first page of a language is opened anew, the other two are reached inside the app, as from the
navigation bar (helpers.navigate), without parsing the scripts again.
"""
from __future__ import annotations

import pytest

from tests.browser.helpers import navigate, open_page, settle, viewport, wait_for

pytestmark = pytest.mark.browser

MAP_PAGES = {"/core": "#page-core", "/enterprise": "#page-enterprise",
             "/infrastructure": "#page-infrastructure"}
WIDTHS = [360, 390, 768, 1024, 1440]
# the width each page is first drawn at; then the others in turn, up then down from there
FIRST_WIDTH = {"/core": 360, "/enterprise": 768, "/infrastructure": 1440}

LABEL_BOXES = """
return [...document.querySelectorAll('[id$="-map"] g.textpoint text')].map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          size: parseFloat(getComputedStyle(t).fontSize)};
}).filter(b => b.right > b.left);"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
                    and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5):
                pairs.append((a["text"], b["text"]))
    return pairs


def widths_from(first: int) -> list[int]:
    """WIDTHS starting at `first`: the wider ones rising, then the narrower ones falling."""
    return ([w for w in WIDTHS if w >= first]
            + sorted((w for w in WIDTHS if w < first), reverse=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_labels_stay_apart_and_legible_at_every_width(server, browser, lang):
    checked_values = 0
    seen = set()
    for number, (path, container) in enumerate(MAP_PAGES.items()):
        address = path + ("?lang=en" if lang == "en" else "")
        for step, width in enumerate(widths_from(FIRST_WIDTH[path])):
            viewport(browser, width)
            if step == 0 and number == 0:
                open_page(browser, server + address, f"{container} [id$='-map-lazy']")
            elif step == 0:
                navigate(browser, address, f"{container} [id$='-map-lazy']")
            # the map is drawn when it comes near the screen (assets/lazy-charts.js)
            browser.execute_script("document.querySelector(\"[id$='-map-lazy']\")"
                                   ".scrollIntoView({block: 'center', behavior: 'instant'});")
            wait_for(browser, "[id$='-map'] g.textpoint text")
            settle(browser)  # the map drawn at this width (its card's container query applied)
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
            seen.add((path, width))
    assert len(seen) == len(MAP_PAGES) * len(WIDTHS)
    assert checked_values > 0  # the fixture has city values on at least one map
