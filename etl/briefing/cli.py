"""`python -m dashboard briefing`: make the quarterly briefing on the server's command line.

    python -m dashboard briefing --quarter 2025Q4 --lang zh -o OUT.docx   (or OUT.pdf)
    python -m dashboard briefing -o OUT.pdf                     # the latest quarter with data
    python -m dashboard briefing --list                         # the archive
    python -m dashboard briefing --archived 7 -o OUT.pdf        # one archived briefing, as it was made

Exit codes: 0 done, 1 nothing to brief on / no such archived briefing / the PDF printer failed,
2 usage error.
"""
from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from etl.wording.catalogue import both, t
from etl.wording.times import fmt_time


def register(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "briefing", help=both("briefing.cli.help"), description=both("briefing.cli.description"))
    parser.add_argument("--quarter", metavar="2025Q4", help=both("briefing.cli.quarter"))
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help=both("cli.help.language"))
    parser.add_argument("-o", "--output", metavar="OUT.docx|OUT.pdf", help=both("briefing.cli.output"))
    parser.add_argument("--format", choices=("docx", "pdf"), help=both("briefing.cli.format"))
    parser.add_argument("--list", action="store_true", help=both("briefing.cli.list"))
    parser.add_argument("--archived", type=int, metavar="ID", help=both("briefing.cli.archived"))
    parser.set_defaults(handler=run)
    return parser


def run(args, engine) -> int:
    from etl import briefing
    from etl.briefing import store
    from etl.store.db import ensure_db

    ensure_db(engine)
    if args.list:
        made = f"made ({t('time.zone', 'en')})"  # stored UTC, shown as Beijing time (etl/wording/times.py)
        print(f"{'id':>4}  {'quarter':<7} {'lang':<4} {'fmt':<4} {made:<19} {'by':<16} {'data':<14} {'s':>5}  size")
        for r in store.archived(engine):
            print(f"{r['id']:>4}  {r['year']}Q{r['quarter']:<2} {r['lang']:<4} {r['fmt']:<4} "
                  f"{fmt_time(r['created_at'], seconds=True):<19} {r['created_by']:<16} {r['data_stamp']:<14} "
                  f"{r['seconds']:>5.1f}  {r['size']:,}")
        return 0
    if not args.output:
        print(both("briefing.cli.need_output"), file=sys.stderr)
        return 2
    out = Path(args.output)
    if args.archived is not None:
        found = store.archived_file(engine, args.archived)
        if found is None:
            print(both("briefing.cli.no_archived", id=args.archived), file=sys.stderr)
            return 1
        out.write_bytes(found[1])
        print(f"{out}  ({found[0]['year']}Q{found[0]['quarter']} {found[0]['lang']} {found[0]['fmt']}, "
              f"made {fmt_time(found[0]['created_at'], 'en', zone=True)} by {found[0]['created_by']})")
        return 0
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt not in briefing.FORMATS:
        print(both("briefing.cli.bad_format"), file=sys.stderr)
        return 2
    year = quarter = None
    if args.quarter:
        try:
            year, quarter = briefing.parse_quarter(args.quarter)
        except ValueError as exc:
            print(both("briefing.cli.bad_quarter", error=exc), file=sys.stderr)
            return 2
    started = time.perf_counter()
    try:
        record, data, cached = briefing.generate(engine, year, quarter, args.lang, fmt,
                                                 user="cli:" + getpass.getuser())
    except LookupError as exc:
        print(both("briefing.cli.no_data", error=exc), file=sys.stderr)
        return 1
    except RuntimeError as exc:  # the PDF printer (Chromium) or Kaleido failed
        print(both("briefing.cli.failed", error=exc), file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"{out}  {record['year']}Q{record['quarter']} {record['lang']} {fmt}, {len(data):,} bytes, "
          f"{both('briefing.cli.from_archive', sep=' ') if cached else 'made'} in {time.perf_counter() - started:.1f} s "
          f"(archive id {record['id']})")
    return 0
