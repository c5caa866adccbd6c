"""`python -m etl`: initialise, check, load, export and roll back, from a terminal.

Exit codes: 0 success; 1 a file was rejected (its report is printed) or a rollback was refused;
2 a usage error (argparse's own, an unknown batch id, indicator or region code); 3 a fault of the
program (one line with an error id; the traceback is in the log file, never on the terminal).
`--json` prints only JSON on stdout: one report object for one file, a list for several.
Progress bars go to stderr, and only when stderr is a terminal.
Every subcommand handler has the signature handler(args, engine) -> int.
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
from etl.store.db import default_engine, ensure_db, session_scope

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
            label = {"read": "检查 check", "load": "载入 load"}.get(stage, stage)
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
        _err(f"无法读取文件 / cannot read file {path}: {exc.strerror or exc}")
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


# --- handlers ----------------------------------------------------------------------------------------

def cmd_init(args, engine: Engine) -> int:
    from etl.store.models import Indicator, Region, Target

    ensure_db(engine)
    with session_scope(engine) as s:
        counts = [s.scalar(select(func.count()).select_from(m)) for m in (Indicator, Region, Target)]
    print(f"数据库已就绪：{counts[0]} 个指标，{counts[1]} 个地区，{counts[2]} 个目标 / database ready: "
          f"{counts[0]} indicators, {counts[1]} regions, {counts[2]} targets ({engine.url.render_as_string()})")
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
    if args.json:
        _print_json(_one_or_list([o.report.to_dict() for o in outcomes]))
    elif len(outcomes) > 1:
        tally = {s: sum(o.status == s for o in outcomes) for s in ("loaded", "unchanged", "dry-run", "rejected")}
        print(f"共 {len(outcomes)} 个文件：载入 {tally['loaded']}，无变化 {tally['unchanged']}，"
              f"试运行 {tally['dry-run']}，拒绝 {tally['rejected']} / {len(outcomes)} files: "
              f"{tally['loaded']} loaded, {tally['unchanged']} unchanged, {tally['dry-run']} dry run, "
              f"{tally['rejected']} rejected")
    return code


def _one_or_list(items: list):
    return items[0] if len(items) == 1 else items


def cmd_template(args, engine: Engine) -> int:
    from etl.read.template import write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        _err("模板文件名须以 .xlsx 结尾 / the template must be an .xlsx file")
        return EXIT_USAGE
    write_template(out, _load_catalog(engine))
    print(f"已写入模板 / template written: {out}")
    return EXIT_OK


def cmd_export(args, engine: Engine) -> int:
    from etl.store.export import export_rows
    from etl.store.queries import current_observations

    out = Path(args.output)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        _err("导出文件名须以 .csv 或 .xlsx 结尾 / the output must end in .csv or .xlsx")
        return EXIT_USAGE
    catalog = _load_catalog(engine)
    for code, known, what in ((args.indicator, catalog.indicators, "指标 indicator"),
                              (args.region, catalog.regions, "地区 region")):
        if code and code not in known:
            _err(f"未知{what.split()[0]}代码 / unknown {what.split()[1]} code: {code}")
            return EXIT_USAGE
    rows = current_observations(engine, indicator=args.indicator or None, region=args.region or None)
    count = export_rows(rows, out)
    print(f"已导出 {count} 个当前数值 / exported {count} current values: {out}")
    return EXIT_OK


def cmd_batches(args, engine: Engine) -> int:
    from etl.store.queries import batch_list

    batches = batch_list(engine, limit=args.limit)
    if args.json:
        _print_json(batches)
        return EXIT_OK
    if not batches:
        print("尚未载入任何文件 / no file loaded yet")
        return EXIT_OK
    print(f"{'批次 id':>8}  {'状态 status':<12} {'新增':>6} {'修订':>6} {'未变':>6}  "
          f"{'载入时间 loaded at':<19}  {'载入人 by':<10} 文件 file")
    for b in batches:
        flags = "".join(f" [{f}]" for f, on in (("demo", b["is_demo"]), ("reference", b["is_reference"])) if on)
        print(f"{b['id']:>8}  {b['status']:<12} {b['values_new']:>6} {b['values_revised']:>6} "
              f"{b['values_unchanged']:>6}  {b['loaded_at']:%Y-%m-%d %H:%M:%S}  {b['loaded_by']:<10} "
              f"{b['file_name']}{flags}")
        if b["status"] == "rolled_back":
            print(f"{'':>10}已回滚 rolled back {b['rolled_back_at']:%Y-%m-%d %H:%M} by "
                  f"{b['rolled_back_by']}: {b['rollback_reason'] or ''}")
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
    print(f"已回滚批次 {args.batch_id}（{file_name}）；该批次的数值不再是当前值，之前的版本已恢复 "
          f"/ batch {args.batch_id} ({file_name}) rolled back; its values are no longer current and "
          f"the previous versions are current again")
    return EXIT_OK


# --- the parser ----------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="数字龙江监测：统计数据检查、载入与导出 / Digital Longjiang monitor: check, load "
                    "and export statistics. 数据库见 DATABASE_URL / database: DATABASE_URL.",
        epilog="退出码 exit codes: 0 成功 success, 1 文件被拒绝 file rejected, 2 用法错误 usage error.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", help="创建或升级数据库并写入目录与目标 / create or migrate the schema, "
                                    "seed the catalog and targets")
    p.set_defaults(handler=cmd_init)

    def file_options(p, *, load: bool) -> None:
        p.add_argument("files", nargs="+", metavar="FILE", help=".xlsx / .xls / .csv")
        p.add_argument("--skip-unknown", action="store_true",
                       help="跳过目录中没有的指标（列为“跳过”）/ skip indicators the catalog does not know")
        p.add_argument("--json", action="store_true",
                       help="以JSON输出完整报告（标准输出只有JSON）/ print the full report(s) as JSON")
        p.add_argument("--lang", choices=("zh", "en"), default="zh",
                       help="报告语言：zh=中文+英文，en=英文 / report language")
        if load:
            p.add_argument("--dry-run", action="store_true",
                           help="检查并比较，但不写入 / check and compare, write nothing")
            p.add_argument("--user", default=_default_user(),
                           help="记录为载入人 / recorded as loaded_by (default: login name)")

    p = sub.add_parser("validate", help="检查文件，不载入 / check files, load nothing")
    file_options(p, load=False)
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("ingest", help="检查并载入文件（每个文件全部载入或全部不载入）/ check and load "
                                      "files, each all or nothing")
    file_options(p, load=True)
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("template", help="生成长表模板 / write the long template")
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("export", help="导出当前数值 / export current values (.csv or .xlsx)")
    p.add_argument("--indicator", metavar="CODE", help="指标代码 / indicator code, e.g. gdp")
    p.add_argument("--region", metavar="CODE", help="地区代码 / region code, e.g. 230000")
    p.add_argument("-o", "--output", required=True, metavar="OUT.csv|OUT.xlsx")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("batches", help="列出已载入的批次 / list loaded batches")
    p.add_argument("--limit", type=int, default=None, help="只显示最新的N个 / newest N only")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_batches)

    p = sub.add_parser("rollback", help="回滚一个批次 / roll a batch back")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.add_argument("--reason", default="", help="原因 / why")
    p.add_argument("--user", default=_default_user(), help="操作人 / who (default: login name)")
    p.set_defaults(handler=cmd_rollback)

    register_backup(sub)
    cli_progress.register(sub)
    demo.register(sub)
    from etl.measures.cli import register as register_measures  # measures, template --awards (issue 15)

    register_measures(sub)
    return parser


def register_backup(sub) -> None:
    """`backup OUT` and `restore FILE --yes` (etl/store/backup.py)."""
    p = sub.add_parser("backup", help="备份整个数据库并检查副本 / back up the whole database and "
                                      "check the copy (SQLite online backup, or pg_dump)")
    p.add_argument("out", metavar="OUT", help="备份文件 / backup file (OUT.sha256 is written too)")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="用备份替换数据库内容 / replace the database's contents "
                                       "with a backup, then check its current values")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true",
                   help="确认替换 / confirm: everything loaded since the backup is lost")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args, engine: Engine) -> int:
    from etl.store.backup import BackupError, backup

    try:
        made = backup(engine, Path(args.out))
    except BackupError as exc:
        _err(f"备份失败 / backup failed: {exc.message_zh}\n{exc.message_en}")
        return EXIT_REJECTED
    print(f"已备份 / backed up: {made.path} — {made.values} 个当前数值 current values, "
          f"sha256 {made.sha256[:16]}… (副本已检查 / copy checked; {made.path.name}.sha256)")
    if not made.same_as_live:
        _err("注意：备份期间数据库有变化（副本是备份开始时的状态）/ note: the database changed "
             "during the backup (the copy holds the state when it began)")
    return EXIT_OK


def cmd_restore(args, engine: Engine) -> int:
    from etl.store.backup import BackupError, expected_digest, restore

    if not args.yes:
        _err("恢复会用备份替换数据库的全部内容，备份之后载入的数据将丢失。确认请加 --yes。/ Restoring "
             "replaces everything in the database with the backup; whatever was loaded since is "
             "lost. Add --yes to go ahead.")
        return EXIT_USAGE
    try:
        count, digest = restore(engine, Path(args.file))
    except BackupError as exc:
        _err(f"恢复失败 / restore failed: {exc.message_zh}\n{exc.message_en}")
        return EXIT_REJECTED
    checked = ("与备份时逐字节相同 / byte-identical to the backup's export"
               if expected_digest(Path(args.file)) else
               "（没有 .sha256 文件，未比对 / no .sha256 file: not compared）")
    print(f"已恢复 / restored: {count} 个当前数值 current values, sha256 {digest[:16]}… {checked}")
    return EXIT_OK


def start_settings() -> bool:
    """Read the settings once (etl/settings.py) and log to the instance folder's log file (not to
    the terminal, which gets the reports); False, after one line on stderr, for a bad value."""
    from etl import config, logs
    from etl.settings import Settings, SettingsError

    try:
        settings = config.use(Settings.from_env())
    except SettingsError as exc:
        _err(f"设置错误 / bad setting: {exc}")
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
        _err("已中断 / interrupted")
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
        _err(f"意外错误（错误编号 {error_id}），详细记录见日志 {config.settings().log_path} "
             f"/ unexpected error (error id {error_id}); the details are in the log file")
        return EXIT_FAULT
