"""The catalogue of problem types: one code per check, in the manner of frictionless-py's errors.

Every finding of the ETL is made from a `ProblemType` here, never from ad-hoc strings:

    problems.NOT_A_NUMBER.at("各市", "C7", raw="约672", name_zh=..., ...)   # a cell
    problems.PART_ABOVE_WHOLE.at_value(value, ...)                         # a checked Value
    problems.NO_DATA.in_file(file="a.xlsx")                                # the whole file

A type carries its code, severity and stage (here), and a title and message templates in Chinese and
English, a "how to fix" line in both languages, and a description for the documentation (the words:
etl/wording/texts/problems.toml, keys problem.<code>.title/message/fix/doc, read once when the type
is defined). Templates are `str.format` strings whose fields are the keyword arguments of `.at()`; a
type with `variants` has several phrasings of the same check (e.g. the file's part above a stored
whole, or the file's whole below a stored part), chosen with `variant=`
(problem.<code>.variant.<name>, and .fix when the variant has its own).

Units: Chinese templates write a stored unit as given (`{unit}`, `{target}`: 亿元, 个, %); English
ones never do. `.at()` derives the English words from those two fields, once, unless they are given:
`{unit_en}` the unit as written after a number (' (100 million yuan)', ' units', '%'), `{unit_word_en}`
its name alone ('100 million yuan') and `{target_en}` the name of `target` (etl.wording.numbers
unit_after_number and unit_word). A unit the file wrote, quoted as input, stays `{unit!r}`.

`docs/etl.md`'s table of checks is generated from this catalogue (`markdown_table()`;
`python -m etl.checks.problems` prints it) and a test compares the two.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from etl.records import ERROR, INFO, WARNING, Problem, Value, sheet_cell
from etl.wording.catalogue import has, pair, t
from etl.wording.numbers import unit_after_number, unit_word

# where in the chain a check runs (documentation order)
READ, LAYOUT, CELL, FILE, STORED = "read", "layout", "cell", "file", "stored"
AWARDS, AWARD_RULES = "awards", "award-rules"  # the awards register's lists (etl/measures)
STAGE_TEXT = {stage: pair(f"problem.stage.{stage}") for stage in (READ, LAYOUT, CELL, FILE, STORED, AWARDS,
                                                                      AWARD_RULES)}


class _Strict(dict):
    def __missing__(self, key):
        raise KeyError(f"problem template needs {key!r}")


@dataclass(frozen=True)
class ProblemType:
    code: str
    severity: str
    stage: str
    title_zh: str
    title_en: str
    message_zh: str
    message_en: str
    fix_zh: str = ""
    fix_en: str = ""
    doc_zh: str = ""  # what the check does, for docs/etl.md (defaults to the title)
    doc_en: str = ""
    # other phrasings of the same check: name -> (message_zh, message_en[, fix_zh, fix_en])
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def _texts(self, variant: Optional[str]) -> tuple[str, str, str, str]:
        if variant is None:
            return self.message_zh, self.message_en, self.fix_zh, self.fix_en
        if variant == "detail" and variant not in self.variants:  # the reader's own account of a file
            return (*pair("problem.detail"), self.fix_zh, self.fix_en)
        texts = self.variants[variant]
        return texts if len(texts) == 4 else (*texts, self.fix_zh, self.fix_en)

    def at(self, sheet: Optional[str] = None, cell: Optional[str] = None, /, *, raw: Any = None,
           variant: Optional[str] = None, prefix: bool = False, **params: Any) -> Problem:
        """The problem at `sheet`!`cell` (either may be None), with the template's fields filled.
        `prefix`: start the messages with the cell reference ('各市'!C7：…)."""
        zh, en, fix_zh, fix_en = self._texts(variant)
        fields = _Strict(params)
        if raw is not None and "raw" not in fields:
            fields["raw"] = raw
        _english_units(fields)
        message_zh, message_en = zh.format_map(fields), en.format_map(fields)
        if prefix and sheet:
            ref = sheet_cell(sheet, cell)
            message_zh = t("problem.at_cell", "zh", ref=ref, message=message_zh)
            message_en = t("problem.at_cell", "en", ref=ref, message=message_en)
        return Problem(self.code, self.severity, message_zh, message_en, sheet, cell,
                       None if raw is None else str(raw),
                       title_zh=self.title_zh, title_en=self.title_en,
                       fix_zh=fix_zh.format_map(fields), fix_en=fix_en.format_map(fields))

    def at_value(self, v: Value, *, variant: Optional[str] = None, **params: Any) -> Problem:
        """The problem at a checked value's cell, its messages starting with the cell reference."""
        return self.at(v.sheet, v.cell, raw=v.raw_value, variant=variant, prefix=True, **params)

    def in_file(self, *, variant: Optional[str] = None, **params: Any) -> Problem:
        """A problem of the whole file (no sheet, no cell)."""
        return self.at(None, None, variant=variant, **params)

    @property
    def doc(self) -> tuple[str, str]:
        return self.doc_zh or self.title_zh, self.doc_en or self.title_en


