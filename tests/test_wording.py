"""The wording is data: every sentence users read is a key of etl/wording/texts/*.toml, and no module
outside etl/wording/ holds Chinese text of its own, apart from the words the ETL reads."""
from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

from etl.measures.records import MONEY_UNIT
from etl.measures.rules import RuleInfo, basis_unit, describe
from etl.wording import catalogue
from etl.wording.numbers import unit_after_number, unit_word

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Modules whose Chinese literals are INPUT vocabulary: words the ETL reads in the files (labels,
# aliases, units, period words, headers), or data it writes to be read back (the demo's and the
# templates' workbooks). They are not shown as sentences, so they stay beside the code that reads
# them.
INPUT_VOCABULARY = {
    "etl/normalise/cells.py": "the labels, aliases and number words of the statistics workbooks",
    "etl/normalise/units.py": "unit words as written in the files (万元, 个/万人 …)",
    "etl/read/layout.py": "header and label words that recognise a layout",
    "etl/read/files.py": "a national data portal export's first-line and source-line words (数据库：, "
                         "数据来源：) that tell whether a CSV is whole",
    "etl/read/template.py": "the template's headers: written by it and read back by the same table",
    "etl/measures/records.py": "the award list's column headers and their aliases",
    "etl/measures/read.py": "an award list's words: yes/no (是/否), totals (合计 …), measure and date "
                            "patterns, place suffixes",
    "etl/measures/tasks.py": "a progress sheet's headers and status words (未启动, 推进中 …) and their aliases",
    "etl/measures/template.py": "the award template's headers: written by it and read back",
    "etl/measures/pipeline.py": "the header words that tell an award list or a progress sheet apart",
    "etl/normalise/untracked.py": "the cities of other provinces and the non-administrative units it "
                                  "recognises in a region column",
    "etl/demo/files.py": "the demo's workbooks: input files in the portals' own words",
    "etl/demo/series.py": "the demo series' labels, as the portals write them",
    "etl/measures/demo.py": "the demo award lists and task sheets: input files",
    "etl/briefing/word.py": "font names (宋体, 黑体) the Word file asks for",
    "etl/briefing/charts.py": "the stored unit word 个 it compares with, and the 年 it breaks a period "
                              "label after",
}

# Modules that still hold sentences of their own: issue 9's remaining work. Each is moved to the
# catalogue (keys in etl/wording/texts/) and then leaves this list; the test fails when one here
# has no Chinese literal left, so the list only shrinks.
NOT_YET_MOVED: set[str] = set()


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def chinese_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal with a CJK character, docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in skip and CJK.search(node.value))


# A keyword argument with such a name carries text shown to a user (a problem's where_zh=, shown_en=,
# found_zh=, message_zh= …): never a Chinese literal, even in an input-vocabulary module.
SHOWN_KEYWORD = re.compile(r"(_zh|_en)$|^(where|shown|message)")

# Input-vocabulary modules that still hold input words inside functions (none now; kept so that a
# module in transition can be listed): shown text passed as a keyword is refused in them too; the test fails when one here has
# nothing left inside a function, so the list only shrinks.
NOT_YET_CONSTANTS: dict[str, str] = {}


