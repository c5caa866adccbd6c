"""Turn raw cells into checked values: numbers, periods, labels and units, cell by cell.

The pure parsers (`parse_number`, `parse_period`, `parse_indicator_label`, `find_period_in_text`)
know nothing of the catalog; `LabelResolver` maps labels to catalog codes (with caches, since a
200,000-value file repeats the same few dozen labels); `normalise_values` applies them to the
RawValue items of etl.read.layout and reports every problem at its sheet and cell.

Basis rules (how a value's period becomes year / quarter / basis):
- Annual labels (`2024年`, `2024`, `全年`, `年度`) -> quarter 0, basis 'annual'.
- Range labels (`1-9月`, `1~3季度`, `前三季度`, `上半年`, `1-12月`) -> basis 'ytd', quarter = the
  last quarter covered (3, 3, 3, 2, 4). A Q4 year-to-date value is NOT the annual value: quarter 4
  'ytd' and quarter 0 'annual' are kept apart, because annual figures are revised separately.
- Single-quarter labels (`2024年第三季度`, `2024Q3`, `202403SS`, `2024C`, `三季度`) take their basis
  from the indicator label or the header (`累计值` -> 'ytd', `当季值` -> 'quarter'). With no such
  word: 'ytd' for indicators whose catalog `quarterly_cumulative` is true or whose measure is
  stock/ratio (a value "as at the end of the period"), else 'quarter'.
- A quarter-end month (`2024年9月`) is read as the end-of-quarter value of a stock or ratio
  indicator (quarter 3, 'ytd'); for a flow indicator a single month is a bad-period.
- Values are converted to the indicator's catalog unit (etl.normalise.units); a value without any unit in
  its label, header or unit line is taken to be in the catalog unit.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from datetime import date, datetime, time, timedelta
from typing import Iterable, Optional

from etl.normalise.labels import alias_key
from etl.read.files import UncomputedFormula
from etl.checks import problems as kinds
from etl.records import Catalog, Problem, RawValue, TemplateValues, Value, raw_parts, raw_rows
from etl.normalise import units
from etl.read import formats
from etl.normalise.untracked import skip_messages, untracked_region
from etl.wording.catalogue import pair, t

# --- numbers ---------------------------------------------------------------------------------------

MISSING_MARKS = frozenset({
    "", "-", "--", "---", "—", "——", "–", "−", "…", "……", "...", "/", "／", "nan", "none", "null",
    "n/a", "na", "#n/a", "x", "×", "*", "空", "无",
})
# The footnote marks the layouts really use after a number (12.3*, 12.3①, 12.3¹); nothing else is
# stripped: a trailing letter ('247L') is damage, not a footnote, and is a type error.
_FOOTNOTE_TAIL = re.compile(r"\s*(?:[*＊]{1,3}|[①-⑳]|[¹²³⁴-⁹⁰]{1,2})$")
_EDGE_SPACE = " \t\r\n\u3000\xa0\ufeff\u200b"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
# No statistic of this monitor comes near these in any unit a file uses (China's GDP is ~1.3e14 元);
# a number beyond them is damage (a run of nines, '1e308', '1e-320'), and would strain the store.
# The indicator's own plausible range is data: min_value / max_value in data/seed/indicators.csv.
MAX_MAGNITUDE = 1e15
MIN_MAGNITUDE = 1e-9


@dataclass(frozen=True)
class ParsedNumber:
    value: Optional[float]
    missing: bool = False
    error: Optional[str] = None  # why the cell is not a number, in English
    unit: Optional[str] = None  # '%' or '‰' when the text carried the sign
    error_zh: Optional[str] = None  # the same, in Chinese

    @staticmethod
    def failed(key: str, **values) -> "ParsedNumber":
        """Not a number, and why: the catalogue text `key` (read.number.*) in both languages."""
        zh, en = pair(key, **values)
        return ParsedNumber(None, error=en, error_zh=zh)


_NOT_A_NUMBER = "read.number.not_a_number"


def _checked(value: float, unit: Optional[str] = None) -> ParsedNumber:
    """A finite number of a believable magnitude, or an error that says which it is not."""
    if math.isnan(value):
        return ParsedNumber(None, missing=True)
    if math.isinf(value):
        return ParsedNumber.failed("read.number.infinite")
    if value and not MIN_MAGNITUDE <= abs(value) < MAX_MAGNITUDE:
        return ParsedNumber.failed("read.number.absurd", value=value, low=MIN_MAGNITUDE, high=MAX_MAGNITUDE)
    return ParsedNumber(value, unit=unit)


def _has_gap(text: str) -> bool:
    """Whitespace or a control / format character (U+000B, U+00A0, U+200B ...) anywhere in text."""
    return any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def parse_number(raw: object) -> ParsedNumber:
    """A cell as a number: 1234.5, '1,234.5', '１２３４.５', '12.3*', '12.3①', ' 45% ', '—' (missing).

    Strict about damage: every value is finite and of a believable magnitude (MAX_MAGNITUDE,
    MIN_MAGNITUDE); whitespace or a control character inside a number ('44 22.8', '44\\x0b22.8',
    '44\\xa022.8': two numbers glued together) and any trailing text other than the footnote marks
    of _FOOTNOTE_TAIL ('247L') are errors. Spaces around the number, its sign and its mark are fine.
    """
    if raw is None:
        return ParsedNumber(None, missing=True)
    if isinstance(raw, bool):
        return ParsedNumber.failed("read.number.boolean")
    if isinstance(raw, (int, float)):
        try:
            return _checked(float(raw))
        except OverflowError:  # an int too large for a float
            return ParsedNumber.failed("read.number.infinite")
    if isinstance(raw, (datetime, date, time, timedelta)):
        return ParsedNumber.failed("read.number.date")
    text = str(raw).strip(_EDGE_SPACE)
    if text.casefold() in MISSING_MARKS:
        return ParsedNumber(None, missing=True)
    # footnote marks first: NFKC would turn ① into a digit 1
    text = _FOOTNOTE_TAIL.sub("", text)
    text = unicodedata.normalize("NFKC", text).strip(_EDGE_SPACE)
    if text.casefold() in MISSING_MARKS:
        return ParsedNumber(None, missing=True)
    unit = None
    if text.endswith("%"):
        unit, text = "%", text[:-1].rstrip(_EDGE_SPACE)
    elif text.endswith("‰"):
        unit, text = "‰", text[:-1].rstrip(_EDGE_SPACE)
    if _has_gap(text):
        return ParsedNumber.failed("read.number.gap")
    if "," in text:
        if not _THOUSANDS.match(text):
            return ParsedNumber.failed("read.number.comma")
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        return ParsedNumber.failed(_NOT_A_NUMBER)
    return _checked(float(text), unit)


# --- periods ---------------------------------------------------------------------------------------

ANNUAL, YTD, QUARTER = "annual", "ytd", "quarter"
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10, "十一": 11, "十二": 12}
_DASH = r"[-~～—–−至到]"
_NUM = r"(\d{1,2}|十[一二]?|[一二两三四五六七八九])"


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int  # 0 = the whole year, 1..4
    implied_basis: Optional[str]  # 'annual' | 'ytd' | 'quarter' when the label says so, else None
    month_end: bool = False  # a point in time (2024年9月, 2024年末, 2024-09-30): a stock reading
    through: bool = False  # '截至2024年9月底': for a flow, the sum from January up to that point


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS[text]


def _valid_year(year: int) -> bool:
    return 1949 <= year <= 2100


def label_text(raw: object) -> str:
    """A label cell as text: 2024.0 -> '2024', None -> '', strings stripped (incl. U+3000)."""
    if type(raw) is str:
        return raw.strip()  # str.strip() also drops U+3000 and no-break spaces
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


_label_text_memo = lru_cache(maxsize=1 << 16, typed=True)(label_text)


def label_texts(raws: Iterable[object]) -> list[str]:
    """label_text of each cell, worked out once per distinct cell (a column of a 200,000-row table
    repeats a few dozen labels). Cells equal as dict keys have the same label text (1 and 1.0 are
    '1', 0 and -0.0 '0') except True and 1: a column holding a true/false cell goes through a
    typed memo, which keeps them apart."""
    raws = raws if isinstance(raws, list) else list(raws)
    try:
        texts = dict.fromkeys(raws)
        if not any(type(raw) is bool for raw in texts):
            for raw in texts:
                texts[raw] = label_text(raw)
            return list(map(texts.__getitem__, raws))
        return list(map(_label_text_memo, raws))
    except TypeError:  # an unhashable cell: no reader makes one, but never fail for it
        return [label_text(raw) for raw in raws]


# the part of a period label after its year (_period_rest), as the files write it
_ANNUAL_RESTS = frozenset(("", "全年", "年度", "年", "全年累计", "年累计"))
_YEAR_END_RESTS = frozenset(("末", "底", "年末", "年底", "12月末", "12月底"))  # a stock's annual reading
_HALF_YEAR_RESTS = frozenset(("上半年", "1-2季度"))
_REST_MONTH_NUMBER = re.compile(r"(\d{1,2})")  # 2024.09, 2024-03, 2024/9 (the separator was eaten)
_REST_QUARTER = re.compile(rf"第?{_NUM}季度?(?:末)?")
_REST_Q_CODE = re.compile(r"Q([1-4])", re.IGNORECASE)
_REST_YTD_MONTHS = re.compile(rf"(?:1|一){_DASH}{_NUM}月(?:份)?")
_REST_YTD_QUARTERS = re.compile(rf"(?:第?(?:1|一)){_DASH}(?:第)?{_NUM}季度?")
_REST_FIRST_QUARTERS = re.compile(rf"前{_NUM}(?:个)?季度?")
_REST_MONTH = re.compile(rf"{_NUM}月(?:份|末|底)?")
# a date written as text, a label's trailing basis word, a year and what follows it
_DATE_TEXT = re.compile(r"(\d{4})(?:-(\d{1,2})-(\d{1,2})(?:00:00:00)?|[/.](\d{1,2})[/.](\d{1,2})|"
                        r"年(\d{1,2})月(\d{1,2})日)")
_LABEL_BASIS_WORDS = (("累计值", YTD), ("累计", YTD), ("当季值", QUARTER), ("当季", QUARTER), ("单季", QUARTER))
_YEAR_AND_REST = re.compile(r"(\d{4})(?:年|[-/.])?(.*)")
_YEAR_ONLY_RESTS = ("", "年")


# what the rest may be after the half year, tried in this order: its pattern, whether the number it
# holds is a month (a quarter's last month, else no period) or a quarter (1-4), the basis it implies
# and whether it names a month's end
_REST_RULES = (
    (_REST_MONTH_NUMBER, "month", None, True),
    (_REST_QUARTER, "quarter", None, False),
    (_REST_Q_CODE, "quarter", None, False),
    (_REST_YTD_MONTHS, "month", YTD, False),
    (_REST_YTD_QUARTERS, "quarter", YTD, False),
    (_REST_FIRST_QUARTERS, "quarter", YTD, False),
    (_REST_MONTH, "month", None, True),
)


def _period_rest(rest: str) -> tuple[int, Optional[str], bool] | None:
    """The part after the year -> (quarter, implied basis, month_end), or None."""
    if rest in _ANNUAL_RESTS:
        return 0, ANNUAL, False
    if rest in _YEAR_END_RESTS:
        return 0, ANNUAL, True  # the year's end: the annual reading of a stock
    if rest in _HALF_YEAR_RESTS:
        return 2, YTD, False
    for pattern, kind, basis, month_end in _REST_RULES:
        m = pattern.fullmatch(rest)
        if m:
            n = _number(m.group(1))
            if kind == "month":
                return (n // 3, basis, month_end) if n in (3, 6, 9, 12) else None
            return (n, basis, month_end) if 1 <= n <= 4 else None
    return None


def parse_period(label: object, year_hint: int | None = None) -> Period | None:
    """'2024Q3', '2024年第三季度', '2024年1-9月', '前三季度' (+ year_hint), '2024年', '202403SS' ... -> Period."""
    if isinstance(label, bool) or label is None:
        return None
    if isinstance(label, (date, datetime)):
        # a header typed as a date (2024-09-30, or 2024-09-01 for a cell typed 2024-09): the
        # reading at a quarter's end; any other day is not a quarter's end
        if label.month % 3 == 0 and _valid_year(label.year) and (
                label.day == 1 or (label + timedelta(days=1)).month != label.month):
            return Period(label.year, label.month // 3, None, month_end=True)
        return None
    text = unicodedata.normalize("NFKC", label_text(label))
    text = "".join(text.split())
    if not text:
        return None
    through = False
    m = _THROUGH.match(text)
    if m:  # 截至2024年9月底 / 截止到2024年末
        text, through = text[m.end():], True
    m = _DATE_TEXT.fullmatch(text)  # a date, as text
    if m:
        month, day = [int(x) for x in m.groups()[1:] if x is not None]
        try:
            found = parse_period(date(int(m.group(1)), month, day))
        except ValueError:
            return None
        return Period(found.year, found.quarter, None, True, through) if found else None
    implied = None
    for word, basis in _LABEL_BASIS_WORDS:
        if text.endswith(word) and len(text) > len(word):
            text, implied = text[: -len(word)], basis
            break
    code = next((read(m) for pattern, read in _QUARTER_CODES if (m := pattern.fullmatch(text))), None)
    if code:
        (year, quarter), rest_basis, month_end = code, None, False
    else:
        m = _YEAR_AND_REST.fullmatch(text)
        if m:
            year, rest = int(m.group(1)), m.group(2)
        elif year_hint is not None:
            year, rest = year_hint, text
            if rest in _YEAR_ONLY_RESTS:
                return None
        else:
            return None
        found = _period_rest(rest)
        if found is None:
            return None
        quarter, rest_basis, month_end = found
    if not _valid_year(year):
        return None
    basis = rest_basis or implied
    if rest_basis == ANNUAL and implied:
        basis = ANNUAL
    if through and not month_end:
        return None  # 截至 names a point in time: 截至2024年9月底, not 截至2024年第三季度
    return Period(year, quarter, basis, month_end, through)


_THROUGH = re.compile(r"^(?:截至|截止到|截止|截至到)")

# compact quarter codes -> (year, quarter): 202403SS (the NBS database), 2024C (A-D), Q3-2024
_QUARTER_CODES = (
    (re.compile(r"(\d{4})(0[1-4])SS", re.IGNORECASE), lambda m: (int(m.group(1)), int(m.group(2)))),
    (re.compile(r"(\d{4})([A-D])"), lambda m: (int(m.group(1)), "ABCD".index(m.group(2)) + 1)),
    (re.compile(r"Q([1-4])[-/]?(\d{4})", re.IGNORECASE), lambda m: (int(m.group(2)), int(m.group(1)))),
)


# period expressions inside a title, subtitle or header line, anywhere in it:
# '2024年1-9月各市（地）……', '2024年全省及各市（地）数字经济主要指标（1-9月）', '（截至2024年9月底）'
_YEAR_WORD = re.compile(r"(?<!\d)(\d{4})\s*年")
_THROUGH_WORDS = ("截至", "截止")  # 截至2024年9月底: a point in time
_THROUGH_LABEL, _YEAR_LABEL = "截至{year}年{rest}", "{year}年{rest}"  # a title's period, as a label
_YEAR_RANGE = re.compile(rf"\d{{4}}年?{_DASH}\d{{4}}年?")  # 2021年-2025年: no single period
_PERIOD_WORDS = re.compile(
    rf"(?:截至|截止到|截止)?\s*(?:(\d{{4}})\s*年)?\s*("
    rf"第?{_NUM}\s*季度末?|前{_NUM}\s*(?:个)?季度|上半年|全年|年末|年底|"
    rf"(?:1|一)\s*{_DASH}\s*{_NUM}\s*月(?:份)?|(?:第?(?:1|一))\s*{_DASH}\s*(?:第)?{_NUM}\s*季度|"
    rf"{_NUM}\s*月(?:份|末|底)?)")


@dataclass(frozen=True)
class TitlePeriod:
    """The period a title names: a label for parse_period, its year, and every expression found."""

    label: str
    year: Optional[int]
    found: tuple[str, ...]  # each period expression, as written
    conflict: bool = False  # two expressions that name different periods


def _period_words(text: str) -> list[tuple[str, Optional[int], str]]:
    """(expression as written, its year or None, the label without the year) for each one."""
    out = []
    for m in _PERIOD_WORDS.finditer(text):
        written = m.group(0).strip()
        rest = "".join(m.group(2).split())
        year = int(m.group(1)) if m.group(1) else None
        if written.startswith(_THROUGH_WORDS):
            rest = _THROUGH_WORDS[0] + rest
        out.append((written, year, rest))
    return out


def _rest_meaning(rest: str) -> Optional[tuple]:
    if rest.startswith(_THROUGH_WORDS[0]):
        found = parse_period(_THROUGH_LABEL.format(year=2000, rest=rest[2:]))
    else:
        found = parse_period(_YEAR_LABEL.format(year=2000, rest=rest))
    return None if found is None else (found.quarter, found.implied_basis, found.month_end,
                                       found.through)


def title_period(texts: Iterable[str]) -> Optional[TitlePeriod]:
    """Every period expression in the title lines, combined: year + period words.

    '2024年全省及各市（地）数字经济主要指标（1-9月）' -> '2024年1-9月'; two expressions naming
    different periods ('2024年1-6月……（1-9月）') -> conflict. A range of years ('2021年-2025年')
    names no single period. Years alone do not conflict (a base year '2020年=100' may stand in a
    title); the year written with the period words wins, else the first.
    """
    years: list[int] = []
    words: list[tuple[str, Optional[int], str]] = []
    for text in texts:
        if not text:
            continue
        clean = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
        if _YEAR_RANGE.search(clean):
            continue  # a range of years
        years.extend(int(y) for y in _YEAR_WORD.findall(clean))
        words.extend(w for w in _period_words(clean) if _rest_meaning(w[2]) is not None)
    if not years and not words:
        return None
    meanings = {_rest_meaning(rest) for _, _, rest in words}
    year = next((y for _, y, _ in words if y), years[0] if years else None)
    found = tuple(dict.fromkeys(w for w, _, _ in words))
    rest = words[0][2] if words else ""
    if rest.startswith(_THROUGH_WORDS[0]):
        label = _THROUGH_LABEL.format(year=year, rest=rest[2:]) if year else rest
    else:
        label = _YEAR_LABEL.format(year=year, rest=rest) if year else rest
    return TitlePeriod(label, year, found, conflict=len(meanings) > 1)


def find_period_in_text(text: str) -> tuple[str, Optional[int]] | None:
    """The period named in a title line -> (period label, year) or None.

    '2024年1-9月各市（地）数字经济主要指标' -> ('2024年1-9月', 2024); '2021年-2025年' (a range of
    periods, as in a 时间： line) -> None; '1-9月各市主要指标' -> ('1-9月', None).
    """
    found = title_period([text])
    if found is None or parse_period(found.label, found.year or 2000) is None:
        return None
    return found.label, found.year


# --- indicator labels ------------------------------------------------------------------------------

_BASIS_SUFFIX = re.compile(
    r"[_\-—\s]*(本年累计|年初累计|累计值|累计数|累计|当季值|当季|单季值|单季|本季|绝对值|总量)$")
_UNIT_TAIL = re.compile(r"[(\[]([^()\[\]]{1,12})[)\]]$")
_LEAD = re.compile(r"^(?:其中[:：]|[#＃△▲*]+|\d{1,2}[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\))\s*")
_TRAIL_MARKS = re.compile(r"[*#※①-⑳¹²³]+$")


# words in brackets after an indicator that qualify its figures but are not units: the price basis,
# the release's status, the cumulation (累计 decides the basis)
QUALIFIERS = ("按当年价格计算", "当年价格", "当年价", "现价", "可比价格", "可比价", "不变价格", "不变价",
              "初步核算数", "初步核算", "初步数", "快报数", "快报", "预计数", "预计", "修订数", "修订",
              "最终核实数", "核实数", "累计值", "累计数", "累计", "年初累计", "本年累计")
_QUALIFIER_SET = frozenset(QUALIFIERS)
_YTD_WORD = "累计"  # a qualifier or basis word with it makes the basis year to date
_QUARTER_WORDS = frozenset(("当季值", "当季", "单季值", "单季", "本季"))
_LIST_PUNCT = re.compile(r"[、，,;；]")  # a list, not a unit
_PLACE_SUFFIX = re.compile(r"[市县区省地]")  # a place, not a unit
_RATIO_WORD = "占"  # X占Y的比重: a share
NOTE_WORD_SEP, NOTE_SEP = "、", "；"  # a value's notes: 现价、初步核算；待国家统计局核定


@dataclass(frozen=True)
class IndicatorLabel:
    base: str
    unit: Optional[str]
    basis: Optional[str]  # 'ytd' (累计), 'quarter' (当季) or None
    qualifiers: tuple[str, ...] = ()  # 现价, 初步核算 ... as written in brackets


def _looks_like_unit(text: str) -> bool:
    return units.is_known_unit(text) or (
        len(text) <= 6 and not _LIST_PUNCT.search(text) and not _PLACE_SUFFIX.search(text))


def parse_indicator_label(label: object) -> IndicatorLabel:
    """'地区生产总值_累计值(亿元)' -> ('地区生产总值', '亿元', 'ytd'); '5G基站数（万个）' -> ('5G基站数', '万个', None)."""
    # footnote marks first: NFKC would turn ① into a digit 1
    text = unicodedata.normalize("NFKC", _TRAIL_MARKS.sub("", label_text(label)))
    text = _LEAD.sub("", text.strip()).strip()
    unit = basis = None
    qualifiers: list[str] = []
    for _ in range(5):  # '(亿元)累计', '累计(亿元)', '(亿元)(现价)' all occur
        text = text.strip()
        m = _UNIT_TAIL.search(text)
        if m and m.group(1).strip() in _QUALIFIER_SET:
            word = m.group(1).strip()
            qualifiers.insert(0, word)
            if _YTD_WORD in word and basis is None:
                basis = YTD
            text = text[: m.start()]
            continue
        if m and unit is None and _looks_like_unit(m.group(1).strip()):
            unit = units.normalise_unit(m.group(1))
            text = text[: m.start()]
            continue
        m = _BASIS_SUFFIX.search(text)
        if m and m.start() > 0:
            word = m.group(1)
            if basis is None:
                if _YTD_WORD in word:
                    basis = YTD
                elif word in _QUARTER_WORDS:
                    basis = QUARTER
            text = text[: m.start()]
            continue
        break
    return IndicatorLabel(text.strip().rstrip("_").strip(), unit or None, basis, tuple(qualifiers))


# --- catalog lookups ------------------------------------------------------------------------------

_REGION_LEAD = re.compile(r"^(?:其中[:：]|[#＃△▲*]+|\d{1,2}[.、])\s*")
# a share: 'X占Y(的)比重/比例/份额' (alias_key form: no spaces, NFKC, case-folded)
RATIO_PHRASE = re.compile(r"(.+?)占(.+?)的?(比重|比例|份额|百分比)")
# English names as files write them: 'Harbin City', 'Heilongjiang Province', 'Daxinganling Prefecture'
_EN_REGION_SUFFIX = re.compile(r"(city|province|prefecture|region|district|shi|sheng|diqu)$")
_EN_PUNCT = re.compile(r"[\s'’\-.]")


class LabelResolver:
    """Label -> catalog code, with a cache per label (files repeat the same labels many times)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._regions: dict[str, Optional[str]] = {}
        self._indicators: dict[str, tuple[Optional[str], IndicatorLabel]] = {}
        self._periods: dict[tuple[str, Optional[int]], Optional[Period]] = {}

    def region(self, label: object) -> Optional[str]:
        text = label_text(label)
        if text in self._regions:
            return self._regions[text]
        aliases = self.catalog.region_aliases
        code = aliases.get(alias_key(text))
        if code is None:
            clean = _REGION_LEAD.sub("", _TRAIL_MARKS.sub("", text)).strip()
            code = aliases.get(alias_key(clean))
        if code is None and text.isascii():  # 'Harbin City', "Qiqihar", 'Heilongjiang Province'
            key = _EN_PUNCT.sub("", alias_key(text))
            code = self._ascii_regions().get(key) or self._ascii_regions().get(
                _EN_REGION_SUFFIX.sub("", key))
        self._regions[text] = code
        return code

    def _ascii_regions(self) -> dict[str, str]:
        if not hasattr(self, "_ascii"):
            self._ascii = {_EN_PUNCT.sub("", a): c for a, c in self.catalog.region_aliases.items()
                           if a.isascii() and not a.isdigit()}
        return self._ascii

    def share_indicator(self, text: object) -> tuple[Optional[str], Optional[str]]:
        """For a ratio phrase 'X占Y(的)比重': (the share indicator whose aliases name X over Y, or
        None; the phrase). (None, None) when the text holds no ratio phrase."""
        key = alias_key(label_text(text))
        m = RATIO_PHRASE.search(key)
        if not m:
            return None, None
        if not hasattr(self, "_shares"):
            aliases = self.catalog.indicator_aliases
            self._shares = {}
            for alias, code in aliases.items():
                found = RATIO_PHRASE.fullmatch(alias)
                if found and self.catalog.indicators.get(code) and self.catalog.indicators[code].unit == "%":
                    pair = (self._part_code(found.group(1)), self._part_code(found.group(2)))
                    if all(pair):
                        self._shares[pair] = code
        pair = (self._part_code(m.group(1)), self._part_code(m.group(2)))
        return (self._shares.get(pair) if all(pair) else None), m.group(0)

    def _part_code(self, key: str) -> Optional[str]:
        """The level indicator named at the end of a text ('2024年各市数字经济核心产业增加值' ->
        digital_core_va): the longest alias the text ends with."""
        aliases = self.catalog.indicator_aliases
        for start in range(len(key)):
            code = aliases.get(key[start:])
            if code:
                return code
        return None

    def is_region(self, label: object) -> bool:
        """A catalog region, or a real place that is skipped as untracked: either way a region label."""
        return bool(self.region(label) or self.untracked_region(label))

    def untracked_region(self, label: object) -> Optional[str]:
        """'city' / 'unit' for a real place this monitor does not track (etl.normalise.untracked), else None."""
        text = label_text(label)
        return untracked_region(_REGION_LEAD.sub("", _TRAIL_MARKS.sub("", text)).strip())

    def indicator(self, label: object) -> tuple[Optional[str], IndicatorLabel]:
        text = label_text(label)
        if text in self._indicators:
            return self._indicators[text]
        parsed = parse_indicator_label(text)
        aliases = self.catalog.indicator_aliases
        code = None
        for candidate in (parsed.base, text, parsed.base.replace("_", "")):
            code = aliases.get(alias_key(candidate))
            if code:
                break
        if code is None and _RATIO_WORD in text:
            code = self.share_indicator(parsed.base)[0]
        self._indicators[text] = (code, parsed)
        return code, parsed

    def period(self, label: object, year_hint: Optional[int] = None) -> Optional[Period]:
        key = (label_text(label), year_hint)
        if key not in self._periods:
            self._periods[key] = parse_period(key[0], year_hint)
        return self._periods[key]


