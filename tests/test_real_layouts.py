"""The reference document's files, as literally as possible, through the whole chain.

Builders are in tests/real_files.py. Each test checks values at named cells, what is skipped and
why, and that every problem names a sheet and a cell.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

import real_files as rf
from etl.store.db import session_scope
from etl.store.models import Batch, Observation
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


# --- the same data in every format Excel and the portal produce --------------------------------------------

def values_of(result):
    return sorted((v.key, v.value, v.cell) for v in result.values)


def population_rows():
    return rf.rows_of_csv(rf.nbs_population_csv()[0])


@pytest.mark.parametrize("built", [
    lambda: rf.xlsx_from_rows(population_rows(), sheet="分省年度数据", name="分省年度数据.xlsx"),
    lambda: rf.xlsx_from_rows(population_rows(), sheet="分省年度数据", name="分省年度数据.xlsx", numbers=False),
    lambda: rf.xls_from_rows(population_rows(), sheet="分省年度数据", name="分省年度数据.xls"),
    lambda: rf.nbs_population_csv(encoding="utf-8-sig"),
    lambda: rf.nbs_population_csv(delimiter="\t"),
    lambda: rf.nbs_population_csv(delimiter=";"),
    lambda: rf.nbs_population_csv(trailing_comma=True),
], ids=["excel-saved-xlsx", "xlsx-numbers-as-text", "xls", "utf8-bom", "tab", "semicolon",
        "trailing-empty-column"])
def test_same_file_in_every_format_gives_the_same_values(catalog, built):
    reference = check(catalog, rf.nbs_population_csv())
    other = check(catalog, built())
    assert other.report.valid and not other.report.problems, other.report.format_text()
    assert values_of(other) == values_of(reference)
    assert other.report.sources == reference.report.sources


@pytest.mark.parametrize("bom", [True, False])
def test_excel_unicode_text_is_utf16_tsv(catalog, bom):
    text = "\r\n".join("\t".join(row) for row in population_rows()) + "\r\n"
    data = (b"\xff\xfe" if bom else b"") + text.encode("utf-16-le")
    result = check(catalog, (data, "分省年度数据.txt"))
    assert result.report.valid, result.report.format_text()
    assert values_of(result) == values_of(check(catalog, rf.nbs_population_csv()))


def test_instructions_sheet_next_to_the_data(catalog):
    import io
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(rf.new_portal_xlsx()[0]))
    info = book.create_sheet("填报说明", 0)
    for line in (["填报说明"], ["1. 请按国家统计局口径填报。"], ["指标", "说明"], ["国内生产总值", "按当年价格计算"]):
        info.append(line)
    result = check(catalog, (rf.save(book), "年度数据.xlsx"), skip_unknown=True)
    report = result.report
    assert report.valid and len(result.values) == 8, report.format_text()
    assert report.problems == []  # an instructions sheet is not data: skipped with its reason
    assert [(p.code, p.severity, p.sheet) for p in report.skipped if p.code == "skipped-sheet"] == [
        ("skipped-sheet", "info", "填报说明")]
    assert "说明" in report.skipped[0].message_zh


# --- formulas, dates, hidden rows -----------------------------------------------------------------------------

def provincial_with(edit):
    import io
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(rf.provincial_table_xlsx()[0]))
    edit(book["各市"])
    return rf.save(book), "各市.xlsx"


def test_formula_without_a_computed_value_is_reported_not_loaded(catalog):
    def edit(ws):
        ws["B5"] = "=SUM(B6:B18)"  # openpyxl writes no cached value, as scripts do
    result = check(catalog, provincial_with(edit))
    report = result.report
    assert codes(report.errors) == [("formula-without-value", "'各市'!B5")]
    error = report.errors[0]
    assert error.raw == "=SUM(B6:B18)" and "公式" in error.message_zh and "formula" in error.message_en
    assert not result.values  # rejected: nothing is loaded, certainly not 0


def test_formula_with_a_cached_value_loads_the_value(catalog):
    import io
    import re
    import zipfile
    data, _ = provincial_with(lambda ws: ws.__setitem__("B5", "=SUM(B6:B18)"))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # as Excel saves it: formula + value
                body = re.sub(rb"(<c r=\"B5\"[^>]*>)<f>(.*?)</f>(<v\s*/>|<v></v>)?", rb"\1<f>\2</f><v>1234.5</v>", body)
            target.writestr(item, body)
    result = check(catalog, (out.getvalue(), "各市.xlsx"))
    assert result.report.valid, result.report.format_text()
    assert by_cell(result)["B5"].value == 1234.5


def date_header_table(indicator_title, dates):
    import openpyxl
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表1"
    ws.append([indicator_title])
    ws.append(["地区", *dates])
    for i, label in enumerate(["全省"] + rf.CITIES):
        ws.append([label, *[(20000 if i == 0 else 1000 + i) + j for j in range(len(dates))]])
    return rf.save(book), "日期表头.xlsx"


def test_excel_dates_as_period_headers(catalog):
    import datetime as dt
    dates = [dt.datetime(2024, 9, 30), dt.datetime(2024, 6, 30), dt.datetime(2023, 12, 31)]
    result = check(catalog, date_header_table("各市（地）5G基站数（个）", dates))
    assert result.report.valid, result.report.format_text()
    # a stock at a quarter's end date is that quarter's end-of-period reading
    assert {(v.year, v.quarter, v.basis) for v in result.values} == {(2024, 3, "ytd"), (2024, 2, "ytd"),
                                                                     (2023, 4, "ytd")}
    assert by_cell(result)["B3"].value == 20000


def test_date_headers_for_a_flow_are_a_bad_period_at_the_header(catalog):
    import datetime as dt
    report = check(catalog, date_header_table("各市（地）地区生产总值（亿元）", [dt.datetime(2024, 9, 30)])).report
    assert codes(report.errors) == [("bad-period", "'表1'!B2")]
    assert "存量或比率" in report.errors[0].message_zh


def test_hidden_rows_are_read_and_warned_about(catalog):
    def edit(ws):
        ws.row_dimensions[7].hidden = True  # 齐齐哈尔市
    result = check(catalog, provincial_with(edit))
    report = result.report
    assert report.valid
    (warning,) = report.warnings
    assert (warning.code, warning.where) == ("hidden-cells", "'各市'!B7")
    assert "隐藏" in warning.message_zh and "hidden" in warning.message_en
    assert by_cell(result)["B7"].value == 98.7


# --- size: wide, long, huge declared or real extents -----------------------------------------------------

def test_wide_sheet_300_quarters(catalog):
    periods = [f"{y}年第{q}季度" for y in range(2024, 1949, -1) for q in "四三二一"]
    lines = ["数据库：季度数据", "时间：1950-2024", ",".join(["指标"] + periods),
             ",".join(["国内生产总值累计值(亿元)"] + [f"{100000 - i}.5" for i in range(len(periods))]),
             "数据来源：国家统计局"]
    result = check(catalog, (("\r\n".join(lines) + "\r\n").encode("gbk"), "宽表.csv"))
    assert result.report.valid and len(result.values) == 300, result.report.format_text()
    assert key(by_cell(result)["KO4"]) == ("gdp", "100000", 1950, 1, "ytd", 99701.5)


def test_long_template_20000_rows(catalog):
    import openpyxl
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    ws.append(["指标代码", "地区代码", "期间", "数值"])
    for i in range(20000):
        ws.append(["population", rf.PROVINCE_CODES[i % 31], f"{1950 + i // 31 % 150}年", str(i)])
    result = check(catalog, (rf.save(book), "长表.xlsx"))
    # 20000 rows repeat (region, year) pairs after 31 x 150: duplicates are named, not a crash
    assert result.report.cells_read == 20000
    assert all(p.sheet == "数据" and p.cell for p in result.report.problems)


def rezip(data, member, change):
    import io
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item, change(body) if item.filename == member else body)
    return out.getvalue()


def test_huge_declared_dimension_is_not_trusted(catalog):
    import re
    data = rezip(rf.new_portal_xlsx()[0], "xl/worksheets/sheet1.xml",
                 lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', b))
    result = check(catalog, (data, "年度数据.xlsx"), skip_unknown=True)
    assert result.report.valid and len(result.values) == 8


def test_a_far_away_cell_is_refused_before_it_is_allocated(catalog):
    # calamine would allocate 1048576 x 16384 cells (and abort the process) for this one cell
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row></sheetData>'
    data = rezip(rf.new_portal_xlsx()[0], "xl/worksheets/sheet1.xml",
                 lambda b: b.replace(b"</sheetData>", far))
    report = check(catalog, (data, "年度数据.xlsx")).report
    (error,) = report.errors
    assert error.code == "too-large" and "年度数据" in error.message_zh and "1048576" in error.message_en
    styled_only = b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'  # no value: fine
    data = rezip(rf.new_portal_xlsx()[0], "xl/worksheets/sheet1.xml",
                 lambda b: b.replace(b"</sheetData>", styled_only))
    assert check(catalog, (data, "年度数据.xlsx"), skip_unknown=True).report.valid


def test_xls_with_a_far_away_cell_is_refused_in_bounded_memory(catalog):
    import io
    import xlwt
    book = xlwt.Workbook()
    sheet = book.add_sheet("分省年度数据")
    sheet.write(0, 0, "数据库：分省年度数据")
    sheet.write(65535, 255, "x")
    out = io.BytesIO()
    book.save(out)
    (error,) = check(catalog, (out.getvalue(), "远处.xls")).report.errors
    assert error.code == "too-large" and "分省年度数据" in error.message_zh
