"""The long template read as columns (etl.records.TemplateValues) gives what a RawValue per row gave.

normalise_values works a template sheet of plain numbers column by column and any other sheet (or a
template with text, missing marks, formats or problems) cell by cell; both must give the same values,
problems and provenance. A list of the TemplateValues' RawValues always goes cell by cell, so it is
the reference here.
"""
from __future__ import annotations

import pytest

from etl.normalise import cells as normalise
from etl.normalise.cells import LabelResolver, normalise_values
from etl.pipeline import check_file
from etl.read.files import read_workbook
from etl.read.layout import extract_workbook
from etl.records import RawValue, RawValues, TemplateValues
from tests import messy_files as mf

PLAIN = [
    ["gdp", "230000", "2024年", 16476.9, "亿元", "annual", "黑龙江省统计局", ""],
    ["gdp", "230100", "2024年1-9月", 4108.0, "亿元", "", "黑龙江省统计局", "初步核算"],
    ["digital_core_va", "230000", "2024Q3", 10234567, "万元", "ytd", "省统计局", ""],
    ["fiveg_base_stations", "黑龙江省", "2024年第三季度", 92000, "个", "", "省通信管理局", ""],
    ["gdp", "230000", "2023年", -0.0, "", "年度", "", "待核定"],
    ["large_mfg_digital_rate", "230100", "2024Q2", 58.25, "%", "", "", ""],
]
CASES = {
    "plain numbers": PLAIN,
    "numbers as text": PLAIN[:2] + [["gdp", "230100", "2023年", "3,982.5", "亿元", "", "", ""]],
    "a missing mark": PLAIN + [["gdp", "230100", "2023年", "—", "亿元", "", "", ""]],
    "an unknown region": PLAIN + [["gdp", "哈尔冰市", "2023年", 3982.5, "亿元", "", "", ""]],
    "a unit that does not fit": PLAIN + [["gdp", "230100", "2023年", 3982.5, "个", "", "", ""]],
    "a bad period": PLAIN + [["gdp", "230100", "2023年13月", 3982.5, "亿元", "", "", ""]],
    "a true/false cell": PLAIN + [["gdp", "230100", "2023年", True, "亿元", "", "", ""]],
}


def _extract(catalog, rows):
    return extract_workbook(read_workbook(*mf.long_template_xlsx(rows)), catalog)


@pytest.mark.parametrize("case", sorted(CASES))
def test_columns_and_cells_agree(catalog, case):
    extract = _extract(catalog, CASES[case])
    assert isinstance(extract.values, RawValues)
    assert [type(part) for part in extract.values.parts] == [TemplateValues]
    # only a sheet of plain numbers under labels that all resolve goes column by column
    by_columns = normalise._template_values(extract.values.parts[0], catalog, LabelResolver(catalog))
    assert (by_columns is not None) == (case == "plain numbers")
    columns = normalise_values(extract.values, catalog)
    cells = normalise_values(list(extract.values), catalog)  # RawValue by RawValue
    assert columns.values == cells.values
    assert [v.notes for v in columns.values] == [v.notes for v in cells.values]
    assert columns.problems == cells.problems
    assert columns.skipped == cells.skipped
    assert [rv.raw for rv in extract.values] == list(extract.values.raws())


def test_plain_numbers_in_the_catalog_unit(catalog):
    values = {v.cell: v for v in normalise_values(_extract(catalog, PLAIN).values, catalog).values}
    assert set(values) == {"D2", "D3", "D4", "D5", "D6", "D7"}
    core = values["D4"]
    assert (core.indicator_code, core.region_code, core.year, core.quarter, core.basis) == (
        "digital_core_va", "230000", 2024, 3, "ytd")
    assert core.value == pytest.approx(1023.4567) and core.raw_value == "10234567"
    assert values["D3"].raw_value == "4108" and values["D3"].notes == "初步核算"
    assert values["D6"].raw_value == "0" and values["D6"].notes == "待核定"
    assert values["D5"].region_code == "230000" and values["D5"].sheet == "数据"


def test_a_row_as_a_raw_value(catalog):
    extract = _extract(catalog, PLAIN)
    assert extract.values[1] == RawValue(
        "数据", "D3", 4108, region_label="230100", indicator_label="gdp", period_label="2024年1-9月",
        region_cell="B3", indicator_cell="A3", period_cell="C3", unit_hint="亿元", basis_hint=None,
        note="初步核算")
    assert len(extract.values) == len(PLAIN)
    assert extract.values[-1].cell == "D7" and extract.values[1:3][0].cell == "D3"


def test_missing_cells_counted(catalog):
    rows = PLAIN + [["gdp", "230100", "2023年", "—", "亿元", "", "", ""],
                    ["gdp", "230100", "2022年", None, "亿元", "", "", ""],
                    ["gdp", "230100", "2021年", "3,982.5", "亿元", "", "", ""],
                    ["gdp", "230100", "2020年", 0, "亿元", "", "", ""]]
    report = check_file(*mf.long_template_xlsx(rows), catalog).report
    assert (report.cells_read, report.values_missing, report.values_valid) == (10, 2, 8)
