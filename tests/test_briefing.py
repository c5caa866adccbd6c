"""The quarterly briefing (issue 16): its targets table carries the engine's numbers for the quarter,
in both formats and languages; demo data are marked on every page; the cache and the archive; the
command line; the download route's role checks.

The expected cells are computed here from the progress engine (assess_targets on the values up to
the quarter) and the wording functions, never copied from a document. PDF text: pypdf, as extracted
(the ideographs themselves: etl/briefing/pdf_text.py corrects the fonts' ToUnicode maps).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from etl import briefing
from etl.briefing import content, store
from etl.progress import engine as progress
from etl.store import queries
from etl.store.db import session_scope
from etl.store.models import Batch, Observation
from etl.wording import pick
from etl.wording import progress as words
from etl.wording.numbers import default_decimals, fmt_gap, fmt_value
from tests.accounts_helpers import (DashClient, add_users, all_components, find_component, make_app,
                                    response_json)
from tests.dashboard_fixture import load_fixture

QUARTER = (2025, 4)  # the fixture's newest values are whole-year 2025 ones


def expected_rows(engine, year: int, quarter: int, lang: str) -> list[tuple[str, ...]]:
    """The targets table as the engine and the wording say it: the overview's default target
    period as of the quarter ('now' is the next year after a fourth quarter), on the values up to
    the quarter's end."""
    now = year + 1 if quarter == 4 else year
    period = progress.default_period(progress.periods(engine, now))
    rows = []
    for a in progress.assess_targets(engine, as_of_year=now, up_to=(year, quarter)):
        if a.target.target_set_code not in period.set_codes or a.target_year != period.year:
            continue
        unit, latest = a.target.unit, a.latest_value
        decimals = None if latest is None or unit == "%" else default_decimals(abs(latest), unit)
        rows.append((
            pick(a.target.indicator_zh, a.target.indicator_en, lang),
            words.target_label(a.target, lang),
            fmt_value(latest, unit, lang),
            pick(a.latest.period_zh, a.latest.period_en, lang) if a.latest else "—",
            fmt_gap(a.gap, unit, lang, decimals, like=latest),
            f"{words.status_icon(a.status)} {words.status_label(a.status, lang)}",
            words.verdict_word(a.verdict.kind, lang),
        ))
    return rows


# Latin ligatures (ﬁ in 'briefing' is one glyph, U+FB01, in Chromium's PDF): folded by NFKC
LIGATURES = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}


def fold(text: str) -> str:
    """PDF text without white space and with Latin ligatures spelt out; no radical folding:
    etl/briefing/pdf_text.py gives the ideographs themselves (tests/test_briefing_pdf_text.py)."""
    return re.sub(r"\s+", "", text.translate(LIGATURES))


def docx_table(data: bytes, caption_prefix: str) -> list[tuple[str, ...]]:
    doc = Document(io.BytesIO(data))
    for table in doc.tables:
        rows = [tuple(c.text for c in row.cells) for row in table.rows]
        caption = table._tbl.getprevious()
        if caption is not None and "".join(caption.itertext()).startswith(caption_prefix):
            return rows
    raise AssertionError(f"no table captioned {caption_prefix!r}")


def add_value(engine, indicator: str, year: int, value: float) -> None:
    """One new value in a batch of its own (an upload)."""
    with session_scope(engine) as session:
        batch = Batch(file_name="upload.xlsx", sha256="1" * 64, loaded_by="tester", status="loaded",
                      loaded_at=dt.datetime(2026, 2, 1, 9, 0), is_demo=True)
        session.add(batch)
        session.flush()
        session.add(Observation(indicator_code=indicator, region_code="230000", year=year, quarter=0,
                                basis="annual", value=value, version=1, is_current=True,
                                batch_id=batch.id, sheet="数据", cell="C2", raw_value=str(value)))


@pytest.fixture
def demo_engine(engine):
    load_fixture(engine, demo=True)
    return engine


