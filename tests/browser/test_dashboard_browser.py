"""Browser tests of the leadership dashboard (Selenium, headless Chromium, Debian's chromedriver).

Against the fixture database of tests/dashboard_fixture.py: every page loads in both languages
with its figures, without console errors and without a single request leaving the app's origin,
its charts' mode bar and the data grid's pager in the page's language (checked on the same loads);
the overview's cards show the fixture's values and statuses; the language switch keeps the URL;
controls write the page state into the URL and a shared link restores it; the data page exports
the filtered rows. Screenshots of every page go to artifacts/screenshots/ (git-ignored).
Set-up (server, browser; skipped without Chromium unless CI=true) in tests/browser/conftest.py.
"""
from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from tests.browser.helpers import settle, until, wait_for, wait_text

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

PAGES = {  # path -> (page container id, how many charts at least)
    "/": ("page-overview", 0),  # the cards draw SVG pictures (dashboard/sparkline.py), no Plotly
    "/core": ("page-core", 3),
    "/enterprise": ("page-enterprise", 2),
    "/infrastructure": ("page-infrastructure", 3),
    "/benchmarks": ("page-benchmarks", 2),
    "/city/230100": ("page-city", 2),
    "/data": ("page-data", 0),
    "/method": ("page-method", 0),
}


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"dashboard-{name}.png"))


