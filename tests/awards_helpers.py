"""Award lists for tests, written as departments keep them (xlsx, the template's header)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from stdnum.cn import uscc

HEADER = ("措施编号", "奖励类别", "企业名称", "统一社会信用代码", "市（地）或县", "项目名称", "年度",
          "批准日期", "文号", "基数（万元）", "奖励金额（万元）", "发放单位", "另有规定")


def code(n: int, region: str = "230100") -> str:
    """A valid 统一社会信用代码 (GB 32100 check digit) for enterprise number n."""
    body = f"91{region}" + f"MA{n:07d}"[:9]
    return body + uscc.calc_check_digit(body)


def award(measure, enterprise, credit, *, rule="", place="哈尔滨市", project="", year=2023,
          approved="2023-06-30", doc="黑工信发〔2023〕1号", basis=None, amount=50, unit="省工信厅",
          other="否") -> list:
    return [measure, rule, enterprise, credit, place, project, year, approved, doc, basis, amount, unit, other]


def awards_xlsx(rows: list[list], *, sheet: str = "奖励清单", title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(list(HEADER))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def measures_app(engine):
    """The dashboard (public viewing) on `engine` with the demo award register and task sheets loaded
    through the ETL, and the test accounts (admin, ana, vic)."""
    from etl.measures.demo import demo_files
    from etl.pipeline import ingest_file
    from tests.accounts_helpers import add_users, make_app

    for name, data in demo_files():
        assert ingest_file(engine, data, name, loaded_by="demo", is_demo=True).status == "loaded"
    add_users(engine)
    return make_app(engine, public_viewing=True)
