"""Every award against its rule, the register and the closing rule (no database).

`findings(rows, register, rulebook)` -> [(award, problem)] for the rows of a file, given the awards
already in the register (current versions). `check_awards` returns only the problems; run on the
whole register with an empty `register` it gives the standing problems of the register itself
(the pages' "rule problems"). A register award with the same identity as a row of the file is the
row's earlier version and is left out (re-sending a corrected list is not a repeat).

Checks and codes (etl.measures.problems): duplicate-award; name-code-conflict (one code, two names
or one name, two codes); amount-mismatch (fixed amounts); missing-basis / below-threshold; above-cap;
rate-mismatch (amount ≠ min(rate × basis, cap) beyond ROUNDING); outside-validity; quota-exceeded
(the enterprises of a rule group and year beyond the quota, in order of approval, counting the
register first); one-off-repeated; not-highest (the same enterprise and project in one year under
two measures, unless either award or rule is 另有规定; the message names the higher award).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable

from etl.measures.problems import problem
from etl.measures.records import AwardRow
from etl.measures.rules import ROUNDING, Rulebook, fmt_wan
from etl.normalise.labels import alias_key
from etl.records import Problem

Finding = tuple[AwardRow, Problem]


def ref_zh(a: AwardRow) -> str:
    if a.batch_id is not None:
        return f"已登记的批次 {a.batch_id}（{a.file_name} 第{a.row}行）"
    return f"本文件第{a.row}行（'{a.sheet}'）"


def ref_en(a: AwardRow) -> str:
    if a.batch_id is not None:
        return f"registered batch {a.batch_id} ({a.file_name}, row {a.row})"
    return f"row {a.row} of this file ('{a.sheet}')"


def _say(a: AwardRow, code: str, fld: str, zh: str, en: str, raw: object = None) -> Finding:
    return a, problem(code, zh, en, sheet=a.sheet or None, cell=a.cell(fld) if a.sheet else None,
                      raw=raw)


def _order(a: AwardRow):
    return (a.batch_id is None, a.approved_on or dt.date(a.year, 12, 31), a.batch_id or 0, a.sheet, a.row)


def findings(rows: list[AwardRow], register: Iterable[AwardRow], rulebook: Rulebook) -> list[Finding]:
    keys = {a.key for a in rows}
    register = [a for a in register if a.key not in keys]
    out: list[Finding] = []
    out += _duplicates(rows)
    out += _names_and_codes(rows, register)
    for a in rows:
        out += _rule_checks(a, rulebook)
    out += _quota(rows, register, rulebook)
    out += _one_off(rows, register, rulebook)
    out += _highest(rows, register, rulebook)
    return out


def check_awards(rows: list[AwardRow], register: Iterable[AwardRow], rulebook: Rulebook) -> list[Problem]:
    return [p for _, p in findings(rows, register, rulebook)]


def _duplicates(rows: list[AwardRow]) -> list[Finding]:
    seen: dict[str, AwardRow] = {}
    out = []
    for a in rows:
        first = seen.setdefault(a.key, a)
        if first is not a:
            out.append(_say(a, "duplicate-award", "enterprise",
                            f"与{ref_zh(first)}是同一项奖励（同一类别、企业、项目、年度和文号）。",
                            f"The same award as {ref_en(first)} (same kind, enterprise, project, year and "
                            f"document number)."))
    return out


def _names_and_codes(rows: list[AwardRow], register: list[AwardRow]) -> list[Finding]:
    """Each row against the register and the rows above it: the first spelling stands."""
    by_code: dict[str, dict[str, AwardRow]] = defaultdict(dict)
    by_name: dict[str, dict[str, AwardRow]] = defaultdict(dict)

    def remember(a: AwardRow) -> None:
        by_code[a.uscc].setdefault(alias_key(a.enterprise), a)
        by_name[alias_key(a.enterprise)].setdefault(a.uscc, a)

    for a in sorted(register, key=_order):
        remember(a)
    out = []
    for a in rows:
        names = by_code[a.uscc]
        other = next((b for k, b in names.items() if k != alias_key(a.enterprise)), None)
        remember(a)
        if other is not None:
            out.append(_say(a, "name-code-conflict", "enterprise",
                            f"统一社会信用代码 {a.uscc} 在{ref_zh(other)}登记为“{other.enterprise}”，此处为“{a.enterprise}”：一个代码两个名称。",
                            f"Credit code {a.uscc} is registered as {other.enterprise!r} in {ref_en(other)} "
                            f"but as {a.enterprise!r} here: one code, two names.", a.enterprise))
            continue
        codes = by_name[alias_key(a.enterprise)]
        other = next((b for code, b in codes.items() if code != a.uscc), None)
        if other is not None:
            out.append(_say(a, "name-code-conflict", "uscc",
                            f"“{a.enterprise}”在{ref_zh(other)}的统一社会信用代码为 {other.uscc}，此处为 {a.uscc}：一个名称两个代码。",
                            f"{a.enterprise!r} has credit code {other.uscc} in {ref_en(other)} but {a.uscc} "
                            f"here: one name, two codes.", a.uscc))
    return out


def _rule_checks(a: AwardRow, rulebook: Rulebook) -> list[Finding]:
    rule = rulebook.rules[a.rule_code]
    out: list[Finding] = []
    label = f"第{rule.measure}条（{rule.code} {rule.name_zh}）"
    label_en = f"measure {rule.measure} ({rule.code} {rule.name_en})"
    if rule.needs_basis and a.basis is None:
        out.append(_say(a, "missing-basis", "basis" if a.cell("basis") else "amount",
                        f"{label}须填写基数：{rule.basis_zh}（{rule.basis_unit}）。",
                        f"{label_en} needs the basis: {rule.basis_en} ({rule.basis_unit})."))
    if rule.threshold is not None and a.basis is not None and a.basis < rule.threshold - 1e-9:
        out.append(_say(a, "below-threshold", "basis",
                        f"{rule.basis_zh}为{fmt_wan(a.basis)}{rule.basis_unit}，低于{label}的门槛{fmt_wan(rule.threshold)}{rule.basis_unit}。",
                        f"The {rule.basis_en} is {fmt_wan(a.basis)} {rule.basis_unit}, below the threshold of "
                        f"{label_en}: {fmt_wan(rule.threshold)} {rule.basis_unit}.", fmt_wan(a.basis)))
    if rule.cap is not None and a.amount > rule.cap + ROUNDING / 2:
        per = rule.cap_per_zh
        out.append(_say(a, "above-cap", "amount",
                        f"奖励金额{fmt_wan(a.amount)}万元超过{label}{per}最高{fmt_wan(rule.cap)}万元的上限。",
                        f"The amount, {fmt_wan(a.amount)} (10k yuan), is above the cap of {label_en}: "
                        f"{fmt_wan(rule.cap)} {rule.cap_per_en}.", fmt_wan(a.amount)))
    elif rule.kind == "rate" and a.basis is not None:
        expected = rule.expected_amount(a.basis)
        if abs(a.amount - expected) > ROUNDING + 1e-9:
            capped = rule.cap is not None and rule.rate * a.basis > rule.cap
            how_zh = (f"{rule.basis_zh}{fmt_wan(a.basis)}万元×{rule.rate * 100:g}%={fmt_wan(rule.rate * a.basis)}万元"
                      + (f"，封顶{fmt_wan(rule.cap)}万元" if capped else ""))
            how_en = (f"{fmt_wan(a.basis)} × {rule.rate * 100:g}% = {fmt_wan(rule.rate * a.basis)}"
                      + (f", capped at {fmt_wan(rule.cap)}" if capped else ""))
            out.append(_say(a, "rate-mismatch", "amount",
                            f"奖励金额{fmt_wan(a.amount)}万元与规则不符：应为{fmt_wan(expected)}万元（{how_zh}）。",
                            f"The amount, {fmt_wan(a.amount)}, does not follow the rule: it should be "
                            f"{fmt_wan(expected)} (10k yuan) ({how_en}).", fmt_wan(a.amount)))
    elif rule.kind in ("fixed", "per_enterprise") and abs(a.amount - rule.amount) > ROUNDING / 2:
        out.append(_say(a, "amount-mismatch", "amount",
                        f"{label}的奖励为定额{fmt_wan(rule.amount)}万元，此处为{fmt_wan(a.amount)}万元。",
                        f"{label_en} is a fixed {fmt_wan(rule.amount)} (10k yuan); here it is "
                        f"{fmt_wan(a.amount)}.", fmt_wan(a.amount)))
    policy = rulebook.policy
    start, end = policy.issued_on, policy.valid_until
    if a.approved_on is not None:
        outside = not start <= a.approved_on <= end
        fld, raw = "approved_on", a.approved_on.isoformat()
    else:
        outside = not start.year <= a.year <= end.year
        fld, raw = "year", a.year
    if outside:
        out.append(_say(a, "outside-validity", fld,
                        f"{raw}不在政策有效期内（{start.isoformat()}印发，有效期{policy.valid_years}年，至{end.isoformat()}）。",
                        f"{raw} is outside the policy's validity (issued {start.isoformat()}, valid "
                        f"{policy.valid_years} years, until {end.isoformat()}).", raw))
    return out


def _quota(rows: list[AwardRow], register: list[AwardRow], rulebook: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    groups = {r.group: r.quota_per_year for r in rulebook.rules.values() if r.quota_per_year}
    if not groups:
        return out
    counted: dict[tuple[str, int], list[str]] = defaultdict(list)
    in_file = {id(a) for a in rows}
    for a in sorted(list(register) + list(rows), key=_order):
        group = rulebook.rules[a.rule_code].group
        if group not in groups:
            continue
        names = counted[(group, a.year)]
        if a.uscc in names:
            continue
        names.append(a.uscc)
        quota = groups[group]
        if len(names) > quota and id(a) in in_file:
            rule = rulebook.rules[a.rule_code]
            out.append(_say(a, "quota-exceeded", "enterprise",
                            f"第{rule.measure}条每年认定{quota}户，本户是{a.year}年的第{len(names)}户（已登记和本文件合计，按批准日期排序）。",
                            f"Measure {rule.measure} allows {quota} enterprises a year; this is enterprise "
                            f"number {len(names)} of {a.year} (the register and this file, by approval date).",
                            a.enterprise))
    return out


def _one_off(rows: list[AwardRow], register: list[AwardRow], rulebook: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    first: dict[tuple[str, str], AwardRow] = {}
    in_file = {id(a) for a in rows}
    for a in sorted(list(register) + list(rows), key=_order):
        rule = rulebook.rules[a.rule_code]
        if not rule.one_off:
            continue
        earlier = first.setdefault((rule.group, a.uscc), a)
        if earlier is not a and id(a) in in_file:
            out.append(_say(a, "one-off-repeated", "enterprise",
                            f"第{rule.measure}条的一次性奖励，“{a.enterprise}”已在{ref_zh(earlier)}获得（{earlier.year}年，{fmt_wan(earlier.amount)}万元）。",
                            f"Measure {rule.measure} is a one-off award and {a.enterprise!r} already received it in "
                            f"{ref_en(earlier)} ({earlier.year}, {fmt_wan(earlier.amount)}).", a.enterprise))
    return out


def _highest(rows: list[AwardRow], register: list[AwardRow], rulebook: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    groups: dict[tuple[str, str, int], list[AwardRow]] = defaultdict(list)
    for a in list(register) + list(rows):
        if a.project_key:
            groups[(a.uscc, a.project_key, a.year)].append(a)
    in_file = {id(a) for a in rows}
    for items in groups.values():
        if len({a.measure for a in items}) < 2:
            continue
        exempt = [a for a in items if a.otherwise_provided or rulebook.rules[a.rule_code].otherwise_provided]
        if exempt:
            continue
        higher = max(items, key=lambda a: (a.amount, -a.measure))
        for a in items:
            if id(a) not in in_file:
                continue
            others = [b for b in items if b is not a and b.measure != a.measure]
            if not others:
                continue
            other = others[0]
            if a is higher:
                zh = (f"“{a.enterprise}”的项目“{a.project}”在{a.year}年同时获第{a.measure}条和第{other.measure}条支持"
                      f"（{ref_zh(other)}，{fmt_wan(other.amount)}万元）；按从高不重复，本行{fmt_wan(a.amount)}万元为较高者，应只保留本行。")
                en = (f"{a.enterprise!r}'s project {a.project!r} is supported in {a.year} under measure {a.measure} and "
                      f"measure {other.measure} ({ref_en(other)}, {fmt_wan(other.amount)}); the highest amount only "
                      f"(从高不重复): this row, {fmt_wan(a.amount)}, is the higher one and should be the only one kept.")
            else:
                zh = (f"“{a.enterprise}”的项目“{a.project}”在{a.year}年已获第{higher.measure}条支持"
                      f"（{ref_zh(higher)}，{fmt_wan(higher.amount)}万元，较高者）；按从高不重复，本行{fmt_wan(a.amount)}万元不应再予支持（另有规定的除外）。")
                en = (f"{a.enterprise!r}'s project {a.project!r} is already supported in {a.year} under measure "
                      f"{higher.measure} ({ref_en(higher)}, {fmt_wan(higher.amount)}, the higher one); the highest "
                      f"amount only (从高不重复): this row, {fmt_wan(a.amount)}, should not be paid (unless 另有规定).")
            out.append(_say(a, "not-highest", "project", zh, en, a.project))
    return out