def phone_viewport(driver, width: int = 390, height: int = 844, wait: float = 1.5) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    time.sleep(wait)


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def foreign_requests(driver, base: str) -> list[str]:
    """Every URL the page asked for that is not on the app's own origin (from Chrome's logs)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [u for u in urls if not (u.startswith(base) or u.startswith(("data:", "blob:", "about:")))]


def mode_bar_titles(browser, graph: str) -> list[str]:
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{graph} .modebar-btn"))
    return browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(b => b.getAttribute('data-title'))",
        f"#{graph} .modebar-btn")


def check_mode_bar(browser, lang: str) -> None:
    """The charts' mode bar speaks the page's language and cannot upload."""
    titles = mode_bar_titles(browser, "chart-core-share")
    assert titles == (["下载图表为PNG格式", "重置轴"] if lang == "zh"  # Plotly's zh-CN, served locally
                      else ["Download plot as a PNG", "Reset axes"])
    # no "Share chart…": it would upload official figures to Plotly's cloud
    assert not any("Share" in title for title in titles)


def check_grid_pager(browser, lang: str) -> None:
    """The data grid's pager reads naturally in the page's language."""
    wait_for(browser, "#data-grid .ag-row")
    settle(browser)
    panel = browser.find_element(By.CSS_SELECTOR, "#data-grid .ag-paging-page-summary-panel")
    words = " ".join(panel.text.split())
    # the page count's word comes from the stylesheet (ag-grid has no key after the count)
    after = browser.execute_script(
        "return getComputedStyle(arguments[0].querySelector('[data-ref=\"lbTotal\"]'), '::after')"
        ".content", panel)
    if lang == "zh":
        assert words.startswith("第 1 / ") and after == '" 页"', (words, after)
        assert "页 1" not in words
    else:
        assert words.startswith("Page 1 of ") and after in ("none", "normal", ""), (words, after)


# checks of one page in one language that need nothing but its first load: made on the load of
# the test below rather than on loads of their own (each fresh load costs ~0.6 s of Chromium's CPU)
ON_FIRST_LOAD = {"/core": check_mode_bar, "/data": check_grid_pager}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_loads_offline_without_errors(server, browser, lang):
    """Every page in both languages: its figures, the demo banner, no console error, no request
    to another origin; and on the same load ON_FIRST_LOAD's checks (mode bar, grid pager)."""
    for path, (container, charts) in PAGES.items():
        browser.get(server + path + ("?lang=en" if lang == "en" else ""))
        wait_for(browser, f"#{container}")
        settle(browser)
        if charts:
            until(browser, lambda d: len(
                d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")) >= charts)
        assert wait_for(browser, "#demo-alert").text.startswith(
            "演示数据 — 非官方统计" if lang == "zh" else "Demo data — not official statistics")
        if path in ON_FIRST_LOAD:
            ON_FIRST_LOAD[path](browser, lang)
        shot(browser, f"{container}-{lang}")
        assert console_errors(browser) == [], path
        assert foreign_requests(browser, server) == [], path


def test_overview_cards_show_the_fixture(server, browser):
    browser.get(server + "/")
    share = wait_text(browser, "#card-digital_core_va_share", "8.0%").text
    assert "需加快进度" in share and "≥10%" in share and "−2.0个百分点" in share
    stations = browser.find_element(By.ID, "card-fiveg_base_stations").text
    assert "已实现目标" in stations and "12万个" in stations and "终值判定" in stations
    assert "出现倒退" in browser.find_element(By.ID, "card-ipv6_traffic_share").text
    # the 2025 period is over: its final assessment ('2025年目标终期评估') leads
    assert browser.find_element(By.ID, "overview-headline").text == (
        "12项目标中2项已实现、0项未实现（10项尚无2025年全年数据）")
    browser.find_element(By.CSS_SELECTOR, "#card-digital_core_va_share .explain summary").click()
    explanation = browser.find_element(By.CSS_SELECTOR, "#card-digital_core_va_share .explain-body").text
    assert "4.55%" in explanation and "7.39%" in explanation and "0.616" in explanation
    # phone width (a headless window is at least 500 px wide, so emulate the phone's viewport):
    # the cards stack, and each sparkline follows its card instead of keeping the desktop width
    # at once: a screenshot or print right after the resize must not catch the old width
    # (assets/resize.js; Dash's own observer redraws only after a delay)
    phone_viewport(browser, wait=0.05)
    card = browser.find_element(By.ID, "card-digital_core_va_share")
    assert card.size["width"] <= 390
    overflow = browser.execute_script("""
        return [...document.querySelectorAll('.target-card')].filter(card => {
            const svg = card.querySelector('img.sparkline, .sparkline .main-svg');
            return svg && svg.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5;
        }).map(card => card.id);""")
    assert overflow == []
    shot(browser, "overview-phone")
    assert console_errors(browser) == []


def mode_bar_titles(browser, graph: str) -> list[str]:
    until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#{graph} .modebar-btn"))
    return browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(b => b.getAttribute('data-title'))",
        f"#{graph} .modebar-btn")


def test_language_switch_keeps_the_rest_of_the_url(server, browser):
    browser.get(server + "/core?period=2024&indicator=gdp")
    wait_text(browser, "#page-core", "数字经济核心产业")
    browser.find_element(By.ID, "lang-switch").click()
    wait_text(browser, "#page-core", "Digital-economy core industries")
    query = parse_qs(urlparse(browser.current_url).query)
    assert query == {"lang": ["en"], "period": ["2024"], "indicator": ["gdp"]}
    assert "The 13 cities ranked · Gross regional product" in browser.find_element(By.ID, "page-core").text
    assert browser.find_element(By.ID, "nav-core").text == "Core industries"
    until(browser, lambda d: d.title == "Core industries · Digital Longjiang", 10)
    browser.find_element(By.ID, "lang-switch").click()
    wait_text(browser, "#page-core", "数字经济核心产业")
    assert "lang" not in parse_qs(urlparse(browser.current_url).query)
    until(browser, lambda d: d.title == "核心产业 · 数字龙江", 10)
    assert console_errors(browser) == []


def choose(browser, control: str, option_text: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f"#ctl-{control} .dash-dropdown-trigger").click()
    options = until(browser, lambda d: d.find_elements(
        By.XPATH, f"//*[@role='option'][normalize-space()='{option_text}'] | "
                  f"//*[contains(@class,'option')][normalize-space()='{option_text}']"), 20)
    options[-1].click()


def test_controls_put_the_state_in_a_shareable_url(server, browser):
    browser.get(server + "/core")
    wait_text(browser, "#page-core", "13个市（地）排名 · 数字经济核心产业增加值占GDP比重")
    choose(browser, "indicator", "地区生产总值")
    until(browser, lambda d: "indicator=gdp" in d.current_url, 30)
    wait_text(browser, "#page-core", "13个市（地）排名 · 地区生产总值")
    shared = browser.current_url
    assert parse_qs(urlparse(shared).query)["period"] == ["2024"]
    browser.get(shared)  # a colleague opens the link: a new document, nothing kept of this one
    wait_text(browser, "#page-core", "13个市（地）排名 · 地区生产总值")
    browser.find_element(By.ID, "nav-city").click()
    wait_for(browser, "#page-city")
    settle(browser)
    # the page may still be redrawn once after it appears (slow machines): find the link again
    until(browser, lambda d: d.find_element(By.ID, "city-link-230600").click() or True, 30,
          ignored_exceptions=(StaleElementReferenceException,))
    wait_text(browser, "#page-city", "大庆市")
    assert urlparse(browser.current_url).path == "/city/230600"
    assert console_errors(browser) == []


def test_data_page_exports_the_filtered_rows(server, browser):
    browser.get(server + "/data")
    wait_for(browser, "#data-grid .ag-row")
    settle(browser)
    first_filter = browser.find_element(By.CSS_SELECTOR, "#data-grid .ag-floating-filter input")
    first_filter.send_keys("5G基站数")
    until(browser, lambda d: len(
        d.find_elements(By.CSS_SELECTOR, "#data-grid .ag-center-cols-container .ag-row")) == 3, 20)
    shot(browser, "data-filtered")
    shown = {c.text for c in browser.find_elements(By.CSS_SELECTOR, "#data-grid .ag-cell[col-id='value']")}
    assert {"20,000", "60,000", "120,000"} <= shown  # thousands grouped in the grid
    browser.find_element(By.ID, "export-csv").click()
    target = None
    end = time.time() + 30
    while time.time() < end and target is None:
        done = [p for p in browser.download_dir.glob("*.csv")]
        target = done[0] if done else None
        time.sleep(0.1)
    assert target is not None, "no CSV was downloaded"
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 and {r["指标"] for r in rows} == {"5G基站数"}
    assert {r["文件"] for r in rows} == {"fixture.xlsx"} and all(r["单元格"] for r in rows)
    assert console_errors(browser) == []
