"""Damaged workbooks (issue 12, items 5-7): every one ends in a typed problem, never a traceback.

- truncated .xls files: refused before calamine reads them (a sector in use beyond the end);
- calamine's Rust panics (`pyo3_runtime.PanicException`, a BaseException) are caught where files
  are read and reported as a damaged file;
- an xlsx whose zip holds two parts of the same name is refused;
- byte-flipped xlsx and xls files (seeded) raise nothing but FileRejected.
"""
from __future__ import annotations

import io
import logging
import random
import warnings
import zipfile

import pytest

import real_files as rf
from etl.read import files
from etl.read.files import FileRejected, read_workbook


def xls_fixtures():
    return [rf.old_portal_xls(), rf.city_portal_xls()]


@pytest.mark.parametrize("data, name", xls_fixtures(), ids=["portal", "cities"])
def test_a_truncated_xls_is_refused_as_incomplete(data, name):
    offsets = sorted(random.Random(name).sample(range(1, len(data)), 60)) + [len(data) - 1]
    for k in offsets:
        with pytest.raises(FileRejected) as caught:
            read_workbook(data[:k], name)
        assert caught.value.problem.code == "bad-file", k
    assert read_workbook(data, name).sheets  # the whole file still reads


def test_a_calamine_panic_is_caught_and_reported_as_a_damaged_file(caplog):
    """Truncated inside its last sector, an xls makes calamine panic; read_workbook's own check
    refuses such files first, so the reader is called directly here."""
    data, name = rf.old_portal_xls()
    panics = 0
    with caplog.at_level(logging.INFO, logger="etl.read.files"):
        for k in range(len(data) - 512, len(data), 9):
            caplog.clear()
            try:
                files._read_with_calamine(data[:k], name, "xls", {})
                continue  # some cuts in the last sector lose nothing calamine reads
            except FileRejected as caught:
                problem = caught.problem
            assert problem.code == "bad-file" and "damaged" in problem.message_en
            panics += any("PanicException" in r.getMessage() for r in caplog.records)
    assert panics  # the cuts above include calamine panics (a BaseException, not an Exception)


def test_only_interrupts_pass_through_the_reader(monkeypatch):
    def interrupted(_):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.python_calamine.CalamineWorkbook, "from_filelike", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files._read_with_calamine(b"", "x.xls", "xls", {})


def test_a_zip_with_two_parts_of_the_same_name_is_refused():
    data, name = rf.new_portal_xlsx()
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it is asked to write
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                target.writestr(item.filename, source.read(item.filename))
            sheet = source.read("xl/worksheets/sheet1.xml")
            target.writestr("xl/worksheets/sheet1.xml", sheet.replace(b"2025", b"2026"))
    with pytest.raises(FileRejected) as caught:
        read_workbook(out.getvalue(), name)
    problem = caught.value.problem
    assert problem.code == "bad-file" and "xl/worksheets/sheet1.xml" in problem.message_en
    assert "同名" in problem.message_zh


@pytest.mark.parametrize("data, name", [rf.new_portal_xlsx(), rf.provincial_table_xlsx(), rf.old_portal_xls()],
                         ids=["new-portal", "provincial", "old-portal-xls"])
def test_byte_flipped_workbooks_raise_nothing_but_file_rejected(data, name):
    rng = random.Random(f"flip {name}")
    outcomes = set()
    for _ in range(150):
        damaged = bytearray(data)
        for _ in range(rng.choice((1, 2, 3))):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            read_workbook(bytes(damaged), name)
            outcomes.add("read")
        except FileRejected as rejected:
            assert rejected.problem.code in ("bad-file", "too-large", "zip-bomb", "wrong-format")
            outcomes.add("rejected")
    assert "rejected" in outcomes
