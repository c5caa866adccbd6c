"""Dashboard pages and callbacks against a database with known values (tests/dashboard_fixture.py).

Layouts are rendered in a request context of the app, as Dash's router does; callbacks are called
directly or posted to /_dash-update-component the way the browser posts them.
"""
from __future__ import annotations

import base64
import csv
import io
import json

import dash
import openpyxl
import plotly.io
import pytest

from dashboard import components as c
from dashboard import data, shell
from etl.progress import method
from etl.store.db import session_scope
from etl.store.models import Batch
from etl.wording import progress as words
from etl.wording.catalogue import t
from tests.accounts_helpers import DashClient, all_components, find_component, response_json
from tests.dashboard_fixture import PROVINCE_VALUES, city_values, load_fixture, public_app


@pytest.fixture
def app(engine, monkeypatch):
    return public_app(engine, monkeypatch)


def page_layout(name: str):
    """A page module's layout (page modules register themselves, so they load after the app)."""
    import importlib

    return importlib.import_module(f"dashboard.pages.{name}").layout


def render(app, layout, **query) -> dict:
    with app.server.test_request_context("/"):
        tree = layout(**query)
    return json.loads(plotly.io.json.to_json_plotly(tree))


def find(tree, ident):
    """The component with this id in a rendered tree (dicts from to_plotly_json)."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == ident:
            return tree
        for value in props.values():
            found = find(value, ident)
            if found is not None:
                return found
    elif isinstance(tree, list):
        for item in tree:
            found = find(item, ident)
            if found is not None:
                return found
    return None


def text(tree) -> str:
    """All visible text under a node, figures left out."""
    if isinstance(tree, str):
        return tree
    if isinstance(tree, (int, float)):
        return str(tree)
    if isinstance(tree, list):
        return " ".join(text(t) for t in tree)
    if isinstance(tree, dict):
        props = tree.get("props", {})
        return text(props.get("children", ""))
    return ""


def cards(page) -> list[dict]:
    """The overview's target cards (id card-<indicator>, with a card-<indicator>-status inside)."""
    return [c_ for c_ in all_components(page) if str(c_["props"].get("id", "")).startswith("card-")
            and find(c_, f"{c_['props']['id']}-status") is not None]


def explanation_words(card) -> tuple[list[str], list[str]]:
    """A card's "how was this computed?" box: the labels of its table and its steps."""
    box = [e for e in all_components(card) if "explain" in str(e["props"].get("className", "")).split()]
    labels = [text(th) for b in box for th in all_components(b) if th.get("type") == "Th"]
    steps = [text(li) for b in box for li in all_components(b)
             if li.get("type") == "Li" and "font-monospace" in str(li["props"].get("className", ""))]
    return labels, steps


def figure(tree, ident) -> dict:
    """The chart's figure; a lazy graph's waits on its wrapper (components.responsive_graph)."""
    wrapper = find(tree, f"{ident}-lazy")
    return c.lazy_figure(wrapper) if wrapper is not None else find(tree, ident)["props"]["figure"]


# --- overview ---------------------------------------------------------------------------------

