"""Pure parts of the dashboard: number and period formats, URL state, figure builders, the map."""
from __future__ import annotations

import json

import pytest

from dashboard import components as c
from dashboard import i18n
from scripts.build_geojson import decode_ring, js_object_to_json, simplify_ring

SHARE = {"code": "digital_core_va_share", "name_zh": "数字经济核心产业增加值占GDP比重",
         "name_en": "Core-industry value added as share of GDP", "unit": "%", "unit_en": "%",
         "measure": "ratio", "direction": "higher", "source_zh": "省统计局", "source_en": "Provincial bureau"}
STATIONS = {**SHARE, "code": "fiveg_base_stations", "unit": "个", "unit_en": "stations",
            "measure": "stock"}


# --- formats ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, unit, lang, expected", [
    (8.04, "%", "zh", "8.0%"),
    (8.04, "%", "en", "8.0%"),
    (114000, "个", "zh", "11.4万个"),
    (120000, "个", "zh", "12万个"),
    (114000, "个", "en", "114,000"),
    (38.46, "个", "zh", "38.5个"),  # stations per 10,000 people keep their decimal in English too
    (38.46, "个", "en", "38.5"),
    (1234.5, "亿元", "zh", "1,234亿元"),
    (1234.5, "亿元", "en", "123.5 bn yuan"),
    (3171, "万人", "en", "31.71 million people"),
    (None, "%", "zh", "—"),
])
def test_fmt_value(value, unit, lang, expected):
    assert i18n.fmt_value(value, unit, lang) == expected


def test_gap_with_the_decimals_of_the_value_beside_it():
    assert i18n.fmt_gap(4.56, "个", "zh", decimals=1) == "+4.6个"
    assert i18n.fmt_gap(-1200, "个", "en", decimals=0) == "−1,200"


def test_axes_write_thousands_not_si_suffixes():
    fig = c.time_series_figure([("x", [{"year": 2024, "quarter": 0, "basis": "annual", "value": 114000}],
                                 "#000", "solid")], STATIONS, "zh")
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands


def test_gap_in_percentage_points_with_sign():
    assert i18n.fmt_gap(-2.0, "%", "zh") == "−2.0个百分点"
    assert i18n.fmt_gap(1.5, "%", "en") == "+1.5 pp"
    assert i18n.fmt_gap(0.0, "%", "en") == "0 pp"
    assert i18n.fmt_gap(6000, "个", "zh") == "+6,000个"
    # next to a count written in 万个, the gap is in 万个 too: 115,200 - 114,000 = 1,200 = 0.12万
    assert i18n.fmt_value(115200, "个", "zh") == "11.52万个"
    assert i18n.fmt_gap(1200, "个", "zh", decimals=0, like=115200) == "+0.12万个"
    assert i18n.fmt_gap(-75984, "个", "zh", decimals=0, like=38016) == "−7.6万个"
    assert i18n.fmt_gap(50, "个", "zh", like=114050) == "+0.005万个"  # not rounded to 0.01
    assert i18n.fmt_gap(1200, "个", "en", decimals=0, like=115200) == "+1,200"  # 115,200 in English
    assert i18n.fmt_gap(300, "个", "zh", decimals=0, like=9800) == "+300个"  # 9,800个: no 万


@pytest.mark.parametrize("args, kind, zh, en", [
    ((2025, 0, "annual"), None, "2025年", "2025"),
    ((2025, 3, "ytd"), None, "2025年前三季度", "Q1–Q3 2025"),
    ((2025, 3, "ytd"), "stock", "2025年第三季度末", "end of Q3 2025"),
    ((2025, 2, "quarter"), None, "2025年第二季度", "Q2 2025"),
])
def test_periods_in_both_languages_are_etl_periods(args, kind, zh, en):
    from etl.periods import format_period
    assert i18n.fmt_period(*args, lang="zh", kind=kind) == zh == format_period(args, kind, "zh")
    assert i18n.fmt_period(*args, lang="en", kind=kind) == en == format_period(args, kind, "en")


def test_period_keys_round_trip():
    for period in [(2024, 0, "annual"), (2025, 3, "ytd"), (2025, 2, "quarter")]:
        assert i18n.parse_period_key(i18n.period_key(*period)) == period
    assert i18n.parse_period_key("nonsense") is None


