"""The quarterly monitoring briefing (季度监测简报): a Word file for the office to edit and a PDF to
read and print, with the same numbers as the dashboard.

    content.py  what it says, from the progress engine, the store's queries and the wording
    charts.py   the figures (Plotly) and their PNGs (Kaleido with the machine's Chromium)
    word.py     DOCX (python-docx);  pdf.py  PDF (HTML printed by headless Chromium)
    store.py    the archive table (also the cache) and the reads the briefing adds

    generate(engine, 2025, 4, "zh", "pdf", user="admin")  -> (record, bytes, from_cache)

No Dash here: the dashboard's download route (dashboard/briefing_view.py) and the command line
(`python -m dashboard briefing`) both call `generate`. docs/briefing.md describes it.
"""
from __future__ import annotations

import time
from typing import Optional

from etl.briefing import store
from etl.briefing.content import latest_quarter, parse_quarter, quarter_key, quarter_label  # noqa: F401
from etl.store import queries
from etl.wording import norm_lang, t

FORMATS = store.FORMATS
MEDIA_TYPES = store.MEDIA_TYPES


def file_name(year: int, quarter: int, lang: str, fmt: str) -> str:
    """'数字龙江季度监测简报-2025Q4.pdf' / 'digital-longjiang-briefing-2025Q4-en.pdf'."""
    return t("briefing.file_name", lang, quarter=quarter_key(year, quarter), fmt=fmt)


def make(engine, year: int, quarter: int, lang: str, *, user: str = "") -> tuple[dict[str, bytes], bool]:
    """Build the briefing once and render it in both formats (the Word file costs a fraction of a
    second once the figures exist, so the other format's download is then instant):
    ({'docx': bytes, 'pdf': bytes}, any demo data). No cache, no archive."""
    from etl.briefing import charts, content, pdf, word

    briefing = content.build(engine, year, quarter, norm_lang(lang), user=user)

    async def print_pdf(browser, images):
        return await pdf.print_pdf(browser, briefing, images)

    images, pdf_bytes = charts.render_png(briefing.figures(), finish=print_pdf)
    return {"docx": word.render(briefing, images), "pdf": pdf_bytes}, briefing.demo_mark is not None


def generate(engine, year: Optional[int] = None, quarter: Optional[int] = None, lang: str = "zh",
             fmt: str = "pdf", *, user: str = "") -> tuple[dict, bytes, bool]:
    """The briefing of a quarter (default: the latest with data) as `fmt`, from the archive when
    one was made from the same data stamp, else made now, in both formats, and both archived:
    (record, bytes, cached)."""
    lang = norm_lang(lang)
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if year is None or quarter is None:
        found = latest_quarter(engine)
        if found is None:
            raise LookupError("no data loaded: there is no quarter to brief on")
        year, quarter = found
    stamp = queries.data_stamp(engine)
    hit = store.cached(engine, stamp, year, quarter, lang, fmt)
    if hit is not None:
        return hit[0], hit[1], True
    started = time.perf_counter()
    files, demo = make(engine, year, quarter, lang, user=user)
    seconds = time.perf_counter() - started
    records = {f: store.archive(engine, stamp=stamp, year=year, quarter=quarter, lang=lang, fmt=f,
                                user=user or "—", content=data, any_demo=demo, seconds=seconds)
               for f, data in files.items()}
    return records[fmt], files[fmt], False
