"""What the measures pages share: their words (registered in the one catalogue), the reads they make
(etl.measures.queries and tasks, never SQL), who may see rule problems, and small components.

Rule problems are shown to analysts and admins only, decided on the server from the signed-in
role (`may_see_problems`); viewers see amounts and counts. The pages are built per request (not
memoised by query string like the statistics pages), because what they show depends on the role
and on task statuses that change without a new batch.
"""
from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import auth, data
from etl.measures import queries
from etl.wording.catalogue import pick, register, t
from etl.wording.numbers import fmt_number

TEXTS = register({
    "nav.measures": ("政策措施", "Measures"),
    "measures.title": ("政策措施落实情况", "The policy's measures"),
    "measures.lead": ("《推动“数字龙江”建设加快数字经济高质量发展若干政策措施》20条：各条奖补兑现、企业和金额，以及各责任单位的任务进展。",
                      "The 20 measures of the 2021 digital-economy policy: awards paid, enterprises and amounts, "
                      "and the progress of each responsible unit's tasks."),
    "measures.unit": ("责任单位", "Responsible unit"), "measures.city": ("市（地）", "City"),
    "measures.year": ("年度", "Year"), "measures.all": ("全部", "All"),
    "measures.col.no": ("条", "No."), "measures.col.measure": ("措施", "Measure"),
    "measures.col.units": ("责任单位（牵头在前）", "Responsible units (lead first)"),
    "measures.col.awards": ("奖励数", "Awards"), "measures.col.enterprises": ("企业数", "Enterprises"),
    "measures.col.amount": ("金额（万元）", "Amount (10k yuan)"), "measures.col.quota": ("年度名额", "Yearly quota"),
    "measures.col.status": ("实施状态", "Status"), "measures.col.problems": ("规则问题", "Rule problems"),
    "measures.card.awards": ("奖励（项）", "Awards"), "measures.card.enterprises": ("受益企业（家）", "Enterprises"),
    "measures.card.amount": ("兑现金额（万元）", "Paid (10k yuan)"),
    "measures.card.problems": ("违反规则的奖励", "Awards breaking a rule"),
    "measures.card.behind": ("滞后任务", "Tasks behind"),
    "measures.no_money": ("本条无资金奖补，按任务推进。", "No money under this measure: tasks only."),
    "measures.problems_note": ("规则问题仅分析员和管理员可见。", "Rule problems are shown to analysts and admins only."),
    "measure.title": ("第{n}条 {title}", "Measure {n}: {title}"),
    "measure.back": ("← 返回政策措施", "← All measures"),
    "measure.text": ("政策原文", "Policy text"),
    "measure.text_en": ("原文为中文；标题译文：{title}", "The policy text is in Chinese; the title: {title}"),
    "measure.rules": ("奖补规则", "Award rules"),
    "measure.validity": ("有效期：{start} 至 {end}（印发之日起4年）", "Valid {start} to {end} (four years from issue)"),
    "measure.quota": ("年度名额使用", "Yearly quota used"),
    "measure.quota_year": ("{year}年 {used}/{quota}", "{year}: {used}/{quota}"),
    "measures.quota_of_year": ("{used}/{quota}（{year}年）", "{used}/{quota} ({year})"),
    "measure.hover_year": ("%{x}年：%{y:,.2f}万元，%{customdata[0]}项<extra></extra>",
                           "%{x}: %{y:,.2f} (10k yuan), %{customdata[0]} awards<extra></extra>"),
    "measures.money_unit": ("万元", "10k yuan"),
    "measure.awards_n": ("{n}项", "{n} awards"),
    "measure.colon": ("：", ": "),
    "measure.count": ("（{n}）", " ({n})"),
    "measure.closing": ("从高不重复", "Highest only"),
    "measure.by_year": ("按年度兑现金额（万元）", "Paid by year (10k yuan)"),
    "measure.by_city": ("各市（地）兑现金额", "Paid by city"),
    "measure.awards": ("奖励清单", "Awards"),
    "measure.tasks": ("任务与进展", "Tasks and progress"),
    "measure.indicators": ("相关结果指标", "Outcome indicators"),
    "measure.unknown": ("没有这一条措施。", "There is no such measure."),
    "measure.export_csv": ("导出 CSV", "Export CSV"), "measure.export_xlsx": ("导出 Excel", "Export Excel"),
    "measure.update": ("更新任务进展", "Update a task"),
    "measure.update_task": ("任务", "Task"), "measure.update_status": ("状态", "Status"),
    "measure.update_evidence": ("依据（文号或链接）", "Evidence (document number or link)"),
    "measure.update_save": ("保存", "Save"),
    "measure.updated": ("已更新任务 {code}：{status}（已记入审计日志）", "Task {code} updated: {status} (recorded in the audit log)"),
    "measure.upload_hint": ("也可在“上传数据”页上传奖励清单或任务进展表（模板：python -m etl template --awards）。",
                            "Award lists and progress sheets can also be uploaded on the Upload page "
                            "(template: python -m etl template --awards)."),
    "awards.col.rule": ("类别", "Kind"), "awards.col.enterprise": ("企业", "Enterprise"),
    "awards.col.uscc": ("统一社会信用代码", "Credit code"), "awards.col.place": ("市（地）或县", "City or county"),
    "awards.col.project": ("项目", "Project"), "awards.col.year": ("年度", "Year"),
    "awards.col.approved": ("批准日期", "Approved"), "awards.col.doc": ("文号", "Document"),
    "awards.col.basis": ("基数", "Basis"), "awards.col.amount": ("金额（万元）", "Amount (10k yuan)"),
    "awards.col.unit": ("发放单位", "Granted by"), "awards.col.source": ("来源", "Source"),
    "awards.col.problems": ("规则问题", "Rule problems"),
    "tasks.col.code": ("编号", "No."), "tasks.col.unit": ("责任单位", "Unit"), "tasks.col.task": ("任务", "Task"),
    "tasks.col.status": ("状态", "Status"), "tasks.col.evidence": ("依据", "Evidence"),
    "tasks.col.updated": ("更新", "Updated"), "tasks.col.measure": ("措施", "Measure"),
    "unit.title": ("{unit}：承担的政策措施", "{unit}: its measures"),
    "unit.lead": ("牵头", "Lead"), "unit.co": ("配合", "Co-responsible"),
    "unit.measures": ("承担的措施", "Measures"), "unit.tasks": ("本单位任务", "The unit's tasks"),
    "unit.status": ("本单位任务进展", "The unit's tasks"),
    "unit.pick": ("选择责任单位", "Pick a unit"), "unit.role": ("角色", "Role"),
    "measures.demo": ("演示数据", "Demo data"),
})

