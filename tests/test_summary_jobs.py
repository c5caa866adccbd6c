"""The maintained summaries are built by what changed the data, never in a web request: the upload's
commit job, the rollback's job (the history page), and `python -m etl` at the end of a command that
changed the data. A render that finds them not built for the current data computes what it shows:
the new data's numbers, never the old summary's, and builds nothing itself."""
from __future__ import annotations

from sqlalchemy import text

from dashboard import data
from etl.store import summary
from etl.wording.catalogue import t
from tests import messy_files
from tests.accounts_helpers import response_json
from tests.test_upload import app, load_two_versions, run_background, signed_in  # noqa: F401 - app is a fixture


def built_kinds(engine) -> dict[str, set[str]]:
    """{data stamp: the kinds built completely for it} in the summaries table."""
    found: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for stamp, kind in conn.execute(text("SELECT stamp, kind FROM summaries WHERE key = '*'")):
            found.setdefault(stamp.split("|")[0], set()).add(kind)
    return found


def every_kind() -> set[str]:
    return {reader.kind for reader in data.SUMMARISED}


def current_stamp(app) -> str:
    with app.server.test_request_context("/"):
        data.invalidate()
        return data.data_stamp()


def summarised_values(app) -> dict:
    """What every summarised reader gives the pages for every key now, from an empty cache."""
    from dashboard.cache import cache

    with app.server.test_request_context("/"):
        cache.clear()
        return {(reader.kind, key): value for reader in data.SUMMARISED
                for key, value in reader.many(list(dict.fromkeys(reader.keys()))).items()}


def computed_values(app) -> dict:
    """The same, computed by the readers' own functions (no summary, no cache)."""
    with app.server.test_request_context("/"):
        return {(reader.kind, key): reader.uncached(key) for reader in data.SUMMARISED
                for key in dict.fromkeys(reader.keys())}


def test_a_rollback_rebuilds_the_summaries_in_a_job_and_pages_stay_right_meanwhile(app, engine):  # noqa: F811
    first, second = load_two_versions(app, engine)
    stamp = current_stamp(app)
    assert built_kinds(engine) == {stamp: every_kind()}  # the commit's job built them
    before = summarised_values(app)
    assert before == computed_values(app)

    admin = signed_in(app, "admin")
    done = admin.post("history-rollback-result", {
        "history-rollback-btn.n_clicks": 1, "history-batches.selectedRows": [{"id": second}],
        "history-rollback-reason.value": "数据有误，等待重新报送", "history-lang.data": "en"})
    answer = response_json(done)["response"]
    assert answer["history-rollback-result"]["children"]["props"]["id"] == "history-rollback-done"
    changed = answer["history-rollback-changed"]["data"]
    assert changed["batch"] == second
    rolled = current_stamp(app)
    assert rolled != stamp and rolled not in built_kinds(engine)  # the request built nothing

    # a viewer meanwhile: the rolled-back data's numbers (not the old summary's), nothing built
    meanwhile = summarised_values(app)
    assert meanwhile == computed_values(app) and meanwhile != before
    assert rolled not in built_kinds(engine)

    # the page starts the job with what the rollback answered; it builds them and says so
    progress: list = []
    polled = run_background(admin, "history-rollback-figures", {
        "history-rollback-changed.data": changed, "history-lang.data": "en"},
        "history-rollback-changed.data", progress)
    alert = response_json(polled)["response"]["history-rollback-figures"]["children"]
    assert alert["props"]["id"] == "history-rollback-figures-done", alert
    assert alert["props"]["children"].startswith("The pages' summary figures are up to date")
    assert built_kinds(engine) == {rolled: every_kind()}  # the old data's rows are gone
    assert summarised_values(app) == meanwhile


def test_the_summary_job_is_for_admins_only(app, engine):  # noqa: F811
    for name in ("vic", "ana"):
        refused = signed_in(app, name).post(
            "history-rollback-figures", {"history-rollback-changed.data": {"batch": 1, "token": "x"},
                                         "history-lang.data": "en"})
        assert refused.status_code == 403
    assert built_kinds(engine) == {}


def test_python_m_etl_builds_the_summaries_at_the_end_of_a_load_and_a_rollback(app, engine, tmp_path):  # noqa: F811
    from etl.cli.main import main

    content, name = messy_files.provincial_xlsx()
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["ingest", str(path)], engine) == 0
    loaded = current_stamp(app)
    assert built_kinds(engine) == {loaded: every_kind()}
    assert summarised_values(app) == computed_values(app)

    summary.clear(engine)
    assert main(["ingest", "--dry-run", str(path)], engine) == 0  # nothing changed: nothing built
    assert built_kinds(engine) == {}

    with engine.connect() as conn:
        batch = conn.scalar(text("SELECT max(id) FROM batches"))
    assert main(["rollback", str(batch), "--reason", "wrong file"], engine) == 0
    rolled = current_stamp(app)
    assert rolled != loaded and built_kinds(engine) == {rolled: every_kind()}

    summary.clear(engine)  # as after a deploy: none for this code's key
    assert main(["init"], engine) == 0  # what a deploy runs (migrate, seed): builds them too
    assert built_kinds(engine) == {rolled: every_kind()}


def test_a_summary_job_stopped_by_its_limit_says_so_and_pages_stay_right(app, engine, monkeypatch):  # noqa: F811
    from dashboard import jobs
    from etl import config

    load_two_versions(app, engine)
    summary.clear(engine)
    admin = signed_in(app, "admin")
    settings = config.settings()
    monkeypatch.setattr(config, "current", settings.replace(job_seconds=0.01))
    stopped = jobs.JobStopped("time", jobs.current_limits()).text("en")
    polled = run_background(admin, "history-rollback-figures", {
        "history-rollback-changed.data": {"batch": 2, "token": "stopped"}, "history-lang.data": "en"},
        "history-rollback-changed.data")
    alert = response_json(polled)["response"]["history-rollback-figures"]["children"]
    assert alert["props"]["id"] == "history-rollback-figures-stopped"
    assert alert["props"]["children"] == f"{stopped} {t('history.figures_stopped', 'en')}"
    monkeypatch.setattr(config, "current", settings)
    assert built_kinds(engine) == {}  # nothing half-built; the pages compute what they show
    assert summarised_values(app) == computed_values(app)
