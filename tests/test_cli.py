"""`python -m etl` (etl.cli.main.main with the test's engine), the export and the template."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

import messy_files as mf
from etl.cli.main import main
from etl.store.db import session_scope
from etl.periods import format_period
from etl.store.export import export_rows, neutralise, table_bytes
from etl.store.models import Batch, Observation
from etl.pipeline import ingest_file
from etl.store.queries import current_observations
from etl.read.template import EXAMPLE, write_template
from test_load import snapshot

PROJECT = Path(__file__).resolve().parent.parent


def write(tmp_path, built) -> str:
    data, name = built
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(engine, capsys, *argv):
    code = main(list(argv), engine=engine)
    out, err = capsys.readouterr()
    return code, out, err


# --- commands ----------------------------------------------------------------------------------------

def test_help_lists_every_command(engine, capsys):
    code, out, _ = run(engine, capsys, "--help")
    assert code == 0
    for command in ("init", "validate", "ingest", "template", "export", "batches", "rollback",
                    "progress", "demo"):
        assert command in out


def test_usage_errors_exit_2(engine, capsys):
    assert run(engine, capsys, "frobnicate")[0] == 2
    assert run(engine, capsys, "ingest")[0] == 2  # no FILE
    assert run(engine, capsys, "export")[0] == 2  # no -o
    assert run(engine, capsys, "rollback", "12345")[0] == 2  # unknown batch
    code, _, err = run(engine, capsys, "export", "--indicator", "nope", "-o", "x.csv")
    assert code == 2 and "nope" in err


def test_init_on_an_empty_database(empty_engine, capsys):
    code, out, _ = run(empty_engine, capsys, "init")
    assert code == 0 and "15" in out
    code, out, _ = run(empty_engine, capsys, "init")  # idempotent
    assert code == 0


def test_any_command_initialises_an_empty_database(empty_engine, capsys):
    code, out, _ = run(empty_engine, capsys, "batches")
    assert code == 0 and "no file loaded" in out


def test_ingest_then_identical_again_then_rollback(engine, capsys, tmp_path):
    path = write(tmp_path, mf.provincial_xlsx())
    code, out, _ = run(engine, capsys, "ingest", path, "--user", "张三")
    assert code == 0 and "已载入" in out and "loaded" in out
    with session_scope(engine) as s:
        batch = s.scalars(select(Batch)).one()
        assert batch.loaded_by == "张三" and batch.values_new == 41
    code, out, _ = run(engine, capsys, "ingest", path)
    assert code == 0 and "no-op" in out and f"batch {batch.id}" in out
    code, out, _ = run(engine, capsys, "batches")
    assert code == 0 and "2024年1-9月各市主要指标.xlsx" in out
    code, out, _ = run(engine, capsys, "rollback", str(batch.id), "--reason", "错文件", "--user", "admin")
    assert code == 0
    with session_scope(engine) as s:
        assert s.get(Batch, batch.id).rollback_reason == "错文件"
        assert not s.scalars(select(Observation).where(Observation.is_current.is_(True))).all()
    code, _, err = run(engine, capsys, "rollback", str(batch.id))
    assert code == 1 and "already" in err


def test_rejected_file_exits_1_prints_the_report_and_changes_nothing(engine, capsys, tmp_path):
    bad = write(tmp_path, mf.provincial_xlsx(cell_overrides={"B7": "abc"}))
    before = snapshot(engine)
    code, out, _ = run(engine, capsys, "ingest", bad)
    assert code == 1
    line = next(l for l in out.splitlines() if "type-error" in l)
    assert "'各市'!B7" in line and "abc" in line
    assert "单元格不是可用的数值" in out and "not a number" in out
    assert snapshot(engine) == before


def test_json_output_is_only_json(engine, capsys, tmp_path):
    good = write(tmp_path, mf.provincial_xlsx())
    code, out, _ = run(engine, capsys, "ingest", "--json", good)
    report = json.loads(out)
    assert code == 0 and report["status"] == "loaded" and report["changes"]["new"] == 41
    bad = write(tmp_path, mf.portal_regions_csv(rename={"黑龙江省": "黑龙江X"}))
    code, out, _ = run(engine, capsys, "validate", "--json", good, bad)
    reports = json.loads(out)
    assert code == 1 and [r["valid"] for r in reports] == [True, False]
    assert reports[1]["problems"][0]["code"] == "unknown-region"
    assert reports[1]["problems"][0]["where"].startswith("'")


def test_dry_run_and_skip_unknown(engine, capsys, tmp_path):
    path = write(tmp_path, mf.portal_indicators_csv())
    before = snapshot(engine)
    assert run(engine, capsys, "ingest", "--dry-run", path)[0] == 1  # unknown indicator
    code, out, _ = run(engine, capsys, "ingest", "--dry-run", "--skip-unknown", path)
    assert code == 0 and "dry run" in out
    assert snapshot(engine) == before
    assert run(engine, capsys, "ingest", "--skip-unknown", path)[0] == 0
    assert snapshot(engine) != before


def test_validate_writes_nothing(engine, capsys, tmp_path):
    before = snapshot(engine)
    code, out, _ = run(engine, capsys, "validate", write(tmp_path, mf.old_portal_xls()))
    assert code == 0 and "valid" in out
    assert snapshot(engine) == before


def test_missing_file_is_a_usage_error(engine, capsys, tmp_path):
    code, _, err = run(engine, capsys, "validate", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "nope.xlsx" in err


def test_export_csv_and_xlsx(engine, capsys, tmp_path):
    write_path = write(tmp_path, mf.provincial_xlsx())
    assert run(engine, capsys, "ingest", write_path)[0] == 0
    out_csv = tmp_path / "out.csv"
    code, out, _ = run(engine, capsys, "export", "--indicator", "fiveg_base_stations",
                       "--region", "230100", "-o", str(out_csv))
    assert code == 0
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["数值 value"] == str(float(mf.CITY_STATIONS[0]))
    # a stock at a quarter's end: basis eop (not ytd), named like everywhere else
    assert row["口径 basis"] == "eop" and row["单位 unit"] == "个" and row["版本 version"] == "1"
    assert row["期间 period"] == format_period((int(row["年 year"]), int(row["季度 quarter (0=全年 year)"]),
                                             "ytd"), "stock", "zh")
    assert row["期间 period"].endswith("季度末") and row["单元格 cell"] == "D6"
    out_xlsx = tmp_path / "out.xlsx"
    assert run(engine, capsys, "export", "-o", str(out_xlsx))[0] == 0
    sheet = openpyxl.load_workbook(out_xlsx).active
    assert sheet.max_row == 1 + 41
    values = [r[8] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def test_neutralise():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    for text in ("+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise(-3.2) == -3.2 and neutralise(-7) == -7
    assert neutralise("-3.2") == "-3.2"  # a number as text is not a formula
    assert neutralise("哈尔滨市") == "哈尔滨市" and neutralise(None) is None


def test_exported_cells_are_neutralised_in_both_formats(engine, tmp_path):
    rows = [{"indicator_code": "gdp", "region_code": "230000", "value": -1.5,
             "file_name": "=cmd|' /C calc'!A0", "sheet": "@evil", "raw_value": "-1.5"}]
    export_rows(rows, tmp_path / "x.csv")
    text = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ",'@evil," in text and ",-1.5," in text
    export_rows(rows, tmp_path / "x.xlsx")
    cells = list(openpyxl.load_workbook(tmp_path / "x.xlsx").active.iter_rows(min_row=2, values_only=True))[0]
    assert "'=cmd|' /C calc'!A0" in cells and "'@evil" in cells and -1.5 in cells
    # the three-argument form returns bytes
    data = table_bytes(["a", "b"], [["=1+1", 2]], "csv")
    assert data.decode("utf-8-sig").splitlines()[1] == "'=1+1,2"
    with pytest.raises(ValueError):
        export_rows(rows, tmp_path / "x.txt")


def test_export_rows_come_from_current_observations(engine, tmp_path):
    ingest_file(engine, *mf.provincial_xlsx(), loaded_by="t")
    ingest_file(engine, *mf.provincial_xlsx(cell_overrides={"B6": 520.1}), loaded_by="t")
    rows = current_observations(engine, indicator="digital_core_va", region="230100")
    export_rows(rows, tmp_path / "x.csv")
    out = list(csv.DictReader(io.StringIO((tmp_path / "x.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["数值 value"], r["版本 version"]) for r in out] == [("520.1", "2")]


# --- the template ---------------------------------------------------------------------------------

def test_template_sheets_and_codes(engine, catalog, capsys, tmp_path):
    out = tmp_path / "模板.xlsx"
    code, _, _ = run(engine, capsys, "template", str(out))
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "数据"
    header = [c.value for c in book["数据"][1]]
    assert [h.split()[0] for h in header] == ["指标代码", "地区代码", "期间", "数值", "单位", "口径",
                                             "来源", "备注"]
    assert [c.value for c in book["数据"][2]] == list(EXAMPLE)
    info = "\n".join(str(r[0]) for r in book[book.sheetnames[1]].iter_rows(values_only=True) if r[0])
    assert info.index("期间") < info.index("Period") and "2024Q3" in info and "累计" in info
    codes = {r[0] for r in book["指标代码"].iter_rows(min_row=2, values_only=True)}
    assert codes == set(catalog.indicators)
    regions = {r[0] for r in book["地区代码"].iter_rows(min_row=2, values_only=True)}
    assert regions == set(catalog.regions) and "230100" in regions


def test_filled_template_loads_through_ingest(engine, catalog, capsys, tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path, catalog)
    book = openpyxl.load_workbook(path)
    sheet = book["数据"]
    sheet.delete_rows(2)
    for row in (["gdp", "230000", "2024年", 16476.9, "亿元", "全年", "省统计局", ""],
                ["digital_core_va", "230100", "2024年1-9月", "1,234,567", "万元", "累计", "", ""],
                ["fiveg_base_stations", "哈尔滨市", "2024Q3", 31234, "", "", "", "年末"],
                ["gigabit_port_share", "230000", "2024年", 56.9, "%", "", "", ""]):
        sheet.append(row)
    book.save(path)
    code, out, _ = run(engine, capsys, "ingest", "--json", str(path))
    report = json.loads(out)
    assert code == 0, out
    assert report["status"] == "loaded" and report["changes"]["new"] == 4
    assert not [p for p in report["problems"] if p["severity"] == "error"]
    rows = {(r["indicator_code"], r["region_code"]): r for r in current_observations(engine)}
    assert rows[("digital_core_va", "230100")]["value"] == pytest.approx(123.4567)
    assert rows[("digital_core_va", "230100")]["quarter"] == 3
    assert rows[("fiveg_base_stations", "230100")]["cell"] == "D4"
    assert rows[("gdp", "230000")]["basis"] == "annual"


def test_template_with_a_bad_row_is_rejected_naming_the_cell(engine, catalog, capsys, tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path, catalog)
    book = openpyxl.load_workbook(path)
    book["数据"].append(["gdp", "230100", "2024年", "12,3a4"])
    book.save(path)
    code, out, _ = run(engine, capsys, "ingest", str(path))
    assert code == 1 and "'数据'!D3" in out


# --- the real entry point ---------------------------------------------------------------------------

def test_python_m_etl_subprocess(tmp_path):
    """The installed entry point, on a SQLite file given by DATABASE_URL."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite'}")
    good = write(tmp_path, mf.portal_regions_csv())
    result = subprocess.run([sys.executable, "-m", "etl", "ingest", "--json", good], cwd=PROJECT,
                            env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["counts"]["valid"] == 154
    bad = write(tmp_path, mf.png_as_xlsx())
    result = subprocess.run([sys.executable, "-m", "etl", "ingest", bad], cwd=PROJECT, env=env,
                            capture_output=True, timeout=120)
    assert result.returncode == 1 and "PNG" in result.stdout.decode()
    assert b"Traceback" not in result.stderr


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(engine, capsys, tmp_path, monkeypatch):
    path = write(tmp_path, mf.portal_regions_csv())
    code, _, err = run(engine, capsys, "ingest", "--dry-run", path)
    assert code == 0 and "检查 check" not in err  # stderr is not a terminal here
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["ingest", path], engine=engine) == 0
    shown = terminal.getvalue()
    assert "检查 check" in shown and "载入 load" in shown