# --- the normalise step ----------------------------------------------------------------------------

@dataclass
class NormaliseResult:
    values: list[Value] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def _raw_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def value_notes(qualifiers: tuple[str, ...], note: Optional[str]) -> str:
    """A value's notes: its label's qualifiers and the title's (现价、初步核算, each once), then the
    template row's 备注 as written: '现价、初步核算' / '现价；待国家统计局核定'."""
    words = dict.fromkeys(qualifiers)
    free = ""
    if note:
        parts = note.split(NOTE_WORD_SEP)
        if all(part in _QUALIFIER_SET for part in parts):  # the title's qualifiers
            words.update(dict.fromkeys(parts))
        else:
            free = note.strip()
    return NOTE_SEP.join(x for x in (NOTE_WORD_SEP.join(words), free) if x)


def decide_basis(period: Period, label_basis: Optional[str], info) -> Optional[tuple[int, str]]:
    """(quarter, basis) for a value, by the rules in the module docstring; None = not a usable period."""
    if period.month_end:  # a point in time: the level of a stock or ratio there
        if info.measure in ("stock", "ratio") or period.through:  # 截至9月底: a flow's sum so far
            return (period.quarter, YTD) if period.quarter else (0, ANNUAL)
        return None
    if period.implied_basis == ANNUAL:
        return 0, ANNUAL
    cumulative_by_nature = info.quarterly_cumulative or info.measure in ("stock", "ratio")
    if period.implied_basis in (YTD, QUARTER):
        return period.quarter, period.implied_basis
    if label_basis in (YTD, QUARTER):
        return period.quarter, label_basis
    return period.quarter, YTD if cumulative_by_nature else QUARTER