def test_overview_cards_show_the_fixture_values_and_statuses(app):
    page = render(app, page_layout("overview"), lang="zh")
    share = text(find(page, "card-digital_core_va_share"))
    assert "8.0%" in share and "2023年" in share and "≥10%" in share and "2025年" in share
    assert "−2.0个百分点" in share and "需加快进度" in share and "预测" in share
    stations = text(find(page, "card-fiveg_base_stations"))
    assert "12万个" in stations and "已实现目标" in stations and "终值判定" in stations
    assert "2025年终值" in stations and "当前值" in share  # a final value is named as such
    # value, target and gap in one unit, 万个, as an official report writes them
    assert "≥11.4万个" in stations and "+0.6万个" in stations and "6,000" not in stations
    large = text(find(page, "card-large_mfg_digital_rate"))
    assert "59.0%" in large and "已实现目标" in large  # 59 is within 60 ± 2
    # the shortfall inside the band is said plainly, not left as a bare gap next to "achieved"
    assert "60%左右" in large and "容差±2个百分点" in large
    assert "−1.0个百分点" in large and "在±2个百分点容差内" in large and "完成进度" not in large
    assert "与目标相差−1.0个百分点，在“左右”目标±2个百分点的容差内，视为达到。" in large  # 如何计算？
    assert "出现倒退" in text(find(page, "card-ipv6_traffic_share"))
    # a national-average target: 30.0 against the nation's 42.8 = 70% of it (not a share of the way)
    national = text(find(page, "card-digital_economy_share"))
    assert "全国平均水平" in national and "全国同期42.8%" in national and "为全国的70%" in national
    assert "完成进度" not in national
    # the share of the way names its base year: (8 - 7) / (10 - 7) = 33%
    assert "2020年以来完成进度33%" in share
    # one term, 实际年均增速, in the table and the steps of every card's explanation
    observed, step = t("explain.observed_cagr", "zh"), t("step.observed_cagr", "zh", formula="")
    labels, steps = explanation_words(find(page, "card-digital_core_va_share"))
    assert observed in labels and any(s.startswith(step) for s in steps)
    for card in cards(page):
        labels, steps = explanation_words(card)
        assert not [w for w in labels + steps if "观察" in w], card["props"]["id"]
    # 12 seeded targets, the 2025 period is over: its final assessment leads; met with final
    # values: the 5G stations and the large manufacturers; 10 have no 2025 value
    assert text(find(page, "overview-headline")) == "12项目标中2项已实现、0项未实现（10项尚无2025年全年数据）"
    assert text(find(page, "overview-vintage")) == "所示数值截至2025年，更新于2026年1月15日 17:30"  # loaded 09:30 UTC: Beijing time
    assert find(page, "overview-next-set") is not None  # invites adding the next target set
    assert find(page, "overview-empty") is None


def test_overview_explains_the_status_with_the_engines_numbers(app):
    page = render(app, page_layout("overview"), lang="zh")
    how = text(find(page, "card-digital_core_va_share"))
    # (8/7)^(1/3)-1 = 4.55%; (10/7)^(1/5)-1 = 7.39%; R = 0.616
    assert "4.55%" in how and "7.39%" in how and "0.616" in how
    assert "如何计算？" in how


def test_overview_in_english(app):
    page = render(app, page_layout("overview"), lang="en")
    share = text(find(page, "card-digital_core_va_share"))
    assert "Acceleration needed" in share and "−2.0 pp" in share and "2023" in share
    assert text(find(page, "overview-headline")) == (
        "2 of 12 targets met, 0 not met (10 without a full-year 2025 value)")
    assert text(find(page, "overview-vintage")).startswith("Values shown up to 2025, updated 2026-01-15 17:30")  # 09:30 UTC
    english = {f"{words.status_icon(s)} {words.status_label(s, 'en')}" for s in method.STATUSES}
    explain_labels = {t(f"explain.{k}", "en") for k in (
        "base", "latest", "target", "observed_cagr", "required_cagr", "ratio")}
    assert len(cards(page)) == 12
    for card in cards(page):  # no Chinese status word or label left in an English card
        ident = card["props"]["id"]
        assert text(find(card, f"{ident}-status")) in english, ident
        labels, steps = explanation_words(card)
        assert set(labels) <= explain_labels and not [s for s in steps if "需" in s], ident
    large = text(find(page, "card-large_mfg_digital_rate"))
    assert "about 60%" in large and "−1.0 pp" in large and "Within the ±2 pp tolerance" in large
    national = text(find(page, "card-digital_economy_share"))
    assert "National average" in national and "70% of the national level" in national
    assert "of the way" not in national and "national average" not in national
    assert "33% of the way since 2020" in share and "Observed CAGR = " in share


