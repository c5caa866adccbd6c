"""The problem catalogue (etl/checks/problems.py): one code per check, docs generated from it,
every template complete, and no problem made elsewhere from ad-hoc strings."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from etl.checks import problems
from etl.records import ERROR, INFO, WARNING

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
