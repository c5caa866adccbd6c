"""Demo data: deterministic, in the real layouts, statistically plausible, and loadable as is."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl.demo import files as demo
from etl.demo import series as ds
from etl.normalise.labels import alias_key
from etl.store.seed import read_csv
from etl import config

PROVINCES = [r for r in read_csv(config.SEED_DIR / "regions.csv") if r["level"] == "province"]
REGION_ALIASES = {alias_key(name): r["code"] for r in read_csv(config.SEED_DIR / "regions.csv")
                  for name in (r["name_zh"], r["short_zh"])}


@pytest.fixture(scope="module")
def made() -> list:
    """The demo files (etl.demo.files.demo_files: name, bytes, notes), generated once for the
    module (a generation costs seconds); the tests of the generator make their own."""
    return demo.demo_files()


@pytest.fixture(scope="module")
def files(made) -> dict[str, bytes]:
    """name -> bytes, in load order."""
    return {f.name: f.data for f in made}


# --- the generator ---------------------------------------------------------------------------------

def test_every_layout_is_present(files):
    names = list(files)
    assert sum(n.endswith("各市（地）数字经济主要指标.xlsx") for n in names) == 7 * 5  # 4 quarters + 全年
    assert sum(n.endswith(".csv") for n in names) == 4
    assert sum(n.endswith(".xls") for n in names) == 1
    assert "年度数据_全国_2026年导出.xlsx" in names
    # the revision comes after the vintages it revises, in load order and in name order (so that
    # `python -m etl ingest folder/*` loads them in the right order too)
    revision = "分省年度数据_地区生产总值_2026年导出.csv"
    for order in (names, sorted(names)):
        assert order.index("分省年度数据_地区生产总值_2024年导出.xls") < order.index(revision)
        assert order.index("2022年全年各市（地）数字经济主要指标.xlsx") < order.index(revision)


def _csv_lines(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("gbk"), newline="")))


@pytest.mark.parametrize("name", [
    "分省年度数据_地区生产总值_2026年导出.csv", "分省年度数据_年末常住人口_2026年导出.csv",
    "分省季度数据_地区生产总值累计值_2026年导出.csv", "季度数据_国内生产总值_2026年导出.csv"])
def test_portal_csvs_are_gbk_without_bom(files, name):
    data = files[name]
    assert not data.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    lines = _csv_lines(data)
    assert lines[0][0].startswith("数据库：")
    assert lines[-1] == ["数据来源：国家统计局"]
    note = lines[-2][0]
    assert note.startswith("注：") and "\n\u3000\u3000\u3000" in note  # a quoted multi-line note


def test_regions_by_years_export_lists_all_31_provinces_newest_first(files):
    lines = _csv_lines(files["分省年度数据_地区生产总值_2026年导出.csv"])
    assert lines[1] == ["指标：地区生产总值(亿元)"]
    header = lines[3]
    assert header[0] == "地区" and header[1] == "2025年" and header[-1] == "2016年"
    rows = {line[0]: line[1:] for line in lines[4:4 + 31]}
    assert list(rows) == [p["name_zh"] for p in PROVINCES]
    assert rows["黑龙江省"][header.index("2022年") - 1] == "16359.2"  # the census revision
    population = _csv_lines(files["分省年度数据_年末常住人口_2026年导出.csv"])
    pop_rows = {line[0]: line[1:] for line in population[4:4 + 31]}
    assert pop_rows["黑龙江省"][1:10] == ["3029", "3062", "3099", "3125", "3171", "3255", "3327",
                                       "3399", "3463"]
    assert pop_rows["西藏自治区"][0] == ""  # not yet released


def test_nation_quarterly_export_has_both_bases_crlf_and_untracked_indicators(files, made):
    data = files["季度数据_国内生产总值_2026年导出.csv"]
    assert b"\r\n" in data
    lines = _csv_lines(data)
    header = lines[2]
    assert header[1] == "2025年第四季度" and header[-1] == "2019年第一季度"
    rows = {line[0]: line[1:] for line in lines[3:] if len(line) > 1}
    single, cumulative = rows["国内生产总值当季值(亿元)"], rows["国内生产总值累计值(亿元)"]
    col = {label: i for i, label in enumerate(header[1:])}
    assert cumulative[col["2021年第四季度"]] == "1143669.7"
    assert cumulative[col["2021年第二季度"]] == "529513.0"  # one decimal, as the portal writes
    for year in range(2019, 2026):  # cumulative = running sum of the single quarters
        total = 0.0
        for q in "一二三四":
            total += float(single[col[f"{year}年第{q}季度"]])
            assert float(cumulative[col[f"{year}年第{q}季度"]]) == pytest.approx(total, abs=0.05)
    assert any(label.startswith("第一产业") for label in rows)  # needs skip_unknown
    item = next(f for f in made if f.name.startswith("季度数据_国内生产总值"))
    assert item.skip_unknown and any("skip_unknown" in note for note in item.notes)


def test_old_portal_xls_is_biff8_with_empty_text_cells(files):
    import xlrd

    data = files["分省年度数据_地区生产总值_2024年导出.xls"]
    assert data[:4] == b"\xd0\xcf\x11\xe0"
    sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
    assert sheet.cell_value(0, 0) == "数据库：分省年度数据"
    assert sheet.row_values(3)[:2] == ["地区", "2023年"]
    hlj = next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == "黑龙江省")
    assert sheet.cell_type(hlj, 1) == xlrd.XL_CELL_TEXT and sheet.cell_value(hlj, 1) == ""
    assert sheet.cell_type(hlj, 2) == xlrd.XL_CELL_NUMBER and sheet.cell_value(hlj, 2) == 15901.0
    last = [sheet.cell_value(r, 0) for r in range(sheet.nrows)]
    assert last[-1] == "数据来源：国家统计局"
    assert any(text.startswith("\u3000\u3000\u3000") for text in last)


def test_new_portal_xlsx_stores_numbers_as_text(files):
    sheet = load_workbook(io.BytesIO(files["年度数据_全国_2026年导出.xlsx"])).active
    assert sheet["A2"].value == "时间：2021年-2025年"
    labels = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    row = labels["5G基站数 (个) "]  # a space before '(' and a trailing space
    assert sheet.cell(row, 2).data_type == "s" and sheet.cell(row, 2).value == "4763000"
    assert sheet.cell(row, 3).value == "4251000"  # 2024, as published
    assert sheet.cell(sheet.max_row, 1).value.startswith("数据来源：")


def test_provincial_table_layout(files):
    book = load_workbook(io.BytesIO(files["2024年1-9月各市（地）数字经济主要指标.xlsx"]))
    sheet = book.active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value == "2024年1-9月各市（地）数字经济主要指标" and "A1:O1" in merged
    assert sheet["A2"].value == "单位：亿元、%、个"
    assert sheet["B3"].value == "地区生产总值" and "B3:C3" in merged
    assert (sheet["B4"].value, sheet["C4"].value) == ("绝对值", "同比增长%")
    assert "A3:A4" in merged
    labels = [sheet.cell(r, 1).value for r in range(5, 19)]
    assert labels[0] == "全省"
    codes = [REGION_ALIASES[alias_key(label)] for label in labels[1:]]
    assert codes == [c[0] for c in ds.CITIES]
    assert any(label.endswith("市") for label in labels) and any(
        not label.endswith("市") and not label.endswith("地区") for label in labels[1:])
    values = [sheet.cell(r, c).value for r in range(5, 19) for c in range(2, 16)]
    assert "—" in values
    assert sheet.cell(19, 1).value.startswith("注：")


# --- the numbers -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tables():
    return ds.ProvincialTables(ds.province_series())


def test_cumulative_quarters_grow_and_single_quarters_are_seasonal(tables):
    for year in ds.YEARS:
        ytd = [tables.rows(year, q)[0].gdp for q in ds.QUARTERS]
        assert ytd == sorted(ytd)
        single = [ytd[0]] + [b - a for a, b in zip(ytd, ytd[1:])]
        assert single[0] == min(single) and single[3] == max(single)
        annual = tables.rows(year, 0)[0].gdp
        assert annual != ytd[3] and annual == pytest.approx(ytd[3], rel=0.01)


def test_cities_add_up_roughly_and_rank_plausibly(tables):
    for year, quarter in [(2020, 0), (2023, 2), (2025, 0)]:
        rows = tables.rows(year, quarter)
        province, cities = rows[0], rows[1:]
        assert 1.0 < sum(c.gdp for c in cities) / province.gdp < 1.04
        assert sum(c.fiveg or 0 for c in cities) == (province.fiveg or 0)
        by_gdp = sorted(cities, key=lambda c: c.gdp, reverse=True)
        assert [c.code for c in by_gdp[:2]] == ["230100", "230600"]
        assert by_gdp[-1].code == "232700"
        for row in rows:
            assert row.core_share == pytest.approx(row.core / row.gdp * 100, abs=0.051)
            assert row.core < row.gdp
    harbin = next(r for r in tables.rows(2020, 0) if r.code == "230100")
    daqing = next(r for r in tables.rows(2020, 0) if r.code == "230600")
    assert (harbin.gdp, daqing.gdp) == (5183.8, 2301.1)  # the published bulletins


def test_2025_outcomes_are_a_realistic_mix(tables):
    hlj = tables.rows(2025, 0)[0]
    assert hlj.core_share == 9.3  # below 10: not met
    assert 58 <= hlj.large_mfg < 60  # 60%左右: met within ±2
    assert hlj.above_scale < 38  # 40%左右: not met
    assert hlj.city_cov == hlj.county_cov == 100.0
    assert 90 < hlj.park_cov < 100
    assert hlj.fiveg >= 114000 and hlj.gigabit >= 63 and hlj.ipv6 < 70 and hlj.village_cov >= 75
    assert ds.DIGITAL_ECONOMY_SHARE["230000"][-1] < ds.NATION_DIGITAL_ECONOMY_SHARE[2025]
    hlj_per_10k = hlj.fiveg / ds.HLJ_POPULATION[2025]
    assert 0.9 < hlj_per_10k / ds.nation_fiveg_per_10k(2025) < 1.2
    assert tables.rows(2022, 2)[0].fiveg == 40900  # mid-2022, as published


def test_national_series_match_published_figures():
    assert ds.nation_ytd(ds.NATION_GDP_QUARTER[2021]) == (247985.0, 529513.0, 819432.3, 1143669.7)
    assert ds.nation_ytd(ds.NATION_GDP_QUARTER[2019])[-1] == 986515.2
    assert [ds.NATION_FIVEG[y] for y in (2021, 2022, 2023, 2024)] == [
        1425000, 2312000, 3377000, 4251000]
    assert [ds.nation_fiveg_per_10k(y) for y in (2021, 2022)] == [10.1, 16.4]
    assert [ds.NATION_DIGITAL_ECONOMY_SHARE[y] for y in range(2019, 2024)] == [
        36.2, 38.6, 39.8, 41.5, 42.8]
    assert ds.r1(ds.NATION_CORE_VA[2023] / ds.NATION_GDP_ANNUAL[2023] * 100) == 9.9


# --- the reference batch ---------------------------------------------------------------------------

def _reference_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(demo.REFERENCE_FILE.read_text(encoding="utf-8-sig"))))


def test_reference_file_has_a_source_for_every_figure():
    rows = _reference_rows()
    assert list(rows[0]) == list(demo.LONG_TEMPLATE_COLUMNS)
    assert all(r["来源"].strip() for r in rows)
    secondary = [r for r in rows if "二手来源" in r["来源"]]
    assert secondary and all("secondary" in r["来源"] for r in secondary)
    key = {(r["指标代码"], r["地区代码"], r["期间"]): r["数值"] for r in rows}
    assert key[("gdp", "230000", "2022")] == "16359.2"
    assert key[("gdp", "100000", "2021Q4")] == "1143669.7"
    assert key[("digital_economy_share", "100000", "2023")] == "42.8"
    assert key[("population", "230000", "2015")] == "3529"
    assert "二手来源" in next(r["来源"] for r in rows if r["指标代码"] == "digital_core_va")
    sources = demo.reference_sources(demo.REFERENCE_FILE.read_bytes())
    assert len(sources) == len({r["来源"] for r in rows})


# --- loading through the real ETL ------------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded(tmp_path_factory, databases):
    """The whole demo set loaded once into a seeded database, and then loaded again: the first
    load is the one that filled the session's demo template (tests/databases.py: load_demo on a
    copy of the seeded template, as here before; the tests of demo_engine read its copies), the
    second runs on a copy of it. (load_demo into an empty database, schema and seed included, by the
    server's start: tests/test_app_start.py.)"""
    pytest.importorskip("etl.pipeline")
    tmp = tmp_path_factory.mktemp("demo_db")
    seeded, cleanup_seeded = databases.new(tmp_path_factory.mktemp("seeded"), seeded=True)
    assert not demo.demo_loaded(seeded)  # what the first load started from
    cleanup_seeded()
    engine, cleanup = databases.new(tmp, seeded=True, demo=True)
    first = databases.demo_outcomes
    second = demo.load_demo(engine, work_dir=tmp / "files")
    yield engine, first, second
    cleanup()


def _batches(engine):
    from sqlalchemy import select

    from etl.store.models import Batch

    with engine.connect() as conn:
        return conn.execute(select(Batch).order_by(Batch.id)).mappings().all()


def test_every_demo_file_loads_without_errors(loaded, made):
    engine, first, _ = loaded
    assert len(first) == len(made) + 1
    assert [o.status for o in first] == ["loaded"] * len(first)
    for batch in _batches(engine):
        errors = [p for p in batch["report"]["problems"] if p["severity"] == "error"]
        assert errors == [], batch["file_name"]
    assert demo.demo_loaded(engine)


def test_loading_the_demo_again_changes_nothing(loaded):
    engine, first, second = loaded
    assert [o.status for o in second] == ["unchanged"] * len(second)
    assert len(_batches(engine)) == len(first)


def test_batches_are_flagged_demo_or_reference(loaded):
    engine, first, _ = loaded
    batches = _batches(engine)
    demo_batches, reference = batches[:-1], batches[-1]
    assert all(b["is_demo"] and not b["is_reference"] for b in demo_batches)
    assert all(b["loaded_by"] == demo.DEMO_USER for b in demo_batches)
    assert reference["file_name"] == "published-figures.csv"
    assert reference["is_reference"] and not reference["is_demo"]
    notes = "\n".join(reference["notes"])
    assert "二手来源（secondary）：中国信息通信研究院" in notes and "统计公报" in notes
    skip = next(b for b in batches if b["file_name"] == "季度数据_国内生产总值_2026年导出.csv")
    assert any("skip_unknown" in n for n in skip["notes"]) and skip["values_skipped"] > 0


def test_the_census_revision_is_a_second_version(loaded):
    from sqlalchemy import select

    from etl.store.models import Batch, Observation

    engine, _, _ = loaded
    with engine.connect() as conn:
        versions = conn.execute(
            select(Observation.version, Observation.value, Observation.is_current, Batch.file_name)
            .join(Batch, Batch.id == Observation.batch_id)
            .where(Observation.indicator_code == "gdp", Observation.region_code == "230000",
                   Observation.year == 2022, Observation.quarter == 0,
                   Observation.basis == "annual")
            .order_by(Observation.version)).all()
    # v1 the demo's first release, v2 the demo's census revision, v3 the same figure from the
    # real published-figures batch, which takes over as its source (real data supersede demo data)
    assert [(v.version, v.value, v.is_current) for v in versions] == [
        (1, 15901.0, False), (2, 16359.2, False), (3, 16359.2, True)]
    assert versions[0].file_name == "2022年全年各市（地）数字经济主要指标.xlsx"
    assert versions[1].file_name == "分省年度数据_地区生产总值_2026年导出.csv"
    assert versions[2].file_name == "published-figures.csv"


def test_reference_figures_become_the_source_where_they_overlap(loaded):
    """Where the demo holds a real figure, the reference batch loads it again as a new version with
    the same value, so the number on screen cites its published source, not the demo."""
    from sqlalchemy import func, select

    from etl.store.models import Batch, Observation

    engine, _, _ = loaded
    with engine.connect() as conn:
        reference_id = conn.scalar(select(Batch.id).where(Batch.is_reference.is_(True)))
        revised = conn.scalar(select(func.count()).select_from(Observation).where(
            Observation.batch_id == reference_id, Observation.version > 1))
        current = conn.execute(select(Observation.value, Observation.batch_id).where(
            Observation.indicator_code == "gdp", Observation.region_code == "230100",
            Observation.year == 2020, Observation.quarter == 0,
            Observation.is_current.is_(True))).one()
    assert revised > 0
    assert tuple(current) == (5183.8, reference_id)


def test_generation_is_byte_for_byte_repeatable_through_the_demo_command(tmp_path, capsys, files):
    """`python -m etl demo --generate-only` (generate_demo_files, a generation of its own) writes
    the same files, byte for byte, as the module's generation, and lists them in load order.
    (This was two tests, the second calling generate_demo_files itself: the command checks the
    same bytes and order, with one generation fewer.)"""
    import argparse

    parser = argparse.ArgumentParser()
    demo.register(parser.add_subparsers())
    args = parser.parse_args(["demo", "--out", str(tmp_path), "--generate-only"])
    assert args.handler(args, None) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(files)
    for name, data in files.items():
        assert (tmp_path / name).read_bytes() == data, name
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == list(files)  # in load order
    assert "季度数据_国内生产总值_2026年导出.csv  (--skip-unknown)" in out
