"""An award list as departments keep it (xlsx, xls or csv) -> AwardRow records and problems.

The header row is found by its words (企业名称 and 统一社会信用代码 in one row of the first 15),
in any column order, with the spellings of records.COLUMNS; rows below it until the end are
awards (empty rows and a 合计 row are skipped). Every problem names its sheet and cell.
The measure is '4', '第4条', '措施4' or '4.'; the award kind (奖励类别) may be left empty when the
measure has one rule, or when the row itself decides it (a basis given or not, the amount).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from stdnum.cn import uscc as uscc_check
from stdnum.exceptions import InvalidChecksum, ValidationError

from etl.checks import problems as kinds
from etl.checks.problems import ProblemType
from etl.measures.records import COLUMNS, HEADER_KEYS, REQUIRED, AwardRow, raw_text
from etl.measures.rules import Rulebook, RuleInfo
from etl.normalise.cells import parse_number
from etl.normalise.labels import alias_key
from etl.records import Catalog, Problem, Sheet, Workbook, cell_ref
from etl.wording.catalogue import t

HEADER_SEARCH_ROWS = 15
YES = {"是", "y", "yes", "1", "true", "√", "另有规定"}
NO = {"", "否", "n", "no", "0", "false"}
_MEASURE = re.compile(r"^(?:第|措施|政策措施)?\s*(\d{1,2})\s*(?:条|项|\.|、)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")  # 2023年5月12日, 2023-05-12
_YEAR = re.compile(r"^(\d{4})\s*年?(度)?$")  # 2023, 2023年, 2023年度
TOTAL_WORDS = ("合计", "总计", "小计")  # a totals row below the awards, skipped
CITY_SUFFIX, PREFECTURE_WORD = "市", "地区"  # 哈尔滨市 is also written 哈尔滨, 大兴安岭地区 大兴安岭


@dataclass
class ReadResult:
    rows: list[AwardRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    cells_read: int = 0


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return unicodedata.normalize("NFKC", str(raw)).strip()


def header_row(rows: list[list], keys: dict[str, str],
               required: tuple[str, ...]) -> Optional[tuple[int, dict[str, int]]]:
    """(row index, field -> column index) of the first of the top HEADER_SEARCH_ROWS rows whose
    cells name every `required` field (a cell's alias_key looked up in `keys`; the first column
    naming a field wins), or None. Serves award lists and progress sheets (etl.measures.tasks)."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for c, raw in enumerate(row):
            fld = keys.get(alias_key(_text(raw)))
            if fld and fld not in mapping:
                mapping[fld] = c
        if all(name in mapping for name in required):
            return r, mapping
    return None


def find_header(rows: list[list]) -> Optional[tuple[int, dict[str, int]]]:
    """(row index, field -> column index) of an award list's header row, or None."""
    return header_row(rows, HEADER_KEYS, ("enterprise", "uscc"))


def headed_sheets(workbook: Workbook, find: Callable[[list[list]], Optional[tuple[int, dict[str, int]]]]
                  ) -> Iterator[tuple[Sheet, int, dict[str, int]]]:
    """(sheet, header row index, field -> column index) of each sheet in which `find` finds a header."""
    for sheet in workbook.sheets:
        found = find(sheet.rows)
        if found is not None:
            yield sheet, *found


def is_awards_workbook(workbook: Workbook) -> bool:
    return any(find_header(sheet.rows) for sheet in workbook.sheets)


def parse_date(raw: object) -> Optional[dt.date]:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    m = _DATE.match(text)
    if not m:
        m2 = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
        if not m2:
            return None
        m = m2
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def check_uscc(code: str) -> Optional[tuple[str, str]]:
    """None when valid, else (Chinese, English) reasons; GB 32100-2015 check digit via python-stdnum."""
    try:
        uscc_check.validate(code)
    except InvalidChecksum:
        expected = ""
        try:
            expected = uscc_check.calc_check_digit(uscc_check.compact(code)[:17])
        except Exception:  # noqa: BLE001 - a damaged body has no check digit to suggest
            pass
        hint = {lang: t("awards.uscc.hint", lang, expected=expected) if expected else "" for lang in ("zh", "en")}
        return t("awards.uscc.check_digit", "zh", hint=hint["zh"]), t("awards.uscc.check_digit", "en", hint=hint["en"])
    except ValidationError as exc:
        return t("awards.uscc.format", "zh"), t("awards.uscc.format", "en", error=exc)
    return None


def place_region(place: str, catalog: Catalog) -> Optional[str]:
    """'哈尔滨市' / '哈尔滨' / 'Harbin' / '哈尔滨市南岗区' -> '230100' (a prefecture of the province)."""
    if not place:
        return None
    key = alias_key(place)
    code = catalog.region_aliases.get(key)
    if code and catalog.regions[code].level == "prefecture":
        return code
    for code, info in catalog.regions.items():
        if info.level != "prefecture":
            continue
        short = info.name_zh.rstrip(CITY_SUFFIX).replace(PREFECTURE_WORD, "")
        if key.startswith(alias_key(info.name_zh)) or (len(short) >= 2 and key.startswith(alias_key(short))):
            return code
    return None


def choose_rule(rules: list[RuleInfo], written: str, basis: Optional[float],
                amount: Optional[float]) -> Optional[RuleInfo]:
    """The rule a row means: the one written (code or name), else the one the row fits."""
    if written:
        key = alias_key(written)
        for rule in rules:
            if key in (alias_key(rule.code), alias_key(rule.name_zh), alias_key(rule.name_en)):
                return rule
        for rule in rules:  # '专精特新' written for 4z
            if key and key in alias_key(rule.name_zh):
                return rule
        return None
    if len(rules) == 1:
        return rules[0]
    fitting = [r for r in rules if (basis is not None) == r.needs_basis] or list(rules)
    if len(fitting) > 1 and amount is not None:
        exact = [r for r in fitting if r.amount is not None and abs(r.amount - amount) < 1e-6]
        if exact:
            return exact[0]
        fitting = [r for r in fitting if r.amount is None] or fitting
    return fitting[0]