class _Grouped:
    """Label problems reported once per label cell, with how many values they affect."""

    def __init__(self):
        self.items: dict[tuple, list] = {}

    def add(self, key: tuple, first: dict) -> None:
        entry = self.items.get(key)
        if entry is None:
            self.items[key] = [first, 1]
        else:
            entry[1] += 1


_LABELS_MISS = object()


def _unit_outcome(sign: Optional[str], column_unit: Optional[str], info) -> tuple:
    """('ok', unit, factors or None) or ('bad', unit) for a value with the cell's own sign (% / ‰)
    under a column in `column_unit` of an indicator `info`: the checks and the conversion of
    normalise_values, worked out once per combination (a file has a dozen units)."""
    # the cell's own sign wins over its column's unit ('98.5‰' in a % column is 9.85 %), if
    # both measure the same thing; a sign that contradicts the column ('5%' under 亿元) is an error
    unit = sign or column_unit or info.unit
    try:
        if sign and column_unit and units.dimension(column_unit) != units.dimension(sign):
            raise units.UnitError(f"{sign} on a value in {column_unit}")
        if not units.fits(unit, info.measure, info.unit):  # 万个 over a per-10,000-people column
            raise units.UnitError(f"{unit} does not fit {info.unit}")
        return "ok", unit, units.scale(info.unit if unit in units.PER_PERSONS else unit, info.unit)
    except units.UnitError:
        return "bad", unit


