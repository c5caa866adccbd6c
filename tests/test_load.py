"""Loading (etl.store.load): new values, revisions as new versions, no-ops, rollbacks, racing loads."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from etl.store.db import session_scope
from etl.store.db import make_engine
from etl.store.load import (BatchAlreadyRolledBack, BatchNotFound, apply_plan, plan_changes, rollback,
                      rollback_batch, run_with_retry)
from etl.store.models import Base, Batch, Observation
from etl.records import Value


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: to prove that nothing changed."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(map(repr, row)) for row in rows))
    return out


def val(indicator="gdp", region="230000", year=2024, quarter=0, basis="annual", value=100.0,
        cell="C7") -> Value:
    return Value(indicator, region, year, quarter, basis, value, "各市", cell, f"{value:g}")


def load(engine, values, name="f.xlsx", user="tester"):
    def work(session):
        plan = plan_changes(session, values)
        batch = apply_plan(session, plan, file_name=name, sha256="0" * 64, loaded_by=user,
                           notes=["注：测试"], sources=["数据来源：测试"])
        return plan, batch.id
    return run_with_retry(engine, work)


def observations(engine, **where):
    with session_scope(engine) as s:
        query = select(Observation).order_by(Observation.region_code, Observation.year,
                                             Observation.version)
        for name, value in where.items():
            query = query.where(getattr(Observation, name) == value)
        return [(o.region_code, o.year, o.value, o.version, o.is_current, o.batch_id)
                for o in s.scalars(query)]


def current_value(engine, region="230000", year=2024):
    rows = [r for r in observations(engine, region_code=region, year=year) if r[4]]
    assert len(rows) <= 1, rows  # never two current versions of one key
    return rows[0][2] if rows else None


def test_new_values_are_version_one_with_provenance(engine):
    plan, batch_id = load(engine, [val(value=100.0), val(region="230100", value=40.0, cell="C8")])
    assert len(plan.new) == 2 and not plan.revised and not plan.unchanged
    assert observations(engine) == [("230000", 2024, 100.0, 1, True, batch_id),
                                    ("230100", 2024, 40.0, 1, True, batch_id)]
    with session_scope(engine) as s:
        batch = s.get(Batch, batch_id)
        assert (batch.values_new, batch.values_revised, batch.values_unchanged) == (2, 0, 0)
        assert batch.notes == ["注：测试"] and batch.source_lines == ["数据来源：测试"]
        obs = s.scalars(select(Observation).where(Observation.region_code == "230100")).one()
        assert (obs.sheet, obs.cell, obs.raw_value) == ("各市", "C8", "40")


def test_revision_is_a_new_version_and_keeps_the_old(engine):
    _, first = load(engine, [val(value=15901.0), val(region="230100", value=40.0)])
    plan, second = load(engine, [val(value=16359.2), val(region="230100", value=40.0)])
    assert len(plan.revised) == 1 and len(plan.unchanged) == 1 and not plan.new
    rev = plan.revised[0]
    assert (rev.old_value, rev.new_value, rev.old_version, rev.new_version, rev.old_batch_id) == (
        15901.0, 16359.2, 1, 2, first)
    assert observations(engine, region_code="230000") == [
        ("230000", 2024, 15901.0, 1, False, first), ("230000", 2024, 16359.2, 2, True, second)]
    with session_scope(engine) as s:
        batch = s.get(Batch, second)
        assert (batch.values_new, batch.values_revised, batch.values_unchanged) == (0, 1, 1)


def test_identical_values_plan_nothing(engine):
    load(engine, [val(value=100.0)])
    with session_scope(engine) as s:
        plan = plan_changes(s, [val(value=100.0 + 1e-12)])
    assert plan.is_noop and len(plan.unchanged) == 1


def test_rollback_restores_the_previous_current_value(engine):
    _, first = load(engine, [val(value=1.0)])
    _, second = load(engine, [val(value=2.0), val(region="230100", value=0.5)])
    assert current_value(engine) == 2.0
    with session_scope(engine) as s:
        batch = rollback_batch(s, second, user="admin", reason="错报 wrong file")
        assert batch.status == "rolled_back"
    with session_scope(engine) as s:
        batch = s.get(Batch, second)
        assert (batch.rolled_back_by, batch.rollback_reason) == ("admin", "错报 wrong file")
        assert batch.rolled_back_at is not None
    assert current_value(engine) == 1.0
    assert current_value(engine, region="230100") is None  # only that batch had it
    # rows are never deleted
    assert len(observations(engine)) == 3
    # a later load compares with the restored value and takes the next free version
    plan, third = load(engine, [val(value=3.0)])
    assert plan.revised[0].old_value == 1.0 and plan.revised[0].new_version == 3


def test_rollback_of_an_older_batch_keeps_a_newer_revision(engine):
    _, first = load(engine, [val(value=1.0)])
    _, second = load(engine, [val(value=2.0)])
    with session_scope(engine) as s:
        rollback_batch(s, first, user="admin", reason="")
    assert current_value(engine) == 2.0
    with session_scope(engine) as s:
        rollback_batch(s, second, user="admin", reason="")
    assert current_value(engine) is None


def test_rollback_twice_or_unknown_batch_is_a_clear_error(engine):
    _, first = load(engine, [val(value=1.0)])
    with session_scope(engine) as s:
        rollback_batch(s, first, user="admin", reason="x")
    before = snapshot(engine)
    with pytest.raises(BatchAlreadyRolledBack) as err:
        with session_scope(engine) as s:
            rollback_batch(s, first, user="admin", reason="again")
    assert "已" in err.value.message_zh and "already" in err.value.message_en
    with pytest.raises(BatchNotFound):
        with session_scope(engine) as s:
            rollback_batch(s, 999, user="admin", reason="")
    assert snapshot(engine) == before


def test_values_of_all_rolled_back_versions_get_the_next_version(engine):
    _, first = load(engine, [val(value=1.0)])
    with session_scope(engine) as s:
        rollback_batch(s, first, user="admin")
    plan, second = load(engine, [val(value=1.0)])
    assert [(v.value, version) for v, version in plan.new] == [(1.0, 2)]
    assert current_value(engine) == 1.0


def test_rows_of_several_versions_keep_the_plans_order_and_texts_are_cut_to_their_columns(engine):
    """The rows go in as runs of one version each (issue 13: the version, is_current and batch as
    literals of the statement); every row still gets its own version, in the plan's order, and a
    text longer than its column is cut as before (sheet 100, cell 16, raw value 100, notes 200)."""
    _, first = load(engine, [val(region="230100", value=1.0), val(region="230200", value=1.0)])
    with session_scope(engine) as s:
        rollback_batch(s, first, user="admin")
    _, second = load(engine, [val(region="230300", value=1.0)])
    long = Value("gdp", "230400", 2024, 0, "annual", 7.0, "表" * 120, "C" * 20, "7" * 150, "注" * 250)
    plan, third = load(engine, [val(region="230000", value=5.0), val(region="230100", value=2.0),
                                val(region="230300", value=3.0), val(region="230200", value=4.0), long])
    assert [(v.region_code, version) for v, version in plan.new] == [
        ("230000", 1), ("230100", 2), ("230200", 2), ("230400", 1)]
    assert [(r.region_code, r.new_version) for r in plan.revised] == [("230300", 2)]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT region_code, version, is_current, batch_id, sheet, cell, "
                                 "raw_value, notes FROM observations WHERE batch_id = :b ORDER BY id"),
                            {"b": third}).all()
    assert [(r[0], r[1], bool(r[2]), r[3]) for r in rows] == [
        ("230000", 1, True, third), ("230100", 2, True, third), ("230200", 2, True, third),
        ("230400", 1, True, third), ("230300", 2, True, third)]
    assert tuple(rows[3][4:]) == ("表" * 100, "C" * 16, "7" * 100, "注" * 200)
    assert tuple(rows[0][4:]) == ("各市", "C7", "5", "")
    assert current_value(engine, region="230300") == 3.0
    assert [r[4] for r in observations(engine, region_code="230300")] == [False, True]


def test_a_failed_apply_leaves_every_table_as_it_was(engine):
    load(engine, [val(value=1.0)])
    before = snapshot(engine)
    with pytest.raises(Exception):
        def work(session):
            plan = plan_changes(session, [val(value=2.0), val(region="999999", value=5.0)])
            apply_plan(session, plan, file_name="bad", sha256="1" * 64, loaded_by="t")
            session.flush()
            raise RuntimeError("fails after writing")
        run_with_retry(engine, work)
    assert snapshot(engine) == before


def test_many_values_in_few_queries(engine):
    """2,000 values: planned and applied with a bounded number of statements."""
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    from sqlalchemy import event
    values = [val(region=r, year=y, value=float(i)) for i, (r, y) in enumerate(
        (r, y) for r in ("230000", "230100", "230200", "230300") for y in range(1500, 2000))]
    event.listen(engine, "before_cursor_execute", count)
    try:
        load(engine, values)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) < 30  # not one per value
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM observations")) == 2000


def test_two_loads_at_the_same_moment_never_mix(engine):
    """Two files with different values for the same keys load at once: both land, as versions
    1 and 2 of every key, and the current values all come from one file."""
    keys = [(r, y) for r in ("230000", "230100", "230200") for y in range(2000, 2040)]
    files = {name: [val(region=r, year=y, value=base + y) for r, y in keys]
             for name, base in (("a", 1000.0), ("b", 5000.0))}
    barrier = threading.Barrier(2)
    results, errors, attempts = {}, [], []

    def run(name):
        def work(session):
            plan = plan_changes(session, files[name])
            attempts.append(name)
            if attempts.count(name) == 1:
                try:
                    barrier.wait(timeout=5)  # both have planned before either writes
                except threading.BrokenBarrierError:
                    pass
            batch = apply_plan(session, plan, file_name=name, sha256=name * 64, loaded_by=name)
            return batch.id
        try:
            results[name] = run_with_retry(engine, work)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(attempts) >= 3  # the loser planned again
    with session_scope(engine) as s:
        rows = s.execute(select(Observation.region_code, Observation.year, Observation.version,
                                Observation.is_current, Observation.batch_id)).all()
    assert len(rows) == 2 * len(keys)
    by_key = {}
    for region, year, version, is_current, batch_id in rows:
        by_key.setdefault((region, year), []).append((version, is_current, batch_id))
    winners = set()
    for versions in by_key.values():
        assert sorted(v for v, _, _ in versions) == [1, 2]
        current = [(v, b) for v, c, b in versions if c]
        assert len(current) == 1 and current[0][0] == 2
        winners.add(current[0][1])
    assert len(winners) == 1  # every current value comes from the same (later) file


def test_real_figure_equal_to_a_demo_value_takes_over_its_provenance(engine):
    """Demo data are labelled as such on screen: a real file confirming a demo number must become
    the source of that number, not be skipped as 'unchanged'."""
    from etl.store.db import session_scope
    from etl.store.load import apply_plan, plan_changes
    from etl.store.models import Batch, Observation
    from etl.records import Value
    from sqlalchemy import select

    v = Value("gdp", "230100", 2020, 0, "annual", 5183.8, "s", "B2", "5183.8")
    with session_scope(engine) as s:
        plan = plan_changes(s, [v], replace_demo=False)
        apply_plan(s, plan, file_name="demo.xlsx", sha256="d" * 64, loaded_by="demo",
                   report=None, notes=[], sources=[], is_demo=True)
    with session_scope(engine) as s:
        assert plan_changes(s, [v], replace_demo=False).unchanged == [v]  # demo again: a no-op
        plan = plan_changes(s, [v])
        assert len(plan.revised) == 1 and not plan.unchanged
        batch = apply_plan(s, plan, file_name="bulletin.csv", sha256="r" * 64, loaded_by="reference",
                           report=None, notes=[], sources=[], is_reference=True)
    with session_scope(engine) as s:
        current = s.scalars(select(Observation).where(Observation.is_current)).all()
        assert [(o.value, o.version, o.batch_id) for o in current] == [(5183.8, 2, batch.id)]
        assert s.get(Batch, batch.id).is_demo is False


def test_a_rollback_meeting_a_concurrent_load_waits_or_retries_instead_of_failing(engine):
    """A load holds the write lock (its transaction open after writing); a rollback at that moment
    used to fail at once with "database is locked" on SQLite. Through rollback(), which takes the
    same lock and retry path as loads, it lands once the load has committed."""
    first = load(engine, [val(value=100.0)], name="first")[1]
    sqlite = engine.dialect.name == "sqlite"
    # a short lock timeout, so that the collision shows within the test (the default is 30 s)
    impatient = make_engine(str(engine.url), connect_args={"timeout": 0.3}) if sqlite else engine
    holding, release, errors = threading.Event(), threading.Event(), []

    def slow_load():
        def work(session):
            plan = plan_changes(session, [val(region="230100", value=50.0)])
            batch = apply_plan(session, plan, file_name="slow", sha256="1" * 64, loaded_by="b")
            holding.set()
            release.wait(10)  # the transaction stays open, holding the write lock
            return batch.id
        try:
            run_with_retry(engine, work)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=slow_load)
    thread.start()
    try:
        assert holding.wait(10)
        if sqlite:  # the old way: one transaction, no retry
            with pytest.raises(OperationalError, match="locked"):
                with session_scope(impatient) as session:
                    rollback_batch(session, first, user="admin", reason="old path")
        threading.Timer(0.8, release.set).start()
        audit = []
        batch = rollback(impatient, first, user="admin", reason="wrong file",
                         also=lambda session, b: audit.append(b.id))
        assert batch.status == "rolled_back" and batch.rollback_reason == "wrong file"
        assert audit and set(audit) == {first}
    finally:
        release.set()
        thread.join(20)
    assert not errors, errors
    with session_scope(engine) as s:
        statuses = dict(s.execute(select(Batch.file_name, Batch.status)).all())
    assert statuses == {"first": "rolled_back", "slow": "loaded"}
    assert current_value(engine) is None and current_value(engine, "230100") == 50.0
    with pytest.raises(BatchAlreadyRolledBack):
        rollback(engine, first, user="admin")