def test_sparklines_carry_the_series(app):
    """A server-made SVG per card (dashboard/sparkline.py), not a Plotly graph."""
    page = render(app, page_layout("overview"), lang="zh")
    card = find(page, "card-digital_core_va_share")
    images = []

    def collect(node):
        if isinstance(node, dict):
            if node.get("type") == "Img" and "sparkline" in node["props"].get("className", ""):
                images.append(node)
            assert node.get("type") != "Graph"
            for v in node.get("props", {}).values():
                collect(v)
        elif isinstance(node, list):
            for v in node:
                collect(v)
    collect(card)
    props = images[0]["props"]
    assert props["data-values"] == "7,7.3,7.6,8"
    assert props["src"].startswith("data:image/svg+xml") and "polyline" in props["src"]
    assert "2023年" in props["title"] and "8.0%" in props["title"]


# --- shell: banner, navigation, URL state ------------------------------------------------------

def test_demo_banner_shows_for_demo_data_only(app, engine):
    with app.server.test_request_context("/"):
        _nav, banner, _footer, _title = shell.update_shell("/", "")
        assert "演示数据 — 非官方统计" in text(json.loads(plotly.io.json.to_json_plotly(banner)))
        _nav, banner_en, _footer, _title = shell.update_shell("/", "?lang=en")
        assert "Demo data — not official statistics" in text(json.loads(plotly.io.json.to_json_plotly(banner_en)))


def test_no_banner_without_demo_data(engine, monkeypatch):
    monkeypatch.setenv("PUBLIC_VIEWING", "1")
    load_fixture(engine, demo=False)
    from dashboard import create_app

    app = create_app(engine, load_demo_if_empty=False)
    with app.server.test_request_context("/"):
        assert shell.update_shell("/", "")[1] is None


def test_navigation_lists_our_pages_and_hides_role_restricted_ones(app):
    paths = [p["path"] for p in shell.visible_pages("viewer")]
    for path in ["/", "/core", "/enterprise", "/infrastructure", "/benchmarks", "/city/230100",
                 "/data", "/method"]:
        assert path in paths
    for entry in dash.page_registry.values():
        if entry.get("roles") and "viewer" not in entry["roles"]:
            assert entry["path"] not in paths
    with app.server.test_request_context("/"):
        nav = json.loads(plotly.io.json.to_json_plotly(shell.navbar("/core", "?lang=en&period=2024", "en", "viewer")))
    switch = find(nav, "lang-switch")["props"]
    assert switch["href"] == "/core?period=2024"  # the switch keeps the rest of the URL
    assert find(nav, "nav-core")["props"]["href"] == "/core?lang=en"


def test_page_titles_follow_the_language(app):
    assert shell.page_title("/", "zh") == "总览 · 数字龙江"
    assert shell.page_title("/core", "en") == "Core industries · Digital Longjiang"
    assert shell.page_title("/city/230600", "en") == "Cities · Digital Longjiang"
    assert shell.page_title("/no-such-page", "zh") == "页面不存在 · 数字龙江"


def test_controls_write_their_value_into_the_query_string_in_the_browser(app):
    """Drawing a page with controls costs two requests: the URL gets the controls' state in the
    browser (shell.URL_FROM_CONTROLS); no server callback writes url.search, which re-rendered
    every page under another cache key (six requests)."""
    writers = [c for c in app._callback_list if c["output"].startswith("url.search")]
    assert len(writers) == 1 and writers[0]["clientside_function"] is not None
    assert "replaceState" in str(app._inline_scripts)
    core = render(app, page_layout("core"), lang="en", indicator="gdp")
    rendered = find(core, {"type": "url-rendered", "name": "indicator"})
    assert rendered["props"]["data"] == "gdp"
    assert find(core, {"type": "url-param", "name": "indicator"})["props"]["value"] == "gdp"


