"""Account administration on the server's command line.

    python -m dashboard users add NAME --role admin            # prompts twice for the password
    echo "$PW" | python -m dashboard users add NAME --role analyst --password-stdin
    python -m dashboard users list
    python -m dashboard users set-role NAME viewer
    python -m dashboard users disable NAME      (enable NAME, set-password NAME)
    python -m dashboard briefing --quarter 2025Q4 --lang zh -o OUT.docx|OUT.pdf   (etl/briefing/cli.py)

Exit codes: 0 done, 1 refused (the reason is printed), 2 usage error.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from dashboard.accounts import users
from etl.wording.catalogue import both, pair


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard",
                                     description=both("users.cli.description", sep=" "))
    sub = parser.add_subparsers(dest="group", required=True)
    users_parser = sub.add_parser("users", help=both("users.cli.users"))
    cmd = users_parser.add_subparsers(dest="command", required=True)

    add = cmd.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", choices=users.ROLES, required=True)
    add.add_argument("--display-name", default="")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")

    cmd.add_parser("list", help="list accounts")

    set_role = cmd.add_parser("set-role", help="change an account's role")
    set_role.add_argument("name")
    set_role.add_argument("role", choices=users.ROLES)

    for name, text in (("disable", "disable an account (its sessions end: at once for uploads, downloads "
                                   "and protected pages, within 2 s for viewing open pages)"),
                       ("enable", "enable a disabled account")):
        one = cmd.add_parser(name, help=text)
        one.add_argument("name")

    password = cmd.add_parser("set-password", help="set a new password")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")

    from etl.briefing import cli as briefing_cli

    briefing_cli.register(sub)
    return parser


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(both("users.cli.password", sep=" "))
    second = getpass.getpass(both("users.cli.repeat", sep=" "))
    if first != second:
        raise users.UserError(*pair("users.password_mismatch"))
    return first


def run(args: argparse.Namespace, engine) -> int:
    from etl.store.db import ensure_db, session_scope

    ensure_db(engine)
    by = "cli:" + getpass.getuser()
    with session_scope(engine) as session:
        if args.command == "add":
            password = read_password(args.password_stdin)
            users.create_user(session, args.name, password, args.role, by=by,
                              display_name=args.display_name)
            print(both("users.cli.created", sep=" ", name=args.name, role=args.role))
        elif args.command == "list":
            print(f"{'username':<24} {'role':<8} {'active':<6} {'last login':<16} created by")
            for u in users.list_users(session):
                print(f"{u.username:<24} {u.role:<8} {'yes' if u.active else 'no':<6} "
                      f"{u.last_login_at or '-':<16} {u.created_by}")
        elif args.command == "set-role":
            users.set_role(session, args.name, args.role, by=by)
            print(both("users.cli.updated", sep=" ", name=args.name, role=args.role))
        elif args.command in ("disable", "enable"):
            users.set_active(session, args.name, args.command == "enable", by=by)
            print(both(f"users.cli.{args.command}d", sep=" ", name=args.name))
        elif args.command == "set-password":
            users.set_password(session, args.name, read_password(args.password_stdin), by=by)
            print(both("users.cli.password_changed", sep=" ", name=args.name))
    return 0


def main(argv: list[str] | None = None, engine=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if engine is None:
        from etl import config, logs
        from etl.settings import Settings, SettingsError
        from etl.store.db import default_engine

        try:
            settings = config.use(Settings.from_env())
        except SettingsError as exc:
            print(both("settings.bad", error=exc), file=sys.stderr)
            return 2
        logs.configure(settings, stderr=False)  # account changes are logged with the rest
        engine = default_engine()
    if getattr(args, "handler", None) is not None:  # python -m dashboard briefing
        return args.handler(args, engine)
    try:
        return run(args, engine)
    except users.UserError as exc:
        print(both("users.cli.error", sep=" ", message_zh=exc.message_zh, message_en=exc.message_en),
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
