"""The problem catalogue (etl/checks/problems.py): one code per check, docs generated from it,
every template complete, and no problem made elsewhere from ad-hoc strings."""
from __future__ import annotations

import csv
import re
import string
from pathlib import Path

import pytest

from etl.checks import problems
from etl.normalise.units import known_units
from etl.records import ERROR, INFO, WARNING
from etl.wording.catalogue import has
from etl.wording.numbers import unit_after_number, unit_word

ROOT = Path(__file__).resolve().parent.parent
KINDS = list(problems.CATALOGUE.values())


def test_docs_list_every_check_as_the_catalogue_says():
    text = (ROOT / "docs" / "etl.md").read_text(encoding="utf-8")
    start = text.index(problems.DOCS_START) + len(problems.DOCS_START)
    end = text.index(problems.DOCS_END)
    assert text[start:end].strip() == problems.markdown_table(), \
        "docs/etl.md is stale: run python -m etl.checks.problems --write"
    for kind in KINDS:
        assert f"`{kind.code}`" in text


def test_the_old_catch_all_code_is_gone():
    assert "inconsistent" not in problems.CATALOGUE
    split = {"part-above-whole", "share-mismatch", "stale-share", "above-parent", "quarter-sum-mismatch",
             "per-10k-mismatch"}
    assert split <= set(problems.CATALOGUE)
    assert {problems.get(c).severity for c in split} == {ERROR, WARNING}


@pytest.mark.parametrize("kind", KINDS, ids=[k.code for k in KINDS])
def test_every_type_is_complete_in_both_languages(kind):
    assert kind.severity in (ERROR, WARNING, INFO) and kind.stage in problems.STAGE_TEXT
    assert kind.title_zh and kind.title_en and kind.doc[0] and kind.doc[1]
    if kind.severity != INFO:  # errors and warnings say how to fix them
        assert kind.fix_zh and kind.fix_en
    texts = [(None, (kind.message_zh, kind.message_en, kind.fix_zh, kind.fix_en))]
    texts += [(name, texts_) for name, texts_ in kind.variants.items()]
    for variant, group in texts:
        fields = {f for text in group for _, f, _, _ in string.Formatter().parse(text) if f}
        filled = {re.sub(r"!.*$", "", f): "X" for f in fields}
        filled.pop("raw", None)  # given as raw=
        problem = kind.at("表", "C7", raw="x", variant=variant, **filled)
        assert problem.code == kind.code and problem.severity == kind.severity
        assert problem.message_zh and problem.message_en and "{" not in problem.message_zh + problem.message_en
        assert problem.title_en == kind.title_en and problem.where == "'表'!C7"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.message_zh)


def test_a_missing_field_is_a_programming_error_not_a_silent_blank():
    with pytest.raises(KeyError):
        problems.NOT_A_NUMBER.at("表", "C7", raw="x")


def test_problems_are_made_only_from_the_catalogue():
    """No module builds a Problem from its own strings (the awards register's problems are types of
    the same catalogue)."""
    allowed = {ROOT / "etl" / "checks" / "problems.py", ROOT / "etl" / "records.py"}
    offenders = []
    for path in list((ROOT / "etl").rglob("*.py")) + list((ROOT / "dashboard").rglob("*.py")):
        if path in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(?<![\w.])Problem\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- English messages: no Chinese but what the user wrote ----------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Fields whose value is text the user wrote, quoted as written (here a realistic Chinese example):
# the file's, sheet's and enterprise's names, labels, cell text and header words. Cell references
# (first, cells, formula, *_where_en, ref_en …) quote the sheet's name.
QUOTED_INPUT = {
    "raw": "约672", "file": "哈尔滨市统计月报.xlsx", "sheet": "各市", "sheets": "'各市', '说明'",
    "label": "地区生产总值（亿元）", "text": "第三条", "words": "初步核算", "phrase": "占GDP比重",
    "name": "哈尔滨数字科技有限公司", "other": "哈尔滨云计算有限公司", "project": "工业互联网平台建设",
    "column": "统一社会信用代码", "region": "哈尔滨", "period": "2024年1-9月", "ytd_label": "2024年1-9月",
    "annual_label": "2024年", "found_en": "'2024年1-9月', '2024年1-6月'", "number_format": '0.0"万"',
}
REFERENCE = "'各市'!C7"
# the types whose `unit` is the unit the file wrote (quoted), not the stored one
INPUT_UNIT = {"unit-conflict", "format-conflict", "bad-unit"}
# words of the files' own vocabulary that an English message quotes (what to write in a file)
INPUT_WORDS = {
    ("skipped-sheet", "instructions"): ("说明",), ("skipped-row", "total"): ("全省", "黑龙江省"),
    ("skipped-row", "average"): ("全国",), ("skipped-row", "example"): ("示例行",),
    ("edited-example", None): ("示例行",), ("award-header", "no-header"): ("企业名称", "统一社会信用代码"),
    ("award-type", "yes-no"): ("另有规定", "是", "否"), ("bad-status", None): ("未启动", "推进中", "已完成", "滞后"),
    ("not-highest", None): ("另有规定",), ("not-highest", "higher"): ("另有规定",),
}