def _template_values(part: TemplateValues, catalog: Catalog, resolver: "LabelResolver",
                     ) -> Optional[list[Value]]:
    """normalise_values of a long template sheet whose every cell is a plain number of a
    believable magnitude, under labels that all resolve, in units that all fit: worked out per
    distinct label combination and region, then the Values made column by column. None when any
    row needs the cell-by-cell path (a missing mark, text, a number format, a problem to report),
    which then makes the same checks in the same order for every row."""
    raws = part.raws
    cell_types = set(map(type, raws))
    if part.formats is not None or not raws or not cell_types <= {float, int}:
        return None
    sizes = list(map(abs, raws))
    if max(sizes) >= MAX_MAGNITUDE or any(map(math.isnan, raws)) or (
            min(sizes) < MIN_MAGNITUDE and any(0 < size < MIN_MAGNITUDE for size in sizes)):
        return None
    # (indicator, period, basis, unit, note) -> (code, year, quarter, basis, unit factors, notes)
    rows = list(zip(part.indicators, part.periods, part.bases, part.units, part.notes))
    combos = dict.fromkeys(rows)
    for combo in combos:
        indicator_label, period_label, basis_hint, unit_hint, note = combo
        code, parsed = resolver.indicator(indicator_label)
        if code is None:
            return None
        info = catalog.indicators[code]
        period = resolver.period(period_label, None)
        decided = decide_basis(period, parsed.basis or basis_hint, info) if period else None
        outcome = _unit_outcome(None, parsed.unit or unit_hint, info)
        if decided is None or outcome[0] == "bad":
            return None
        notes = value_notes(parsed.qualifiers, note) if parsed.qualifiers or note else ""
        combos[combo] = (code, period.year, *decided, outcome[2], notes)
    regions = dict.fromkeys(part.regions)
    for label in regions:
        regions[label] = resolver.region(label)
        if regions[label] is None:
            return None
    codes, years, quarters, bases, factors, notes = zip(*map(combos.__getitem__, rows))
    if any(factors):
        values = [float(raw) if f is None else float(raw) * f[0] / f[1] for raw, f in zip(raws, factors)]
    else:
        values = map(float, raws)
    raw_texts = list(map(str, raws))  # _raw_text: a whole float without its '.0'
    whole = (map(float.is_integer, raws) if cell_types == {float} else
             () if cell_types == {int} else (type(raw) is float and raw.is_integer() for raw in raws))
    for i in compress(range(len(raws)), whole):
        raw_texts[i] = str(int(raws[i]))
    return list(map(Value, codes, map(regions.__getitem__, part.regions), years, quarters, bases,
                    values, repeat(part.sheet), map(part.letters[0].__add__, part.lines), raw_texts,
                    notes))


