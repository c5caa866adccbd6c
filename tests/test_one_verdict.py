"""One source of truth: for the same data, the overview's cards, the /core chart's badge and the
CLI's table show the same verdict, value, period and standing for each target; the city profile and
the ranking table the same rank (ties share it); a closed target keeps its final value with newer
data on top; the target period shown by default."""
from __future__ import annotations

import re

import pytest

from dashboard import data, views
from etl.cli.progress import render_periods
from etl.progress import engine as progress
from etl.store.db import session_scope
from etl.wording import progress as words
from tests.accounts_helpers import all_components
from tests.dashboard_fixture import load_fixture, public_app
from tests.test_dashboard_pages import find, page_layout, render, text
from tests.test_queries import add_batch

HLJ = "230000"
# on top of the fixture: the 2025 value of the core-industry share (9.3%, short of 10%) and a
# newer 2026 Q1-Q3 value (9.5%) that must not take its place
CLOSED = [("digital_core_va_share", HLJ, 2025, 0, "annual", 9.3),
          ("digital_core_va_share", HLJ, 2026, 3, "ytd", 9.5)]


@pytest.fixture
def app(engine, monkeypatch):
    load_fixture(engine, demo=True)
    with session_scope(engine) as s:
        add_batch(s, CLOSED, file_name="2026.xlsx")
    return public_app(engine, monkeypatch, fixture=False)


def cli_rows(engine, lang: str) -> dict[str, list[str]]:
    """indicator name -> the CLI table's cells."""
    table = render_periods(progress.assess_targets(engine), progress.periods(engine), lang)
    rows = {}
    for line in table.splitlines():
        cells = re.split(r"\s{2,}", line)
        if len(cells) > 5 and cells[0].endswith(("2021", "2025", "2030", "*")):
            rows[cells[1]] = cells
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cards_chart_badge_and_cli_agree_on_every_target(app, engine, lang):
    page = render(app, page_layout("overview"), lang=lang)
    core = render(app, page_layout("core"), lang=lang)
    cli = cli_rows(engine, lang)
    assessments = progress.assess_targets(engine)
    assert len(assessments) == 12
    for a in assessments:
        card = f"card-{a.indicator_code}"
        status = f"{words.status_icon(a.status)} {words.status_label(a.status, lang)}"
        verdict = words.verdict_word(a.verdict.kind, lang)
        row = cli[words.pick(a.target.indicator_zh, a.target.indicator_en, lang)]
        assert text(find(page, f"{card}-status")) == status == row[9]
        assert text(find(page, f"{card}-verdict")) == verdict == row[10]
        assert text(find(page, f"{card}-current-value")) == row[3]
        assert (text(find(page, f"{card}-current-note")) or "—") == row[4]
        assert (text(find(page, f"{card}-gap-note")) or "—") == row[7]
    # the /core chart's badge: the same status as the card
    share = next(a for a in assessments if a.indicator_code == "digital_core_va_share")
    badge = f"{words.status_icon(share.status)} {words.status_label(share.status, lang)}"
    chart = [card for card in all_components(core) if card.get("type") == "Card"
             and (find(card, "chart-core-share") or find(card, "chart-core-share-lazy"))]
    assert len(chart) == 1
    assert [text(b) for b in all_components(chart[0]) if b.get("type") == "Badge"] == [badge]


def test_a_closed_target_shows_its_final_value_and_the_newer_one_apart(app, engine):
    page = render(app, page_layout("overview"), lang="zh")
    card = "card-digital_core_va_share"
    # the verdict is about 2025's 9.3%, not 2026's 9.5%
    assert text(find(page, f"{card}-status")) == "✖ 未实现目标"
    assert text(find(page, f"{card}-verdict")) == "终值判定"
    assert text(find(page, f"{card}-current-value")) == "9.3%"
    assert "2025年终值" in text(find(page, card))
    assert text(find(page, f"{card}-gap-value")) == "−0.7个百分点"
    newer = text(find(page, f"{card}-newer"))
    assert newer.startswith("2026年最新：9.5%") and "2026年" in newer
    # the header: the values shown are up to 2025; the one newer value is said apart
    vintage = text(find(page, "overview-vintage"))
    assert vintage.startswith("所示数值截至2025年") and "1项目标另有2026年" in vintage
    # the CLI: the same 2025 value, final, and the newer one in its own column
    row = cli_rows(engine, "zh")["数字经济核心产业增加值占GDP比重"]
    assert row[3] == "9.3%" and row[10] == "终值判定" and row[-1].startswith("9.5%")


