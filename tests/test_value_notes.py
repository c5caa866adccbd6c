"""Qualifiers are not units, and they stay with the value (issue 10, class 7): 现价 after an
indicator's label, （初步核算） in a table's title and the long template's 备注 are stored in the
value's own notes, shown on the data and history pages and exported; the number is unchanged."""
from __future__ import annotations

import csv

from sqlalchemy import select

from etl.pipeline import ingest_file
from etl.store.db import session_scope
from etl.store.export import export_rows
from etl.store.models import Observation
from etl.store.queries import current_observations
from tests import messy_files
from tests.real_files import xlsx_from_rows

CITIES = ["哈尔滨市", "齐齐哈尔市", "大庆市"]


def notes_by_key(engine) -> dict[tuple, tuple[float, str]]:
    with session_scope(engine) as s:
        return {(o.indicator_code, o.region_code, o.year, o.quarter, o.basis): (o.value, o.notes)
                for o in s.scalars(select(Observation))}


def test_label_and_title_qualifiers_are_the_value_s_notes(engine, tmp_path):
    rows = [["2024年各市（地）主要经济指标（初步核算）"],
            ["地区", "地区生产总值（亿元）（现价）", "数字经济核心产业增加值（亿元）"]]
    rows += [[city, 1000.0 + i, 50.0 + i] for i, city in enumerate(CITIES)]
    data, name = xlsx_from_rows(rows, name="主要指标.xlsx")
    outcome = ingest_file(engine, data, name, loaded_by="tester")
    assert outcome.status == "loaded", outcome.report.problems
    stored = notes_by_key(engine)
    assert stored[("gdp", "230100", 2024, 0, "annual")] == (1000.0, "现价、初步核算")
    assert stored[("digital_core_va", "230600", 2024, 0, "annual")] == (52.0, "初步核算")
    row = next(r for r in current_observations(engine, "gdp", "230200"))
    assert row["notes"] == "现价、初步核算"
    export_rows(current_observations(engine), tmp_path / "values.csv")  # python -m etl export
    with open(tmp_path / "values.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    column = next(h for h in table[0] if h.startswith("口径说明"))
    assert {r[column] for r in table} == {"现价、初步核算", "初步核算"}


def test_template_note_column_is_the_value_s_notes(engine):
    data, name = messy_files.long_template_xlsx()
    outcome = ingest_file(engine, data, name, loaded_by="tester")
    assert outcome.status == "loaded", outcome.report.problems
    stored = notes_by_key(engine)
    assert stored[("gdp", "230100", 2024, 3, "ytd")] == (4108.2, "初步核算")
    assert stored[("gdp", "230000", 2024, 0, "annual")] == (16476.9, "")
