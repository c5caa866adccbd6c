"""The prefecture maps' labels stay apart and legible from a 360 px phone to a 1440 px desktop, in
both languages (on a narrow card style.css drops the values and keeps the names). Selenium, headless
Chromium; set-up in conftest.py. A module of its own, so that in two processes (scripts/test) it and
the other layout tests can run side by side.

At each width the first map page is opened anew and the other two are reached inside the app, as
from the navigation bar (helpers.navigate): each is still drawn at that width, without parsing the
scripts again.
"""
from __future__ import annotations

import time

import pytest

from tests.browser.helpers import navigate, open_page, viewport, wait_for

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