# --- other pages ---------------------------------------------------------------------------------

def test_core_page_ranks_cities_by_derived_share_and_maps_them(app):
    page = render(app, page_layout("core"), lang="zh", period="2024")
    ranking = figure(page, "chart-core-ranking")["data"][0]
    assert ranking["y"][-1] == "哈尔滨" and ranking["x"][-1] == pytest.approx(12.0)
    assert len(ranking["y"]) == 13
    chart_map = figure(page, "chart-core-map")
    harbin = next(t for t in chart_map["data"] if t.get("name") == "哈尔滨")
    assert "12.0%" in harbin["text"]
    share = figure(page, "chart-core-share")
    assert any(t["name"] == "目标 ≥10%" for t in share["data"])
    assert "查看数据表" in text(page)


def test_ranking_names_the_cities_without_data(app):
    from dashboard import views

    with app.server.test_request_context("/"):
        codes = data.prefecture_codes()
        assert len(codes) == 13
        note = views.missing_cities_note([{"region_code": c} for c in codes[:-1]], "zh")
        assert note == "暂无数据：" + views.region_name(codes[-1], "zh")
        assert views.missing_cities_note([{"region_code": c} for c in codes], "en") is None
        page = render(app, page_layout("core"), lang="zh", period="2024")
        assert "13个市（地）排名" in text(page) and "暂无数据：" not in text(page)


def test_core_page_state_from_url_in_english(app):
    page = render(app, page_layout("core"), lang="en", indicator="gdp", period="2024")
    ranking = figure(page, "chart-core-ranking")["data"][0]
    assert ranking["y"][-1] in {"Harbin", "Qiqihar", "Jixi", "Hegang", "Shuangyashan", "Daqing",
                                "Yichun", "Jiamusi", "Qitaihe", "Mudanjiang", "Heihe", "Suihua",
                                "Da Hinggan Ling"}
    assert "Gross regional product" in text(page)


def test_city_profile_has_its_rank(app):
    page = render(app, page_layout("city"), code="230100", lang="zh")
    card = text(find(page, "city-digital_core_va_share"))
    assert "12.0%" in card and "第1/13名" in card
    assert "大兴安岭" in text(find(page, "city-link-232700"))
    other = render(app, page_layout("city"), code="232700", lang="en")
    assert "Rank 13 of 13" in text(find(other, "city-digital_core_va_share"))


def test_benchmarks_ratio_and_gap_to_the_nation(app):
    page = render(app, page_layout("benchmarks"), lang="zh", peers="220000")
    table = text(find(page, "bench-table"))
    # 30.0 / 42.8 = 70; 30.0 - 42.8 = -12.8 points; 吉林 35.0 / 42.8 = 82
    assert "70" in table and "−12.8个百分点" in table and "82" in table
    chart = figure(page, "chart-bench-ratio")
    bars = {t["name"]: t for t in chart["data"] if t["type"] == "bar"}
    # the numbers on the bars, not only in the hover; the periods compared under each indicator
    assert "70" in bars["黑龙江"]["text"] and "82" in bars["吉林"]["text"]
    assert all("<br>" in label for label in bars["黑龙江"]["y"])
    hover = bars["黑龙江"]["customdata"][0]  # region, period, value, nation · ratio · gap, basis · source
    assert hover[0] == "黑龙江" and "全国" in hover[3] and "相对全国" in hover[3]
    assert hover[4].startswith("年度 · ") and len(hover[4]) > len("年度 · ")
    # the nation's line is named in the legend, not written on the plot under the mode bar
    assert not chart["layout"].get("annotations")
    assert any(t.get("name") == "全国 = 100" and t.get("mode") == "lines" for t in chart["data"])


