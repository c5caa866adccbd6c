"""`python -m etl measures` and `python -m etl template --awards`."""
from __future__ import annotations

import json

from openpyxl import load_workbook

from etl.cli.main import main
from etl.pipeline import ingest_file
from tests.awards_helpers import award, awards_xlsx, code


def test_measures_overview_json_by_year_unit_and_city(engine, capsys):
    rows = [award(12, "甲", code(1), project="A", basis=3000, amount=300, year=2023),
            award(12, "乙", code(2), project="B", basis=2500, amount=250, year=2024, approved="2024-03-01",
                  place="大庆市"),
            award(4, "丙", code(3), amount=50, year=2023)]
    assert ingest_file(engine, awards_xlsx(rows), "a.xlsx", loaded_by="t").status == "loaded"
    assert main(["measures", "--json"], engine=engine) == 0
    table = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert len(table) == 20
    assert (table[12]["awards"], table[12]["enterprises"], table[12]["amount"]) == (2, 2, 550)
    assert table[4]["quota_use"] == {"year": 2023, "used": 1, "quota": 50}
    assert table[15]["has_money"] is False and table[15]["units"][0]["short_zh"] == "省通信管理局"
    assert main(["measures", "--json", "--year", "2024", "--unit", "商务厅"], engine=engine) == 0
    table = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert 4 not in table and table[12]["amount"] == 250  # 省商务厅 is a co-unit of m.12, not of m.4
    assert main(["measures", "--json", "--city", "哈尔滨"], engine=engine) == 0
    table = {r["number"]: r for r in json.loads(capsys.readouterr().out)}
    assert table[12]["amount"] == 300
    assert main(["measures", "--unit", "不存在的厅"], engine=engine) == 2
    assert main(["measures", "--year", "2023"], engine=engine) == 0
    text = capsys.readouterr().out
    assert "实施黑龙江省数字产品制造业倍增行动" in text and "1/50（2023）" in text


def test_awards_template_is_read_back_as_an_empty_list(engine, tmp_path, capsys):
    out = tmp_path / "awards.xlsx"
    assert main(["template", "--awards", str(out)], engine=engine) == 0
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "奖励清单"
    assert [c.value for c in wb["奖励清单"][1]][:4] == ["措施编号", "奖励类别", "企业名称", "统一社会信用代码"]
    assert {row[1] for row in wb["奖励类别"].iter_rows(min_row=2, values_only=True)} >= {"2a", "2b", "4z", "13b"}
    outcome = ingest_file(engine, out.read_bytes(), "awards.xlsx", loaded_by="t")
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.report.problems] == ["award-missing"]
    assert main(["template", str(tmp_path / "long.xlsx")], engine=engine) == 0  # the long one still works


def test_validate_an_award_list_checks_it_against_the_rules(engine, tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_bytes(awards_xlsx([award(1, "甲", code(1), amount=250)]))
    assert main(["validate", "--json", str(path)], engine=engine) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["cell"]) for p in report["problems"]] == [("above-cap", "K2")]
    path.write_bytes(awards_xlsx([award(1, "甲", code(1), amount=200)]))
    assert main(["validate", str(path)], engine=engine) == 0
    capsys.readouterr()
    assert main(["batches", "--json"], engine=engine) == 0
    assert json.loads(capsys.readouterr().out) == []  # validate wrote nothing
