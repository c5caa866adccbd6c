"""`python -m etl`: initialise, check, load, export and roll back, from a terminal.

Exit codes: 0 success; 1 a file was rejected (its report is printed) or a rollback was refused;
2 a usage error (argparse's own, an unknown batch id, indicator or region code); 3 a fault of the
program (one line with an error id; the traceback is in the log file, never on the terminal).
`--json` prints only JSON on stdout: one report object for one file, a list for several.
Progress bars go to stderr, and only when stderr is a terminal.
Every subcommand handler has the signature handler(args, engine) -> int.
A command that changed the data (ingest, rollback, restore; init, which seeds the catalog and targets
and is run after a deploy) ends by running the hooks installed for a data change
(after_data_change: the dashboard builds its maintained summaries there, so that no viewer's
request does).
"""
from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence, TypeVar

from sqlalchemy import Engine, func, select

from etl.cli import progress as cli_progress
from etl.demo import files as demo
from etl.store.db import default_engine, ensure_db, init_db, session_scope
from etl.wording.catalogue import both, t

log = logging.getLogger(__name__)

T = TypeVar("T")
EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_FAULT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


class TerminalProgress:
    """An ingest progress callback drawing tqdm bars on stderr, one per stage of a file."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.bars: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            label = both(f"cli.bar.{stage}", sep=" ") if stage in ("read", "load") else stage
            bar = self.bars[stage] = tqdm(total=total, desc=f"{label} {Path(self.file_name).name}",
                                          file=sys.stderr, leave=False, unit="")
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _progress_for(name: str) -> Optional[TerminalProgress]:
    return TerminalProgress(name) if sys.stderr.isatty() else None


def _read(path: str) -> Optional[bytes]:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        _err(both("cli.cannot_read", path=path, why=exc.strerror or exc))
        return None


def _each_file(paths: list[str], run: Callable[[bytes, str, Optional[TerminalProgress]], T]) -> Iterator[Optional[T]]:
    """run(data, path, progress) for each file in turn, its progress bar closed after; None for a
    file that cannot be read (said on stderr)."""
    for path in paths:
        data = _read(path)
        if data is None:
            yield None
            continue
        progress = _progress_for(path)
        try:
            result = run(data, path, progress)
        finally:
            if progress:
                progress.close()
        yield result


def _load_catalog(engine: Engine):
    from etl.store.catalog import load_catalog

    with session_scope(engine) as session:
        return load_catalog(session)


# --- after a data change ---------------------------------------------------------------------------

DATA_CHANGED = "digital_longjiang.data_changed"  # entry point group (pyproject.toml)


def after_data_change(engine: Engine) -> None:
    """Run every hook installed for a data change (entry point group DATA_CHANGED: the dashboard's
    dashboard.summaries:build), at the end of the command that changed the data. The ETL names no
    hook and imports none: what is installed registers itself. A failing hook costs one line on
    stderr (its traceback in the log file): the data are loaded, and the pages compute what is
    not summarised."""
    from importlib.metadata import entry_points

    for hook in entry_points(group=DATA_CHANGED):
        try:
            hook.load()(engine)
        except Exception:  # noqa: BLE001 - reported, not raised: the load itself is done
            from etl import logs

            error_id = logs.unexpected(log, "after a data change: %s", hook.name)
            _err(both("cli.after_change_failed", name=hook.name, error_id=error_id))


# --- handlers ----------------------------------------------------------------------------------------

def cmd_init(args, engine: Engine) -> int:
    from etl.store.models import Indicator, Region, Target

    init_db(engine, reseed=True)  # the whole seed again, even if its digest is the stored one
    # the catalog, the targets or (after a deploy) the code the summaries come from may be new
    after_data_change(engine)
    with session_scope(engine) as s:
        counts = [s.scalar(select(func.count()).select_from(m)) for m in (Indicator, Region, Target)]
    print(both("cli.ready", indicators=counts[0], regions=counts[1], targets=counts[2],
               url=engine.url.render_as_string()))
    return EXIT_OK


def cmd_validate(args, engine: Engine) -> int:
    from etl.measures.pipeline import looks_like_awards, preview_awards
    from etl.pipeline import check_file

    catalog = _load_catalog(engine)
    def check(data: bytes, path: str, progress):
        if looks_like_awards(data, path):  # an award list: checked against its rules and the register
            return preview_awards(engine, data, Path(path).name)
        return check_file(data, Path(path).name, catalog, skip_unknown=args.skip_unknown,
                          progress=progress)

    reports, code = [], EXIT_OK
    for result in _each_file(args.files, check):
        if result is None:
            code = EXIT_USAGE
            continue
        report = result.report
        reports.append(report)
        if not report.valid:
            code = max(code, EXIT_REJECTED) if code != EXIT_USAGE else code
        if not args.json:
            print(report.format_text(lang=args.lang))
            print()
    if args.json:
        _print_json(_one_or_list([r.to_dict() for r in reports]))
    return code


def cmd_ingest(args, engine: Engine) -> int:
    from etl.pipeline import ingest_file

    def ingest(data: bytes, path: str, progress):
        return ingest_file(engine, data, Path(path).name, loaded_by=args.user,
                           skip_unknown=args.skip_unknown, dry_run=args.dry_run, progress=progress)

    outcomes, code = [], EXIT_OK
    for outcome in _each_file(args.files, ingest):
        if outcome is None:
            code = EXIT_USAGE
            continue
        outcomes.append(outcome)
        if outcome.status == "rejected" and code == EXIT_OK:
            code = EXIT_REJECTED
        if not args.json:
            print(outcome.report.format_text(lang=args.lang))
            print()
    if any(o.status == "loaded" for o in outcomes):
        after_data_change(engine)
    if args.json:
        _print_json(_one_or_list([o.report.to_dict() for o in outcomes]))
    elif len(outcomes) > 1:
        tally = {s: sum(o.status == s for o in outcomes) for s in ("loaded", "unchanged", "dry-run", "rejected")}
        print(both("cli.tally", n=len(outcomes), loaded=tally["loaded"], unchanged=tally["unchanged"],
                   dry_run=tally["dry-run"], rejected=tally["rejected"]))
    return code


def _one_or_list(items: list):
    return items[0] if len(items) == 1 else items


def cmd_template(args, engine: Engine) -> int:
    from etl.read.template import write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        _err(both("cli.template_suffix"))
        return EXIT_USAGE
    write_template(out, _load_catalog(engine))
    print(both("cli.template_written", path=out))
    return EXIT_OK


def cmd_export(args, engine: Engine) -> int:
    from etl.store.export import export_rows
    from etl.store.queries import current_observations

    out = Path(args.output)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        _err(both("cli.export_suffix"))
        return EXIT_USAGE
    catalog = _load_catalog(engine)
    for code, known, what in ((args.indicator, catalog.indicators, "indicator"),
                              (args.region, catalog.regions, "region")):
        if code and code not in known:
            _err(both(f"cli.unknown_{what}", code=code))
            return EXIT_USAGE
    rows = current_observations(engine, indicator=args.indicator or None, region=args.region or None)
    count = export_rows(rows, out)
    print(both("cli.exported", count=count, path=out))
    return EXIT_OK


def cmd_batches(args, engine: Engine) -> int:
    from etl.store.queries import batch_list
    from etl.wording.times import fmt_time  # Beijing time, as the history page; --json keeps UTC

    batches = batch_list(engine, limit=args.limit)
    if args.json:
        _print_json(batches)
        return EXIT_OK
    if not batches:
        print(both("cli.no_batches"))
        return EXIT_OK
    col = {k: both(f"cli.batches.{k}", sep=" ") for k in ("id", "status", "loaded_at", "by", "file")}
    col.update({k: t(f"cli.batches.{k}", "zh") for k in ("new", "revised", "unchanged")})
    print(f"{col['id']:>8}  {col['status']:<12} {col['new']:>6} {col['revised']:>6} {col['unchanged']:>6}  "
          f"{col['loaded_at']:<19}  {col['by']:<10} {col['file']}")
    for b in batches:
        flags = "".join(f" [{f}]" for f, on in (("demo", b["is_demo"]), ("reference", b["is_reference"])) if on)
        print(f"{b['id']:>8}  {b['status']:<12} {b['values_new']:>6} {b['values_revised']:>6} "
              f"{b['values_unchanged']:>6}  {fmt_time(b['loaded_at'], seconds=True):<19}  {b['loaded_by']:<10} "
              f"{b['file_name']}{flags}")
        if b["status"] == "rolled_back":
            print(f"{'':>10}" + both("cli.batches.rolled_back", sep=" ", at=fmt_time(b["rolled_back_at"]),
                                     by=b["rolled_back_by"], reason=b["rollback_reason"] or ""))
    return EXIT_OK


def cmd_rollback(args, engine: Engine) -> int:
    from etl.store.load import BatchAlreadyRolledBack, BatchNotFound, rollback

    try:
        file_name = rollback(engine, args.batch_id, user=args.user, reason=args.reason).file_name
    except BatchNotFound as exc:
        _err(f"{exc.message_zh} / {exc.message_en}")
        return EXIT_USAGE
    except BatchAlreadyRolledBack as exc:
        _err(f"{exc.message_zh} / {exc.message_en}")
        return EXIT_REJECTED
    after_data_change(engine)
    print(both("cli.rollback_done", batch=args.batch_id, file=file_name))
    return EXIT_OK


# --- the parser ----------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description=f"{both('cli.description')} {both('cli.database')}", epilog=both("cli.exit_codes"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", help=both("cli.help.init"))
    p.set_defaults(handler=cmd_init)

    def file_options(p, *, load: bool) -> None:
        p.add_argument("files", nargs="+", metavar="FILE", help=".xlsx / .xls / .csv")
        p.add_argument("--skip-unknown", action="store_true",
                       help=both("cli.help.skip_unknown"))
        p.add_argument("--json", action="store_true",
                       help=both("cli.help.json"))
        p.add_argument("--lang", choices=("zh", "en"), default="zh",
                       help=both("cli.help.lang"))
        if load:
            p.add_argument("--dry-run", action="store_true",
                           help=both("cli.help.dry_run"))
            p.add_argument("--user", default=_default_user(),
                           help=both("cli.help.user"))

    p = sub.add_parser("validate", help=both("cli.help.validate"))
    file_options(p, load=False)
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("ingest", help=both("cli.help.ingest"))
    file_options(p, load=True)
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("template", help=both("cli.help.template"))
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("export", help=both("cli.help.export"))
    p.add_argument("--indicator", metavar="CODE", help=both("cli.help.indicator"))
    p.add_argument("--region", metavar="CODE", help=both("cli.help.region"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv|OUT.xlsx")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("batches", help=both("cli.help.batches"))
    p.add_argument("--limit", type=int, default=None, help=both("cli.help.limit"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_batches)

    p = sub.add_parser("rollback", help=both("cli.help.rollback"))
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.add_argument("--reason", default="", help=both("cli.help.reason"))
    p.add_argument("--user", default=_default_user(), help=both("cli.help.operator"))
    p.set_defaults(handler=cmd_rollback)

    register_backup(sub)
    cli_progress.register(sub)
    demo.register(sub)
    from etl.measures.cli import register as register_measures  # measures, template --awards (issue 15)

    register_measures(sub)
    return parser


def register_backup(sub) -> None:
    """`backup OUT` and `restore FILE --yes` (etl/store/backup.py)."""
    p = sub.add_parser("backup", help=both("cli.help.backup"))
    p.add_argument("out", metavar="OUT", help=both("cli.help.backup_out"))
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help=both("cli.help.restore"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true",
                   help=both("cli.help.yes"))
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args, engine: Engine) -> int:
    from etl.store.backup import BackupError, backup

    try:
        made = backup(engine, Path(args.out))
    except BackupError as exc:
        _err(both("cli.backup_failed", message_zh=exc.message_zh, message_en=exc.message_en))
        return EXIT_REJECTED
    print(both("cli.backed_up", path=made.path, values=made.values, sha=made.sha256[:16], name=made.path.name))
    if not made.same_as_live:
        _err(both("cli.backup_moved"))
    return EXIT_OK


def cmd_restore(args, engine: Engine) -> int:
    from etl.store.backup import BackupError, expected_digest, restore

    if not args.yes:
        _err(both("cli.restore_confirm"))
        return EXIT_USAGE
    try:
        count, digest = restore(engine, Path(args.file))
    except BackupError as exc:
        _err(both("cli.restore_failed", message_zh=exc.message_zh, message_en=exc.message_en))
        return EXIT_REJECTED
    after_data_change(engine)
    checked = "cli.restore.identical" if expected_digest(Path(args.file)) else "cli.restore.unchecked"
    print(f"{t('cli.restored', 'zh', count=count, sha=digest[:16], checked=t(checked, 'zh'))} / "
          f"{t('cli.restored', 'en', count=count, sha=digest[:16], checked=t(checked, 'en'))}")
    return EXIT_OK


def start_settings() -> bool:
    """Read the settings once (etl/settings.py) and log to the instance folder's log file (not to
    the terminal, which gets the reports); False, after one line on stderr, for a bad value."""
    from etl import config, logs
    from etl.settings import Settings, SettingsError

    try:
        settings = config.use(Settings.from_env())
    except SettingsError as exc:
        _err(both("settings.bad", error=exc))
        return False
    logs.configure(settings, stderr=False)
    return True


def main(argv: Optional[Sequence[str]] = None, engine: Optional[Engine] = None) -> int:
    """Run one command; returns the exit code. Tests pass their own engine."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not start_settings():
        return EXIT_USAGE
    try:
        engine = engine or default_engine()
        ensure_db(engine)  # any command on an empty database initialises it first
        return args.handler(args, engine)
    except KeyboardInterrupt:
        _err(both("cli.interrupted"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`python -m etl progress | head`): not a fault
        import os
        import sys

        devnull = os.open(os.devnull, os.O_WRONLY)  # no second error when Python flushes stdout
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:  # a fault of the program: the traceback goes to the log file, never here
        from etl import config, logs

        error_id = logs.unexpected(log, "in python -m etl %s", args.command)
        _err(both("cli.unexpected", error_id=error_id, log=config.settings().log_path))
        return EXIT_FAULT
