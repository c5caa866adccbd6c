"""`python -m etl backup OUT` / `restore FILE`: a restored copy exports byte-identical current
values (SQLite's online backup API; pg_dump/pg_restore on PostgreSQL)."""
from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from etl.cli.main import main as cli
from etl.pipeline import ingest_file
from etl.store import backup
from etl.store.db import ensure_db, make_engine
from etl.store.load import rollback
from tests import messy_files


@pytest.fixture
def loaded(engine):
    data, name = messy_files.provincial_xlsx()
    outcome = ingest_file(engine, data, name, loaded_by="ana")
    assert outcome.status == "loaded"
    return engine, outcome.batch_id


def test_backup_then_restore_gives_byte_identical_current_values(loaded, tmp_path, capsys):
    engine, batch_id = loaded
    count, before = backup.export_bytes(engine)
    assert count > 0
    out = tmp_path / "backups" / "monitor.backup"
    assert cli(["backup", str(out)], engine) == 0
    assert "copy checked" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.digest_file(out).stat().st_mode) == 0o600
    if engine.dialect.name == "sqlite":  # one self-contained file, nothing beside it
        assert sorted(p.name for p in out.parent.iterdir()) == [out.name, out.name + ".sha256"]
    assert backup.expected_digest(out) == backup.values_digest(engine)[1]
    rollback(engine, batch_id, user="admin", reason="test")  # the database moves on
    assert backup.export_bytes(engine)[1] != before
    assert cli(["restore", str(out)], engine) == 2  # not without --yes
    assert cli(["restore", str(out), "--yes"], engine) == 0
    assert "byte-identical" in capsys.readouterr().out
    assert backup.export_bytes(engine) == (count, before)


def test_a_backup_restores_into_a_new_database(loaded, tmp_path):
    engine, _ = loaded
    out = tmp_path / "copy.backup"
    made = backup.backup(engine, out)
    assert made.same_as_live and made.values == backup.export_bytes(engine)[0]
    if engine.dialect.name == "sqlite":
        other = make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
        ensure_db(other)
        assert backup.restore(other, out) == backup.values_digest(engine)
        other.dispose()
    else:
        with backup.scratch_postgres(engine) as other:
            assert backup.restore(other, out) == backup.values_digest(engine)


def test_a_damaged_or_foreign_file_is_refused_and_changes_nothing(loaded, tmp_path, capsys):
    engine, _ = loaded
    before = backup.export_bytes(engine)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all" * 100)
    assert cli(["restore", str(junk), "--yes"], engine) == 1
    assert "restore failed" in capsys.readouterr().err
    assert backup.export_bytes(engine) == before


def test_a_copy_that_differs_from_its_digest_is_reported(loaded, tmp_path):
    engine, batch_id = loaded
    out = tmp_path / "monitor.backup"
    backup.backup(engine, out)
    backup.digest_file(out).write_text("0" * 64 + "  forged\n")
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(engine, out)
    assert "differ" in refused.value.message_en


def test_pg_dump_is_called_with_a_libpq_url():
    from sqlalchemy.engine import make_url

    url = make_url("postgresql+psycopg://monitor:s3cret@db.internal:5432/monitor")
    assert backup.libpq_url(url) == "postgresql://monitor:s3cret@db.internal:5432/monitor"


def test_sqlite_backup_is_taken_while_another_connection_writes(loaded, tmp_path):
    engine, _ = loaded
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's online backup API")
    with engine.connect() as conn:  # an open reader during the copy: the API copes
        conn.execute(text("SELECT count(*) FROM observations")).scalar()
        made = backup.backup(engine, tmp_path / "live.backup")
    assert made.same_as_live