def test_method_page_lists_definitions_and_clauses(app):
    page = render(app, page_layout("method"), lang="zh")
    assert "力争到2025年我省数字经济核心产业增加值占GDP比重达到10%" in text(find(page, "method-targets"))
    assert f"R≥{method.ON_TRACK:.2f}" in text(find(page, "method-progress"))  # from etl/progress/method.py
    assert "按当年价格计算" in text(find(page, "method-indicators"))
    targets = text(find(page, "method-targets"))
    assert "：2025年≥10%" in targets and "：2025年60%左右（±2个百分点）" in targets
    english = text(find(render(app, page_layout("method"), lang="en"), "method-targets"))
    assert ": About 60% (±2 pp) by 2025" in english


def test_data_grid_has_every_current_value_with_provenance(app):
    page = render(app, page_layout("data_grid"), lang="zh")
    rows = find(page, "data-grid")["props"]["rowData"]
    assert len(rows) == len(PROVINCE_VALUES) + len(city_values())
    # a stock at the year's end: 2025年末, basis 期末值 (never 年初至今累计)
    row = next(r for r in rows if r["indicator"] == "5G基站数" and r["period"] == "2025年末")
    assert row["basis"] == "期末值"
    assert row["value"] == 120000 and row["file_name"] == "fixture.xlsx" and row["sheet"] == "数据"
    assert row["cell"].startswith("C") and row["version"] == 1
    assert row["loaded_by"] == ""  # an anonymous visitor is not shown who loaded it (issue 12)
    narrowed = render(app, page_layout("data_grid"), lang="en", indicator="gdp", region="230100")
    assert len(find(narrowed, "data-grid")["props"]["rowData"]) == 1


def test_data_grid_tells_demo_published_and_uploaded_values_apart(app):
    from dashboard.pages import data_grid

    base = {"indicator_code": "gdp", "indicator_zh": "地区生产总值", "indicator_en": "GDP",
            "region_code": "230000", "region_zh": "黑龙江", "region_en": "Heilongjiang", "period_zh": "2024年",
            "period_en": "2024", "year": 2024, "quarter": 0, "basis": "annual", "value": 1.0, "unit": "亿元", "version": 1,
            "batch_id": 1, "file_name": "f.xlsx", "sheet": "s", "cell": "C3", "loaded_by": "a",
            "loaded_at": None, "source": "x"}
    with app.server.app_context():
        kinds = {name: data_grid.format_rows([{**base, **flags}], lang)[0]["kind"]
                 for lang in ("zh", "en")
                 for name, flags in ((f"demo-{lang}", {"is_demo": True}),
                                     (f"published-{lang}", {"is_reference": True}),
                                     (f"uploaded-{lang}", {}))}
    assert kinds == {"demo-zh": "演示（生成）", "published-zh": "公开发布（有来源）", "uploaded-zh": "上传",
                     "demo-en": "demo (generated)", "published-en": "published (with source)",
                     "uploaded-en": "uploaded"}
    column = next(col for col in data_grid.column_defs("zh") if col["field"] == "kind")
    assert column["headerName"] == "数据性质" and column["filter"] == "agTextColumnFilter"


# --- callbacks over HTTP ----------------------------------------------------------------------

DANGEROUS = [{"indicator": "=HYPERLINK(\"http://x\")", "region": "+1+cmd|' /C calc'!A0", "period": "@SUM(A1)",
              "basis": "-2+3", "value": 1.5, "unit": "%", "version": 1, "batch_id": 1,
              "file_name": "f.xlsx", "sheet": "s", "cell": "C3", "loaded_by": "a",
              "loaded_at": "2026-01-01 00:00", "source": "x"}]
FORMULA_FILE = "=HYPERLINK(\"http://x\")"


def fixture_key(row: tuple) -> str:
    """The grid's row key of a (indicator, region, year, quarter, basis, value) fixture row."""
    return "|".join(str(x) for x in row[:5])