def misplaced_literals(source: str, functions: bool = True) -> list[tuple[int, str]]:
    """(line, why) of every Chinese literal (or f-string) an input-vocabulary module may not hold:
    the words a reader matches or a template writes are module-level named constants (a table, a
    tuple, a compiled regex), so a literal inside a function or class body, or anywhere passed as a
    keyword named like shown text (SHOWN_KEYWORD), is a sentence piece in hiding. `functions=False`:
    the keywords only."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, allowed: bool, keyword: str | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                and CJK.search(node.value):
            if keyword and SHOWN_KEYWORD.search(keyword):
                found.append((node.lineno, f"{node.value[:30]!r} passed as {keyword}=: text shown to "
                                           "users is a key of etl/wording/texts/*.toml"))
            elif not allowed and functions:
                found.append((node.lineno, f"{node.value[:30]!r} inside a function or class: move it to "
                                           "a module-level named constant if the reader matches it or "
                                           "the template writes it, else to etl/wording/texts/*.toml"))
            return
        for child in ast.iter_child_nodes(node):
            inside = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
            visit(child, allowed and not inside, node.arg if isinstance(node, ast.keyword) else keyword)

    for statement in tree.body:
        visit(statement, isinstance(statement, (ast.Assign, ast.AnnAssign)), None)
    return sorted(found)


def test_misplaced_literals_finds_words_in_functions_and_shown_keywords():
    source = ('''"""模块说明"""\nimport re\nWORDS = ("合计", "总计")\nLABEL = re.compile(r"(\\d{4})年")\n'''
              '''WHERE = dict(where_zh="表头")\n'''
              '''def f(x):\n    """函数说明"""\n    return f"{x}年" if x else g(shown_en="单位")\n'''
              '''class C:\n    NAME = "黑体"\n'''
              '''TABLE = {"a": lambda y: "年末"}\n''')
    assert [line for line, _ in misplaced_literals(source)] == [5, 8, 8, 10, 11]
    assert [line for line, _ in misplaced_literals(source, functions=False)] == [5, 8]


def modules() -> list[Path]:
    found = [ROOT / "app.py"]
    for package in ("etl", "dashboard"):
        found += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return sorted(found)


def test_no_module_outside_the_catalogue_has_chinese_text():
    offenders = {}
    for path in modules():
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("etl/wording/") or name in INPUT_VOCABULARY or name in NOT_YET_MOVED:
            continue
        if found := chinese_literals(path):
            offenders[name] = [f"{line}: {text[:40]!r}" for line, text in found[:5]]
    assert offenders == {}, "sentences belong in etl/wording/texts/*.toml, named by key"


def test_the_lists_name_modules_that_still_need_them():
    names = {p.relative_to(ROOT).as_posix() for p in modules()}
    for name in list(INPUT_VOCABULARY) + sorted(NOT_YET_MOVED):
        assert name in names, f"{name} is gone: take it off the list"
        assert chinese_literals(ROOT / name), f"{name} has no Chinese literal left: take it off the list"
    assert not set(INPUT_VOCABULARY) & NOT_YET_MOVED


def test_input_vocabulary_is_named_constants_only():
    """In an INPUT_VOCABULARY module the Chinese words live in module-level constants (tables,
    tuples, compiled regexes) that the reader matches or the template writes; a Chinese literal
    inside a function, or passed as where_zh=/shown_en=/message_zh= …, is shown text in hiding."""
    offenders = []
    for name in sorted(INPUT_VOCABULARY):
        source = (ROOT / name).read_text(encoding="utf-8")
        offenders += [f"{name}:{line}: {why}" for line, why in
                      misplaced_literals(source, functions=name not in NOT_YET_CONSTANTS)]
    assert offenders == [], "\n".join(offenders)


def test_the_not_yet_constants_list_only_shrinks():
    for name in NOT_YET_CONSTANTS:
        assert name in INPUT_VOCABULARY, f"{name} is not an input-vocabulary module: take it off the list"
        assert misplaced_literals((ROOT / name).read_text(encoding="utf-8")), \
            f"{name} holds its words in constants now: take it off NOT_YET_CONSTANTS"


def test_the_catalogue_is_read_from_the_text_files():
    folder = Path(catalogue.__file__).parent / catalogue.TEXT_FILES
    files = sorted(folder.glob("*.toml"))
    assert len(files) > 1
    texts = catalogue.read_texts((f.name, f.read_text(encoding="utf-8")) for f in files)
    assert texts == catalogue.TEXTS and len(texts) > 500


def test_a_key_is_defined_once_with_both_languages():
    one = ("a.toml", '["x.y"]\nzh = "甲"\nen = "A"\n')
    assert catalogue.read_texts([one]) == {"x.y": ("甲", "A")}
    with pytest.raises(ValueError, match="defined twice"):
        catalogue.read_texts([one, ("b.toml", '["x.y"]\nzh = "甲"\nen = "A"\n')])
    with pytest.raises(ValueError, match="Chinese"):
        catalogue.read_texts([("c.toml", '["x.z"]\nzh = "甲"\n')])
    with pytest.raises(ValueError, match="Chinese"):
        catalogue.read_texts([("d.toml", '["x.z"]\nzh = "甲"\nen = "A"\nfr = "Un"\n')])


def test_every_key_a_module_names_is_in_the_catalogue():
    """t("…"), pair("…") and both("…") with a written key: the key exists (a typo fails here, not on
    the page that shows it)."""
    missing = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            key = node.args[0]
            if name in ("t", "pair", "both") and isinstance(key, ast.Constant) and isinstance(key.value, str) \
                    and "." in key.value and key.value not in catalogue.TEXTS:
                missing.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno} {key.value}")
    assert missing == []


def test_unit_words_are_one_table():
    """A unit's name is etl/wording/texts/units.toml's unit.word.<unit>, read through unit_word and
    unit_after_number: no other text of the catalogue is a unit word of its own (measures.unit.万元,
    measures.money_unit and briefing.fig.wan_units each said one unit again, one of them in other
    English words), and the award rules say their basis units through that table."""
    units = {zh for key, (zh, _) in catalogue.TEXTS.items()
             if key.startswith("unit.word.") and key != "unit.word.other"}
    again = [key for key, (zh, _) in catalogue.TEXTS.items()
             if not key.startswith("unit.word.") and zh.strip("（）() ") in units]
    assert again == [], "name a unit with unit_word / unit_after_number (etl/wording/numbers.py)"
    assert MONEY_UNIT in units
    with open(ROOT / "data" / "seed" / "award_rules.csv", encoding="utf-8") as f:
        rules = [RuleInfo(id=n, code=row["code"], measure=int(row["measure"]), kind=row["kind"],
                          name_zh=row["name_zh"], name_en=row["name_en"], basis_zh=row["basis_zh"],
                          basis_en=row["basis_en"], basis_unit=row["basis_unit"],
                          threshold=float(row["threshold"]) if row["threshold"] else None)
                 for n, row in enumerate(csv.DictReader(f))]
    said = {}
    for rule in rules:
        if rule.basis_unit:
            assert rule.basis_unit in units, rule.basis_unit
            assert basis_unit(rule, "zh") == unit_after_number(rule.basis_unit, "zh") == rule.basis_unit
            said[rule.basis_unit, rule.basis_en] = basis_unit(rule, "en")
    # English writes the table's word after a number, unless the basis already names it
    assert said[MONEY_UNIT, "actual investment"] == unit_after_number(MONEY_UNIT, "en") == " (10k yuan)"
    assert said["家", "connected enterprises"] == said["级", "CMMI level"] == ""
    threshold = next(r for r in rules if r.code == "12")
    assert describe(threshold, "en").endswith("actual investment at least 2,000 (10k yuan)")
    assert describe(threshold, "zh").endswith("项目实际完成投资额不低于2,000万元")