def _english_units(fields: dict) -> None:
    """The English unit words of the stored units in `fields` (see the module docstring)."""
    if "unit" in fields:
        unit = str(fields["unit"] or "")
        fields.setdefault("unit_en", unit_after_number(unit, "en"))
        fields.setdefault("unit_word_en", unit_word(unit, "en"))
    if "target" in fields:
        fields.setdefault("target_en", unit_word(str(fields["target"] or ""), "en"))


CATALOGUE: dict[str, ProblemType] = {}


def _define(code: str, severity: str, stage: str, variants: tuple[str, ...] = ()) -> ProblemType:
    """The type `code` with its words from the catalogue (problem.<code>.*; pair without values
    gives the templates as written, their fields left for .at())."""
    key = f"problem.{code}"
    fix = pair(f"{key}.fix") if has(f"{key}.fix") else ("", "")
    doc = pair(f"{key}.doc") if has(f"{key}.doc") else ("", "")
    texts = {}
    for name in variants:
        message = f"{key}.variant.{name}"
        texts[name] = pair(message) + (pair(f"{message}.fix") if has(f"{message}.fix") else ())
    kind = ProblemType(code, severity, stage, *pair(f"{key}.title"), *pair(f"{key}.message"),
                       *fix, *doc, variants=texts)
    if kind.code in CATALOGUE:
        raise ValueError(f"problem code {kind.code!r} defined twice")
    CATALOGUE[kind.code] = kind
    return kind


def get(code: str) -> ProblemType:
    return CATALOGUE[code]


# --- reading the file ---------------------------------------------------------------------------

BAD_FILE = _define("bad-file", ERROR, READ)
TOO_LARGE = _define("too-large", ERROR, READ, variants=("cells", "csv"))
ZIP_BOMB = _define("zip-bomb", ERROR, READ)
ENCODING = _define("encoding", ERROR, READ)
INTERNAL_ERROR = _define("internal-error", ERROR, READ)

# --- recognising the layout -----------------------------------------------------------------------

NO_DATA = _define("no-data", ERROR, LAYOUT,
                  variants=("blank", "no-table", "no-labels", "no-axes", "template-empty"))
UNRECOGNISED_SHEET = _define("unrecognised-sheet", WARNING, LAYOUT,
                             variants=("no-table", "no-labels", "no-axes", "template-empty"))
MISSING_DIMENSION = _define("missing-dimension", ERROR, LAYOUT)
PERIOD_CONFLICT = _define("period-conflict", ERROR, LAYOUT)
YTD_AS_ANNUAL = _define("ytd-as-annual", ERROR, LAYOUT)
UNIT_CONFLICT = _define("unit-conflict", ERROR, LAYOUT)
FORMAT_CONFLICT = _define("format-conflict", ERROR, LAYOUT)
SHARE_NOT_LEVEL = _define("share-not-level", ERROR, LAYOUT)
HIDDEN_CELLS = _define("hidden-cells", WARNING, LAYOUT)
SKIPPED_SHEET = _define("skipped-sheet", INFO, LAYOUT,
                        variants=("hidden", "instructions", "template", "text"))
SKIPPED_ROW = _define("skipped-row", INFO, LAYOUT, variants=("total", "average", "example"))
SKIPPED_COLUMN = _define("skipped-column", INFO, LAYOUT, variants=("row",))
QUALIFIER = _define("qualifier", INFO, LAYOUT)

# --- cell by cell ---------------------------------------------------------------------------------

UNKNOWN_INDICATOR = _define("unknown-indicator", ERROR, CELL)
SKIPPED_INDICATOR = _define("skipped-indicator", INFO, CELL)
EDITED_EXAMPLE = _define("edited-example", ERROR, LAYOUT)
REGION_MISMATCH = _define("region-mismatch", ERROR, LAYOUT)
UNKNOWN_REGION = _define("unknown-region", ERROR, CELL)
SKIPPED_REGION = _define("skipped-region", INFO, CELL)
BAD_PERIOD = _define("bad-period", ERROR, CELL, variants=("flow-month",))
NOT_A_NUMBER = _define("type-error", ERROR, CELL, variants=("why", "words"))
FORMULA_WITHOUT_VALUE = _define("formula-without-value", ERROR, CELL)
BAD_UNIT = _define("bad-unit", ERROR, CELL)

# --- across the file's values ---------------------------------------------------------------------

DUPLICATE_ROW = _define("duplicate-row", ERROR, FILE)
OUT_OF_RANGE = _define("out-of-range", ERROR, FILE)
PART_ABOVE_WHOLE = _define("part-above-whole", ERROR, FILE, variants=("whole",))
SHARE_MISMATCH = _define("share-mismatch", ERROR, FILE)
STALE_SHARE = _define("stale-share", WARNING, STORED)
ABOVE_PARENT = _define("above-parent", ERROR, FILE)
QUARTER_SUM_MISMATCH = _define("quarter-sum-mismatch", ERROR, FILE)
PER_10K_MISMATCH = _define("per-10k-mismatch", WARNING, FILE)
CUMULATIVE_DECREASE = _define("cumulative-decrease", ERROR, FILE, variants=("later",))
SUSPICIOUS_JUMP = _define("suspicious-jump", WARNING, FILE)
FRACTION_AS_PERCENT = _define("fraction-as-percent", WARNING, FILE)

