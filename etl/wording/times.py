"""The one time formatter: stored times are naive UTC (etl.store.models.utcnow); people in the
province read Beijing time. Pages, exports, the CLI and the briefing all show times through here.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from etl.wording.catalogue import DEFAULT_LANG, norm_lang, t

LOCAL_ZONE = dt.timezone(dt.timedelta(hours=8), "北京时间 UTC+8")


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time in LOCAL_ZONE, naive again (a spreadsheet has no zones)."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(LOCAL_ZONE).replace(tzinfo=None)


def fmt_time(value: Any, lang: str = DEFAULT_LANG, *, seconds: bool = False, zone: bool = False,
             empty: str = "") -> str:
    """A stored time as Beijing time: '2026-11-30 00:30' (zone=True adds ' 北京时间' / ' Beijing
    time'). Dates and anything else without a clock are shown as they are."""
    if value is None:
        return empty
    if not isinstance(value, dt.datetime):
        return str(value)
    text = local_time(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{text} {t('time.zone', norm_lang(lang))}" if zone else text