def test_export_rows_three_argument_form_returns_bytes():
    data = export_rows(["h"], [["+cmd"]], "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[2]] == ["'+cmd"]


def test_xlsx_export_reads_as_a_statisticians_sheet(tmp_path):
    import datetime as dt

    rows = [{"indicator_code": "gdp", "indicator_zh": "地区生产总值", "region_code": "230000",
             "region_zh": "黑龙江省", "year": 2025, "quarter": 3, "basis": "ytd",
             "period_zh": "2025年前三季度", "value": 12345.67, "unit": "亿元", "version": 2,
             "batch_id": 7, "file_name": "f.xlsx", "sheet": "数据", "cell": "D2", "raw_value": "12345.67",
             "loaded_by": "ana", "loaded_at": dt.datetime(2026, 1, 15, 20, 30), "is_demo": True,
             "is_reference": False, "kind": "flow_ytd"}]
    export_rows(rows, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    header = [c.value for c in sheet[1]]
    cells = {h.split()[0]: c for h, c in zip(header, sheet[2])}
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold and sheet.auto_filter.ref
    assert cells["口径"].value == "年初至今累计"  # not 'ytd'
    assert (cells["演示数据"].value, cells["公开发布数据"].value) == ("是", "否")
    # 20:30 UTC is 04:30 the next morning in Beijing, and the header names the zone
    loaded = next(h for h in header if h.startswith("载入时间"))
    assert "北京时间 UTC+8" in loaded and cells["载入时间"].value == dt.datetime(2026, 1, 16, 4, 30)
    assert cells["数值"].number_format == "#,##0.0###" and cells["年"].number_format == "0"
    widths = {h.split()[0]: sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
              for i, h in enumerate(header)}
    assert all(width >= 8 for width in widths.values()) and widths["指标"] >= 14
    # the CSV keeps codes, 1/0 and UTC (programs read it; backups compare its bytes)
    export_rows(rows, tmp_path / "x.csv")
    line = (tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ",ytd," in line and "2026-01-15 20:30:00" in line and line.endswith(",1,0")


def test_a_closed_pipe_is_not_an_error(tmp_path):
    """`python -m etl progress | head -1`: the reader goes away; no 'unexpected error', exit 0."""
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'pipe.sqlite'}"}
    env.pop("TEST_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "etl", "progress", "--wide"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    proc.stdout.close()  # the reader is gone before the first line is written (as `| head` ends)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert "unexpected error" not in err.decode()
