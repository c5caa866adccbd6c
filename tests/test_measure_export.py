"""The awards export of /measure?m=N: the browser says which awards it shows and in which order; the
server reads every value again from the register, so a forged row cannot reach a file, and rule
problems go only to the roles that may see them."""
from __future__ import annotations

import base64
import csv
import io

import pytest

from etl.measures import queries
from etl.wording.catalogue import t
from tests.accounts_helpers import DashClient, response_json
from tests.awards_helpers import measures_app


@pytest.fixture
def app(engine):
    return measures_app(engine)


def export(client: DashClient, rows: list, search: str = "?lang=zh&m=12") -> tuple[str, list[list[str]]]:
    response = client.post("awards-download", {"awards-export-csv.n_clicks": 1, "awards-export-xlsx.n_clicks": None,
                                               "awards-grid.virtualRowData": rows, "url.search": search},
                           triggered="awards-export-csv.n_clicks")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    download = response_json(response)["response"]["awards-download"]["data"]
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    return download["filename"], list(csv.reader(io.StringIO(text)))


def test_export_reads_the_register_not_the_browser(app, engine):
    awards = queries.measure_detail(engine, 12)["awards"]
    first, second = awards[0], awards[1]
    forged = [{"key": second["key"], "enterprise": "伪造企业", "amount": 99999},  # a real award, forged values
              {"key": "no-such-award", "enterprise": "不存在", "amount": 1},      # not in the register
              {"key": first["key"], "problems": "伪造的问题"},
              {"key": second["key"]}]                                           # the same award twice
    name, table = export(DashClient(app), forged)
    assert name == "measure-12-awards.csv"
    header, body = table[0], table[1:]
    assert t("awards.col.problems", "zh") not in header and len(header) == 12  # viewers: no problems column
    enterprise, amount = header.index(t("awards.col.enterprise", "zh")), header.index(t("awards.col.amount", "zh"))
    assert [row[enterprise] for row in body] == [second["enterprise"], first["enterprise"]]  # the grid's order
    assert float(body[0][amount]) == second["amount"] and "伪造" not in str(table)


def test_problems_column_for_analysts_only(app, engine):
    awards = queries.measure_detail(engine, 12)["awards"]
    with_problem = next(a for a in awards if a["problems"])
    analyst = DashClient(app)
    assert analyst.login("ana").status_code == 200
    _, table = export(analyst, [{"key": with_problem["key"]}])
    assert len(table[0]) == 13 and table[1][-1] == "；".join(p["message_zh"] for p in with_problem["problems"])
    _, table = export(DashClient(app), [{"key": with_problem["key"]}])
    assert len(table[0]) == 12


def test_rows_of_another_measure_are_not_exported(app, engine):
    other = next(d["awards"] for n in range(1, 21) if n != 12 and (d := queries.measure_detail(engine, n))["awards"])
    _, table = export(DashClient(app), [{"key": a["key"]} for a in other[:3]])
    assert table[1:] == []


def test_history_shows_an_award_batch_s_awards(app, engine):
    """An award list's batch on /history lists the awards it wrote (it used to show an empty grid)."""
    from sqlalchemy import func, select

    from etl.measures.models import Award
    from etl.store.db import session_scope
    from tests.accounts_helpers import find_component

    with session_scope(engine) as s:
        batch_id, count = s.execute(select(Award.batch_id, func.count())
                                    .group_by(Award.batch_id).order_by(Award.batch_id)).first()
        award = s.scalars(select(Award).where(Award.batch_id == batch_id).order_by(Award.sheet, Award.row)).first()
        expected = (award.enterprise, award.amount, award.version, f"'{award.sheet}'!{award.cells['amount']}")
    analyst = DashClient(app)
    assert analyst.login("ana").status_code == 200
    detail = analyst.post("history-detail", {"history-batches.selectedRows": [{"id": batch_id}],
                                             "history-lang.data": "zh"})
    grid = find_component(response_json(detail)["response"]["history-detail"]["children"], "history-values")
    rows = grid["props"]["rowData"]
    assert len(rows) == count and [c["field"] for c in grid["props"]["columnDefs"]][:3] == ["measure", "rule", "enterprise"]
    assert (rows[0]["enterprise"], rows[0]["amount"], rows[0]["version"], rows[0]["cell"]) == expected
    versions = analyst.post("history-versions", {"history-values.selectedRows": [rows[0]], "history-lang.data": "zh"})
    assert versions.status_code == 200 and response_json(versions)["response"]["history-versions"]["children"] is None
