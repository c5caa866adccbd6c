"""The typed problems of the awards register: each code, its severity, and its wording.

Like etl.records.Problem everywhere else (code, severity, Chinese and English message, sheet, cell,
raw text), so the report, the annotated copy and the upload page show them unchanged.

Format problems (the list cannot be read as awards):
    award-header (no header row), award-missing (a required cell is empty), award-type (a number,
    year or date that is not one), unknown-measure, unknown-rule, invalid-uscc, duplicate-award
    (the same award twice in the file), unknown-place (warning: the award loads without a city);
    in a progress sheet: unknown-task, bad-status
Rule problems (the award breaks the policy; RULE_CODES):
    name-code-conflict, above-cap, rate-mismatch, amount-mismatch, missing-basis, below-threshold,
    quota-exceeded, one-off-repeated, outside-validity, not-highest (从高不重复)
"""
from __future__ import annotations

from typing import Optional

from etl.records import ERROR, WARNING, Problem
from etl.wording.catalogue import pick

FORMAT_CODES = ("award-header", "award-missing", "award-type", "unknown-measure", "unknown-rule",
                "invalid-uscc", "duplicate-award", "unknown-place", "unknown-task", "bad-status")
RULE_CODES = ("name-code-conflict", "above-cap", "rate-mismatch", "amount-mismatch", "missing-basis",
              "below-threshold", "quota-exceeded", "one-off-repeated", "outside-validity",
              "not-highest")

# code -> (Chinese name, English name): the words the pages use for a problem kind
NAMES: dict[str, tuple[str, str]] = {
    "award-header": ("找不到表头", "No header row"),
    "award-missing": ("必填项为空", "Required cell empty"),
    "award-type": ("格式错误", "Not a number or date"),
    "unknown-measure": ("未知措施", "Unknown measure"),
    "unknown-rule": ("未知奖励类别", "Unknown award kind"),
    "invalid-uscc": ("统一社会信用代码无效", "Invalid credit code"),
    "duplicate-award": ("重复行", "Duplicate row"),
    "unknown-place": ("未识别的市（地）", "Unknown city"),
    "name-code-conflict": ("名称与代码不一致", "Name and code disagree"),
    "above-cap": ("超过上限", "Above the cap"),
    "rate-mismatch": ("金额与比例不符", "Amount ≠ rate × basis"),
    "amount-mismatch": ("金额与定额不符", "Amount ≠ fixed amount"),
    "missing-basis": ("缺少基数", "Basis missing"),
    "below-threshold": ("未达门槛", "Below the threshold"),
    "quota-exceeded": ("超过年度名额", "Yearly quota exceeded"),
    "one-off-repeated": ("一次性奖励重复", "One-off award repeated"),
    "outside-validity": ("超出有效期", "Outside the validity"),
    "not-highest": ("从高不重复", "Supported twice (highest only)"),
    "unknown-task": ("未知任务", "Unknown task"),
    "bad-status": ("状态无效", "Unknown status"),
}


# code -> how to fix it (Chinese, English)
FIX: dict[str, tuple[str, str]] = {
    "award-header": ("用 python -m etl template --awards 生成的模板，或在表头写上这些列名。",
                     "Use the template (python -m etl template --awards) or name the columns as it does."),
    "award-missing": ("填写该单元格。", "Fill in the cell."),
    "award-type": ("写成数值（万元）、年份（2023）或日期（2023-05-12）。",
                   "Write a number (10k yuan), a year (2023) or a date (2023-05-12)."),
    "unknown-measure": ("填写有资金奖补规则的措施编号（1—4、9、11—14）。",
                        "Use a measure with an award rule (1–4, 9, 11–14)."),
    "unknown-rule": ("奖励类别填规则代码（如2a、4z、13b）或留空由系统判断。",
                     "Write the rule code (2a, 4z, 13b) or leave it empty."),
    "invalid-uscc": ("按营业执照核对18位统一社会信用代码。", "Check the 18-character code on the business licence."),
    "duplicate-award": ("删除重复的行。", "Delete the repeated row."),
    "unknown-place": ("写市（地）名称，如“哈尔滨市”或“哈尔滨市南岗区”。", "Write the city, e.g. 哈尔滨市."),
    "name-code-conflict": ("核对企业名称与代码；企业更名时两处写同一名称。",
                           "Check the name and the code; after a renaming use one name."),
    "above-cap": ("按上限核减金额，或核对措施和类别。", "Reduce the amount to the cap or check the measure."),
    "rate-mismatch": ("按比例×基数重算金额（到百元），或核对基数。", "Recompute rate × basis or check the basis."),
    "amount-mismatch": ("按定额填写，或核对措施和类别。", "Use the fixed amount or check the measure and kind."),
    "missing-basis": ("在“基数（万元）”列填写计算基数。", "Fill in the basis column."),
    "below-threshold": ("核对基数；未达门槛的项目不符合本条件。", "Check the basis; below the threshold the rule does not apply."),
    "quota-exceeded": ("核对认定名单：每年名额已满。", "Check the list: the year's quota is used up."),
    "one-off-repeated": ("一次性奖励只能获得一次；删除该行或核对企业。", "A one-off award is granted once; delete the row."),
    "outside-validity": ("核对批准日期；有效期外的项目不适用本政策。", "Check the date; outside the validity the policy does not apply."),
    "unknown-task": ("填写措施页面上的任务编号（如15.1）。", "Use a task number from the measure pages (e.g. 15.1)."),
    "bad-status": ("填写未启动、推进中、已完成或滞后。", "Write 未启动, 推进中, 已完成 or 滞后."),
    "not-highest": ("同一项目同一年度只按最高一项支持；删除较低的一项，或在“另有规定”列填“是”。",
                    "One project is supported once a year, at the highest amount: drop the lower award or "
                    "mark 另有规定 = 是."),
}


def problem(code: str, zh: str, en: str, *, sheet: Optional[str] = None, cell: Optional[str] = None,
            raw: object = None, severity: Optional[str] = None) -> Problem:
    """A Problem of this catalogue (errors unless the code is a warning), with title and fix."""
    if code not in NAMES:
        raise ValueError(f"unknown award problem code {code!r}")
    severity = severity or (WARNING if code == "unknown-place" else ERROR)
    title_zh, title_en = NAMES[code]
    fix_zh, fix_en = FIX.get(code, ("", ""))
    return Problem(code, severity, zh, en, sheet=sheet, cell=cell,
                   raw=None if raw in (None, "") else str(raw)[:100],
                   title_zh=title_zh, title_en=title_en, fix_zh=fix_zh, fix_en=fix_en)


def is_rule_problem(p: Problem) -> bool:
    return p.code in RULE_CODES


def name(code: str, lang: str = "zh") -> str:
    return pick(*NAMES.get(code, (code, code)), lang)
