"""Browser test of an award list (Selenium, headless Chromium): an analyst uploads a list with a
breach (an amount above the cap of measure 1), reads the cell-precise report, fixes the cell,
uploads again, commits, and the measure page shows the award; rule problems are the analyst's.
Set-up (server, browser; skipped without Chromium unless CI=true) in tests/browser/conftest.py."""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from etl.measures import store
from etl.store.db import session_scope
from tests.accounts_helpers import add_users, make_app
from tests.awards_helpers import award, awards_xlsx, code
from tests.browser.helpers import navigate, until
from tests.browser.test_upload_flow import choose_file, shot, sign_in, wait

pytestmark = pytest.mark.browser


@pytest.fixture
def server(engine, serve):
    add_users(engine, ("ana",))
    return serve(make_app(engine))


def test_award_list_with_a_breach_is_fixed_committed_and_shown(server, browser, engine, tmp_path):
    rows = [award(1, "哈尔滨极光智能装备有限公司", code(1), project="5G全连接工厂", amount=200),
            award(1, "大庆油城工业互联网有限公司", code(2), place="大庆市", project="数字化车间", amount=260)]
    bad = tmp_path / "工信厅-2023奖补清单.xlsx"
    bad.write_bytes(awards_xlsx(rows))
    rows[1][10] = 180
    good = tmp_path / "工信厅-2023奖补清单-改.xlsx"
    good.write_bytes(awards_xlsx(rows))

    sign_in(browser, server, "/upload", "ana")
    wait(browser, "#upload-files")
    choose_file(browser, bad)
    wait(browser, ".upload-status-rejected")
    report = browser.find_element(By.CSS_SELECTOR, ".problems-table").text
    assert "K3" in report and ("above-cap" in report or "超过上限" in report)
    assert "200万元" in report
    shot(browser, "awards-rejected")
    with session_scope(engine) as s:
        assert store.register(s) == []

    choose_file(browser, good)
    wait(browser, ".upload-status-ok")
    assert "新增" in wait(browser, ".preview-new").text
    button = browser.find_element(By.ID, "upload-commit")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button)
    browser.execute_script("arguments[0].click();", button)
    assert "已载入" in wait(browser, ".upload-committed").text
    with session_scope(engine) as s:
        assert sorted(a.amount for a in store.register(s)) == [180, 200]

    # the measure's page and the list reached inside the app, as from its links (helpers.navigate)
    navigate(browser, "/measure?m=1", "#page-measure")
    until(browser, lambda d: "（2）" in d.find_element(By.ID, "measure-award-count").text, 30)
    wait(browser, "#awards-grid .ag-row")
    grid = browser.find_element(By.ID, "awards-grid").text
    assert "大庆油城工业互联网有限公司" in grid
    assert browser.find_elements(By.ID, "task-save")  # the analyst may update tasks here
    shot(browser, "measure-1-after-upload")
    navigate(browser, "/measures", "#page-measures")
    amount = wait(browser, "#measures-total-amount")
    until(browser, lambda d: d.find_element(By.ID, "measures-total-amount").text == "380", 30)
    assert amount.text == "380"
    shot(browser, "measures-after-upload")
