"""The seed runs only when it would change something: a start on a database that holds the digest
of this seed (its files, its code, SEED_VERSION) at this migration writes nothing (issue 9)."""
from __future__ import annotations

import logging
import shutil

from alembic import command
from sqlalchemy import delete, event, inspect, select, update

from etl import config
from etl.cli.main import main
from etl.store import seed
from etl.store.db import alembic_config, init_db, session_scope
from etl.store.models import Indicator, SeedState

GDP_EN = "Gross regional product (GDP)"


def _edit_gdp(engine) -> None:
    """A change the seed would undo: shows whether it ran."""
    with session_scope(engine) as s:
        s.get(Indicator, "gdp").name_en = "edited"


def _gdp_en(engine) -> str:
    with session_scope(engine) as s:
        return s.get(Indicator, "gdp").name_en


def _downgrade_to_0009(engine) -> None:
    """The schema of a database made before seed_state (its data stays)."""
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")


def _writes_of(engine, action) -> list[str]:
    """The statements `action` sent that write rows or the schema."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return [s for s in seen if s.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP"}]


def test_an_unchanged_seed_is_skipped_and_writes_nothing(engine, caplog):
    """Nor is the schema touched: Alembic runs only when the database is not at the head."""
    _edit_gdp(engine)
    with caplog.at_level(logging.INFO, logger="etl.store.seed"):
        writes = _writes_of(engine, lambda: init_db(engine))
    assert writes == []
    assert _gdp_en(engine) == "edited"  # untouched: the seed did not run
    assert any("seed unchanged" in r.getMessage() for r in caplog.records)


def test_a_changed_seed_file_is_applied_once(engine, tmp_path, monkeypatch, caplog):
    seed_dir = tmp_path / "seed"
    shutil.copytree(config.SEED_DIR, seed_dir)
    indicators = seed_dir / "indicators.csv"
    original = indicators.read_text(encoding="utf-8")
    assert GDP_EN in original
    indicators.write_text(original.replace(GDP_EN, "GDP renamed in the seed", 1), encoding="utf-8")
    monkeypatch.setattr(config, "SEED_DIR", seed_dir)
    with caplog.at_level(logging.INFO, logger="etl.store.seed"):
        assert init_db(engine) is True
    assert _gdp_en(engine) == "GDP renamed in the seed"
    assert any("seed applied" in r.getMessage() for r in caplog.records)
    with session_scope(engine) as s:
        assert s.get(SeedState, "catalog").digest == seed.seed_digest(seed_dir)
    assert _writes_of(engine, lambda: init_db(engine)) == []  # applied, then current


def test_a_new_seed_version_or_migration_is_applied(engine, monkeypatch):
    _edit_gdp(engine)
    monkeypatch.setattr(seed, "SEED_VERSION", seed.SEED_VERSION + 1)
    assert init_db(engine) is True
    assert _gdp_en(engine) == GDP_EN
    assert init_db(engine) is False

    _edit_gdp(engine)
    with session_scope(engine) as s:  # as if it had been seeded before the last migration
        s.execute(update(SeedState).values(migration="0009"))
    assert init_db(engine) is True
    assert _gdp_en(engine) == GDP_EN


def test_a_database_seeded_before_the_digest_is_seeded(engine):
    """A database of migration 0009 (seeded, no seed_state) is migrated, seeded, and then current."""
    _downgrade_to_0009(engine)
    assert "seed_state" not in inspect(engine).get_table_names()
    _edit_gdp(engine)
    assert init_db(engine) is True
    assert _gdp_en(engine) == GDP_EN
    with session_scope(engine) as s:
        state = s.get(SeedState, "catalog")
        assert (state.digest, state.migration) == (seed.seed_digest(), "0010")
    assert init_db(engine) is False


def test_an_empty_database_is_seeded_and_a_lost_digest_seeds_again(empty_engine):
    assert init_db(empty_engine) is True
    assert _gdp_en(empty_engine) == GDP_EN
    _edit_gdp(empty_engine)
    with session_scope(empty_engine) as s:
        s.execute(delete(SeedState))
    assert init_db(empty_engine) is True
    assert _gdp_en(empty_engine) == GDP_EN


def test_the_init_command_always_seeds(engine, instance_dir, capsys):
    _edit_gdp(engine)
    assert main(["init"], engine=engine) == 0
    capsys.readouterr()
    assert _gdp_en(engine) == GDP_EN
    assert init_db(engine, reseed=True) is True


def test_the_digest_covers_every_seed_file_and_the_seed_code(tmp_path, monkeypatch):
    seed_dir = tmp_path / "seed"
    shutil.copytree(config.SEED_DIR, seed_dir)
    before = seed.seed_digest(seed_dir)
    assert seed.seed_digest(seed_dir) == before == seed.seed_digest()  # stable, and path-free
    for path in sorted(seed_dir.iterdir()):
        data = path.read_bytes()
        path.write_bytes(data + b"\n")
        assert seed.seed_digest(seed_dir) != before, path.name
        path.write_bytes(data)
    code = tmp_path / "seed.py"
    code.write_bytes(seed._seed_modules()[0].read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(seed, "_seed_modules", lambda: [code])
    assert seed.seed_digest(seed_dir) != before


def test_alembic_runs_only_on_a_database_behind_the_head(engine, monkeypatch):
    """A current database costs one query for its schema (Alembic loads every migration script to
    upgrade, even from the head to the head); an older one is upgraded."""
    from etl.store import db

    upgrades = []
    real_upgrade = db.command.upgrade

    def counted(cfg, revision, **kwargs):  # the real upgrade, counted
        upgrades.append(revision)
        return real_upgrade(cfg, revision, **kwargs)

    monkeypatch.setattr(db.command, "upgrade", counted)
    db.migrate(engine)
    assert upgrades == []
    _downgrade_to_0009(engine)
    db.migrate(engine)
    assert upgrades == ["head"]
    assert "seed_state" in inspect(engine).get_table_names()
    assert db.migration_heads() == ("0010",)
