"""Nothing escapes as a traceback (issue 12, items 6-7): a fault of the program while a file is
checked, or in any command, becomes one line with an error id; the traceback goes to the log file.

The faults are injected (a checker that raises, a real calamine panic raised from the reader's
place), since the point is what happens to a fault nobody has found yet."""
from __future__ import annotations

import io
import logging
import re

import pytest
import python_calamine

import real_files as rf
from etl import config, pipeline
from etl.cli.main import EXIT_FAULT, main
from etl.pipeline import check_file

ERROR_ID = re.compile(r"(?:错误编号|error id) ([0-9a-f]{8})")


def _broken(*args, **kwargs):
    raise RuntimeError("a bug nobody has found yet")


def _real_panic(data, file_name):
    """Read a truncated xls with calamine directly: a real pyo3_runtime.PanicException."""
    data, _ = rf.old_portal_xls()
    for k in range(len(data) - 512, len(data), 9):
        try:
            python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data[:k])).get_sheet_by_index(0).to_python()
        except Exception:  # calamine's own errors; its panics are BaseExceptions and pass
            continue
    raise AssertionError("no cut made calamine panic")


def test_a_fault_while_checking_is_one_line_with_an_error_id(catalog, monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "extract_workbook", _broken)
    data, name = rf.nbs_population_csv()
    with caplog.at_level(logging.ERROR, logger="etl.pipeline"):
        report = check_file(data, name, catalog).report
    assert report.status == "rejected"
    (problem,) = report.problems
    assert problem.code == "internal-error"
    error_id = ERROR_ID.search(problem.message_zh).group(1)
    assert error_id in problem.message_en and "RuntimeError" in problem.message_en
    assert "Traceback" not in report.format_text() and "nobody" not in report.format_text()
    (record,) = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.exc_info and record.exc_info[0] is RuntimeError


def test_a_panic_outside_the_reader_is_caught_too(catalog, monkeypatch):
    monkeypatch.setattr(pipeline, "read_workbook", _real_panic)
    report = check_file(b"x", "x.xls", catalog).report
    (problem,) = report.problems
    assert problem.code == "internal-error" and "PanicException" in problem.message_en


def test_an_interrupt_is_not_swallowed(catalog, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "extract_workbook", interrupted)
    data, name = rf.nbs_population_csv()
    with pytest.raises(KeyboardInterrupt):
        check_file(data, name, catalog)


def test_the_cli_prints_no_traceback_and_logs_it_with_the_id(engine, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(pipeline, "extract_workbook", _broken)
    data, name = rf.nbs_population_csv()
    path = tmp_path / name
    path.write_bytes(data)
    code = main(["validate", str(path)], engine=engine)
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err and "nobody" not in out + err
    error_id = ERROR_ID.search(out).group(1)
    log = config.settings().log_path.read_text(encoding="utf-8")
    assert f"[error {error_id}]" in log and "Traceback" in log and "a bug nobody has found yet" in log


def test_a_fault_in_any_command_is_one_line_and_exit_3(engine, monkeypatch, capsys):
    from etl.cli import main as cli

    monkeypatch.setattr(cli, "cmd_init", _broken)
    monkeypatch.setattr(cli, "build_parser", _parser_with(cli, "init", _broken))
    code = main(["init"], engine=engine)
    out, err = capsys.readouterr()
    assert code == EXIT_FAULT
    assert "Traceback" not in out + err and len(err.strip().splitlines()) == 1
    error_id = ERROR_ID.search(err).group(1)
    assert f"[error {error_id}]" in config.settings().log_path.read_text(encoding="utf-8")


def _parser_with(cli, command, handler):
    build = cli.build_parser

    def patched():
        parser = build()
        for action in parser._subparsers._group_actions:
            action.choices[command].set_defaults(handler=handler)
        return parser

    return patched
