"""`python -m etl measures [--year Y] [--unit 省工信厅] [--city 哈尔滨] [--json]`: the 20-row overview
(measure, responsible units, awards, enterprises, amount paid, quota use, status, rule problems);
and `python -m etl template --awards OUT.xlsx`: the award-list template.
Registered on etl.cli.main's parser by `register(subparsers)`."""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from sqlalchemy import Engine

from etl.measures.queries import measures_overview, status_name, units_list
from etl.normalise.labels import alias_key
from etl.wording.catalogue import both, norm_lang, pick, t

COLUMNS = ("no", "measure", "lead", "awards", "firms", "amount", "quota", "status", "problems")

EXIT_OK, EXIT_USAGE = 0, 2


def resolve_unit(engine: Engine, text: str | None) -> str | None | bool:
    """A unit code from its code, short or full name or alias; False when nothing matches."""
    if not text:
        return None
    key = alias_key(text)
    from etl.measures.models import PolicyUnit
    from etl.store.db import session_scope
    with session_scope(engine) as s:
        for u in s.query(PolicyUnit):
            names = [u.code, u.short_zh, u.name_zh, u.short_en, u.name_en] + u.aliases.split("|")
            if key in {alias_key(n) for n in names if n}:
                return u.code
    return False


def resolve_city(engine: Engine, text: str | None) -> str | None | bool:
    if not text:
        return None
    from etl.store.catalog import load_catalog
    from etl.store.db import session_scope
    with session_scope(engine) as s:
        catalog = load_catalog(s)
    code = catalog.region_aliases.get(alias_key(text))
    return code if code and catalog.regions[code].level == "prefecture" else False


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def cmd_measures(args, engine: Engine) -> int:
    unit = resolve_unit(engine, args.unit)
    if unit is False:
        known = t("list.separator", "zh").join(u["short_zh"] for u in units_list(engine))
        print(both("measures.cli.unknown_unit", unit=args.unit, known=known), file=sys.stderr)
        return EXIT_USAGE
    city = resolve_city(engine, args.city)
    if city is False:
        print(both("measures.cli.unknown_city", city=args.city), file=sys.stderr)
        return EXIT_USAGE
    rows = measures_overview(engine, year=args.year, unit=unit, city=city)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    lang = args.lang
    zh = norm_lang(lang) == "zh"  # Chinese columns are narrower
    head = [t(f"measures.cli.{c}", lang) for c in COLUMNS]
    widths = [4, 34 if zh else 46, 16 if zh else 28, 7, 7, 13, 12, 9 if zh else 12, 9]
    print("  ".join(_pad(h, w, i in (0, 3, 4, 5, 8)) for i, (h, w) in enumerate(zip(head, widths))))
    for r in rows:
        lead = pick(r["units"][0]["short_zh"], r["units"][0]["short_en"], lang) if r["units"] else ""
        more = len(r["units"]) - 1
        lead += t("measures.cli.more", lang, n=more + 1, more=more) if more > 0 else ""
        quota = t("measures.cli.quota_use", lang, **r["quota_use"]) if r["quota_use"] else ""
        money = r["has_money"]
        cells = [str(r["number"]), pick(r["title_zh"], r["title_en"], lang), lead,
                 f"{r['awards']:,}" if money else "—", f"{r['enterprises']:,}" if money else "—",
                 f"{r['amount']:,.2f}" if money else "—", quota, status_name(r["status"], lang),
                 str(r["problems"]) if money else "—"]
        print("  ".join(_pad(c, w, i in (0, 3, 4, 5, 8)) for i, (c, w) in enumerate(zip(cells, widths))))
    total = sum(r["amount"] for r in rows)
    awards = sum(r["awards"] for r in rows)
    print(t("measures.cli.total", lang, awards=f"{awards:,}", total=f"{total:,.2f}"))
    if any(r["demo"] for r in rows):
        print(both("measures.cli.demo"))
    return EXIT_OK


def _template_with_awards(original):
    def handler(args, engine: Engine) -> int:
        if not getattr(args, "awards", False):
            return original(args, engine)
        from etl.measures import store
        from etl.measures.template import write_awards_template
        from etl.store.db import session_scope

        out = Path(args.out)
        if out.suffix.lower() != ".xlsx":
            print(both("cli.template_suffix"), file=sys.stderr)
            return EXIT_USAGE
        with session_scope(engine) as s:
            book = store.rulebook(s)
        write_awards_template(out, book)
        print(both("measures.cli.template_written", path=out))
        return EXIT_OK
    return handler


def register(subparsers) -> None:
    p = subparsers.add_parser("measures", help=both("measures.cli.help"))
    p.add_argument("--year", type=int, help=both("measures.cli.help.year"))
    p.add_argument("--unit", help=both("measures.cli.help.unit"))
    p.add_argument("--city", help=both("measures.cli.help.city"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(handler=cmd_measures)
    template = subparsers.choices.get("template")
    if template is not None:
        template.add_argument("--awards", action="store_true",
                              help=both("measures.cli.help.awards"))
        template.set_defaults(handler=_template_with_awards(template.get_default("handler")))