def normalise_values(raw_values: Iterable[RawValue], catalog: Catalog, *,
                     skip_unknown: bool = False) -> NormaliseResult:
    """Check and convert every raw value; problems name sheet, cell, raw text, zh + en.

    Label, period and unit work is done once per distinct combination (memos below), the checks
    in the same order for every value: number, indicator, region, period, formula, number error,
    number format, unit."""
    resolver = LabelResolver(catalog)
    result = NormaliseResult()
    grouped = _Grouped()
    append = result.values.append
    # (indicator label, period label, year hint, basis hint) -> (code, parsed, info, period, decided)
    labels: dict[tuple, tuple] = {}
    regions: dict[str, Optional[str]] = {}
    unit_outcomes: dict[tuple, tuple] = {}  # (sign, column unit, indicator code) -> _unit_outcome
    for part in raw_parts(raw_values):
        fast = _template_values(part, catalog, resolver) if isinstance(part, TemplateValues) else None
        if fast is not None:
            result.values.extend(fast)
            continue
        # the fields every value needs, as tuples (the long template's columns make no RawValue);
        # the RawValue of row i (part[i]) only for a problem to report
        for i, (raw, indicator_label, period_label, year_hint, basis_hint, label, unit_hint,
                number_format, note, sheet, cell) in enumerate(raw_rows(part)):
            kind = type(raw)
            if (kind is float or kind is int) and (raw == 0 or MIN_MAGNITUDE <= abs(raw) < MAX_MAGNITUDE):
                # a plain number of a believable magnitude (most cells): parse_number's value
                # without a ParsedNumber
                value = float(raw)
                number, sign, error = None, None, None
                raw_text = str(int(raw)) if kind is float and raw.is_integer() else str(raw)  # _raw_text
            else:
                number = parse_number(raw)
                if number.missing:
                    continue
                value, sign, error = number.value, number.unit, number.error
                raw_text = None
            key = (indicator_label, period_label, year_hint, basis_hint)
            plain_key = type(indicator_label) is str and type(period_label) is str  # no 1 == 1.0 == True
            found = labels.get(key, _LABELS_MISS) if plain_key else _LABELS_MISS
            if found is _LABELS_MISS:
                code, parsed = resolver.indicator(indicator_label)
                info = period = decided = None
                if code is not None:
                    info = catalog.indicators[code]
                    period = resolver.period(period_label, year_hint)
                    decided = decide_basis(period, parsed.basis or basis_hint, info) if period else None
                found = (code, parsed, info, period, decided)
                if plain_key:
                    labels[key] = found
            code, parsed, info, period, decided = found
            if code is None:
                rv = part[i]
                kind = "skipped-indicator" if skip_unknown else "unknown-indicator"
                key = (kind, rv.sheet, rv.indicator_label) if skip_unknown else (
                    kind, rv.sheet, rv.indicator_label, rv.indicator_cell or rv.cell)
                grouped.add(key, dict(sheet=rv.sheet, cell=rv.indicator_cell or rv.cell,
                                      raw=rv.indicator_label))
                continue
            if type(label) is str:
                region = regions.get(label, _LABELS_MISS)
                if region is _LABELS_MISS:
                    region = regions[label] = resolver.region(label)
            else:
                region = resolver.region(label)
            if region is None:
                rv = part[i]
                untracked = resolver.untracked_region(rv.region_label)
                code = "skipped-region" if untracked else "unknown-region"
                grouped.add((code, rv.sheet, rv.region_label, rv.region_cell or rv.cell),
                            dict(sheet=rv.sheet, cell=rv.region_cell or rv.cell, raw=rv.region_label,
                                 untracked=untracked))
                continue
            if decided is None:
                rv = part[i]
                grouped.add(("bad-period", rv.sheet, rv.period_label, rv.period_cell or rv.cell),
                            dict(sheet=rv.sheet, cell=rv.period_cell or rv.cell, raw=rv.period_label,
                                 flow=period is not None))
                continue
            if isinstance(raw, UncomputedFormula):
                result.problems.append(_formula_problem(part[i], info))
                continue
            if error:
                result.problems.append(_not_a_number(part[i], info, number))
                continue
            column_unit = parsed.unit or unit_hint
            if number_format and isinstance(raw, (int, float)):
                seen = _as_shown(part[i], number or ParsedNumber(value), column_unit, info)
                if isinstance(seen, Problem):
                    result.problems.append(seen)
                    continue
                shown, column_unit = seen
                value, sign = shown.value, shown.unit
            ukey = (sign, column_unit, code)
            outcome = unit_outcomes.get(ukey)
            if outcome is None:
                outcome = unit_outcomes[ukey] = _unit_outcome(sign, column_unit, info)
            if outcome[0] == "bad":
                unit = outcome[1]
                grouped.add(("bad-unit", sheet, indicator_label, unit),
                            dict(sheet=sheet, cell=cell, raw=_raw_text(raw), unit=unit,
                                 name_zh=info.name_zh, name_en=info.name_en, target=info.unit))
                continue
            factors = outcome[2]  # units.convert, with the factors worked out once
            value = float(value) if factors is None else float(value) * factors[0] / factors[1]
            quarter, basis = decided
            append(Value(code, region, period.year, quarter, basis, value, sheet, cell,
                         _raw_text(raw) if raw_text is None else raw_text,
                         value_notes(parsed.qualifiers, note) if parsed.qualifiers or note else ""))
    for key, (first, count) in grouped.items.items():
        problem = _label_problem(key[0], first, count)
        skipped = key[0] in ("skipped-indicator", "skipped-region")
        (result.skipped if skipped else result.problems).append(problem)
    return result


