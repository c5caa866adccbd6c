"""Browser test of the analysts' flow (Selenium, headless Chromium):

an analyst signs in, uploads a messy workbook, reads the report, sees it rejected with the database
unchanged, uploads a good one, sees the preview, commits, and the overview shows the new quarter;
a viewer sees no upload page and cannot reach it by URL. Screenshots go to artifacts/screenshots/.
Set-up (server, browser; skipped without Chromium unless CI=true) in tests/browser/conftest.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from etl.store.db import session_scope
from etl.store.models import Batch, Observation
from tests import messy_files
from tests.accounts_helpers import PASSWORDS, add_users, make_app
from tests.browser.helpers import navigate, settle, until, wait_for

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def server(engine, serve):
    add_users(engine, ("ana", "vic"))
    return serve(make_app(engine))


def wait(driver, css: str, timeout: float = 60):
    return wait_for(driver, css, timeout)


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def sign_in(driver, base: str, path: str, name: str) -> None:
    driver.get(base + path)
    wait(driver, "#login-username").send_keys(name)
    driver.find_element(By.ID, "login-password").send_keys(PASSWORDS[name])
    shot(driver, f"login-{name}")
    driver.find_element(By.ID, "login-submit").click()
    until(driver, lambda d: not d.find_elements(By.ID, "login-username"), 30)


def choose_file(driver, path: Path) -> None:
    field = wait(driver, "#upload-files input[type=file]")
    field.send_keys(str(path))


def csp_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and ("Content Security Policy" in entry["message"]
                                               or "Refused" in entry["message"])]


def db_counts(engine) -> tuple[int, int]:
    with session_scope(engine) as db:
        return (db.scalar(select(func.count()).select_from(Batch)),
                db.scalar(select(func.count()).select_from(Observation)))


def test_analyst_uploads_and_viewer_is_kept_out(server, browser, engine, tmp_path):
    messy, name = messy_files.provincial_xlsx(cell_overrides={"B7": "一百二十"})
    messy_path = tmp_path / f"messy-{name}"
    messy_path.write_bytes(messy)
    good, name = messy_files.provincial_xlsx()
    good_path = tmp_path / name
    good_path.write_bytes(good)

    sign_in(browser, server, "/upload", "ana")
    wait(browser, "#upload-files")
    assert browser.find_elements(By.ID, "nav-upload"), "the analyst's navbar links the upload page"
    shot(browser, "upload-empty")

    # a messy workbook: the report names the cell, the file is rejected, nothing is written
    choose_file(browser, messy_path)
    wait(browser, ".upload-status-rejected")
    report = browser.find_element(By.CSS_SELECTOR, ".problems-table").text
    assert "B7" in report and "一百二十" in report
    assert not browser.find_element(By.ID, "upload-actions").is_displayed()
    shot(browser, "upload-rejected")
    assert db_counts(engine) == (0, 0)

    # a good workbook: preview, then commit
    choose_file(browser, good_path)
    wait(browser, ".upload-status-ok")
    preview = wait(browser, ".preview-new").text
    assert "新增" in preview
    shot(browser, "upload-preview")
    assert db_counts(engine) == (0, 0)  # the preview wrote nothing
    button = browser.find_element(By.ID, "upload-commit")
    # at once, not Bootstrap's smooth scrolling: the screenshot shows the button
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button)
    shot(browser, "upload-before-commit")
    browser.execute_script("arguments[0].click();", button)
    done = wait(browser, ".upload-committed").text
    assert "已载入" in done
    shot(browser, "upload-committed")
    assert db_counts(engine)[0] == 1

    # the overview shows the new quarter (2024年1-9月 = the third quarter of 2024)
    # the overview and the history reached inside the app, as from the navigation bar (the pages'
    # scripts parsed once, on the first load, and its console log read by csp_errors below)
    navigate(browser, "/", "#page-overview")
    vintage = wait(browser, "#overview-vintage")
    until(browser, lambda d: "2024" in d.find_element(By.ID, "overview-vintage").text, 30)
    assert "2024" in vintage.text and ("三季度" in vintage.text or "Q3" in vintage.text)
    shot(browser, "overview-after-upload")

    navigate(browser, "/history", "#history-batches")
    wait(browser, "#history-batches .ag-row")
    shot(browser, "history")
    assert csp_errors(browser) == []

    # a viewer: no upload link, and the URL shows a refusal instead of the page
    browser.delete_all_cookies()
    sign_in(browser, server, "/", "vic")
    wait(browser, "#navbar a")
    settle(browser)  # the navigation bar as the viewer's callbacks left it
    assert not browser.find_elements(By.ID, "nav-upload")
    browser.get(server + "/upload")
    wait(browser, "#auth-forbidden")
    assert not browser.find_elements(By.ID, "upload-files")
    shot(browser, "viewer-upload-refused")
    assert db_counts(engine)[0] == 1
