"""The measures pages through the app as users reach them: viewers see amounts and counts, analysts
and admins see rule problems too (decided on the server); analysts update a task (audit-logged),
viewers cannot."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from etl.measures.models import MeasureTask
from etl.store.db import session_scope
from etl.wording.catalogue import t
from tests.accounts_helpers import (DashClient, component_text, find_component, find_component_by_type,
                                    output_text, response_json)
from tests.awards_helpers import measures_app
from tests.test_auth import shows


@pytest.fixture
def app(engine):
    return measures_app(engine)


def page(client: DashClient, path: str, search: str):
    """The component tree the page router sends for path?search."""
    response = client.post("_pages_content", {"_pages_location.pathname": path,
                                              "_pages_location.search": search})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response_json(response)["response"]["_pages_content"]["children"]


def award_grid(tree) -> tuple[list[str], list[dict]]:
    """(the fields of the awards grid's columns, its rows)."""
    grid = find_component(tree, "awards-grid")["props"]
    return [column["field"] for column in grid["columnDefs"]], grid["rowData"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_measure_and_unit_pages_by_role(app, lang):
    viewer = DashClient(app)
    overview = page(viewer, "/measures", f"?lang={lang}")
    assert shows(overview, "measure-row-20")
    assert component_text(find_component(overview, "measures-total-amount")) == "46,810"  # 万元
    assert not shows(overview, "measures-total-problems") and not shows(overview, "measure-problems-12")
    fields, rows = award_grid(page(viewer, "/measure", f"?lang={lang}&m=12"))
    assert rows and "problems" not in fields and not any("problems" in row for row in rows)
    analyst = DashClient(app)
    assert analyst.login("ana").status_code == 200
    overview = page(analyst, "/measures", f"?lang={lang}&year=2023")
    assert shows(overview, "measures-total-problems") and shows(overview, "measure-problems-12")
    detail = page(analyst, "/measure", f"?lang={lang}&m=12&year=2023")
    fields, rows = award_grid(detail)
    said = "应为420万元" if lang == "zh" else "should be 420"
    assert "problems" in fields and any(said in (row.get("problems") or "") for row in rows)
    assert shows(detail, "task-save") and not shows(page(viewer, "/measure", f"?lang={lang}&m=12"),
                                                    "task-save")
    m15 = page(viewer, "/measure", f"?lang={lang}&m=15")
    # the 5G coverage indicator's section (no statistics loaded here: its card says so)
    assert shows(m15, "chart-measure-fiveg_city_coverage") and not shows(m15, "awards-grid")
    unit = page(viewer, "/units", f"?lang={lang}&unit=gxt")
    name = "省工信厅" if lang == "zh" else "Industry & IT Dept."
    assert shows(unit, "unit-measures")
    assert component_text(find_component_by_type(unit, "H1")) == t("unit.title", lang, unit=name)


def test_task_update_is_for_analysts_and_audited(app, engine):
    with session_scope(engine) as s:
        task = s.scalar(select(MeasureTask).where(MeasureTask.code == "15.4"))
    values = {"task-save.n_clicks": 1, "task-pick.value": task.id, "task-status.value": "done",
              "task-evidence.value": "国家枢纽节点获批", "url.search": "?m=15"}
    viewer = DashClient(app)
    assert viewer.post("task-message", values).status_code in (401, 403)
    viewer.login("vic")
    assert viewer.post("task-message", values).status_code == 403
    analyst = DashClient(app)
    analyst.login("ana")
    response = analyst.post("task-message", values)
    assert response.status_code == 200 and "15.4" in output_text(response, "task-message")
    with session_scope(engine) as s:
        t = s.get(MeasureTask, task.id)
        assert (t.status, t.evidence, t.updated_by) == ("done", "国家枢纽节点获批", "ana")
        from dashboard.accounts.models import AuditEvent
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "task-status"))
        assert event.username == "ana" and event.target == "15.4" and event.details["previous"] == "behind"