def read_awards(workbook: Workbook, rulebook: Rulebook, catalog: Catalog) -> ReadResult:
    result = ReadResult()
    for sheet, head, columns in headed_sheets(workbook, find_header):
        result.sheets.append(sheet.name)
        for fld in REQUIRED:
            if fld not in columns:
                result.problems.append(kinds.AWARD_HEADER.at(sheet.name, cell_ref(head, 0), column=COLUMNS[fld][0]))
        if any(fld not in columns for fld in REQUIRED):
            continue
        for r in range(head + 1, len(sheet.rows)):
            row = sheet.rows[r]
            values = {fld: (row[c] if c < len(row) else "") for fld, c in columns.items()}
            texts = {fld: _text(v) for fld, v in values.items()}
            if not any(texts.values()):
                continue
            if any(t.replace(" ", "") in TOTAL_WORDS for t in texts.values()):
                continue
            result.cells_read += 1
            award, problems = _read_row(sheet.name, r, columns, values, texts, rulebook, catalog)
            result.problems.extend(problems)
            if award is not None:
                result.rows.append(award)
    if not result.sheets:
        result.problems.append(kinds.AWARD_HEADER.in_file(variant="no-header", file=workbook.file_name))
    return result


def _read_row(sheet: str, r: int, columns: dict[str, int], values: dict, texts: dict[str, str],
              rulebook: Rulebook, catalog: Catalog) -> tuple[Optional[AwardRow], list[Problem]]:
    cells = {fld: cell_ref(r, c) for fld, c in columns.items()}
    problems: list[Problem] = []

    def bad(kind: ProblemType, fld: str, variant: Optional[str] = None, **fields) -> None:
        problems.append(kind.at(sheet, cells.get(fld), raw=raw_text(texts.get(fld)), variant=variant, **fields))

    for fld in REQUIRED:
        if not texts.get(fld):
            bad(kinds.AWARD_MISSING, fld, column=COLUMNS[fld][0])
    measure = None
    if texts.get("measure"):
        m = _MEASURE.match(texts["measure"])
        measure = int(m.group(1)) if m else None
        if measure is None or measure not in rulebook.measures:
            bad(kinds.UNKNOWN_MEASURE, "measure", text=texts["measure"], last=max(rulebook.measures))
            measure = None
        elif not rulebook.rules_of(measure):
            bad(kinds.UNKNOWN_MEASURE, "measure", variant="no-rule", measure=measure,
                measure_name=rulebook.measures[measure])
            measure = None

    def number(fld: str) -> Optional[float]:
        if not texts.get(fld):
            return None
        parsed = parse_number(values[fld])
        label = {"label_zh": t(f"awards.label.{fld}", "zh"), "column": COLUMNS[fld][0]}
        if parsed.value is None:
            if not parsed.missing:
                bad(kinds.AWARD_TYPE, fld, **label, text=texts[fld], error_zh=parsed.error_zh, error_en=parsed.error)
            return None
        if parsed.value < 0:
            bad(kinds.AWARD_TYPE, fld, variant="negative", **label)
            return None
        return parsed.value

    amount = number("amount")
    basis = number("basis")
    year = None
    if texts.get("year"):
        m = _YEAR.match(texts["year"])
        year = int(m.group(1)) if m else None
        if year is None or not 2000 <= year <= 2100:
            bad(kinds.AWARD_TYPE, "year", variant="year", text=texts["year"])
            year = None
    approved = None
    if texts.get("approved_on"):
        approved = parse_date(values["approved_on"])
        if approved is None:
            bad(kinds.AWARD_TYPE, "approved_on", variant="date", text=texts["approved_on"])
    code = texts.get("uscc", "").upper().replace(" ", "")
    if code:
        reason = check_uscc(code)
        if reason:
            bad(kinds.INVALID_USCC, "uscc", code=code, reason_zh=reason[0], reason_en=reason[1])
    flag = texts.get("otherwise_provided", "").casefold()
    if flag not in YES and flag not in NO:
        bad(kinds.AWARD_TYPE, "otherwise_provided", variant="yes-no", text=texts["otherwise_provided"])
    rule = None
    if measure is not None:
        rule = choose_rule(rulebook.rules_of(measure), texts.get("rule", ""), basis, amount)
        if rule is None:
            rules = rulebook.rules_of(measure)
            bad(kinds.UNKNOWN_RULE, "rule", measure=measure, text=texts.get("rule"),
                choices_zh=t("list.separator", "zh").join(t("awards.rule_choice", "zh", code=r.code, name=r.name_zh)
                                                          for r in rules),
                choices_en=t("list.separator", "en").join(r.code for r in rules))
    region = place_region(texts.get("place", ""), catalog)
    if texts.get("place") and region is None:
        bad(kinds.UNKNOWN_PLACE, "place", text=texts["place"])
    if problems and any(p.severity == "error" for p in problems):
        return None, problems
    return AwardRow(
        measure=measure, rule_code=rule.code, enterprise=texts["enterprise"], uscc=code, year=year,
        amount=amount, place=texts.get("place", ""), region_code=region,
        project=texts.get("project", ""), approved_on=approved, doc_no=texts.get("doc_no", ""),
        basis=basis, granting_unit=texts.get("granting_unit", ""),
        otherwise_provided=flag in YES and flag != "", sheet=sheet, row=r + 1, cells=cells,
    ), problems
