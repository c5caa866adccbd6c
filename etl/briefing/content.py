"""What the briefing says, as plain data in one language: sections of paragraphs, tables and
figures, in the order a reader needs them. Every number comes from the progress engine
(etl/progress/engine.py, on the values up to the quarter) and the store's queries, and every word
from etl/wording and etl/periods, as on the pages and in the CLI: nothing is computed twice.

The quarter: a briefing for 2025Q3 uses the values of periods ending by 30 September 2025 (a whole
year counts with its fourth quarter), and "now" is that quarter's year, or the next year for a
fourth quarter (the year is over when its Q4 briefing is written). Its target period is the one
the overview would open on at that time (etl.progress.assess.default_period).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from etl import periods as P
from etl.briefing import charts as ch
from etl.briefing import store
from etl.briefing.document import Briefing, Figure, Section, Table
from etl.progress import engine as progress
from etl.progress import method as m
from etl.store import queries
from etl.wording import pick, t
from etl.wording import progress as words
from etl.wording.numbers import ChartNumbers, default_decimals, fmt_gap, fmt_value
from etl.wording.times import fmt_time

# the key charts, and the 13 cities' main indicators (the first one is mapped)
CORE_SHARE, RATES, FIVEG = ch.CORE_SHARE, ch.RATES, ch.FIVEG
HEADLINE_INDICATORS = (CORE_SHARE, *RATES, FIVEG)
CITY_INDICATORS = (CORE_SHARE, *RATES, "fiveg_per_10k", FIVEG)  # the first four with city values
CITY_COLUMNS = 4
BEHIND = (m.ACCELERATION_NEEDED, m.LIMITED, m.DETERIORATING, m.NOT_ACHIEVED)


# --- quarters ----------------------------------------------------------------------------------

def parse_quarter(text: str) -> tuple[int, int]:
    """'2025Q4' (or 2025q4, 2025-Q4) -> (2025, 4); ValueError otherwise."""
    found = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*", text or "")
    if not found:
        raise ValueError(f"quarter {text!r}: write it as 2025Q4")
    return int(found.group(1)), int(found.group(2))


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def quarter_label(year: int, quarter: int, lang: str) -> str:
    """'2025年第四季度' / 'Q4 2025': the one period formatter's name of a single quarter."""
    return P.format_period((year, quarter, P.QUARTER), P.FLOW_QUARTER, lang)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def as_of_year(year: int, quarter: int) -> int:
    """'Now' for the briefing of a quarter: the year is over once its fourth quarter is."""
    return year + 1 if quarter == 4 else year


def latest_quarter(db) -> Optional[tuple[int, int]]:
    found = store.data_quarters(db)
    return found[0] if found else None


# --- the engine's results for a quarter --------------------------------------------------------

def assess_quarter(db, year: int, quarter: int, set_codes: Optional[tuple] = None):
    """(target period, assessments) as the overview would show them at that quarter, on the
    values up to it. set_codes: those target sets instead of the default period's."""
    now = as_of_year(year, quarter)
    period = progress.default_period(progress.periods(db, now))
    if period is None:
        return None, []
    codes = set_codes or period.set_codes
    years = {period.year} if set_codes is None else None
    results = [a for a in progress.assess_targets(db, as_of_year=now, up_to=(year, quarter))
               if a.target.target_set_code in codes and (years is None or a.target_year in years)]
    return period, results


def gap_text(a, lang: str) -> str:
    """The gap as the overview's card writes it: a count's gap with the decimals of its value."""
    unit, latest = a.target.unit, a.latest_value
    decimals = None if latest is None or unit == "%" else default_decimals(abs(latest), unit)
    return fmt_gap(a.gap, unit, lang, decimals, like=latest)


def target_row(a, lang: str) -> tuple[str, ...]:
    """One line of the targets table: the engine's numbers in the catalogue's words."""
    unit = a.target.unit
    return (
        pick(a.target.indicator_zh, a.target.indicator_en, lang),
        words.target_label(a.target, lang),
        fmt_value(a.latest_value, unit, lang),
        pick(a.latest.period_zh, a.latest.period_en, lang) if a.latest else "—",
        gap_text(a, lang),
        f"{words.status_icon(a.status)} {words.status_label(a.status, lang)}",
        words.verdict_word(a.verdict.kind, lang),
    )