STATUS_STYLE = {"done": ("success", "✓"), "in_progress": ("primary", "►"), "behind": ("danger", "!"),
                "not_started": ("secondary", "○")}


def may_see_problems() -> bool:
    return auth.current_role() in auth.DATA_EDITORS


def engine():
    return data.engine()


def status_badge(status: str, lang: str, **kwargs) -> dbc.Badge:
    color, icon = STATUS_STYLE.get(status, ("secondary", "•"))
    return dbc.Badge(f"{icon} {t('status.' + status, lang)}", color=color,
                     className=f"status-badge task-{status}", **kwargs)


def wan(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang, 2 if value % 1 else 0)


def unit_links(units: list[dict], lang: str, href) -> list:
    out: list[Any] = []
    for i, u in enumerate(units):
        link = html.A(pick(u["short_zh"], u["short_en"], lang), href=href(u["code"]),
                      title=pick(u["name_zh"], u["name_en"], lang),
                      className="fw-semibold" if u["role"] == "lead" else "")
        out += ([t("list.separator", lang)] if i else []) + [link]
    return out


def demo_badge(lang: str):
    return dbc.Badge(t("measures.demo", lang), color="warning", text_color="dark", className="ms-2 demo-badge")


def overview(**filters) -> list[dict]:
    return queries.measures_overview(engine(), **filters)


def detail(number: int, **filters) -> dict | None:
    return queries.measure_detail(engine(), number, **filters)


def unit(code: str) -> dict | None:
    return queries.unit_overview(engine(), code)


def units() -> list[dict]:
    return queries.units_list(engine())


def years() -> list[int]:
    return queries.award_years(engine())
