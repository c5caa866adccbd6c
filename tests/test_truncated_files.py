"""Truncated files (issue 12, item 4): a CSV cut at any byte never loads a cut-off value.

Every CSV fixture (the demo's portal exports and the real-layout builders) is cut at many seeded
random byte offsets; each cut file is checked in-process. A cut file is either rejected, or every
value it would load is a value of the whole file, unchanged (a cut right after a line end of a file
that has no source line to miss can only lose whole rows). A portal export that lost its source
line, a last line without a line end, a note cut inside its quotes and a character cut in half
are all refused.
"""
from __future__ import annotations

import random

import pytest

import messy_files as mf
import real_files as rf
from etl.demo import files as demo
from etl.pipeline import check_file
from etl.read.files import FileRejected, read_workbook

CUTS_PER_FILE = 40


def csv_fixtures() -> list[tuple[str, bytes, bool]]:
    """(name, bytes, skip_unknown) of every CSV fixture."""
    out = [(f.name, f.data, f.skip_unknown) for f in demo.demo_files() if f.name.endswith(".csv")]
    for build in (rf.nbs_population_csv, rf.nbs_provincial_quarterly_csv, rf.nbs_quarterly_csv,
                  rf.nbs_quarterly_transposed_csv, mf.portal_regions_csv, mf.portal_periods_rows_csv):
        data, name = build()
        out.append((name, data, True))
    data, name = mf.table_csv([["指标代码", "地区代码", "期间", "数值"], ["gdp", "230000", "2024年", "15901.0"],
                               ["gdp", "230100", "2024年", "5890.7"], ["gdp", "230200", "2024年", "1523.4"]],
                              encoding="utf-8")
    out.append((name, data, False))
    return out


FIXTURES = csv_fixtures()


@pytest.mark.parametrize("name, data, skip", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_a_csv_cut_at_any_byte_never_loads_a_cut_off_value(catalog, name, data, skip):
    whole = check_file(data, name, catalog, skip_unknown=skip)
    assert whole.report.valid, whole.report.format_text()
    values = {v.key: v.value for v in whole.values}
    rng = random.Random(f"cut {name}")
    offsets = sorted(rng.sample(range(1, len(data)), min(CUTS_PER_FILE, len(data) - 1)))
    # and the cuts most likely to slip through: inside the last number, right after a line end
    last_digit = max(i for i, b in enumerate(data) if 0x30 <= b <= 0x39)
    offsets += [last_digit, data.rfind(b"\n", 0, len(data) - 1) + 1]
    loaded = 0
    for k in offsets:
        cut = check_file(data[:k], name, catalog, skip_unknown=skip)
        if not cut.report.valid:
            continue
        loaded += 1
        for v in cut.values:
            assert values.get(v.key) == v.value, (k, v)  # never a cut-off (or any other) new value
        assert len(cut.values) <= len(values)
    assert loaded < len(offsets) / 2  # most cuts are refused, not merely harmless


def test_a_last_line_without_a_line_end_is_refused():
    with pytest.raises(FileRejected) as caught:
        read_workbook("指标代码,地区代码,期间,数值\ngdp,230000,2024年,23".encode(), "t.csv")
    assert caught.value.problem.code == "bad-file" and "line end" in caught.value.problem.message_en
    # a complete file without a final line end whose last line is a note still reads
    read_workbook("指标代码,地区代码,期间,数值\ngdp,230000,2024年,2384\n注：初步核算数".encode(), "t.csv")


def test_a_portal_export_without_its_source_line_is_refused():
    data, name = rf.nbs_population_csv()
    text = data.decode("gbk")
    cut = text[: text.index("数据来源")].encode("gbk")
    with pytest.raises(FileRejected) as caught:
        read_workbook(cut, name)
    assert "数据来源" in caught.value.problem.message_zh


def test_a_note_cut_inside_its_quotes_and_a_character_cut_in_half_are_refused():
    with pytest.raises(FileRejected) as caught:
        read_workbook('地区,2024年\n黑龙江省,3029\n"注：常住人口包括\n'.encode("gbk"), "t.csv")
    assert "quoted" in caught.value.problem.message_en
    whole = "地区,2024年\n黑龙江省,3029\n数据来源：国家统计局".encode("gbk")
    with pytest.raises(FileRejected) as caught:
        read_workbook(whole[:-1], "t.csv")
    assert "incomplete" in caught.value.problem.message_en