OUTLIER = _define("outlier", ERROR, FILE)

# --- against the stored values ------------------------------------------------------------------

SCALE_SLIP = _define("scale-slip", ERROR, STORED)
LARGE_REVISION = _define("large-revision", WARNING, STORED)
OTHER_INDICATOR = _define("other-indicator", ERROR, STORED)


# --- award lists and task progress sheets (etl/measures: read.py, tasks.py, pipeline.py) -----------
# A format problem means the list cannot be read as awards; unknown-place is a warning (the award
# loads without a city).

AWARD_HEADER = _define("award-header", ERROR, AWARDS, variants=("no-header",))
AWARD_MISSING = _define("award-missing", ERROR, AWARDS, variants=("no-awards",))
AWARD_TYPE = _define("award-type", ERROR, AWARDS,
                     variants=("negative", "year", "date", "yes-no", "task-date"))
UNKNOWN_MEASURE = _define("unknown-measure", ERROR, AWARDS, variants=("no-rule",))
UNKNOWN_RULE = _define("unknown-rule", ERROR, AWARDS)
INVALID_USCC = _define("invalid-uscc", ERROR, AWARDS)
DUPLICATE_AWARD = _define("duplicate-award", ERROR, AWARDS)
UNKNOWN_PLACE = _define("unknown-place", WARNING, AWARDS)
UNKNOWN_TASK = _define("unknown-task", ERROR, AWARDS)
BAD_STATUS = _define("bad-status", ERROR, AWARDS)

# --- awards against the policy's rules (etl/measures/checks.py) ----------------------------------
# Loaded as warnings on the awards register's breaches (AWARD_RULE_CODES), errors in a checked file.

NAME_CODE_CONFLICT = _define("name-code-conflict", ERROR, AWARD_RULES, variants=("two-codes",))
ABOVE_CAP = _define("above-cap", ERROR, AWARD_RULES)
RATE_MISMATCH = _define("rate-mismatch", ERROR, AWARD_RULES)
AMOUNT_MISMATCH = _define("amount-mismatch", ERROR, AWARD_RULES)
MISSING_BASIS = _define("missing-basis", ERROR, AWARD_RULES)
BELOW_THRESHOLD = _define("below-threshold", ERROR, AWARD_RULES)
QUOTA_EXCEEDED = _define("quota-exceeded", ERROR, AWARD_RULES)
ONE_OFF_REPEATED = _define("one-off-repeated", ERROR, AWARD_RULES)
OUTSIDE_VALIDITY = _define("outside-validity", ERROR, AWARD_RULES)
NOT_HIGHEST = _define("not-highest", ERROR, AWARD_RULES, variants=("higher",))
# the breaches of the policy's rules (the register records them as warnings; etl/measures/pipeline.py)
AWARD_RULE_CODES = tuple(k.code for k in CATALOGUE.values() if k.stage == AWARD_RULES)


def markdown_table() -> str:
    """The checks as the Markdown table of docs/etl.md (generated; a test compares the two)."""
    severity = {ERROR: "error", WARNING: "warning", INFO: "info"}
    lines = [t("problem.docs.header", "zh"), "|---|---|---|---|---|"]
    for kind in CATALOGUE.values():
        doc_zh, doc_en = kind.doc
        fix = f"{kind.fix_zh} / {kind.fix_en}" if kind.fix_zh else ""
        stage_zh, stage_en = STAGE_TEXT[kind.stage]
        lines.append(f"| `{kind.code}` | {severity[kind.severity]} | {stage_zh} / {stage_en} | "
                     f"{t('problem.docs.meaning', 'zh', title=kind.title_zh, doc=doc_zh)} / "
                     f"{t('problem.docs.meaning', 'en', title=kind.title_en, doc=doc_en)} | {_plain(fix)} |")
    return "\n".join(lines)


def _plain(text: str) -> str:
    """A template in a table cell: fields shown as …"""
    import re
    return re.sub(r"\{[^{}]*\}", "…", text).replace("|", "\\|")


DOCS_START = "<!-- checks: generated from etl/checks/problems.py; python -m etl.checks.problems --write -->"
DOCS_END = "<!-- end of checks -->"


def write_docs(path) -> bool:
    """Replace the generated table in docs/etl.md; True if the file changed."""
    from pathlib import Path
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    start, end = text.index(DOCS_START) + len(DOCS_START), text.index(DOCS_END)
    new = text[:start] + "\n" + markdown_table() + "\n" + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover
    import sys
    from pathlib import Path
    if "--write" in sys.argv:
        changed = write_docs(Path(__file__).resolve().parents[2] / "docs" / "etl.md")
        print("docs/etl.md updated" if changed else "docs/etl.md already current")
    else:
        print(markdown_table())