def export(app, which: str, rows):
    client = DashClient(app)
    response = client.post("download-export", {
        f"export-{which}.n_clicks": 1, "data-grid.virtualRowData": rows, "url.search": ""},
        triggered=f"export-{which}.n_clicks")
    assert response.status_code == 200, response.get_data(as_text=True)
    payload = response_json(response)["response"]["download-export"]["data"]
    content = base64.b64decode(payload["content"]) if payload["base64"] else payload["content"].encode()
    return payload["filename"], content


@pytest.fixture
def formula_app(engine, monkeypatch):
    """The fixture's values loaded from a file whose name a spreadsheet would run as a formula."""
    load_fixture(engine, demo=True, file_name=FORMULA_FILE)
    return public_app(engine, monkeypatch, fixture=False)


def test_export_csv_reads_the_server_and_neutralises_formulas(formula_app):
    shown = [PROVINCE_VALUES[6], PROVINCE_VALUES[0]]  # the grid's order: 5G first, then the share
    forged = DANGEROUS + [{"key": fixture_key(shown[0]), "value": 999, "indicator": "=1+1"},
                          {"key": fixture_key(shown[1])}, {"key": "no|such|row|0|annual"}]
    name, content = export(formula_app, "csv", forged)
    assert name.endswith(".csv")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][:3] == ["指标", "地区", "时期"] and len(table) == 3  # forged rows are not exported
    assert [float(row[4]) for row in table[1:]] == [shown[0][5], shown[1][5]]  # the server's values
    file_column = table[0].index("文件")
    assert {row[file_column] for row in table[1:]} == {"'" + FORMULA_FILE}  # neutralised
    assert "=1+1" not in content.decode("utf-8-sig") and "HYPERLINK(\"http://x\")\"" not in table[1][0]


def test_export_xlsx_of_the_filtered_rows(formula_app):
    name, content = export(formula_app, "xlsx", [{"key": fixture_key(PROVINCE_VALUES[0])}])
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    column = next(c.column_letter for c in sheet[1] if c.value == "文件")
    assert sheet[f"{column}2"].value == "'" + FORMULA_FILE and sheet[f"{column}2"].data_type != "f"
    assert sheet["E2"].value == PROVINCE_VALUES[0][5] and sheet["A3"].value is None


def test_page_router_renders_a_page_over_http(app):
    client = DashClient(app)
    key = next(k for k in app.callback_map if "_pages_content.children" in k)
    response = client.post("_pages_content", {"_pages_location.pathname": "/city/230600",
                                              "_pages_location.search": "?lang=en"}, key=key)
    assert response.status_code == 200
    page = find_component(response_json(response)["response"]["_pages_content"]["children"], "page-city")
    assert page is not None
    headings = [text(h) for h in all_components(page) if h.get("type") == "H1"]
    assert headings == [f"{t('city.title', 'en')} · Daqing"]


# --- caching ------------------------------------------------------------------------------------

