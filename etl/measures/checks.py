"""Every award against its rule, the register and the closing rule (no database).

`findings(rows, register, rulebook)` -> [(award, problem)] for the rows of a file, given the awards
already in the register (current versions). `check_awards` returns only the problems; run on the
whole register with an empty `register` it gives the standing problems of the register itself
(the pages' "rule problems"). A register award with the same identity as a row of the file is the
row's earlier version and is left out (re-sending a corrected list is not a repeat).

Checks and codes (etl/checks/problems.py, the award rules' stage): duplicate-award; name-code-conflict (one code, two names
or one name, two codes); amount-mismatch (fixed amounts); missing-basis / below-threshold; above-cap;
rate-mismatch (amount ≠ min(rate × basis, cap) beyond ROUNDING); outside-validity; quota-exceeded
(the enterprises of a rule group and year beyond the quota, in order of approval, counting the
register first); one-off-repeated; not-highest (the same enterprise and project in one year under
two measures, unless either award or rule is 另有规定; the message names the higher award).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable, Optional

from etl.checks import problems as kinds
from etl.checks.problems import ProblemType
from etl.measures.records import AwardRow, raw_text
from etl.measures.rules import ROUNDING, Rulebook, basis_unit, fmt_wan
from etl.normalise.labels import alias_key
from etl.records import Problem
from etl.wording.catalogue import t

Finding = tuple[AwardRow, Problem]


def ref(a: AwardRow, lang: str) -> str:
    """Where an award is: a registered batch's row, or a row of this file."""
    if a.batch_id is not None:
        return t("awards.ref.registered", lang, batch=a.batch_id, file=a.file_name, row=a.row)
    return t("awards.ref.row", lang, row=a.row, sheet=a.sheet)


def refs(a: AwardRow) -> dict[str, str]:
    return {"ref_zh": ref(a, "zh"), "ref_en": ref(a, "en")}


def _say(a: AwardRow, kind: ProblemType, fld: str, raw: object = None, variant: Optional[str] = None,
         **fields: object) -> Finding:
    return a, kind.at(a.sheet or None, a.cell(fld) if a.sheet else None, raw=raw_text(raw),
                      variant=variant, **fields)


def rule_label(rule, lang: str) -> str:
    """'第2条（2a 首次认定）' / 'measure 2 (2a first recognition)'."""
    return t("awards.rule_label", lang, measure=rule.measure, code=rule.code,
             name=rule.name_zh if lang == "zh" else rule.name_en)


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
            out.append(_say(a, kinds.DUPLICATE_AWARD, "enterprise", **refs(first)))
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
            out.append(_say(a, kinds.NAME_CODE_CONFLICT, "enterprise", a.enterprise, uscc=a.uscc,
                            other=other.enterprise, name=a.enterprise, **refs(other)))
            continue
        codes = by_name[alias_key(a.enterprise)]
        other = next((b for code, b in codes.items() if code != a.uscc), None)
        if other is not None:
            out.append(_say(a, kinds.NAME_CODE_CONFLICT, "uscc", a.uscc, variant="two-codes", uscc=a.uscc,
                            other=other.uscc, name=a.enterprise, **refs(other)))
    return out


def _rule_checks(a: AwardRow, rulebook: Rulebook) -> list[Finding]:
    rule = rulebook.rules[a.rule_code]
    out: list[Finding] = []
    label = {"label_zh": rule_label(rule, "zh"), "label_en": rule_label(rule, "en")}
    if rule.needs_basis and a.basis is None:
        out.append(_say(a, kinds.MISSING_BASIS, "basis" if a.cell("basis") else "amount", **label,
                        basis_zh=rule.basis_zh, basis_en=rule.basis_en, unit=rule.basis_unit))
    if rule.threshold is not None and a.basis is not None and a.basis < rule.threshold - 1e-9:
        out.append(_say(a, kinds.BELOW_THRESHOLD, "basis", fmt_wan(a.basis), **label, basis_zh=rule.basis_zh,
                        basis_en=rule.basis_en, basis=fmt_wan(a.basis), unit=rule.basis_unit,
                        unit_en=basis_unit(rule, "en"), threshold=fmt_wan(rule.threshold)))
    if rule.cap is not None and a.amount > rule.cap + ROUNDING / 2:
        out.append(_say(a, kinds.ABOVE_CAP, "amount", fmt_wan(a.amount), **label, amount=fmt_wan(a.amount),
                        cap=fmt_wan(rule.cap), per_zh=rule.cap_per_zh, per_en=rule.cap_per_en))
    elif rule.kind == "rate" and a.basis is not None:
        expected = rule.expected_amount(a.basis)
        if abs(a.amount - expected) > ROUNDING + 1e-9:
            capped = rule.cap is not None and rule.rate * a.basis > rule.cap

            def how(lang: str) -> str:
                text = t("awards.rate_how", lang, basis_name=rule.basis_zh, basis=fmt_wan(a.basis),
                         rate=f"{rule.rate * 100:g}", product=fmt_wan(rule.rate * a.basis))
                return text + (t("awards.rate_capped", lang, cap=fmt_wan(rule.cap)) if capped else "")

            out.append(_say(a, kinds.RATE_MISMATCH, "amount", fmt_wan(a.amount), amount=fmt_wan(a.amount),
                            expected=fmt_wan(expected), how_zh=how("zh"), how_en=how("en")))
    elif rule.kind in ("fixed", "per_enterprise") and abs(a.amount - rule.amount) > ROUNDING / 2:
        out.append(_say(a, kinds.AMOUNT_MISMATCH, "amount", fmt_wan(a.amount), **label,
                        fixed=fmt_wan(rule.amount), amount=fmt_wan(a.amount)))
    policy = rulebook.policy
    start, end = policy.issued_on, policy.valid_until
    if a.approved_on is not None:
        outside = not start <= a.approved_on <= end
        fld, raw = "approved_on", a.approved_on.isoformat()
    else:
        outside = not start.year <= a.year <= end.year
        fld, raw = "year", a.year
    if outside:
        out.append(_say(a, kinds.OUTSIDE_VALIDITY, fld, raw, value=raw, start=start.isoformat(),
                        years=policy.valid_years, end=end.isoformat()))
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
            out.append(_say(a, kinds.QUOTA_EXCEEDED, "enterprise", a.enterprise, measure=rule.measure,
                            quota=quota, year=a.year, n=len(names)))
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
            out.append(_say(a, kinds.ONE_OFF_REPEATED, "enterprise", a.enterprise, measure=rule.measure,
                            name=a.enterprise, year=earlier.year, amount=fmt_wan(earlier.amount), **refs(earlier)))
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
            other = others[0] if a is higher else higher  # the higher one names the first other one
            out.append(_say(a, kinds.NOT_HIGHEST, "project", a.project, variant="higher" if a is higher else None,
                            name=a.enterprise, project=a.project, year=a.year, measure=a.measure,
                            other_measure=other.measure, other_amount=fmt_wan(other.amount),
                            amount=fmt_wan(a.amount), **refs(other)))
    return out
