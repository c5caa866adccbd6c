"""`python -m dashboard briefing --list` and `--archived`: the archive's times are shown as Beijing
time, as everywhere else (etl/wording/times.py), and the column says so."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from etl.briefing import store
from etl.store.db import session_scope
from etl.wording.catalogue import t


def test_the_archive_list_shows_beijing_time_and_says_so(engine, tmp_path, capsys):
    from dashboard.__main__ import main

    made = store.archive(engine, stamp="s1", year=2025, quarter=4, lang="zh", fmt="pdf",
                         user="cli:tester", content=b"%PDF-1.7 test", any_demo=False, seconds=1.5)
    with session_scope(engine) as s:  # 18:30 UTC on the 29th is 02:30 on the 30th in Beijing
        s.execute(update(store.Briefing).where(store.Briefing.id == made["id"])
                  .values(created_at=dt.datetime(2026, 11, 29, 18, 30, 5)))
    capsys.readouterr()
    assert main(["briefing", "--list"], engine) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    assert f"made ({t('time.zone', 'en')})" in header and "UTC" not in header
    assert row.split()[:6] == [str(made["id"]), "2025Q4", "zh", "pdf", "2026-11-30", "02:30:05"]

    out = tmp_path / "old.pdf"
    assert main(["briefing", "--archived", str(made["id"]), "-o", str(out)], engine) == 0
    assert out.read_bytes() == b"%PDF-1.7 test"
    assert f"made 2026-11-30 02:30 {t('time.zone', 'en')} by cli:tester" in capsys.readouterr().out


def test_the_briefings_page_archive_shows_beijing_time_and_says_so(engine):
    from tests.accounts_helpers import make_app

    made = store.archive(engine, stamp="s1", year=2025, quarter=4, lang="en", fmt="docx",
                         user="cli:tester", content=b"PK test", any_demo=False, seconds=1.0)
    with session_scope(engine) as s:
        s.execute(update(store.Briefing).where(store.Briefing.id == made["id"])
                  .values(created_at=dt.datetime(2026, 11, 29, 18, 30, 5)))
    app = make_app(engine)
    from dashboard.pages import briefings  # after the app: pages register with it

    with app.server.test_request_context("/"):
        table = briefings.archive_table("en")
    head, body = table.children
    header = [cell.children for cell in head.children.children]
    row = [cell.children for cell in body.children[0].children]
    assert header[4] == t("briefings.col.made", "en") == "Made (Beijing time)"
    assert row[4] == "2026-11-30 02:30"
