"""The award rules as plain records, and what each rule allows (no database, no Dash).

Kinds (data/seed/award_rules.csv, column `kind`):
- fixed:           the amount is `amount` (m.2 pilot lead unit 50万元; m.9 500万元; m.11 500万元;
                   m.13 newly above scale 50万元); a `threshold` on the basis may apply (m.9 revenue
                   ≥ 100000万元, m.11 ≥ 20 connected enterprises);
- rate:            the amount is `rate` × basis, at most `cap`, and the basis is at least `threshold`
                   (m.2 20% of central support ≤100万元; m.12 10% of investment ≥2000万元, ≤600万元;
                   m.14 20% of the sale price ≤50万元);
- tiered:          any amount above 0 up to `cap` (the tiers are set by implementing rules; m.1 ≤200,
                   m.3 ≤500, m.13 CMMI level ≥3 ≤150);
- per_enterprise:  a fixed amount per enterprise with `quota_per_year` enterprises a year, counted
                   over the rules of one `rule_group` (m.4: 50 a year, 50万元, 100万元 for 省级专精特新).
`one_off`: an enterprise gets an award of the rule group once. `otherwise_provided` (另有规定): the
closing rule (从高不重复) does not apply. The policy's validity is `valid_years` from `issued_on`.
Amounts are in 万元; a computed amount may differ from the written one by ROUNDING (0.01万元 = 100元).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from etl.wording.catalogue import norm_lang, t
from etl.wording.numbers import fmt_plain, unit_after_number, unit_word

ROUNDING = 0.01  # 万元: an amount written to the hundred yuan is right
KINDS = ("fixed", "rate", "tiered", "per_enterprise")


@dataclass(frozen=True)
class PolicyInfo:
    code: str
    name_zh: str
    issued_on: dt.date
    valid_years: int

    @property
    def valid_until(self) -> dt.date:
        """The last day of validity: issued 2021-10-20, four years -> 2025-10-19."""
        try:
            end = self.issued_on.replace(year=self.issued_on.year + self.valid_years)
        except ValueError:  # 29 February
            end = self.issued_on.replace(year=self.issued_on.year + self.valid_years, day=28)
        return end - dt.timedelta(days=1)


@dataclass(frozen=True)
class RuleInfo:
    id: int
    code: str
    measure: int
    kind: str
    name_zh: str
    name_en: str
    amount: Optional[float] = None
    rate: Optional[float] = None
    basis_zh: str = ""
    basis_en: str = ""
    basis_unit: str = ""
    threshold: Optional[float] = None
    cap: Optional[float] = None
    cap_per_zh: str = ""
    cap_per_en: str = ""
    quota_per_year: Optional[int] = None
    rule_group: str = ""
    one_off: bool = False
    otherwise_provided: bool = False

    @property
    def group(self) -> str:
        """Rules counted together for the quota and the one-off rule (4 and 4z), else the rule."""
        return self.rule_group or self.code

    @property
    def needs_basis(self) -> bool:
        return self.kind == "rate" or self.threshold is not None

    def expected_amount(self, basis: Optional[float]) -> Optional[float]:
        """The amount the rule gives for this basis (rate and fixed kinds), else None."""
        if self.kind == "rate":
            if basis is None or self.rate is None:
                return None
            value = self.rate * basis
            return min(value, self.cap) if self.cap is not None else value
        if self.kind in ("fixed", "per_enterprise"):
            return self.amount
        return None


@dataclass(frozen=True)
class Rulebook:
    """Everything the checks need to know about one policy: its validity, measures and rules."""

    policy: PolicyInfo
    measures: dict[int, str]  # number -> title_zh (every measure, with or without money)
    rules: dict[str, RuleInfo]  # rule code -> rule
    rules_by_measure: dict[int, list[RuleInfo]] = field(default_factory=dict)

    def rules_of(self, measure: int) -> list[RuleInfo]:
        return self.rules_by_measure.get(measure, [])


def make_rulebook(policy: PolicyInfo, measures: dict[int, str], rules: list[RuleInfo]) -> Rulebook:
    by_measure: dict[int, list[RuleInfo]] = {}
    for rule in rules:
        by_measure.setdefault(rule.measure, []).append(rule)
    return Rulebook(policy, measures, {r.code: r for r in rules}, by_measure)


def fmt_wan(value: Optional[float]) -> str:
    """50 -> '50', 12.5 -> '12.5', 0.125 -> '0.13' (万元, to the hundred yuan)."""
    return "" if value is None else fmt_plain(value, 2, large_whole=False)


def basis_unit(rule: RuleInfo, lang: str) -> str:
    """The basis unit as written after a number in `lang`: 万元 / ' (10k yuan)', from the one table
    of unit words (etl/wording/texts/units.toml, through unit_after_number). English leaves out a
    unit its basis already names ('connected enterprises at least 20', 'CMMI level at least 3',
    not '20 enterprises', '3 level')."""
    unit = rule.basis_unit
    if norm_lang(lang) == "en" and unit and unit_word(unit, "en") in rule.basis_en:
        return ""
    return unit_after_number(unit, lang)


def describe(rule: RuleInfo, lang: str = "zh") -> str:
    """The rule in words: '中央支持额度的20%，最高100万元' / '20% of central support, at most 100万元'."""
    parts: list[str] = []
    if rule.kind in ("fixed", "per_enterprise"):
        parts.append(t("measures.rule.amount", lang, amount=fmt_wan(rule.amount)))
    elif rule.kind == "rate":
        parts.append(t("measures.rule.rate", lang, pct=f"{(rule.rate or 0) * 100:g}%",
                       basis_zh=rule.basis_zh, basis_en=rule.basis_en))
    elif rule.kind == "tiered":
        parts.append(t("measures.rule.tiered", lang))
    if rule.cap is not None:
        parts.append(t("measures.rule.cap", lang, cap=fmt_wan(rule.cap), per_zh=rule.cap_per_zh,
                       per_en=" " + rule.cap_per_en if rule.cap_per_en else ""))
    if rule.threshold is not None:
        parts.append(t("measures.rule.threshold", lang, value=fmt_wan(rule.threshold), unit=basis_unit(rule, lang),
                       basis_zh=rule.basis_zh, basis_en=rule.basis_en))
    if rule.quota_per_year:
        parts.append(t("measures.rule.quota", lang, n=rule.quota_per_year))
    if rule.one_off:
        parts.append(t("measures.rule.one_off", lang))
    return t("measures.rule.separator", lang).join(parts)