def test_url_state_keeps_other_parameters_and_drops_default_language():
    search = "?lang=en&region=230100&period=2025Q3"
    assert i18n.parse_query(i18n.with_params(search, lang="zh")) == {"region": "230100", "period": "2025Q3"}
    assert i18n.parse_query(i18n.with_params(search, period="2024")) == {
        "lang": "en", "region": "230100", "period": "2024"}
    assert i18n.with_params("", lang="zh") == ""


def test_every_text_has_both_languages():
    """Every text of the catalogue (i18n.TEXTS is all of it), not only the UI's."""
    import re

    def wordless(text: str) -> bool:  # a formula or a join: no word outside its placeholders
        return not re.search(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", re.sub(r"\{[^}]*\}", "", text))

    for key, (zh, en) in i18n.TEXTS.items():
        if key.startswith("problem.") and key.endswith(".fix") and not zh and not en:
            continue  # a problem variant that needs no fix (unlike its type)
        assert zh and en, key
        # the same in both: only formulas and joins of other texts
        assert zh != en or wordless(zh) or key in {"chart.value", "briefing.subtitle", "step.ratio",
                                                   "cli.col.r"}, key


# --- figures ------------------------------------------------------------------------------------

POINTS = [{"year": 2020, "quarter": 0, "basis": "annual", "value": 7.0},
          {"year": 2023, "quarter": 0, "basis": "annual", "value": 8.0}]


def test_time_series_has_target_line_and_rich_hover():
    target = {"value": 10.0, "target_year": 2025, "tolerance": None,
              "clause_ref_zh": "序言", "clause_ref_en": "Preamble", "set_name_zh": "政策", "set_name_en": "Measures"}
    fig = c.time_series_figure([("黑龙江", POINTS, "#000", "solid")], SHARE, "zh", target=target)
    target_trace = next(t for t in fig.data if t.name.startswith("目标"))
    assert list(target_trace.y) == [10.0, 10.0]
    line = next(t for t in fig.data if t.name == "黑龙江")
    assert list(line.y) == [7.0, 8.0]
    first = list(line.customdata[0])
    assert first == ["黑龙江", "2020年", "7.0%", "年度", "省统计局"]  # region, period, value+unit, basis, source
    assert "customdata[4]" in line.hovertemplate
    english = c.time_series_figure([("Heilongjiang", POINTS, "#000", "solid")], SHARE, "en", target=target)
    assert list(english.data[-1].customdata[0])[1:4] == ["2020", "7.0%", "annual"]


def test_about_target_draws_its_band():
    target = {"value": 60.0, "target_year": 2025, "tolerance": 2.0}
    fig = c.time_series_figure([("x", POINTS, "#000", "solid")], SHARE, "zh", target=target)
    band = next(t for t in fig.data if t.fill == "toself")
    assert min(band.y) == 58.0 and max(band.y) == 62.0
    assert band.name == "目标区间 58%–62%"
    about = {**target, "kind": "approximately"}
    fig = c.time_series_figure([("x", POINTS, "#000", "solid")], SHARE, "en", target=about)
    assert any(t.name == "Target about 60%" for t in fig.data)


def test_targets_and_tolerances_read_as_the_policy_writes_them():
    assert i18n.fmt_target("at_least", 10.0, "%", "zh") == "≥10%"
    assert i18n.fmt_target("approximately", 60.0, "%", "zh") == "60%左右"
    assert i18n.fmt_target("approximately", 60.0, "%", "en") == "about 60%"
    assert i18n.fmt_target("at_least", 114000, "个", "zh") == "≥11.4万个"
    assert i18n.fmt_target("at_least", 2.5, "%", "zh") == "≥2.5%"
    assert i18n.fmt_tolerance(2.0, "%", "zh") == "±2个百分点"
    assert i18n.fmt_tolerance(2.0, "%", "en") == "±2 pp"


def test_ranking_orders_best_first_and_marks_target_for_ratios_only():
    rows = [{"region_code": "230100", "name": "哈尔滨", "value": 12.0, "year": 2024, "quarter": 0, "basis": "annual"},
            {"region_code": "230200", "name": "齐齐哈尔", "value": 6.0, "year": 2024, "quarter": 0, "basis": "annual"}]
    fig = c.ranking_figure(rows, SHARE, "zh", target={"value": 10.0})
    assert list(fig.data[0].y)[-1] == "哈尔滨"  # drawn last = at the top
    assert any(shape.x0 == 10.0 for shape in fig.layout.shapes)
    # lines named in the legend: a label on the plot would cover the top bar
    assert not fig.layout.annotations
    assert [t.name for t in fig.data[1:]] == ["目标 10%"]
    counts = c.ranking_figure(rows, STATIONS, "zh", target={"value": 114000})
    assert not counts.layout.shapes