def test_the_default_view_is_the_closed_period_until_a_newer_policy_set_exists(app, engine):
    from etl.store.models import Target, TargetSet

    page = render(app, page_layout("overview"), lang="zh")
    assert text(find(page, "page-overview")).startswith("2025年目标终期评估")
    assert text(find(page, "overview-headline")).startswith("12项目标中2项已实现、1项未实现")
    assert find(page, "overview-next-set") is not None
    with session_scope(engine) as s:  # a 2030 policy set, added as data
        s.add(TargetSet(code="next-2030", name_zh="2030年目标", name_en="2030 targets", base_year=2025,
                        target_year=2030, sort_order=5))
        s.flush()
        s.add(Target(target_set_code="next-2030", indicator_code="digital_core_va_share",
                     region_code=HLJ, target_year=2030, kind="at_least", value=13.0,
                     clause_ref_zh="目标", clause_ref_en="Target", clause_text="到2030年达到13%"))
        add_batch(s, [("gdp", HLJ, 2027, 0, "annual", 1.0)], file_name="stamp.xlsx")  # new data stamp
    with app.server.test_request_context("/"):
        data.invalidate()
    page = render(app, page_layout("overview"), lang="zh")
    assert text(find(page, "page-overview")).startswith("2030年目标进展")
    assert find(page, "card-digital_core_va_share") is not None and find(page, "card-gdp") is None
    assert find(page, "overview-next-set") is None
    # the closed set one click away, and it still opens on its final assessment
    assert find(page, "overview-period-2025") is not None
    closed = render(app, page_layout("overview"), lang="zh", targets="2025")
    assert text(find(closed, "page-overview")).startswith("2025年目标终期评估")
    assert text(find(closed, "card-digital_core_va_share-current-value")) == "9.3%"


def test_ranks_are_shared_by_ties_everywhere(app, engine):
    # 鸡西 (230300) ties 哈尔滨 (230100) at 12.0%: both first, the next city third
    from sqlalchemy import update

    from etl.store.models import Observation

    with session_scope(engine) as s:  # a revision: version 2 replaces the current value
        s.execute(update(Observation).where(
            Observation.indicator_code == "digital_core_va", Observation.region_code == "230300",
            Observation.year == 2024).values(is_current=False))
        add_batch(s, [("digital_core_va", "230300", 2024, 0, "annual", 120.0)], file_name="tie.xlsx",
                  version=2)
    with app.server.test_request_context("/"):
        data.invalidate()
        section = views.ranking_section("digital_core_va_share", (2024, 0, "annual"), "zh", graph_id="r")
    import json
    import plotly.io

    tree = json.loads(plotly.io.json.to_json_plotly(section))
    ranks = {}

    def rows(node):
        if isinstance(node, dict):
            if node.get("type") == "Tr":
                cells = [text(c) for c in node["props"]["children"]]
                if cells and cells[0].isdigit():
                    ranks[cells[1]] = int(cells[0])
            for v in node.get("props", {}).values():
                rows(v)
        elif isinstance(node, list):
            for v in node:
                rows(v)
    rows(tree)
    assert ranks["哈尔滨"] == ranks["鸡西"] == 1 and sorted(ranks.values())[:3] == [1, 1, 3]
    city = render(app, page_layout("city"), code="230300", lang="zh")
    assert "第1/13名" in text(find(city, "city-digital_core_va_share"))
