"""The one number formatter: values with their units, signed gaps, targets, tolerances and
percentages, as an official Chinese report writes them (and their English forms).

Used by the dashboard (cards, hovers, axes, tables), the CLI and the progress wording alike.
"""
from __future__ import annotations

import math
from typing import Iterable

from etl.wording.catalogue import DEFAULT_LANG, has, norm_lang, t


def _grouped(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def default_decimals(value: float, unit: str) -> int:
    if unit == "%":
        return 1
    if unit in ("个",) and abs(value) >= 100:
        return 0
    if abs(value) >= 1000:
        return 0
    if abs(value) >= 100:
        return 1
    return 2 if abs(value) < 10 else 1


def fmt_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = default_decimals(value, "")
    return _grouped(value, decimals)


def fmt_value(value: float | None, unit: str, lang: str = DEFAULT_LANG,
              decimals: int | None = None) -> str:
    """A value with its unit as a reader expects it: '8.1%', '1,234.5亿元' / '123.5 bn yuan'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    lang = norm_lang(lang)
    if unit == "%":
        return f"{_grouped(value, 1 if decimals is None else decimals)}%"
    if lang == "zh":
        if unit == "个" and abs(value) >= 10000:
            wan = f"{value / 10000:.{2 if decimals is None else decimals}f}"
            return (wan.rstrip("0").rstrip(".") if "." in wan else wan) + "万个"
        d = default_decimals(value, unit) if decimals is None else decimals
        return f"{_grouped(value, d)}{unit}"
    if unit == "亿元":
        return f"{_grouped(value / 10, 1 if decimals is None else decimals)} bn yuan"
    if unit == "万人":
        return f"{_grouped(value / 100, 2 if decimals is None else decimals)} million people"
    d = default_decimals(value, unit) if decimals is None else decimals
    return _grouped(value, d)


def fmt_gap(gap: float | None, unit: str, lang: str = DEFAULT_LANG,
            decimals: int | None = None, like: float | None = None) -> str:
    """A signed difference; shares are in percentage points (个百分点 / pp). `decimals`: those of
    the value it is compared with, so that '38.5个' is followed by '+4.6个', not '+4.56个'.
    `like`: that value; a count written in 万个 ('11.52万个') has its gap in 万个 too ('+0.12万个',
    not '+1,200个'), as an official report writes value, target and gap in one unit."""
    if gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return "—"
    if abs(gap) < 1e-9:
        return "0" + ("个百分点" if norm_lang(lang) == "zh" else " pp") if unit == "%" else "0"
    sign = "+" if gap > 0 else "−"
    if unit == "%":
        return f"{sign}{abs(gap):,.1f}" + ("个百分点" if norm_lang(lang) == "zh" else " pp")
    if unit == "个" and norm_lang(lang) == "zh" and like is not None and abs(like) >= 10000:
        return sign + _wan(abs(gap))
    return sign + fmt_value(abs(gap), unit, lang, decimals)


def _wan(count: float) -> str:
    """A count in 万个 with two decimals, more for a small count ('0.005万个', not '0.01万个')."""
    digits = 2
    while digits < 4 and count / 10000 < 10 ** (1 - digits):
        digits += 1
    text = f"{count / 10000:,.{digits}f}".rstrip("0").rstrip(".")
    return text + "万个"


def fmt_target_value(value: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """A target as the policy writes it: '10%', '63%', '11.4万个' (no '10.0%')."""
    if unit == "%" and value is not None and float(value).is_integer():
        return fmt_value(value, unit, lang, decimals=0)
    return fmt_value(value, unit, lang)


def fmt_tolerance(tolerance: float, unit: str, lang: str = DEFAULT_LANG) -> str:
    """The 左右 band: '±2个百分点' / '±2 pp' for shares."""
    if unit == "%":
        return f"±{tolerance:g}" + ("个百分点" if norm_lang(lang) == "zh" else " pp")
    return "±" + fmt_value(tolerance, unit, lang)


def fmt_target(kind: str | None, value: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """'≥10%' for at-least targets, '60%左右' / 'about 60%' for approximate ones."""
    text = fmt_target_value(value, unit, lang)
    if kind == "approximately":
        return f"{text}左右" if norm_lang(lang) == "zh" else f"about {text}"
    if kind == "at_least":
        return "≥" + text
    return text


def fmt_with_unit(value: float | None, unit: str, unit_en: str | None, lang: str = DEFAULT_LANG,
                  target: bool = False) -> str:
    """fmt_value (or fmt_target_value), with the English unit written out where fmt_value leaves
    a bare number ('114,000 base stations'), for texts that stand alone (the CLI, verdicts)."""
    text = (fmt_target_value if target else fmt_value)(value, unit, lang)
    if value is None or norm_lang(lang) == "zh" or unit in ("%", "亿元", "万人") or not unit_en:
        return text
    return f"{text} {unit_en}"


def fmt_percent(share: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A fraction (0.0455) as a percentage ('4.6%')."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{share * 100:,.{decimals}f}%"


def unit_label(unit: str, unit_en: str | None, lang: str) -> str:
    if norm_lang(lang) == "zh":
        return unit
    return {"亿元": "bn yuan", "万人": "million people"}.get(unit, unit_en or unit)


def axis_value(value: float | None, unit: str, lang: str) -> float | None:
    """The number plotted on an axis labelled with `unit_label` (English converts 亿元 to bn)."""
    if value is None or norm_lang(lang) == "zh":
        return value
    if unit == "亿元":
        return value / 10
    if unit == "万人":
        return value / 100
    return value


def fmt_plain(value: float | None, digits: int = 2, *, large_whole: bool = True) -> str:
    """A number in a formula ('7.2', '0.8411', '16,478'): up to `digits` decimals, no trailing
    zeros, thousands grouped, whole numbers of 1,000 or more without decimals (with
    large_whole=False they keep theirs: '12,345.67', for amounts and the values in problems)."""
    if value is None:
        return "—"
    if math.isinf(value):  # an open bound ('0 to +∞')
        return "+∞" if value > 0 else "−∞"
    if large_whole and abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_decimals(value: float, decimals: int, *, signed: bool = False, grouped: bool = True) -> str:
    """A number with exactly `decimals` decimals: '0.84', '+12.5', '1,234'. `signed`: '+' before a
    positive number; `grouped=False`: no thousands commas (a computed figure beside a formula)."""
    return format(value, ("+" if signed else "") + ("," if grouped else "") + f".{decimals}f")


def fmt_change(change: float, decimals: int = 1) -> str:
    """A relative change (0.125) as an unsigned percentage without thousands commas ('12.5%');
    an unbounded one (from zero) as '∞'."""
    if math.isinf(change):
        return "∞"
    return fmt_decimals(change * 100, decimals, grouped=False) + "%"


def unit_word(unit: str, lang: str = DEFAULT_LANG) -> str:
    """The name of a stored unit in `lang`: '亿元' / '100 million yuan', '个' / 'units', '%' / '%'.
    The words are etl/wording/texts/units.toml (unit.word.<unit>); a unit without its own entry
    is called by the generic word (unit.word.other: 'units'), never left empty or in Chinese; no
    unit ('') has no name in either language."""
    if norm_lang(lang) == "zh" or not unit:
        return unit
    return t(f"unit.word.{unit}" if unit and has(f"unit.word.{unit}") else "unit.word.other", "en")


def unit_after_number(unit: str, lang: str = DEFAULT_LANG) -> str:
    """The unit as written right after a number: attached in Chinese ('5亿元') and for symbols
    ('5%'); in English after a space ('5 units'), in brackets when the word starts with a number
    ('5 (100 million yuan)', not '5 100 million yuan')."""
    word = unit_word(unit, lang)
    if norm_lang(lang) == "zh" or not any(ch.isalpha() for ch in word):
        return word
    return f" ({word})" if word[:1].isdigit() else f" {word}"


def fmt_rate(rate: float | None) -> str:
    """A growth rate in a formula, two decimals: '4.55%'."""
    return "—" if rate is None else f"{rate * 100:.2f}%"


def fmt_percent_of(fraction: float, below: bool) -> str:
    """'79%', '113%' (value ÷ something); one more decimal where rounding would make a
    shortfall read as 100% ('99.7%')."""
    for digits in (0, 1, 2):
        text = f"{fraction * 100:,.{digits}f}"
        if not below or float(text.replace(",", "")) < 100:
            break
    return text + "%"


class ChartNumbers:
    """One unit and one number of decimals for every number in one chart (labels, axis, colour
    bar): '3.80万个' beside '1.73万个', or '38,000个' beside '8,640个', never '3.8万个' beside
    '8,640个'. Counts in Chinese go to 万个 only when every value is at least 10,000; other units
    keep fmt_value's spelling with the largest number of decimals any value asks for."""

    def __init__(self, values: Iterable[float | None], unit: str, unit_en: str | None, lang: str):
        present = [v for v in values if v is not None]
        self.unit, self.lang = unit, norm_lang(lang)
        self.wan = (self.lang == "zh" and unit == "个" and bool(present)
                    and min(abs(v) for v in present) >= 10000)
        self.decimals = max((default_decimals(v, unit) for v in present), default=0)
        self.label = "万个" if self.wan else unit_label(unit, unit_en, lang)

    def axis(self, value: float | None) -> float | None:
        """The number drawn on the chart's axis or colour bar, in self.label."""
        if value is None:
            return None
        return value / 10000 if self.wan else axis_value(value, self.unit, self.lang)

    def text(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.wan:
            return f"{value / 10000:.2f}万个"
        if self.lang == "zh" and self.unit == "个":  # fmt_value would write 万个 from 10,000 on
            return f"{fmt_number(value, self.lang, self.decimals)}个"
        return fmt_value(value, self.unit, self.lang, decimals=self.decimals)


def fmt_bytes(size: int) -> str:
    """A file size or limit as people read it, the same in both languages: '20 MB', '25.3 MB',
    '48.8 KB', '900 B' (1 MB = 1,048,576 bytes; a limit under 1 MB is never rounded to '0 MB')."""
    for unit, bytes_per_unit in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= bytes_per_unit:
            text = f"{size / bytes_per_unit:.1f}"
            return f"{text.removesuffix('.0')} {unit}"
    return f"{size} B"
