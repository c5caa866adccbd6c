"""The reference document's files, as literally as possible, through the whole chain.

Builders are in tests/real_files.py. Each test checks values at named cells, what is skipped and
why, and that every problem names a sheet and a cell.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

import real_files as rf
from etl.db import session_scope
from etl.models import Batch, Observation
from etl.pipeline import check_file, ingest_file


def check(catalog, built, **kwargs):
    data, name = built
    return check_file(data, name, catalog, **kwargs)


def by_cell(result):
    return {v.cell: v for v in result.values}


def key(v):
    return (v.indicator_code, v.region_code, v.year, v.quarter, v.basis, v.value)


def codes(problems):
    return [(p.code, p.where) for p in problems]


def assert_well_reported(report):
    """Every problem names a sheet (and a cell, unless it is about the whole file), zh + en."""
    for p in report.problems + report.skipped:
        assert p.message_zh and p.message_en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message_zh)
        assert p.sheet and p.cell, p


# --- 1. 分省年度数据, regions x periods, GBK ----------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_population_export_as_published(catalog, newline):
    data, name = rf.nbs_population_csv(newline=newline)
    assert not data.startswith(b"\xef\xbb\xbf") and "数据库：分省年度数据".encode("gbk") in data
    result = check(catalog, (data, name))
    report = result.report
    assert report.valid and report.encoding == "gb18030", report.format_text()
    assert not report.problems and not report.skipped
    assert len(result.values) == 31 * 10 - 1
    cells = by_cell(result)
    row = 5 + rf.HLJ
    assert key(cells[f"B{row}"]) == ("population", "230000", 2024, 0, "annual", 3029)
    assert key(cells[f"K{row}"]) == ("population", "230000", 2015, 0, "annual", 3529)
    assert key(cells["C5"]) == ("population", "110000", 2023, 0, "annual", 2186)
    assert "B5" not in cells  # 北京市,,2186: not yet released
    assert {v.region_code for v in result.values} == set(rf.PROVINCE_CODES)
    assert report.metadata == ["数据库：分省年度数据", "指标：年末常住人口(万人)", "时间：最近10年"]
    assert report.sources == ["数据来源：国家统计局"]
    assert report.notes[0].startswith("注：常住人口包括") and "外出不满半年" in report.notes[0]
    assert report.notes[1].startswith("2.2020年数据")


def test_population_export_loads_with_provenance(engine):
    data, name = rf.nbs_population_csv()
    outcome = ingest_file(engine, data, name, loaded_by="analyst")
    assert outcome.status == "loaded", outcome.report.format_text()
    with session_scope(engine) as s:
        obs = s.scalars(select(Observation).where(
            Observation.indicator_code == "population", Observation.region_code == "230000",
            Observation.year == 2022)).one()
        assert (obs.value, obs.sheet, obs.cell, obs.raw_value) == (3099, "分省年度数据", f"D{5 + rf.HLJ}", "3099")
        batch = s.get(Batch, outcome.batch_id)
        assert batch.source_lines == ["数据来源：国家统计局"]
        assert any("户口在本乡镇街道且外出不满半年" in n for n in batch.notes)
    again = ingest_file(engine, data, name, loaded_by="analyst")
    assert again.status == "unchanged"


def test_wrong_province_name_names_its_cell(catalog):
    report = check(catalog, rf.nbs_population_csv(rename={"黑龙江省": "黑龙江生"})).report
    assert codes(report.errors) == [("unknown-region", f"'分省年度数据'!A{5 + rf.HLJ}")]
    assert "黑龙江生" in report.errors[0].message_zh
    assert_well_reported(report)


def test_provincial_quarterly_cumulative(catalog):
    result = check(catalog, rf.nbs_provincial_quarterly_csv())
    assert result.report.valid, result.report.format_text()
    assert len(result.values) == 31 * 6
    cells = by_cell(result)
    row = 5 + rf.HLJ
    assert key(cells[f"B{row}"]) == ("gdp", "230000", 2023, 4, "ytd", 15883.9)
    assert key(cells[f"G{row}"])[:5] == ("gdp", "230000", 2022, 3, "ytd")
    assert {v.basis for v in result.values} == {"ytd"}  # 地区生产总值_累计值: never annual


# --- 2. 季度数据, indicators x periods, CRLF --------------------------------------------------------------

def test_national_quarterly_untracked_indicators_are_errors(catalog):
    data, name = rf.nbs_quarterly_csv()
    assert data.count(b"\r\n") == data.count(b"\n")
    report = check(catalog, (data, name)).report
    assert not report.valid
    assert codes(report.errors) == [("unknown-indicator", f"'季度数据'!A{r}") for r in range(6, 12)]
    assert "第一产业增加值当季值(亿元)" in report.errors[0].message_zh
    assert_well_reported(report)


def test_national_quarterly_skip_unknown(catalog):
    result = check(catalog, rf.nbs_quarterly_csv(), skip_unknown=True)
    report = result.report
    assert report.valid, report.format_text()
    assert [(p.code, p.cell) for p in report.skipped] == [("skipped-indicator", f"A{r}") for r in range(6, 12)]
    cells = by_cell(result)
    assert len(result.values) == 12
    assert key(cells["B4"]) == ("gdp", "100000", 2022, 1, "quarter", 270177.8)
    assert key(cells["C5"]) == ("gdp", "100000", 2021, 4, "ytd", 1143669.7)
    assert key(cells["G4"]) == ("gdp", "100000", 2020, 4, "quarter", 295618.8)
    assert all((v.quarter, v.basis) != (0, "annual") for v in result.values)  # Q4 ytd is not annual
    assert report.notes == rf.NATIONAL_NOTE[:1] + [rf.NATIONAL_NOTE[1].strip()]


def test_national_quarterly_transposed(catalog):
    result = check(catalog, rf.nbs_quarterly_transposed_csv(), skip_unknown=True)
    assert result.report.valid, result.report.format_text()
    cells = by_cell(result)
    assert key(cells["B5"]) == ("gdp", "100000", 2021, 4, "quarter", 324237.4)
    assert key(cells["C5"]) == ("gdp", "100000", 2021, 4, "ytd", 1143669.7)
    assert len(result.values) == 12 and len(result.report.skipped) == 6


# --- 3. old portal XLS -------------------------------------------------------------------------------------

def test_old_portal_xls(catalog):
    data, name = rf.old_portal_xls()
    assert data[:4] == b"\xd0\xcf\x11\xe0"
    result = check(catalog, (data, name))
    report = result.report
    assert report.valid and report.format == "xls", report.format_text()
    assert len(result.values) == 31 * 5 - 2  # two empty text cells are missing, not zero
    cells = by_cell(result)
    assert "B5" not in cells and key(cells["C5"]) == ("gdp", "110000", 2018, 0, "annual", rf.old_gdp(0, 2018))
    assert key(cells[f"B{5 + rf.HLJ}"]) == ("gdp", "230000", 2019, 0, "annual", rf.old_gdp(rf.HLJ, 2019))
    assert report.sources == ["数据来源：国家统计局"]
    assert len(report.notes) == 2 and report.notes[0].startswith("注：2019年")


def test_city_database_keeps_ours_and_skips_other_provinces_cities(catalog):
    result = check(catalog, rf.city_portal_xls())
    report = result.report
    assert report.valid, report.format_text()
    harbin = rf.MAJOR_CITIES.index("哈尔滨")
    cells = by_cell(result)
    assert key(cells[f"B{5 + harbin}"]) == ("gdp", "230100", 2019, 0, "annual", rf.city_gdp(harbin, 2019))
    # the four municipalities are provincial-level regions of the catalog
    assert {v.region_code for v in result.values} == {"230100", "110000", "120000", "310000", "500000"}
    skipped = [p for p in report.skipped if p.code == "skipped-region"]
    assert len(skipped) == 31 and all(p.severity == "info" for p in skipped)
    shijiazhuang = next(p for p in skipped if p.raw == "石家庄")
    assert shijiazhuang.where == f"'主要城市年度数据'!A{5 + rf.MAJOR_CITIES.index('石家庄')}"
    assert "外省城市" in shijiazhuang.message_zh and "another province" in shijiazhuang.message_en
    assert_well_reported(report)


def test_city_database_typo_is_still_an_error(catalog):
    cities = [c if c != "哈尔滨" else "哈尔宾" for c in rf.MAJOR_CITIES]
    report = check(catalog, rf.city_portal_xls(cities=cities)).report
    harbin = rf.MAJOR_CITIES.index("哈尔滨")
    assert codes(report.errors) == [("unknown-region", f"'主要城市年度数据'!A{5 + harbin}")]


# --- 4. new portal XLSX (2026) ---------------------------------------------------------------------------

def test_new_portal_xlsx_as_published(catalog):
    report = check(catalog, rf.new_portal_xlsx()).report
    # 社会消费品零售总额 is not tracked: an error naming its cell unless the analyst skips it
    assert codes(report.errors) == [("unknown-indicator", "'年度数据'!A4")]
    result = check(catalog, rf.new_portal_xlsx(), skip_unknown=True)
    report = result.report
    assert report.valid, report.format_text()
    cells = by_cell(result)
    assert key(cells["C5"]) == ("gdp", "100000", 2024, 0, "annual", 1349083.5)
    assert cells["C5"].raw_value == "1349083.5"
    assert key(cells["F6"]) == ("population", "100000", 2021, 0, "annual", 141260)
    assert len(result.values) == 8  # the 2025 column is empty: not released yet
    assert report.notes == rf.NEW_NOTES  # '2. 根据第五次…' is a note, not a data row
    assert "时间：2021年-2025年" in report.metadata and report.sources == ["数据来源：国家统计局"]


def test_new_portal_note_line_starting_with_a_digit_is_never_data(catalog):
    # without the '注：1.' line the '2. 根据…' line directly follows the table
    result = check(catalog, rf.new_portal_xlsx(rows=rf.NEW_ROWS[1:], notes=rf.NEW_NOTES[1:]))
    report = result.report
    assert report.valid, report.format_text()
    assert len(result.values) == 8 and not report.problems
    assert report.notes == rf.NEW_NOTES[1:]


def test_new_portal_quarter_codes(catalog):
    result = check(catalog, rf.new_portal_quarter_codes_xlsx())
    assert result.report.valid, result.report.format_text()
    cells = by_cell(result)
    assert key(cells["C4"]) == ("gdp", "100000", 2025, 3, "ytd", 1015036.0)
    assert key(cells["F4"]) == ("gdp", "100000", 2024, 4, "ytd", 1349083.5)
    assert key(cells["F5"]) == ("gdp", "100000", 2024, 4, "quarter", 362720.0)
    assert "B4" not in cells and len(result.values) == 8


# --- 5. provincial tables -------------------------------------------------------------------------------

def test_provincial_table_as_sent(catalog):
    result = check(catalog, rf.provincial_table_xlsx())
    report = result.report
    assert report.valid, report.format_text()
    cells = by_cell(result)
    assert key(cells["B5"]) == ("digital_core_va", "230000", 2024, 3, "ytd", 1234.5)  # '1,234.5*'
    assert key(cells["B6"]) == ("digital_core_va", "230100", 2024, 3, "ytd", 512.3)  # '512.3①'
    assert cells["B9"].value == 12.0 and cells["B9"].raw_value == "１２.０"
    for row, value in enumerate(rf.CORE_VA, start=5):
        assert (cells[f"B{row}"].value if f"B{row}" in cells else None) == value
    assert key(cells["D5"]) == ("digital_core_va_share", "230000", 2024, 3, "ytd", 7.5)
    assert key(cells["E5"]) == ("fiveg_base_stations", "230000", 2024, 3, "ytd", 76243)
    assert key(cells["E18"]) == ("fiveg_base_stations", "232700", 2024, 3, "ytd", rf.stations(13))
    assert [(p.code, p.cell) for p in report.skipped] == [("skipped-column", "C4"), ("skipped-column", "F4")]
    assert report.sources == ["数据来源：黑龙江省统计局"] and len(report.notes) == 2
    assert "2024年1-9月各市（地）数字经济主要指标" in report.metadata


@pytest.mark.parametrize("title, period", [
    ("2024年1-3月各市（地）数字经济主要指标", (2024, 1, "ytd")),
    ("2024年1~3季度各市（地）数字经济主要指标", (2024, 3, "ytd")),
    ("2024年一季度各市（地）数字经济主要指标", (2024, 1, "ytd")),
    ("2024年上半年各市（地）数字经济主要指标", (2024, 2, "ytd")),
    ("2024年前三季度各市（地）数字经济主要指标", (2024, 3, "ytd")),
    ("2023年全年各市（地）数字经济主要指标", (2023, 0, "annual")),
])
def test_provincial_period_words(catalog, title, period):
    result = check(catalog, rf.provincial_table_xlsx(title=title))
    assert result.report.valid, result.report.format_text()
    assert {(v.year, v.quarter, v.basis) for v in result.values} == {period}


NON_ADMIN = [("农垦", "12.5", "3.0", "", "1,200", "1.0"), ("森工", "3.4", "1.0", "", "800", "1.0"),
             ("省农垦总局", "1", "1", "", "1", "1"), ("北大荒集团", "1", "1", "", "1", "1"),
             ("龙江森工", "1", "1", "", "1", "1")]


def test_non_administrative_units_are_skipped_with_info(catalog):
    result = check(catalog, rf.provincial_table_xlsx(extra_rows=NON_ADMIN))
    report = result.report
    assert report.valid, report.format_text()
    skipped = [p for p in report.skipped if p.code == "skipped-region"]
    assert [(p.raw, p.cell, p.severity) for p in skipped] == [
        (label, f"A{19 + i}", "info") for i, (label, *_) in enumerate(NON_ADMIN)]
    assert "行政区划" in skipped[0].message_zh and "administrative" in skipped[0].message_en
    assert {v.region_code for v in result.values} == {"230000", *rf.CITY_CODES}
    assert_well_reported(report)


def test_misspelt_city_next_to_non_administrative_units_is_an_error(catalog):
    labels = ["全省", "哈尔宾市"] + rf.CITIES[1:]
    report = check(catalog, rf.provincial_table_xlsx(labels=labels, extra_rows=NON_ADMIN)).report
    assert codes(report.errors) == [("unknown-region", "'各市'!A6")]
    assert "哈尔宾市" in report.errors[0].message_zh and "'哈尔宾市'" in report.errors[0].message_en
    assert {p.raw for p in report.skipped if p.code == "skipped-region"} == {l for l, *_ in NON_ADMIN}


def test_provincial_table_with_non_administrative_units_loads(engine):
    data, name = rf.provincial_table_xlsx(extra_rows=NON_ADMIN)
    outcome = ingest_file(engine, data, name, loaded_by="analyst")
    assert outcome.status == "loaded", outcome.report.format_text()
    with session_scope(engine) as s:
        regions = set(s.scalars(select(Observation.region_code).where(
            Observation.batch_id == outcome.batch_id)))
    assert regions == {"230000", *rf.CITY_CODES}
