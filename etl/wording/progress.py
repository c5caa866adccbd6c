"""The words of the progress engine's results: one place for the pages, the CLI and the briefing.

Every function takes a dataclass of etl/progress/assess.py (or a status code) and a language and
returns text from the catalogue; the method's thresholds are interpolated from
etl/progress/method.py, never copied.
"""
from __future__ import annotations

from typing import Optional

from etl.progress import method as m
from etl.wording.catalogue import has, norm_lang, pick, t
from etl.wording.numbers import fmt_percent_of, fmt_plain, fmt_rate, fmt_with_unit

_R = dict(on_track=f"{m.ON_TRACK:.2f}", acc=f"{m.ACCELERATION:.2f}")


def method_text(key: str, lang: str) -> str:
    """A text that states the method's thresholds (cli.r_footer, explain.rule, method.progress_text),
    with them interpolated from etl/progress/method.py."""
    return t(key, lang, **_R)


# --- labels -----------------------------------------------------------------------------------

def status_label(code: str, lang: str) -> str:
    return t(f"status.{code}", lang)


def status_icon(code: str) -> str:
    return m.ICONS[code]


def kind_label(kind: str, lang: str) -> str:
    key = f"kind.{kind}"
    return t(key, lang) if has(key) else kind


def verdict_word(kind: str, lang: str) -> str:
    return t(f"verdict.word.{kind}", lang)


def _unit(unit: str, unit_en: str, lang: str) -> str:
    """The unit after a number: '%' and Chinese units attached, English ones after a space."""
    if norm_lang(lang) == "zh" or unit == "%":
        return unit
    return f" {unit_en}"


def gap_unit(unit: str, unit_en: str, lang: str, short: bool = False) -> str:
    """The unit of a gap: percentage points for shares."""
    if unit == "%":
        return t("unit.pp_short" if short else "unit.pp", lang)
    return pick(unit, unit_en, lang)


def target_label(target, lang: str) -> str:
    """The target as the policy writes it: '≥10%', '60%左右（±2个百分点）', '全国平均水平'."""
    if target.kind == m.NATIONAL_AVERAGE:
        return t("target.national", lang)
    if target.kind == m.FULL_COVERAGE_KIND:
        return t("target.full_coverage", lang)
    value = fmt_with_unit(target.value, target.unit, target.unit_en, lang, target=True)
    if target.kind == m.APPROXIMATELY:
        return t("target.approximately", lang, value=value,
                 band=fmt_plain(target.tolerance or 0),
                 band_unit=gap_unit(target.unit, target.unit_en, lang, short=True))
    return t("target.at_least", lang, value=value)


# --- standing, verdict, steps, notes ------------------------------------------------------------

def standing_text(a, lang: str) -> Optional[str]:
    """Where the assessed value stands ('2020年以来完成进度79%', '为全国的113%', '在±2个百分点容差内')."""
    s = a.standing
    if s.kind is None:
        return None
    if s.kind == "full_coverage":
        return t("standing.full_coverage", lang)
    if s.kind == "within_tolerance":
        return t("standing.within_tolerance", lang, band=fmt_plain(s.band),
                 unit=gap_unit(a.target.unit, a.target.unit_en, lang, short=True))
    if s.kind == "fell_back":
        return t("standing.fell_back", lang, year=s.base_year)
    pct = fmt_percent_of(s.value, below=s.below)
    if s.kind == "share_covered":
        return t("standing.share_covered", lang, year=s.base_year, pct=pct)
    return t(f"standing.{s.kind}", lang, pct=pct)


def _period(point, lang: str) -> str:
    return pick(point.period_zh, point.period_en, lang)


