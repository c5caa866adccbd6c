"""The measures pages through the app as users reach them: viewers see amounts and counts, analysts
and admins see rule problems too (decided on the server); analysts update a task (audit-logged),
viewers cannot."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from etl.measures.demo import demo_files
from etl.measures.models import MeasureTask
from etl.pipeline import ingest_file
from etl.store.db import session_scope
from tests.accounts_helpers import DashClient, add_users, make_app, output_text


@pytest.fixture
def app(engine):
    for name, data in demo_files():
        assert ingest_file(engine, data, name, loaded_by="demo", is_demo=True).status == "loaded"
    add_users(engine)
    return make_app(engine, public_viewing=True)


def page(client: DashClient, path: str, search: str) -> str:
    response = client.post("_pages_content", {"_pages_location.pathname": path,
                                              "_pages_location.search": search})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return json.dumps(json.loads(response.get_data(as_text=True)), ensure_ascii=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_measure_and_unit_pages_by_role(app, lang):
    viewer = DashClient(app)
    text = page(viewer, "/measures", f"?lang={lang}")
    assert "measure-row-20" in text and "46,810" in text  # the demo register's total (万元)
    assert "measures-total-problems" not in text and "measure-problems-12" not in text
    detail = page(viewer, "/measure", f"?lang={lang}&m=12")
    assert "awards-grid" in detail and "rate-mismatch" not in detail
    assert ("应为" not in detail) if lang == "zh" else ("should be" not in detail)
    analyst = DashClient(app)
    assert analyst.login("ana").status_code == 200
    text = page(analyst, "/measures", f"?lang={lang}&year=2023")
    assert "measures-total-problems" in text and "measure-problems-12" in text
    detail = page(analyst, "/measure", f"?lang={lang}&m=12&year=2023")
    assert ("应为420万元" in detail) if lang == "zh" else ("should be 420" in detail)
    assert "task-save" in detail and "task-save" not in page(viewer, "/measure", f"?lang={lang}&m=12")
    m15 = page(viewer, "/measure", f"?lang={lang}&m=15")
    assert "chart-measure-fiveg_city_coverage" in m15 and "awards-grid" not in m15
    unit = page(viewer, "/units", f"?lang={lang}&unit=gxt")
    assert "unit-measures" in unit and ("省工信厅" in unit if lang == "zh" else "Industry & IT Dept." in unit)


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