@pytest.fixture(scope="module")
def briefed(briefings):
    """One database with the fixture's demo values and the 2025Q4 briefing made in both languages
    (each in both formats): made once per session (tests/conftest.py, shared with
    tests/test_briefing_pdf_text.py) for the tests that only read it."""
    assert briefings.QUARTER == QUARTER
    return briefings.engine, {lang: briefings.made(lang) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_targets_table_in_both_formats_equals_the_engine_and_demo_is_marked(briefed, lang):
    demo_engine, made = briefed
    record, pdf_bytes, cached = made[lang]
    assert not cached and record["any_demo"]
    docx_hit = store.cached(demo_engine, record["data_stamp"], *QUARTER, lang, "docx")
    assert docx_hit is not None  # both formats made and archived at once
    expected = expected_rows(demo_engine, *QUARTER, lang)
    assert len(expected) == 12  # the 2025 policy targets of data/seed

    # DOCX: the table under the targets caption, cell by cell
    caption = "表1" if lang == "zh" else "Table 1"
    rows = docx_table(docx_hit[1], caption)
    assert rows[0] == tuple(content.t(f"briefing.col.{c}", lang) for c in content.TARGET_COLUMNS)
    assert rows[1:] == expected
    # the final verdicts of a closed year, and a value that shows the engine was asked for 2025
    assert any(r[6] == words.verdict_word("final", lang) for r in expected)

    # PDF: every row's cells, in order, in the text; the demo mark and the running head on every page
    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = [fold(p.extract_text()) for p in reader.pages]
    text = "".join(pages)
    for row in expected:
        assert fold("".join(row)) in text, row
    mark = fold(content.t("briefing.demo_mark", lang))
    head = fold(content.t("briefing.header", lang, quarter=content.quarter_label(*QUARTER, lang)))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert mark in page, number
        assert head in page, number
        assert fold(content.t("briefing.page", lang, page=number, pages=len(pages))) in page
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4: 210 mm
    assert reader.pages[0].mediabox.height == pytest.approx(841.9, abs=1)  # 297 mm


def test_word_file_has_headings_captions_east_asian_fonts_and_the_demo_mark_in_the_header(briefed):
    engine, made = briefed
    record, _, _ = made["zh"]
    meta, data = store.cached(engine, record["data_stamp"], *QUARTER, "zh", "docx")
    assert meta["any_demo"]
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["一、总体情况", "二、目标完成情况", "三、重点指标走势", "四、13个市（地）主要指标排名"]
    assert headings[-1].endswith("数据说明")
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("表1") for c in captions) and any(c.startswith("图1") for c in captions)
    assert len(doc.inline_shapes) >= 4  # three key charts and the map
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    header = doc.sections[0].header.paragraphs[0].text
    assert "演示数据" in header and "2025年第四季度" in header and "内部资料" in header
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)
    # the page numbers are Word fields
    assert "PAGE" in "".join(doc.sections[0].footer._element.itertext())


def test_an_earlier_quarter_uses_the_values_up_to_it_only(briefed):
    """2023Q4: 5G base stations at the 2022 value (the 2025 one is later), no final verdicts."""
    demo_engine = briefed[0]
    b = content.build(demo_engine, 2023, 4, "zh", charts=False)
    table = next(t for t in b.tables() if t.ident == "targets")
    assert list(table.rows) == expected_rows(demo_engine, 2023, 4, "zh")
    fiveg = next(r for r in table.rows if r[0] == "5G基站数")
    assert fiveg[2] == fmt_value(60000, "个", "zh") and fiveg[3] == "2022年末"
    assert all(a.latest is None or a.latest.year <= 2023 for a in b.assessments)
    assert not any(a.is_final for a in b.assessments)
    assert "2023年第四季度" in b.header


def test_cache_per_data_stamp_and_the_archive_as_it_was_sent(briefed, databases, tmp_path, capsys):
    """On a copy of the module's database, whose 2025Q4 briefings were made from the fixture's
    data: a new upload changes the data stamp, so the next request makes a new briefing (here the
    command line's), later requests get it from the cache, and the old ones stay as they were sent."""
    from dashboard.__main__ import main

    engine, cleanup = databases.copy_of(briefed[0], tmp_path)
    old_record, old_pdf, _ = briefed[1]["zh"]
    add_value(engine, "ipv6_traffic_share", 2024, 26.0)
    out = tmp_path / "b.docx"
    assert main(["briefing", "--quarter", "2025Q4", "--lang", "zh", "-o", str(out)], engine) == 0
    first = out.read_bytes()
    assert "made" in capsys.readouterr().out
    record, again, cached = briefing.generate(engine, 2025, 4, "zh", "docx", user="other")
    assert cached and again == first and record["created_by"].startswith("cli:")
    assert record["data_stamp"] != old_record["data_stamp"]
    kept = store.archived(engine, year=2025, quarter=4)
    assert {(r["data_stamp"], r["lang"], r["fmt"]) for r in kept} == {
        (old_record["data_stamp"], lang, fmt) for lang in ("zh", "en") for fmt in ("docx", "pdf")} | {
        (record["data_stamp"], "zh", "docx"), (record["data_stamp"], "zh", "pdf")}
    assert store.archived_file(engine, record["id"])[1] == first  # as it was sent
    assert store.archived_file(engine, old_record["id"])[1] == old_pdf
    old = tmp_path / "old.pdf"
    assert main(["briefing", "--archived", str(old_record["id"]), "-o", str(old)], engine) == 0
    assert old.read_bytes() == old_pdf
    assert main(["briefing", "--list"], engine) == 0
    assert "2025Q4" in capsys.readouterr().out
    assert main(["briefing", "--quarter", "2025-13", "-o", str(out)], engine) == 2
    assert main(["briefing", "-o", str(tmp_path / "b.txt")], engine) == 2
    cleanup()