def typical(field: str, code: str) -> str:
    """A realistic value of a template field: Chinese where the callers give Chinese (the stored
    unit, *_zh, catalogue words in Chinese only), English for *_en, a number otherwise."""
    if field == "unit" and code in INPUT_UNIT:
        return "万个"
    if field in QUOTED_INPUT:
        return QUOTED_INPUT[field]
    if field in ("unit", "target"):
        return "亿元"
    if field.endswith("_zh") or field in ("measure_name",):
        return "地区生产总值"
    if field in ("first", "cells", "formula", "parent_where", "cell") or field.endswith(("where_en", "ref_en")):
        return REFERENCE
    if field.endswith("_en"):
        return "GDP, Harbin, Q1–Q3 2024"
    return "12,345.6"


def _variants():
    for kind in KINDS:
        yield kind, None, (kind.message_zh, kind.message_en, kind.fix_zh, kind.fix_en)
        for name, texts in kind.variants.items():
            yield kind, name, texts + (kind.fix_zh, kind.fix_en)


@pytest.mark.parametrize("kind, variant, texts", list(_variants()),
                         ids=[f"{k.code}{'.' + v if v else ''}" for k, v, _ in _variants()])
def test_every_english_message_is_without_chinese_but_the_quoted_input(kind, variant, texts):
    fields = {re.sub(r"!.*$", "", f) for text in texts for _, f, _, _ in string.Formatter().parse(text) if f}
    if "unit" in fields:  # derived by .at()
        fields -= {"unit_en", "unit_word_en"}
    if "target" in fields:
        fields.discard("target_en")
    args = {f: typical(f, kind.code) for f in fields}
    raw = args.pop("raw", QUOTED_INPUT["raw"])
    problem = kind.at("各市", "C7", raw=raw, variant=variant, **args)
    english = problem.title_en + " " + problem.message_en
    quoted = [*QUOTED_INPUT.values(), *INPUT_WORDS.get((kind.code, variant), ())]
    if kind.code in INPUT_UNIT:
        quoted.append(args["unit"])
    for text in sorted(quoted, key=len, reverse=True):  # '各市' inside "'各市', '说明'" last
        english = english.replace(text, "")
    assert not CJK.search(english), problem.message_en


def test_units_are_named_in_english_after_a_number():
    assert [unit_after_number(u, "en") for u in ("亿元", "万人", "个", "%", "万元")] == [
        " (100 million yuan)", " (10,000 persons)", " units", "%", " (10k yuan)"]
    assert unit_after_number("亿元", "zh") == "亿元" and unit_after_number("", "en") == ""
    with open(ROOT / "data" / "seed" / "indicators.csv", encoding="utf-8") as f:
        stored = {row["unit"] for row in csv.DictReader(f)}
    with open(ROOT / "data" / "seed" / "award_rules.csv", encoding="utf-8") as f:
        stored |= {row["basis_unit"] for row in csv.DictReader(f) if row["basis_unit"]}
    assert {"亿元", "个", "%", "万元", "家"} <= stored
    # every unit stored or read has a word of its own, in English letters or a symbol
    for unit in sorted(stored | set(known_units())):
        assert has(f"unit.word.{unit}"), unit
        assert unit_word(unit, "en") and not CJK.search(unit_word(unit, "en")), unit
    # one without is called by the generic word, never left empty or in Chinese
    assert unit_word("千瓦时", "en") == "units" and unit_after_number("千瓦时", "en") == " units"
    assert unit_word("千瓦时", "zh") == "千瓦时"