def _as_shown(rv: RawValue, number: ParsedNumber, column_unit: Optional[str], info):
    """(number as the analyst saw it, its unit) for a cell whose format scales what it shows:
    0.352 under 0.0% is 35.2 %; 80640 under 0!.0000 with 万个 in the header is 8.064 万个. A format
    that contradicts the header (a % format under 亿元) or a scaled number with no unit to read it
    in (8.0640 under 个) is format-conflict."""
    fmt = formats.describe(rv.number_format)
    where = dict(number_format=rv.number_format, name_zh=info.name_zh, name_en=info.name_en)
    if fmt.percent:
        shown = round(number.value * 100, 10)  # 0.412 x 100 is 41.2, not 41.199999999999996
        if column_unit and units.is_known_unit(column_unit) and units.dimension(column_unit) != "share":
            shown_zh, shown_en = pair("problem.format-conflict.shown_percent", shown=shown)
            return kinds.FORMAT_CONFLICT.at(rv.sheet, rv.cell, raw=_raw_text(rv.raw), unit=column_unit,
                                            shown_zh=shown_zh, shown_en=shown_en, **where)
        return ParsedNumber(shown, unit="%"), column_unit or "%"
    shown = round(number.value / fmt.divisor, 10)
    unit = formats.shown_unit(fmt, column_unit, info.unit)
    prefixed = unit and units.is_known_unit(unit) and units.factor_in_dimension(unit) > 1
    if not prefixed:
        shown_zh, shown_en = pair("problem.format-conflict.shown_scaled", shown=shown, value=number.value,
                                  divisor=fmt.divisor)
        return kinds.FORMAT_CONFLICT.at(rv.sheet, rv.cell, raw=_raw_text(rv.raw), unit=unit or info.unit,
                                        shown_zh=shown_zh, shown_en=shown_en, **where)
    return ParsedNumber(shown), unit


