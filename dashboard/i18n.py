"""Words and number formats in Chinese (default) and English.

Every text the dashboard shows goes through `t(key, lang)` of the one catalogue (etl/wording; the
texts themselves are etl/wording/texts/*.toml, the UI's own words in ui.toml);
numbers through etl/wording/numbers.py (re-exported here), periods and names through the
formatters here, so that switching `?lang=en` changes everything on a page, hover text included.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

from etl import periods

from etl.progress import method
from etl.wording.times import local_time
# the one catalogue (its texts: etl/wording/texts/*.toml), re-exported for the pages
from etl.wording.catalogue import DEFAULT_LANG, LANGS, TEXTS, has, norm_lang, pick, t  # noqa: F401


# Status classes of the progress engine -> colour (Bootstrap) and icon (etl/progress/method.py);
# words come from the wording catalogue (etl/wording/progress.py).
_STATUS_COLOURS = {
    method.ACHIEVED: "success", method.ON_TRACK_CLASS: "primary",
    method.ACCELERATION_NEEDED: "warning", method.LIMITED: "danger", method.DETERIORATING: "danger",
    method.NOT_ACHIEVED: "danger", method.INSUFFICIENT: "secondary",
}
STATUS_STYLE: dict[str, tuple[str, str]] = {
    code: (_STATUS_COLOURS[code], method.ICONS[code]) for code in method.STATUSES}


# --- pages ------------------------------------------------------------------------------------

def page_words(nav_key: str) -> dict[str, str]:
    """dash.register_page's name and first title for a page, from its navigation key (Chinese, the
    default; the shell gives the tab its title in the page's language, shell.page_title)."""
    name = t(nav_key, DEFAULT_LANG)
    return {"name": name, "nav_key": nav_key, "title": f"{name} · {t('app.short', DEFAULT_LANG)}"}


# --- URLs -------------------------------------------------------------------------------------

def parse_query(search: str | None) -> dict[str, str]:
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def build_search(params: Mapping[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    # Chinese is the default: leave it out so that plain links stay short.
    if clean.get("lang") == DEFAULT_LANG:
        clean.pop("lang")
    return "?" + urlencode(clean) if clean else ""


def with_params(search: str | None, **changes: Any) -> str:
    params = parse_query(search)
    params.update({k: v for k, v in changes.items()})
    return build_search(params)


# --- numbers: the one number formatter is etl/wording/numbers.py (the CLI uses it too) ---------

from etl.wording.numbers import (  # noqa: E402,F401  (re-exported for the pages)
    default_decimals,
    fmt_number,
    fmt_value,
    fmt_gap,
    fmt_target_value,
    fmt_tolerance,
    fmt_target,
    fmt_percent,
    unit_label,
    axis_value,
)


# --- periods ----------------------------------------------------------------------------------

# Periods are named by etl.periods.format_period alone; these are its dashboard spellings.

def fmt_period(year: int, quarter: int = 0, basis: str = "annual", lang: str = DEFAULT_LANG,
               kind: str | None = None) -> str:
    """etl.periods.format_period: pass the indicator's `kind` (meta["kind"]) so that a stock reads
    '2025年第三季度末' and a year-to-date flow '2025年前三季度'; without it the basis decides."""
    return periods.format_period((year, quarter, basis), kind, norm_lang(lang))


def fmt_vintage_period(year: int, quarter: int, lang: str = DEFAULT_LANG) -> str:
    """'2025年第四季度' / 'Q4 2025' (annual data: '2025年' / '2025')."""
    return periods.format_period((year, quarter, "quarter" if quarter else "annual"), None,
                                 norm_lang(lang))


def fmt_basis(basis: str, lang: str = DEFAULT_LANG, period: Any = None, kind: str | None = None) -> str:
    """年度 / 年初至今累计 / 当季 / 期末值; with the value's period and kind, the basis users read
    (a stock's stored 'ytd' reads 期末值: etl.periods.basis_of)."""
    shown = periods.basis_of(period, kind) if period is not None else basis
    zh, en = periods.BASIS_NAMES.get(shown, (shown, shown))
    return zh if norm_lang(lang) == "zh" else en


def fmt_datetime(value: Any, lang: str = DEFAULT_LANG) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):  # stored as UTC: shown as Beijing time
        value = local_time(value)
    if hasattr(value, "strftime"):
        return t("date.datetime", lang, year=value.year, month=value.month, day=value.day,
                 time=f"{value:%H:%M}")
    return str(value)


def period_key(year: int, quarter: int, basis: str) -> str:
    """The period as it appears in a URL: 2025, 2025Q3 (ytd), 2025q3 (single quarter)."""
    return periods.Period(year, quarter, basis).key


def parse_period_key(text: str | None) -> tuple[int, int, str] | None:
    found = periods.Period.from_key(text)
    return found.as_tuple() if found else None