def test_download_route_checks_the_role_on_the_server(briefed):
    demo_engine, made = briefed
    app = make_app(demo_engine, public_viewing=True)
    visitor = app.server.test_client()
    response = visitor.get("/briefing/latest.pdf?lang=zh")  # made before: from the archive
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == made["zh"][1]
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    docx = visitor.get("/briefing/2025Q4.docx?lang=en")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    record = made["en"][0]
    assert visitor.get("/briefing/2024Q4.pdf").status_code == 403  # an older quarter: signed-in only
    assert visitor.get(f"/briefing/archived/{record['id']}").status_code == 403
    assert visitor.get("/briefing/2031Q1.pdf").status_code == 404  # no data for it
    assert visitor.get("/briefing/latest.txt").status_code == 404

    add_users(demo_engine, names=("vic",))
    viewer = DashClient(app)
    viewer.login("vic")
    assert viewer.client.get(f"/briefing/archived/{record['id']}").data == store.archived_file(
        demo_engine, record["id"])[1]
    assert viewer.client.get("/briefing/2031Q1.pdf").status_code == 404  # no data for it

    # the briefings page (signed-in users): every quarter with data, and the archive with links
    def briefings_page(client) -> dict:
        answer = client.post("_pages_content", {"_pages_location.pathname": "/briefings",
                                                "_pages_location.search": ""})
        assert answer.status_code == 200
        return response_json(answer)["response"]["_pages_content"]["children"]

    def archive_links(tree) -> list[str]:
        return [c["props"]["href"] for c in all_components(tree)
                if str(c["props"].get("href") or "").startswith("/briefing/archived/")]

    page = briefings_page(viewer)
    pdf = find_component(page, "briefings-2025Q4-pdf")
    assert pdf is not None and pdf["props"]["href"] == "/briefing/2025Q4.pdf?lang=zh"
    archive = find_component(page, "briefings-archive")
    assert f"/briefing/archived/{record['id']}" in archive_links(archive)
    visitor_page = briefings_page(DashClient(app))  # a visitor: not the archive
    assert find_component(visitor_page, "briefings-archive") is None and archive_links(visitor_page) == []

    private = make_app(demo_engine, public_viewing=False)
    assert private.server.test_client().get("/briefing/latest.pdf").status_code == 401


def test_the_city_table_writes_each_column_in_one_unit(demo_engine):
    """'3.8万个' beside '7,488个' in one column read as two units: a column of counts is all in 个
    when some city is below 10,000 (and all in 万个 only when every city reaches it)."""
    stations = {"230100": 38000, "230200": 10400, "230600": 17300, "230300": 8640, "230400": 3456,
                "230500": 4032, "230700": 3456, "230800": 7488, "230900": 2534, "231000": 10400,
                "231100": 4608, "231200": 8064, "232700": 2074}
    with session_scope(demo_engine) as session:
        batch = Batch(file_name="cities.xlsx", sha256="2" * 64, loaded_by="tester", status="loaded",
                      loaded_at=dt.datetime(2026, 2, 1, 9, 0), is_demo=True)
        session.add(batch)
        session.flush()
        for row, (code, value) in enumerate(stations.items(), start=2):
            session.add(Observation(indicator_code="fiveg_base_stations", region_code=code, year=2025,
                                    quarter=0, basis="annual", value=value, version=1, is_current=True,
                                    batch_id=batch.id, sheet="数据", cell=f"C{row}", raw_value=str(value)))
    db = demo_engine
    indicators = {i["code"]: i for i in queries.indicator_list(db)}
    table = content.city_blocks(db, indicators, QUARTER, "zh", charts=False)[0]
    column = [i for i, h in enumerate(table.header) if "5G基站" in h]
    assert column, table.header
    cells = [row[column[0]].split("（")[0] for row in table.rows]
    assert "38,000个" in cells and "2,074个" in cells, cells
    assert not any(c.endswith("万个") for c in cells), cells
