"""The whole chain on messy files in the real layouts (tests/messy_files.py), against a real database."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

import messy_files as mf
from etl.store.db import session_scope
from etl.store.load import rollback_batch
from etl.store.models import Batch, Observation
from etl.pipeline import check_file, ingest_file, preview_file
from test_load import snapshot


def current(engine, indicator, region, year, quarter=0, basis="annual"):
    with session_scope(engine) as s:
        rows = s.scalars(select(Observation).where(
            Observation.indicator_code == indicator, Observation.region_code == region,
            Observation.year == year, Observation.quarter == quarter, Observation.basis == basis,
            Observation.is_current.is_(True))).all()
        assert len(rows) <= 1
        return rows[0] if rows else None


def ingest(engine, built, **kwargs):
    data, name = built
    kwargs.setdefault("loaded_by", "analyst")
    return ingest_file(engine, data, name, **kwargs)


# --- each layout loads, with provenance ---------------------------------------------------------------

def test_gbk_csv_with_quoted_multiline_notes(engine):
    outcome = ingest(engine, mf.portal_regions_csv())
    assert outcome.status == "loaded", outcome.report.format_text()
    report = outcome.report
    assert report.format == "csv" and report.encoding in ("gb18030", "gbk")
    assert report.counts["valid"] == 31 * 5 - 1  # 北京 2024 not released yet
    obs = current(engine, "population", "230000", 2024)
    assert obs.value == mf.population("黑龙江省", 2024)
    assert (obs.sheet, obs.cell) != ("", "") and obs.cell.startswith("B")
    with session_scope(engine) as s:
        batch = s.get(Batch, outcome.batch_id)
        assert any("常住人口包括" in n and "半年以上" in n for n in batch.notes)  # the quoted 2-line note
        assert batch.source_lines == ["数据来源：国家统计局"]
        assert batch.values_new == 154 and batch.report["status"] == "loaded"
        assert batch.report["batch_id"] == outcome.batch_id


def test_biff8_xls_with_empty_text_cells(engine):
    outcome = ingest(engine, mf.old_portal_xls())
    assert outcome.status == "loaded", outcome.report.format_text()
    assert outcome.report.format == "xls"
    assert current(engine, "gdp", "540000", 2015) is None  # the empty text cell is missing, not 0
    index = [r for r, _ in mf.PROVINCES].index("黑龙江省")
    assert current(engine, "gdp", "230000", 2019).value == mf.old_portal_value(index, 2019)


def test_xlsx_with_numbers_as_text_and_quarter_codes(engine):
    outcome = ingest(engine, mf.new_portal_xlsx(), skip_unknown=True)
    assert outcome.status == "loaded", outcome.report.format_text()
    assert outcome.report.counts["skipped"] >= 1
    obs = current(engine, "gdp", "100000", 2025, 3, "ytd") or current(engine, "gdp", "100000", 2025, 3,
                                                                         "quarter")
    assert obs is not None and obs.value == 341230.4 and obs.raw_value == "341230.4"


def test_unknown_indicator_is_an_error_unless_skipped(engine):
    before = snapshot(engine)
    outcome = ingest(engine, mf.portal_indicators_csv())
    assert outcome.status == "rejected"
    assert [p.code for p in outcome.report.errors] == ["unknown-indicator"]
    assert outcome.report.errors[0].sheet and outcome.report.errors[0].cell
    assert snapshot(engine) == before
    outcome = ingest(engine, mf.portal_indicators_csv(), skip_unknown=True)
    assert outcome.status == "loaded"
    assert [p.code for p in outcome.report.skipped] == ["skipped-indicator"]
    assert current(engine, "gdp", "100000", 2021, 4, "ytd").value == 1143669.7
    assert current(engine, "gdp", "100000", 2021, 4, "quarter").value == 324237.4


def test_provincial_table_merged_title_and_two_header_rows(engine):
    outcome = ingest(engine, mf.provincial_xlsx())
    assert outcome.status == "loaded", outcome.report.format_text()
    assert current(engine, "digital_core_va", "230000", 2024, 3, "ytd").value == mf.PROVINCE_CORE_VA
    harbin = current(engine, "fiveg_base_stations", "230100", 2024, 3, "ytd")
    assert harbin.value == mf.CITY_STATIONS[0] and (harbin.sheet, harbin.cell) == ("各市", "D6")
    assert {p.code for p in outcome.report.skipped} == {"skipped-column"}


def test_transposed_provincial_table_in_wan_yuan(engine):
    outcome = ingest(engine, mf.provincial_transposed_xlsx())
    assert outcome.status == "loaded", outcome.report.format_text()
    assert current(engine, "digital_core_va", "230000", 2024, 2, "ytd").value == pytest.approx(
        mf.PROVINCE_CORE_VA)


# --- rejected files change nothing --------------------------------------------------------------------

def test_wrong_region_name_is_rejected_naming_sheet_and_cell(engine):
    ingest(engine, mf.portal_regions_csv())
    before = snapshot(engine)
    outcome = ingest(engine, mf.provincial_xlsx(city_labels=["哈尔滨X市"] + mf.CITIES[1:]))
    assert outcome.status == "rejected" and outcome.batch_id is None
    errors = outcome.report.errors
    assert [(p.code, p.where) for p in errors] == [("unknown-region", "'各市'!A6")]
    assert "哈尔滨X市" in errors[0].message_zh and errors[0].raw == "哈尔滨X市"
    assert "'各市'!A6" in outcome.report.format_text()
    assert snapshot(engine) == before


@pytest.mark.parametrize("builder", [mf.empty_file, mf.png_as_xlsx, mf.truncated_xlsx,
                                     mf.random_bytes_xlsx, mf.no_data_xlsx])
def test_unreadable_files_are_rejected_with_a_report_not_a_traceback(engine, builder):
    ingest(engine, mf.provincial_xlsx())
    before = snapshot(engine)
    outcome = ingest(engine, builder())
    assert outcome.status == "rejected"
    assert outcome.report.errors and outcome.report.errors[0].message_zh
    json.dumps(outcome.report.to_dict())
    assert snapshot(engine) == before


def test_a_text_value_rejects_the_whole_file(engine):
    before = snapshot(engine)
    outcome = ingest(engine, mf.provincial_xlsx(cell_overrides={"B7": "abc"}))
    assert outcome.status == "rejected"
    assert [(p.code, p.where, p.raw) for p in outcome.report.errors] == [
        ("type-error", "'各市'!B7", "abc")]
    assert snapshot(engine) == before  # none of the 40 good values went in


def test_a_cross_value_error_rejects_the_file(engine):
    before = snapshot(engine)
    # Harbin's stations above the province's
    outcome = ingest(engine, mf.provincial_xlsx(cell_overrides={"D6": 999999}))
    assert outcome.status == "rejected"
    assert ("above-parent", "'各市'!D6") in [(p.code, p.where) for p in outcome.report.errors]
    assert snapshot(engine) == before


# --- reloads, revisions, dry runs, previews -------------------------------------------------------

def test_identical_file_again_is_a_noop_that_says_so(engine):
    file = mf.provincial_xlsx()  # the same bytes twice (a new workbook has a new timestamp)
    first = ingest(engine, file)
    before = snapshot(engine)
    again = ingest(engine, file)
    assert again.status == "unchanged", again.report.format_text()
    assert again.batch_id is None
    assert again.report.changes.new == 0 and again.report.changes.unchanged == 41
    assert again.report.loaded_before == [first.batch_id]
    assert "无变化" in again.report.format_text() and "no-op" in again.report.format_text()
    assert snapshot(engine) == before


def test_revised_file_loads_new_versions_and_lists_old_to_new(engine):
    first = ingest(engine, mf.provincial_xlsx())
    outcome = ingest(engine, mf.provincial_xlsx(cell_overrides={"B6": 520.1}))
    assert outcome.status == "loaded"
    revised = outcome.report.changes.revised
    assert [(r.region_code, r.old_value, r.new_value, r.old_version, r.new_version, r.where)
            for r in revised] == [("230100", 512.3, 520.1, 1, 2, "'各市'!B6")]
    assert outcome.report.changes.unchanged == 40
    with session_scope(engine) as s:
        versions = s.execute(select(Observation.value, Observation.version, Observation.is_current)
                             .where(Observation.indicator_code == "digital_core_va",
                                    Observation.region_code == "230100")
                             .order_by(Observation.version)).all()
    assert [tuple(v) for v in versions] == [(512.3, 1, False), (520.1, 2, True)]
    # rolling the revision back restores the first file's value
    with session_scope(engine) as s:
        rollback_batch(s, outcome.batch_id, user="admin", reason="test")
    assert current(engine, "digital_core_va", "230100", 2024, 3, "ytd").value == 512.3
    assert first.batch_id != outcome.batch_id


def test_dry_run_and_preview_write_nothing(engine):
    before = snapshot(engine)
    dry = ingest(engine, mf.provincial_xlsx(), dry_run=True)
    assert dry.status == "dry-run" and dry.report.changes.new == 41
    preview = preview_file(engine, *mf.provincial_xlsx())
    assert preview.report.status == "preview" and len(preview.plan.new) == 41
    assert snapshot(engine) == before
    # the plan digest guards a commit against a database that moved since the preview
    digest = preview.plan.digest()
    ingest(engine, mf.provincial_xlsx(cell_overrides={"B6": 600.0}))
    stale = ingest(engine, mf.provincial_xlsx(), expected_digest=digest)
    assert stale.status == "stale" and stale.batch_id is None
    fresh = preview_file(engine, *mf.provincial_xlsx())
    assert [r.new_value for r in fresh.plan.revised] == [512.3]
    done = ingest(engine, mf.provincial_xlsx(), expected_digest=fresh.plan.digest())
    assert done.status == "loaded"


def test_batch_flags_and_extra_notes(engine):
    outcome = ingest(engine, mf.long_template_xlsx(), is_demo=True, extra_notes=["演示 demo"])
    assert outcome.status == "loaded", outcome.report.format_text()
    with session_scope(engine) as s:
        batch = s.get(Batch, outcome.batch_id)
        assert batch.is_demo and not batch.is_reference and batch.loaded_by == "analyst"
        assert batch.notes[0] == "演示 demo"
        assert "黑龙江省统计局" in " ".join(batch.source_lines)


def test_check_file_needs_no_database(catalog):
    result = check_file(*mf.portal_regions_csv(), catalog)
    assert result.report.valid and len(result.values) == 154
    result = check_file(*mf.portal_regions_csv(rename={"黑龙江省": "黑龙江X"}), catalog)
    assert not result.report.valid and result.values == []
    assert result.report.errors[0].code == "unknown-region"


def test_progress_is_reported(engine):
    seen = []
    ingest(engine, mf.portal_regions_csv(), progress=lambda stage, done, total: seen.append(stage))
    assert "read" in seen and "load" in seen


def test_empty_database_is_initialised_first(empty_engine):
    outcome = ingest(empty_engine, mf.provincial_xlsx())
    assert outcome.status == "loaded"


def test_two_uploads_at_the_same_moment_both_land_unmixed(engine):
    import threading

    files = [mf.provincial_xlsx(cell_overrides={"B6": 500.0 + i, "B7": 90.0 + i}) for i in (1, 2)]
    outcomes = []
    start = threading.Barrier(2)

    def upload(built):
        start.wait(timeout=10)
        outcomes.append(ingest(engine, built))

    threads = [threading.Thread(target=upload, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(o.status for o in outcomes) == ["loaded", "loaded"]
    later = max(outcomes, key=lambda o: o.batch_id)
    assert [r.region_code for r in later.report.changes.revised] == ["230100", "230200"]
    with session_scope(engine) as s:
        rows = s.execute(select(Observation.region_code, Observation.indicator_code,
                                Observation.is_current, Observation.batch_id, Observation.version)
                         .where(Observation.is_current.is_(True))).all()
    assert len(rows) == 41
    changed = {r.batch_id for r in rows if r.indicator_code == "digital_core_va"
               and r.region_code in ("230100", "230200")}
    assert changed == {later.batch_id}  # both changed values from the same, later file


# --- checks against what the database holds ------------------------------------------------------

def template(*rows):
    return mf.long_template_xlsx([list(r) + ["省统计局", ""] for r in rows])


def test_a_file_contradicting_stored_values_is_rejected_and_changes_nothing(engine):
    first = ingest(engine, template(("gdp", "230000", "2024年1-6月", 7000.0, "亿元", "ytd"),
                                    ("gdp", "230000", "2024年1-9月", 11000.0, "亿元", "ytd")))
    assert first.status == "loaded"
    before = snapshot(engine)
    # core value added above the stored GDP, and a 1-3月 value above the stored 1-6月
    data, _ = template(("digital_core_va", "230000", "2024年1-9月", 12000.0, "亿元", "ytd"),
                       ("gdp", "230000", "2024年1-3月", 7500.0, "亿元", "ytd"))
    preview = preview_file(engine, data, "核心产业.xlsx")
    assert preview.report.status == "rejected" and preview.plan is None
    outcome = ingest_file(engine, data, "核心产业.xlsx", loaded_by="analyst")
    assert outcome.status == "rejected" and outcome.batch_id is None
    found = {(p.code, p.cell): p for p in outcome.report.errors}
    assert set(found) == {("part-above-whole", "D2"), ("cumulative-decrease", "D3")}
    for p in found.values():
        assert f"#{first.batch_id}" in p.message_zh and "长表模板.xlsx" in p.message_en
    assert "11,000" in found[("part-above-whole", "D2")].message_zh
    assert "7,000" in found[("cumulative-decrease", "D3")].message_en
    assert snapshot(engine) == before
    # with the GDP revised in the same file, the file's own values are used: it loads
    fixed = ingest(engine, template(("digital_core_va", "230000", "2024年1-9月", 12000.0, "亿元", "ytd"),
                                    ("gdp", "230000", "2024年1-9月", 13000.0, "亿元", "ytd")))
    assert fixed.status == "loaded", fixed.report.format_text()


def test_per_10k_and_quarter_sums_end_to_end(engine):
    outcome = ingest(engine, template(
        ("fiveg_base_stations", "230000", "2024年", 90000, "个", "annual"),
        ("population", "230000", "2024年", 3000.0, "万人", "annual"),
        ("fiveg_per_10k", "230000", "2024年", 40.0, "个", "annual")))  # 30 computed: a warning
    assert outcome.status == "loaded"
    assert [(p.code, p.severity, p.cell) for p in outcome.report.problems
            if p.code == "per-10k-mismatch"] == [("per-10k-mismatch", "warning", "D4")]
    sums = ingest(engine, template(
        ("gdp", "230100", "2024年1-3月", 1000.0, "亿元", "ytd"),
        ("gdp", "230100", "2024年1-6月", 2100.0, "亿元", "ytd"),
        ("gdp", "230100", "2024年第二季度", 1000.0, "亿元", "quarter")))
    assert sums.status == "rejected"
    assert [(p.code, p.cell) for p in sums.report.errors] == [("quarter-sum-mismatch", "D4")]
