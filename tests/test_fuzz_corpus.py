"""The fuzz corpus (issue 12, "Done when"): every file of tests/fuzz_corpus/ through check_file
in-process, then through ingest_file.

The corpus is written by tests/make_fuzz_corpus.py (deterministic; see its docstring for the
mutations). For every file: no traceback (no exception, no internal-error problem, nothing logged
at ERROR), no non-finite or out-of-range value, the poisons that must never load refused; and its
ingest leaves either one whole batch (every planned value stored, current, equal to the file's)
or nothing at all.
"""
from __future__ import annotations

import csv
import logging
import math
from pathlib import Path

import pytest
from sqlalchemy import func, select

from etl.pipeline import check_file, ingest_file
from etl.store.db import session_scope
from etl.store.models import Batch, Observation

CORPUS = Path(__file__).resolve().parent / "fuzz_corpus"
MANIFEST = list(csv.DictReader(open(CORPUS / "MANIFEST.csv", encoding="utf-8")))
# mutations that can never give a loadable file
NEVER_LOADS = ("trunc", "dupzip", "xmlcut", "dimrev", "inf-text", "nines", "e308", "e-320", "neg-inf",
               "glued-vt", "glued-space", "glued-nbsp", "letter", "negative")


def _rejected_by_design(mutation: str) -> bool:
    return mutation.startswith(NEVER_LOADS)


def test_the_corpus_is_small_and_listed():
    files = sorted(p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.csv")
    assert files == sorted(row["file"] for row in MANIFEST)
    assert 200 <= len(files) <= 600
    assert sum((CORPUS / name).stat().st_size for name in files) < 3 * 1024 * 1024
    kinds = {row["mutation"].split("-")[0] for row in MANIFEST}
    assert {"trunc", "flip", "dupzip", "xmlcut", "dimrev", "inf", "nines", "glued", "permille",
            "percent", "letter"} <= kinds
    assert {row["file"].rsplit(".", 1)[1] for row in MANIFEST} == {"xlsx", "xls", "csv"}


def test_every_file_is_checked_without_a_traceback_or_an_impossible_value(catalog, caplog):
    with caplog.at_level(logging.ERROR):
        for row in MANIFEST:
            data = (CORPUS / row["file"]).read_bytes()
            result = check_file(data, row["file"], catalog, skip_unknown=row["skip_unknown"] == "1")
            report = result.report
            assert "internal-error" not in {p.code for p in report.problems}, row["file"]
            for v in result.values:
                info = catalog.indicators[v.indicator_code]
                assert math.isfinite(v.value) and info.min_value <= v.value <= info.max_value, (row, v)
            if _rejected_by_design(row["mutation"]):
                assert not report.valid, row["file"]
    assert [r for r in caplog.records if r.name.startswith("etl")] == []


def _counts(engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        return (session.scalar(select(func.count()).select_from(Observation)),
                session.scalar(select(func.count()).select_from(Batch)))


@pytest.mark.parametrize("part", [0, 1], ids=["first-half", "second-half"])
def test_every_ingest_loads_a_whole_batch_or_nothing(engine, part):
    rows = MANIFEST[part::2]
    loaded = 0
    for row in rows:
        data = (CORPUS / row["file"]).read_bytes()
        before = _counts(engine)
        outcome = ingest_file(engine, data, row["file"], loaded_by="fuzz",
                              skip_unknown=row["skip_unknown"] == "1")
        after = _counts(engine)
        if outcome.status != "loaded":
            assert after == before, (row["file"], outcome.status)
            continue
        loaded += 1
        plan = outcome.plan
        planned = len(plan.new) + len(plan.revised)
        with session_scope(engine) as session:
            stored = session.execute(select(
                Observation.indicator_code, Observation.region_code, Observation.year,
                Observation.quarter, Observation.basis, Observation.value, Observation.is_current)
                .where(Observation.batch_id == outcome.batch_id)).all()
        assert after == (before[0] + planned, before[1] + 1), row["file"]
        assert len(stored) == planned
        for *key, value, current in stored:
            assert current and value == plan.values[tuple(key)].value, (row["file"], key)
    assert loaded  # the corpus holds loadable files too (harmless flips, converted ‰ signs)
