"""What the measures pages share: their words (from the one catalogue), the reads they make
(etl.measures.queries and tasks, never SQL), who may see rule problems, and small components.

Rule problems are shown to analysts and admins only, decided on the server from the signed-in
role (`may_see_problems`); viewers see amounts and counts. The pages are built per request (not
memoised by query string like the statistics pages), because what they show depends on the role
and on task statuses that change without a new batch.
"""
from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import auth, data
from etl.measures import queries
from etl.wording.catalogue import pick, t
from etl.wording.numbers import fmt_number


STATUS_STYLE = {"done": ("success", "✓"), "in_progress": ("primary", "►"), "behind": ("danger", "!"),
                "not_started": ("secondary", "○")}


def may_see_problems() -> bool:
    return auth.current_role() in auth.DATA_EDITORS


def engine():
    return data.engine()


def status_badge(status: str, lang: str, **kwargs) -> dbc.Badge:
    color, icon = STATUS_STYLE.get(status, ("secondary", "•"))
    return dbc.Badge(f"{icon} {t('status.' + status, lang)}", color=color,
                     className=f"status-badge task-{status}", **kwargs)


def wan(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang, 2 if value % 1 else 0)


def unit_links(units: list[dict], lang: str, href) -> list:
    out: list[Any] = []
    for i, u in enumerate(units):
        link = html.A(pick(u["short_zh"], u["short_en"], lang), href=href(u["code"]),
                      title=pick(u["name_zh"], u["name_en"], lang),
                      className="fw-semibold" if u["role"] == "lead" else "")
        out += ([t("list.separator", lang)] if i else []) + [link]
    return out


def demo_badge(lang: str):
    return dbc.Badge(t("measures.demo", lang), color="warning", text_color="dark", className="ms-2 demo-badge")


def overview(**filters) -> list[dict]:
    return queries.measures_overview(engine(), **filters)


def detail(number: int, **filters) -> dict | None:
    return queries.measure_detail(engine(), number, **filters)


def unit(code: str) -> dict | None:
    return queries.unit_overview(engine(), code)


def units() -> list[dict]:
    return queries.units_list(engine())


def years() -> list[int]:
    return queries.award_years(engine())