def test_map_has_thirteen_prefectures_labels_and_no_web_map():
    values = {"230100": {"value": 12.0, "year": 2024, "quarter": 0, "basis": "annual"}}
    names = {"230100": "哈尔滨"}
    fig = c.prefecture_map_figure(values, names, SHARE, "zh")
    shapes = [t for t in fig.data if t.fill == "toself"]
    assert len(shapes) == 13
    harbin = next(t for t in shapes if t.name == "哈尔滨")
    assert "12.0%" in harbin.text and "2024年" in harbin.text
    labels = next(t for t in fig.data if t.mode == "text")
    assert any(text.startswith("哈尔滨<br>12.0%") for text in labels.text)
    assert {t.type for t in fig.data} == {"scatter"}  # SVG only: no map tiles, no topojson
    assert not {"geo", "map", "mapbox"} & set(fig.layout.to_plotly_json())


def test_figures_use_no_latex():
    fig = c.time_series_figure([("x", POINTS, "#000", "solid")], SHARE, "en")
    assert "$" not in json.dumps(fig.to_plotly_json(), default=str)


# --- the map's GeoJSON ------------------------------------------------------------------------

def test_decode_ring_zigzag_from_offsets():
    # 'B' = 66 - 64 = 2 -> zigzag 1; 'A' = 1 -> zigzag -1; '@' = 0
    ring = decode_ring("@@BBA@", [1024, 2048])
    step = round(1 / 1024, 4)  # coordinates are kept to 4 decimals (~10 m)
    assert ring[:3] == [[1.0, 2.0], [1.0 + step, 2.0 + step], [1.0, 2.0 + step]]
    assert ring[-1] == ring[0]  # closed


def test_js_object_becomes_json_without_touching_strings():
    text = '{type:"FeatureCollection",features:[{id:"230100",properties:{name:"哈尔滨市",cp:[1,2]},x:"a:b"}],UTF8Encoding:!0}'
    data = json.loads(js_object_to_json(text))
    assert data["features"][0]["x"] == "a:b" and data["UTF8Encoding"] is True


def test_simplify_keeps_ring_closed():
    ring = [[i / 1000, 0.0] for i in range(100)] + [[0.0, 0.0]]
    simple = simplify_ring(ring, 0.02)
    assert simple[0] == simple[-1] and len(simple) < len(ring)


def test_shipped_geojson_matches_the_13_seeded_prefectures():
    import csv

    from etl import config

    with open(config.SEED_DIR / "regions.csv", encoding="utf-8") as handle:
        seeded = {r["code"] for r in csv.DictReader(handle) if r["level"] == "prefecture"}
    shapes = c.prefecture_shapes()
    assert set(shapes) == seeded
    xs = [x for s in shapes.values() for x in s["x"] if x is not None]
    ys = [y for s in shapes.values() for y in s["y"] if y is not None]
    assert 121 < min(xs) < 122 and 134.5 < max(xs) < 135.5
    assert 43 < min(ys) < 44 and 53 < max(ys) < 54
    assert shapes["232700"]["name"] == "大兴安岭地区"


def test_grid_locale_uses_ag_grid_35_keys_and_reads_as_chinese():
    zh = c.grid_locale("zh")
    # ag-grid 35 builds its pager as [page] N [of] M; the page word comes first in Chinese
    assert (zh["page"], zh["of"]) == ("第", "/")
    # its buttons' labels are firstPage/previousPage/nextPage/lastPage (no longer first/last)
    assert {zh[k] for k in ("firstPage", "previousPage", "nextPage", "lastPage")} == {"首页", "上一页", "下一页", "末页"}
    assert c.grid_locale("en") is None
    assert (c.grid_class("zh"), c.grid_class("en")) == ("grid-zh", "")


