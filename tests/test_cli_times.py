"""`python -m etl batches` shows load and rollback times as Beijing time, as the history page does
(etl/wording/times.py), and its column says so; --json keeps the stored UTC (for programs)."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, update

from etl.cli.main import main
from etl.store.db import session_scope
from etl.store.models import Batch
from etl.wording.catalogue import t
from tests import messy_files


def test_batches_lists_beijing_time_and_says_so(engine, capsys, tmp_path):
    content, name = messy_files.provincial_xlsx()
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["ingest", str(path)], engine) == 0
    with session_scope(engine) as s:
        batch = s.scalars(select(Batch)).one().id
    assert main(["rollback", str(batch), "--reason", "wrong file"], engine) == 0
    with session_scope(engine) as s:  # 18:30 UTC on the 29th is 02:30 on the 30th in Beijing
        s.execute(update(Batch).where(Batch.id == batch).values(
            loaded_at=dt.datetime(2026, 11, 29, 18, 30, 5), rolled_back_at=dt.datetime(2026, 11, 29, 23, 0)))
    capsys.readouterr()
    assert main(["batches"], engine) == 0
    header, row, rolled = capsys.readouterr().out.splitlines()[:3]
    assert f"{t('cli.batches.loaded_at', 'zh')} {t('cli.batches.loaded_at', 'en')}" in header
    assert "北京时间" in header and "Beijing time" in header
    assert "2026-11-30 02:30:05" in row and "18:30" not in row
    assert "rolled back 2026-11-30 07:00 by" in rolled
    assert main(["batches", "--json"], engine) == 0
    assert json.loads(capsys.readouterr().out)[0]["loaded_at"].startswith("2026-11-29 18:30:05")