TARGET_COLUMNS = ("indicator", "target", "value", "period", "gap", "status", "verdict")


# --- building it ---------------------------------------------------------------------------------

def build(db, year: int, quarter: int, lang: str, *, user: str = "", now: Optional[dt.datetime] = None,
          charts: bool = True) -> Briefing:
    """The whole briefing of one quarter in one language (figures as plotly Figures)."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    stamp = queries.data_stamp(db)
    vintage = queries.data_vintage(db)
    indicators = {i["code"]: i for i in queries.indicator_list(db)}
    qlabel = quarter_label(year, quarter, lang)
    period, results = assess_quarter(db, year, quarter)
    prev = previous_quarter(year, quarter)
    _, before = assess_quarter(db, *prev, set_codes=period.set_codes if period else None)
    title = words.period_title(period, lang) if period else t("briefing.title", lang)
    demo = bool(vintage and vintage["any_demo"])
    last = store.last_before(db, now, stamp)
    revised = store.revisions(db, up_to=(year, quarter), since=last["created_at"] if last else None,
                              indicators=sorted({a.indicator_code for a in results}))

    sections = [Section(t("briefing.h.summary", lang),
                        summary_paragraphs(results, before, period, qlabel, quarter_label(*prev, lang),
                                           revised, indicators, lang))]
    sections.append(Section(t("briefing.h.targets", lang), targets_blocks(results, title, qlabel, lang)))
    figures = ch.key_figures(db, results, indicators, (year, quarter), lang) if charts else []
    if figures:
        sections.append(Section(t("briefing.h.charts", lang), tuple(figures)))
    sections.append(Section(t("briefing.h.cities", lang),
                            city_blocks(db, indicators, (year, quarter), lang, charts, len(figures) + 1)))
    measures = measures_blocks(db, year, lang)
    if measures:
        sections.append(Section(t("briefing.h.measures", lang), measures))
    n = t("briefing.h.notes_n_measures" if measures else "briefing.h.notes_n", lang)
    sections.append(Section(t("briefing.h.notes", lang, n=n),
                            notes_blocks(results, indicators, vintage, stamp, qlabel, last, revised,
                                         demo, region_names(db, lang), lang)))
    made = t("briefing.made", lang, time=fmt_time(now, lang, zone=True), stamp=stamp,
             user=user or "—")
    return Briefing(year=year, quarter=quarter, lang=lang, title=t("briefing.title", lang),
                    subtitle=t("briefing.subtitle", lang, quarter=qlabel, period_title=title),
                    header=t("briefing.header", lang, quarter=qlabel),
                    demo_mark=t("briefing.demo_mark", lang) if demo else None, made=made,
                    stamp=stamp, sections=tuple(sections), assessments=tuple(results))


def _join(items: list[str], lang: str, key: str = "briefing.name_sep") -> str:
    return t(key, lang).join(items)


def summary_paragraphs(results, before, period, qlabel, prev_label, revised, indicators, lang) -> tuple[str, ...]:
    summary = progress.summarise(results)
    counts = summary.counts
    insufficient = counts[m.INSUFFICIENT]
    text = [t("briefing.summary.as_of", lang, quarter=qlabel,
              title=words.period_title(period, lang) if period else "",
              headline=words.period_headline(period, summary, lang))]
    text.append(t("briefing.summary.counts", lang, met=counts[m.ACHIEVED], on_track=counts[m.ON_TRACK_CLASS],
              behind=sum(counts[c] for c in BEHIND),
              insufficient=t("briefing.summary.insufficient", lang, n=insufficient) if insufficient else ""))
    figures = []
    by_code = {a.indicator_code: a for a in results}
    for code in HEADLINE_INDICATORS:
        a = by_code.get(code)
        if a is not None and a.latest is not None:
            figures.append(t("briefing.summary.figure", lang, name=pick(a.target.indicator_zh, a.target.indicator_en, lang),
                             value=fmt_value(a.latest_value, a.target.unit, lang),
                             period=pick(a.latest.period_zh, a.latest.period_en, lang)))
    if figures:
        text.append(t("briefing.summary.figures", lang, figures=_join(figures, lang, "briefing.list_sep")))
    paragraphs = [_sentences(text, lang)]
    earlier = {a.target.id: a for a in before}
    if not any(a.latest is not None for a in before):
        paragraphs.append(t("briefing.summary.first_quarter", lang, previous=prev_label))
        return tuple(paragraphs)
    name = {a.target.id: pick(a.target.indicator_zh, a.target.indicator_en, lang) for a in results}
    new = [a for a in results if a.latest is not None and (a.target.id not in earlier or _point(a.latest) != _point(earlier[a.target.id].latest))]
    moved = [a for a in results if a.target.id in earlier and a.status != earlier[a.target.id].status]
    if new and len(new) == len(results):
        changes = [t("briefing.summary.all_new", lang, n=len(new))]
    else:
        changes = [t("briefing.summary.new_data", lang, n=len(new), names=_join([name[a.target.id] for a in new], lang))
                   if new else t("briefing.summary.no_new_data", lang)]
    changes.append(t("briefing.summary.status_changes", lang, changes=_join([
        t("briefing.summary.status_change", lang, name=name[a.target.id],
          before=words.status_label(earlier[a.target.id].status, lang), after=words.status_label(a.status, lang))
        for a in moved], lang)) if moved else t("briefing.summary.no_status_change", lang))
    changes.append(t("briefing.summary.revisions", lang, n=len(revised)) if revised
                   else t("briefing.summary.no_revisions", lang))
    paragraphs.append(t("briefing.summary.changes", lang, previous=prev_label,
                        changes=_join(changes, lang, "briefing.list_sep")))
    return tuple(paragraphs)


def _sentences(parts: list[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(parts)


def _point(p) -> Optional[tuple]:
    return None if p is None else (p.year, p.quarter, p.value)


def targets_blocks(results, title, qlabel, lang) -> tuple:
    header = tuple(t(f"briefing.col.{c}", lang) for c in TARGET_COLUMNS)
    table = Table("targets", t("briefing.targets.caption", lang, title=title, quarter=qlabel), header,
                  tuple(target_row(a, lang) for a in results), widths=(2.8, 2.2, 1.4, 1.3, 1.7, 1.7, 1.4),
                  numeric=(2, 4))
    blocks: list = [table]
    newer = [a for a in results if a.newer is not None]
    if newer:
        items = [t("briefing.newer_item", lang, indicator=pick(a.target.indicator_zh, a.target.indicator_en, lang),
                   value=fmt_value(a.newer.value, a.target.unit, lang),
                   period=pick(a.newer.period_zh, a.newer.period_en, lang)) for a in newer]
        blocks.append(t("briefing.targets.newer", lang, n=len(newer), items=_join(items, lang, "briefing.list_sep")))
    if any(a.target.set_illustrative for a in results):
        blocks.append(t("briefing.targets.illustrative", lang))
    return tuple(blocks)


# --- the 13 cities -------------------------------------------------------------------------------

def city_period(head: dict, rows: list[dict], cities: list[str], up_to: tuple[int, int]):
    """The period the cities are ranked for: the newest reasonably complete one up to the quarter
    (etl.periods.default_period, as the pages choose), and how many cities have a value."""
    end = P.period_sort_key(*up_to)[:2]
    counts: dict[tuple, int] = {}
    for frequency in ("annual", "quarterly"):
        for r in queries.series_from_rows(head, rows, cities, frequency=frequency):
            if P.period_sort_key(r["year"], r["quarter"])[:2] <= end:
                key = (r["year"], r["quarter"], r["basis"])
                counts[key] = counts.get(key, 0) + 1
    chosen = P.default_period(counts.items(), len(cities))
    return chosen, counts.get(chosen, 0) if chosen else 0


def city_rankings(db, indicators: dict, up_to: tuple[int, int]) -> dict[str, dict]:
    """code -> {'period': (y, q, basis) | None, 'count', 'rows': ranked rows (best first)}."""
    cities = [r["code"] for r in queries.region_list(db, level="prefecture", parent=queries.PROVINCE)]
    codes = [c for c in CITY_INDICATORS if c in indicators]
    found = queries.current_values_many(db, codes, cities)
    out = {}
    for code in codes:
        head = indicators[code]
        chosen, count = city_period(head, found[code], cities, up_to)
        rows = (queries.ranked_from_rows(head, found[code], cities, chosen[0], chosen[1],
                                         chosen[2] if chosen[1] else None) if chosen else [])
        out[code] = dict(period=chosen, count=count, rows=rows, cities=cities)
    return out


def city_blocks(db, indicators: dict, up_to: tuple[int, int], lang: str, charts: bool,
                figure_number: int = 1) -> tuple:
    ranked = city_rankings(db, indicators, up_to)
    shown = [code for code in ranked if ranked[code]["rows"]][:CITY_COLUMNS]
    if not shown:
        return (t("briefing.cities.none", lang),)
    names = region_names(db, lang)
    cities = ranked[shown[0]]["cities"]
    header = [t("briefing.col.city", lang)]
    notes = []
    for code in shown:
        ind, period = indicators[code], ranked[code]["period"]
        label = P.indicator_period(period, ind, lang)
        header.append(t("briefing.col.rank_value", lang, name=pick(ind["name_zh"], ind["name_en"], lang), period=label))
        if not P.well_covered(ranked[code]["count"], len(cities)):
            notes.append(t("briefing.cities.partial", lang, name=pick(ind["name_zh"], ind["name_en"], lang),
                           period=label, n=ranked[code]["count"], total=len(cities)))
    cells = {}
    for code in shown:  # one unit and one number of decimals per column ('3.80万个' beside '1.73万个')
        rows_ = ranked[code]["rows"]
        numbers = ChartNumbers([r["value"] for r in rows_], indicators[code]["unit"],
                               indicators[code].get("unit_en"), lang)
        cells[code] = {r["region_code"]: t("briefing.value_rank", lang, value=numbers.text(r["value"]), rank=r["rank"])
                       for r in rows_}
    first = shown[0]
    order = [r["region_code"] for r in ranked[first]["rows"]] + [c for c in cities if c not in cells[first]]
    rows = tuple(tuple([names.get(c, c)] + [cells[code].get(c, "—") for code in shown]) for c in order)
    blocks: list = [Table("cities", t("briefing.cities.caption", lang), tuple(header), rows,
                          widths=(1.4,) + (2.0,) * len(shown), numeric=tuple(range(1, len(shown) + 1)))]
    blocks.extend(notes)
    if charts and CORE_SHARE in shown:
        meta = indicators[CORE_SHARE]
        period = ranked[CORE_SHARE]["period"]
        values = {r["region_code"]: r for r in ranked[CORE_SHARE]["rows"]}
        blocks.append(Figure("map", t("briefing.fig.map", lang, n=figure_number, name=pick(meta["name_zh"], meta["name_en"], lang),
                                      period=P.indicator_period(period, meta, lang)),
                             ch.map_figure(values, names, meta, lang), width=900, height=640))
    return tuple(blocks)


def region_names(db, lang: str) -> dict[str, str]:
    return {r["code"]: pick(r["name_zh"], r["name_en"], lang) for r in queries.region_list(db)}


# --- the measures ledger -------------------------------------------------------------------------

def measures_blocks(db, year: int, lang: str) -> tuple:
    """Funds paid and measures without activity, when the measures ledger exists (etl/measures);
    nothing when it does not (an ETL-only install, a database before the measures migration)."""
    try:
        from etl.measures.queries import measures_overview, status_name

        engine = db if hasattr(db, "connect") else db.get_bind()
        rows = measures_overview(engine, year=year)
        every_year = measures_overview(engine)
    except (ImportError, SQLAlchemyError):  # no ledger here (no module, no tables): left out
        return ()
    if not rows:
        return ()
    if not any(r["awards"] for r in every_year) and all(r["status"] == "not_started" for r in rows):
        return (t("briefing.measures.empty", lang),)
    title = {r["number"]: pick(r["title_zh"], r["title_en"], lang) for r in rows}

    def item(r):
        return t("briefing.measures.item", lang, number=r["number"], title=title[r["number"]])

    blocks: list = [t("briefing.measures.paid", lang, year=year, amount=f"{sum(r['amount'] for r in rows):,.2f}",
                      awards=sum(r["awards"] for r in rows), enterprises=sum(r["enterprises"] for r in rows),
                      total=f"{sum(r['amount'] for r in every_year):,.2f}")]
    idle = [r for r in rows if r["status"] == "not_started" or (r["has_money"] and not r["awards"])]
    blocks.append(t("briefing.measures.idle", lang, year=year, items=_join([item(r) for r in idle], lang))
                  if idle else t("briefing.measures.none_idle", lang))
    behind = [r for r in rows if r["status"] == "behind"]
    if behind:
        blocks.append(t("briefing.measures.behind", lang, items=_join([item(r) for r in behind], lang)))
    header = tuple(t(f"briefing.measures.col.{c}", lang) for c in ("number", "title", "awards", "amount", "status"))
    table_rows = tuple((str(r["number"]), title[r["number"]], f"{r['awards']:,}" if r["has_money"] else "—",
                        f"{r['amount']:,.2f}" if r["has_money"] else "—", status_name(r["status"], lang))
                       for r in rows)
    blocks.append(Table("measures", t("briefing.measures.caption", lang, year=year), header, table_rows,
                        widths=(0.6, 5.0, 1.0, 1.4, 1.2), note=t("briefing.measures.status_now", lang),
                        numeric=(0, 2, 3)))
    return tuple(blocks)


# --- data notes ----------------------------------------------------------------------------------

def notes_blocks(results, indicators, vintage, stamp, qlabel, last, revised, demo, names, lang) -> tuple:
    blocks = []
    if demo:
        blocks.append(t("briefing.demo_note", lang))
    sources = []
    for a in results:
        ind = indicators.get(a.indicator_code, {})
        # a source list is separated by full-width (U+FF1B) or ASCII semicolons
        for source in re.split(r"[\uff1b;]\s*", pick(ind.get("source_zh"), ind.get("source_en"), lang)) + [
                pick(a.target.set_name_zh, a.target.set_name_en, lang)]:
            if source and source not in sources:
                sources.append(source)
    blocks.append(t("briefing.notes.sources", lang, sources=_join(sources, lang, "briefing.list_sep")))
    if vintage:
        blocks.append(t("briefing.notes.vintage", lang, period=pick(vintage["period_zh"], vintage["period_en"], lang),
                        loaded=fmt_time(vintage["loaded_at"], lang, zone=True), stamp=stamp))
    blocks.append(t("briefing.notes.quarter", lang, quarter=qlabel))
    items = ""
    if revised:
        shown = [t("briefing.notes.revision", lang, indicator=pick(indicators[r["indicator_code"]]["name_zh"],
                                                                   indicators[r["indicator_code"]]["name_en"], lang),
                   region=names.get(r["region_code"], r["region_code"]), period=P.indicator_period(r, indicators[r["indicator_code"]], lang),
                   old=fmt_value(r["old_value"], indicators[r["indicator_code"]]["unit"], lang),
                   new=fmt_value(r["value"], indicators[r["indicator_code"]]["unit"], lang))
                 for r in revised[:10]]
        items = t("briefing.colon_items", lang, items=_join(shown, lang, "briefing.list_sep"))
    if last:
        blocks.append(t("briefing.notes.revisions_since", lang, n=len(revised), items=items,
                        time=fmt_time(last["created_at"], lang, zone=True)))
    else:
        blocks.append(t("briefing.notes.revisions_first", lang, n=len(revised), items=items))
    blocks.append(t("briefing.notes.method", lang))
    return tuple(blocks)