def _inside(x: float, y: float, xs: list, ys: list) -> bool:
    """Ray casting over the rings of a shape (rings separated by None)."""
    inside, ring = False, []
    for px, py in list(zip(xs, ys)) + [(None, None)]:
        if px is None:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
            ring = []
        else:
            ring.append((px, py))
    return inside


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_labels_sit_inside_their_prefecture_and_do_not_overlap(lang):
    import csv
    import math

    from etl import config

    with open(config.SEED_DIR / "regions.csv", encoding="utf-8") as handle:
        names = {r["code"]: r["short_zh"] if lang == "zh" else r["name_en"]
                 for r in csv.DictReader(handle) if r["level"] == "prefecture"}
    shapes, places = c.prefecture_shapes(), c.label_positions()
    assert set(places) == set(shapes)
    # counts of five digits, the widest labels a map shows ('鹤岗<br>38,016个')
    values = {code: {"value": 38016.0 - 1000 * i, "year": 2025, "quarter": 0, "basis": "annual"}
              for i, code in enumerate(shapes)}
    values["232700"]["value"] = 2074.0
    meta = {"unit": "个", "unit_en": "stations", "name_zh": "x", "name_en": "x"}
    fig = c.prefecture_map_figure(values, names, meta, lang)
    labels = next(tr for tr in fig.data if tr.mode == "text")
    assert labels.textfont.size >= 11  # legible at 1440 px
    # the map is 540 px high, 48 of them the colour bar, for about 10.6 degrees of latitude; a
    # degree of longitude is cos(48°) as long on screen. Label boxes: 12 px a Chinese character,
    # 7 px a Latin one, two lines of 15 px. (On a card narrower than 440 px style.css drops the
    # values; tests/browser/test_layout_browser.py measures the labels drawn at phone widths.)
    px_lat = (540 - 48 - 10) / 10.6
    px_lon = px_lat * math.cos(math.radians(48))
    boxes = {}
    for code, x, y, text in zip(shapes, labels.x, labels.y, labels.text):
        assert _inside(x, y, shapes[code]["x"], shapes[code]["y"]), (code, x, y)
        width = max(sum(12 if ord(ch) > 0x2e80 else 7 for ch in line) for line in text.split("<br>"))
        boxes[code] = (x * px_lon - width / 2, x * px_lon + width / 2, y * px_lat - 15, y * px_lat + 15)
    codes = sorted(boxes)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            (l1, r1, b1, t1), (l2, r2, b2, t2) = boxes[a], boxes[b]
            overlap = min(r1, r2) - max(l1, l2) > 0 and min(t1, t2) - max(b1, b2) > 0
            assert not overlap, (names[a], names[b])


def test_one_number_format_per_chart():
    mixed = c.ChartNumbers([38000.0, 17300.0, 8640.0], "个", "stations", "zh")
    assert [mixed.text(v) for v in (38000.0, 17300.0, 8640.0)] == ["38,000个", "17,300个", "8,640个"]
    assert mixed.label == "个" and mixed.axis(38000.0) == 38000.0
    wan = c.ChartNumbers([38000.0, 17300.0, 11400.0], "个", "stations", "zh")
    assert [wan.text(v) for v in (38000.0, 17300.0, 11400.0)] == ["3.80万个", "1.73万个", "1.14万个"]
    assert wan.label == "万个" and wan.axis(38000.0) == 3.8
    shares = c.ChartNumbers([66.4, 5.0], "%", "%", "en")
    assert shares.text(5.0) == "5.0%"
    # the map and the ranking write every value in the chart's one format
    rows = [{"region_code": code, "name": code, "value": v, "year": 2025, "quarter": 0, "basis": "annual"}
            for code, v in (("230100", 38000.0), ("230200", 8640.0))]
    assert list(c.ranking_figure(rows, STATIONS, "zh").data[0].text) == ["8,640个", "38,000个"]
    fig = c.prefecture_map_figure({r["region_code"]: r for r in rows}, {}, STATIONS, "zh")
    labels = next(t for t in fig.data if t.mode == "text")
    assert [x.split("<br>")[1] for x in labels.text if "<br>" in x] == ["38,000个", "8,640个"]
    bar = fig.data[-1].marker.colorbar
    assert bar.orientation == "h" and bar.title.text == "个"  # level, not rotated


def test_map_label_colour_follows_the_fill():
    assert c.label_color("rgb(8, 48, 107)") == "white"
    assert c.label_color("rgb(222, 235, 247)") == "#222"
    assert c.label_color("#eeeeee") == "#222"