def verdict_text(a, lang: str) -> str:
    """The verdict in one sentence: final, partial or a projection's reason."""
    v, target = a.verdict, a.target
    if target.kind == m.NATIONAL_AVERAGE and v.value is not None:
        return _national_verdict_text(a, lang)
    if v.value is None:
        if v.partial_flow is not None:
            return t("verdict.partial_flow", lang, year=v.year, period=_period(v.partial_flow, lang))
        return t("verdict.over_no_data" if v.year_over else "verdict.ahead", lang, year=v.year)
    value = fmt_with_unit(v.value, target.unit, target.unit_en, lang)
    gap_u = gap_unit(target.unit, target.unit_en, lang)
    if v.kind == m.PARTIAL:
        state = (t("verdict.partial_met", lang) if v.met else
                 t("verdict.partial_short", lang, gap=fmt_plain(v.shortfall), unit=gap_u))
        return t("verdict.partial", lang, year=v.year, period=_period(v.point, lang), value=value,
                 state=state)
    if v.met:
        return t("verdict.final_met", lang, year=v.year, period=_period(v.point, lang), value=value)
    return t("verdict.final_missed", lang, year=v.year, period=_period(v.point, lang), value=value,
             gap=fmt_plain(v.shortfall), unit=gap_u)


def _national_verdict_text(a, lang: str) -> str:
    v, target = a.verdict, a.target
    compare = t("verdict.national_compare", lang, own=fmt_plain(v.point.value),
                nation=fmt_plain(v.national_value), unit=_unit(target.unit, target.unit_en, lang),
                ratio=f"{v.value * 100:.1f}", gap=fmt_plain(v.gap),
                gap_unit=gap_unit(target.unit, target.unit_en, lang))
    if v.kind == m.PARTIAL:
        return t("verdict.national_partial", lang, year=v.year, period=_period(v.point, lang),
                 compare=compare)
    word = t("verdict.was_met" if v.met else "verdict.was_not_met", lang)
    return t("verdict.national_final", lang, year=v.year, word=word, compare=compare)


def step_texts(a, lang: str) -> list[str]:
    """The arithmetic written out, one line per step."""
    out = []
    for s in a.explanation.steps:
        if s.name == "ratio":
            formula = f"{fmt_rate(s.now)} / |{fmt_rate(s.base)}| = {s.result:.3f}"
            out.append(t("step.ratio", lang, formula=formula)
                       + (t("step.reversed", lang) if s.reversed else ""))
        else:
            formula = (f"({fmt_plain(s.now, 4)} / {fmt_plain(s.base, 4)})^(1/({s.year_now}−{s.year_base})) − 1 "
                       f"= {fmt_rate(s.result)}")
            out.append(t(f"step.{s.name}", lang, formula=formula))
    return out


def note_texts(a, lang: str) -> list[str]:
    out = []
    for n in a.explanation.notes:
        if n.code == "nation_not_out":
            out.append(t("note.nation_not_out", lang, period=n.period_zh, period_en=n.period_en,
                         year=n.year))
        else:
            out.append(t(f"note.{n.code}", lang, year=n.year, other=n.other_year))
    return out


def headline(summary, lang: str) -> str:
    return t("summary.headline", lang, total=summary.total, good=summary.good)


def final_headline(summary, year: int, lang: str) -> str:
    """'12项目标中7项已实现、5项未实现' under the title '2025年目标终期评估' (and how many have no
    final value yet)."""
    text = t("summary.final_headline", lang, total=summary.total, met=summary.met_final,
             missed=summary.final - summary.met_final)
    if summary.final < summary.total:
        text += t("summary.final_missing", lang, n=summary.total - summary.final, year=year)
    return text


def period_title(period, lang: str) -> str:
    """'2025年目标终期评估' for a closed policy period, '2030年目标进展' for an open one, and the
    illustrative label for a demo set."""
    if period.illustrative:
        return t("summary.illustrative_title", lang, year=period.year)
    return t("summary.final_title" if period.closed else "summary.period_title", lang, year=period.year)


def period_headline(period, summary, lang: str) -> str:
    """A closed policy period: how many targets were met, with final values; else met or on track."""
    if period is not None and period.closed and not period.illustrative:
        return final_headline(summary, period.year, lang)
    return headline(summary, lang)


def words(a, lang: str) -> dict:
    """All the words of one assessment in one language (the CLI's JSON, the briefing)."""
    return dict(status=status_label(a.status, lang), icon=status_icon(a.status),
                kind=kind_label(a.kind, lang), target=target_label(a.target, lang),
                standing=standing_text(a, lang), verdict=verdict_text(a, lang),
                verdict_kind=verdict_word(a.verdict.kind, lang), steps=step_texts(a, lang),
                notes=note_texts(a, lang))
