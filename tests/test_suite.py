"""What the test suite itself promises: each test has its own instance folder and its own copy of the
seeded database, and no test writes into the checkout's instance/ (checked after all the others)."""
from __future__ import annotations

import os
import sqlite3
import uuid

import pytest
from sqlalchemy import func, select

from etl import config
from etl.store.db import make_engine, session_scope
from etl.store.models import Batch
from tests.instance_guard import CHECKOUT_INSTANCE, CHECKOUT_WRITES


def test_each_test_has_its_own_instance_folder(instance_dir, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url() == f"sqlite:///{instance_dir / 'monitor.sqlite'}"
    assert CHECKOUT_INSTANCE not in instance_dir.parents


def test_the_watch_records_writes_below_its_folder(tmp_path, monkeypatch):
    watched = tmp_path / "instance"
    monkeypatch.setattr(CHECKOUT_WRITES, "root", str(watched))
    monkeypatch.setattr(CHECKOUT_WRITES, "writes", [])
    os.mkdir(watched)
    (watched / "a.txt").write_text("x")
    (tmp_path / "outside.txt").write_text("x")
    (watched / "a.txt").read_text()  # reading is not writing
    os.rename(watched / "a.txt", watched / "b.txt")
    sqlite3.connect(watched / "db.sqlite").close()
    os.remove(watched / "b.txt")
    events = [(event, os.path.basename(path)) for event, path in CHECKOUT_WRITES.writes]
    assert events == [("os.mkdir", "instance"), ("open", "a.txt"), ("os.rename", "a.txt"),
                      ("os.rename", "b.txt"), ("sqlite3.connect", "db.sqlite"),
                      ("os.remove", "b.txt")]


def test_each_test_writes_into_its_own_copy_of_the_seeded_database(engine, databases):
    with session_scope(engine) as session:
        session.add(Batch(file_name="only-here.xlsx", sha256=uuid.uuid4().hex * 2,
                          loaded_by="tester", status="loaded"))
    if databases.server is None:
        with sqlite3.connect(f"file:{databases.template}?mode=ro", uri=True) as template:
            in_template = template.execute("SELECT count(*) FROM batches").fetchone()[0]
            seeded = template.execute("SELECT count(*) FROM targets").fetchone()[0]
    else:
        template = make_engine(databases.server.url_of(databases.template))
        try:
            with template.connect() as conn:
                in_template = conn.scalar(select(func.count()).select_from(Batch))
                seeded = conn.exec_driver_sql("SELECT count(*) FROM targets").scalar()
        finally:
            template.dispose()  # a template with a connection open cannot be copied
    assert in_template == 0 and seeded > 0
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Batch)) == 1


@pytest.mark.suite_end
def test_the_checkout_instance_folder_is_untouched():
    """Run after every other test: nothing in this run wrote below the checkout's instance/."""
    assert CHECKOUT_WRITES.writes == []