def test_queries_are_cached_until_the_data_change(app, engine, monkeypatch):
    from etl.store import queries

    calls = []
    real = queries.current_values_many
    monkeypatch.setattr(queries, "current_values_many",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    with app.server.test_request_context("/"):
        first = data.series("ipv6_traffic_share", "230000")
        again = data.series("ipv6_traffic_share", "230000")
        assert first == again and len(calls) == 1  # one fetch, then the cache
        before = len(calls)
        with session_scope(engine) as session:  # a new batch: a new data stamp
            session.add(Batch(file_name="second.xlsx", sha256="1" * 64, loaded_by="tester"))
        data.invalidate()
        data.series("ipv6_traffic_share", "230000")
        assert len(calls) > before


EMPTY_STATE = {"zh": ("暂无数据", "没有可与全国比较的数据", "共0行", "数据库中还没有统计数据"),
               "en": ("No data yet", "No values comparable with the nation", "0 rows",
                      "The database holds no statistics yet")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_says_plainly_when_the_database_holds_no_values(engine, monkeypatch, lang):
    monkeypatch.setenv("PUBLIC_VIEWING", "1")
    from dashboard import create_app

    app = create_app(engine, load_demo_if_empty=False)  # catalog and targets, no values
    shown = ""
    for name in ["overview", "core", "enterprise", "infrastructure", "benchmarks", "city",
                 "data_grid", "method"]:
        query = {"code": "230100"} if name == "city" else {}
        shown += text(render(app, page_layout(name), lang=lang, **query))
    for message in EMPTY_STATE[lang]:
        assert message in shown
    overview = render(app, page_layout("overview"), lang=lang)
    assert find(overview, "overview-empty") is not None
    with app.server.test_request_context("/"):
        assert shell.update_shell("/", "?lang=" + lang)[1] is None  # no demo banner without demo data


# (create_app on an empty database loads the demo: tests/test_app_start.py, in the server's start)


# --- administration ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_grids_show_roles_and_actions_in_words_keeping_the_codes(engine, lang):
    from tests.accounts_helpers import PASSWORDS, add_users, make_app

    add_users(engine, ("admin", "ana"))
    app = make_app(engine)
    admin = DashClient(app)
    assert response_json(admin.login("admin"))["response"]["login-redirect"]["href"] == "/"
    DashClient(app).login("ana", PASSWORDS["admin"])  # a failed sign-in for the log
    page = render(app, page_layout("admin"), lang=lang)
    words = {"zh": ("管理员", "分析员", "登录", "登录失败", "新建账户"),
             "en": ("Administrator", "Analyst", "Signed in", "Sign-in failed", "Account created")}[lang]
    # the action filter: words, with the code as its value
    select = find(page, "admin-audit-action")["props"]
    options = select["options"]
    assert {"label": words[4], "value": "user-add"} in options
    # the default shows its words: a value of "" would pick dbc.Select's hidden blank placeholder
    assert select["value"] != "" and any(o["value"] == select["value"] and o["label"] for o in options)
    # the grids show the words, and keep the code as the cell's tooltip (and in the data)
    columns = {c["field"]: c for c in find(page, "admin-users-grid")["props"]["columnDefs"]}
    assert "role" not in columns and columns["role_name"]["tooltipField"] == "role"
    columns = {c["field"]: c for c in find(page, "admin-audit-grid")["props"]["columnDefs"]}
    assert "action" not in columns and columns["action_name"]["tooltipField"] == "action"
    users_grid = response_json(admin.post("admin-users-grid", {"admin-lang.data": lang}))
    rows = {r["username"]: r for r in users_grid["response"]["admin-users-grid"]["rowData"]}
    assert (rows["admin"]["role"], rows["admin"]["role_name"]) == ("admin", words[0])
    assert (rows["ana"]["role"], rows["ana"]["role_name"]) == ("analyst", words[1])
    picks = users_grid["response"]["admin-users-pick"]["options"]
    assert {"label": f"admin ({words[0]})", "value": "admin"} in picks
    audit_grid = response_json(admin.post("admin-audit-grid", {"admin-audit-action.value": select["value"],
                                                               "admin-lang.data": lang}))
    events = {(r["action"], r["action_name"]) for r in audit_grid["response"]["admin-audit-grid"]["rowData"]}
    assert ("login", words[2]) in events and ("login-failed", words[3]) in events
    # the export keeps the codes for scripts, and the words for readers
    exported = admin.post("admin-audit-download", {"admin-audit-csv.n_clicks": 1,
                                                   "admin-audit-action.value": "",
                                                   "admin-lang.data": lang},
                          triggered="admin-audit-csv.n_clicks")
    content = response_json(exported)["response"]["admin-audit-download"]["data"]["content"]
    table = list(csv.reader(io.StringIO(base64.b64decode(content).decode("utf-8-sig"))))
    assert table[0][2] == "action" and table[0][-1] == "action_name"
    assert ["login-failed", words[3]] in [[r[2], r[-1]] for r in table[1:]]