# a number with words around it: '约672', '672左右', '预计 1,200 个'
_NUMBER_IN_TEXT = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


def _not_a_number(rv: RawValue, info, number: ParsedNumber) -> Problem:
    text = _raw_text(rv.raw)
    where = dict(name_zh=info.name_zh, name_en=info.name_en, region=rv.region_label,
                 period=rv.period_label)
    folded = unicodedata.normalize("NFKC", text)
    found = _NUMBER_IN_TEXT.findall(folded)
    if len(found) == 1 and isinstance(rv.raw, str):
        words = "".join(folded.replace(found[0], " ").split())
        if words and any(ch.isalpha() and not ch.isascii() for ch in words):  # 约, 左右, 预计
            return kinds.NOT_A_NUMBER.at(rv.sheet, rv.cell, raw=text, variant="words",
                                         number=found[0].replace(",", ""), words=words, **where)
    if number.error != t(_NOT_A_NUMBER, "en"):
        return kinds.NOT_A_NUMBER.at(rv.sheet, rv.cell, raw=text, variant="why", why_zh=number.error_zh,
                                     why_en=number.error, **where)
    return kinds.NOT_A_NUMBER.at(rv.sheet, rv.cell, raw=text, **where)


def _formula_problem(rv: RawValue, info) -> Problem:
    return kinds.FORMULA_WITHOUT_VALUE.at(rv.sheet, rv.cell, raw=str(rv.raw), name_zh=info.name_zh,
                                          name_en=info.name_en, region=rv.region_label,
                                          period=rv.period_label)


def _label_problem(code: str, first: dict, count: int) -> Problem:
    at = dict(raw=first["raw"], count=count)
    sheet, cell = first["sheet"], first["cell"]
    if code == "skipped-region":
        zh, en = skip_messages(first["raw"], first["untracked"])
        return kinds.SKIPPED_REGION.at(sheet, cell, why_zh=zh, why_en=en, **at)
    if code == "bad-period":
        return kinds.BAD_PERIOD.at(sheet, cell, variant="flow-month" if first["flow"] else None, **at)
    if code == "bad-unit":
        return kinds.BAD_UNIT.at(sheet, cell, unit=first["unit"], target=first["target"],
                                 name_zh=first["name_zh"], name_en=first["name_en"], **at)
    return kinds.get(code).at(sheet, cell, **at)
