"""The catalogue of problem types: one code per check, in the manner of frictionless-py's errors.

Every finding of the ETL is made from a `ProblemType` here, never from ad-hoc strings:

    problems.NOT_A_NUMBER.at("各市", "C7", raw="约672", name_zh=..., ...)   # a cell
    problems.PART_ABOVE_WHOLE.at_value(value, ...)                         # a checked Value
    problems.NO_DATA.in_file(file="a.xlsx")                                # the whole file

A type carries its code, severity, a title and message templates in Chinese and English, a "how to
fix" line in both languages, and a description for the documentation. Templates are `str.format`
strings whose fields are the keyword arguments of `.at()`; a type with `variants` has several
phrasings of the same check (e.g. the file's part above a stored whole, or the file's whole below a
stored part), chosen with `variant=`.

`docs/etl.md`'s table of checks is generated from this catalogue (`markdown_table()`;
`python -m etl.checks.problems` prints it) and a test compares the two.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from etl.records import ERROR, INFO, WARNING, Problem, Value, sheet_cell

# where in the chain a check runs (documentation order)
READ, LAYOUT, CELL, FILE, STORED = "read", "layout", "cell", "file", "stored"
AWARDS, AWARD_RULES = "awards", "award-rules"  # the awards register's lists (etl/measures)
STAGE_TEXT = {
    READ: ("读取文件", "reading the file"),
    LAYOUT: ("识别版式", "recognising the layout"),
    CELL: ("逐格检查", "cell by cell"),
    FILE: ("文件内交叉检查", "across the file's values"),
    STORED: ("与数据库比较", "against the stored values"),
    AWARDS: ("读取奖励清单", "reading an award list"),
    AWARD_RULES: ("奖励与政策规则", "awards against the policy's rules"),
}


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
            return "文件“{file}”：{detail_zh}", "File {file!r}: {detail_en}", self.fix_zh, self.fix_en
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
        message_zh, message_en = zh.format_map(fields), en.format_map(fields)
        if prefix and sheet:
            ref = sheet_cell(sheet, cell)
            message_zh, message_en = f"{ref}：{message_zh}", f"{ref}: {message_en}"
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


CATALOGUE: dict[str, ProblemType] = {}


def _define(*args, **kwargs) -> ProblemType:
    kind = ProblemType(*args, **kwargs)
    if kind.code in CATALOGUE:
        raise ValueError(f"problem code {kind.code!r} defined twice")
    CATALOGUE[kind.code] = kind
    return kind


def get(code: str) -> ProblemType:
    return CATALOGUE[code]


_CHECK_SEND = ("如果文件确实是用 Excel 或 WPS 正常保存的，请另存为 .xlsx 后重新上传。",
               "If the file was saved normally in Excel or WPS, save it again as .xlsx and upload that.")

# --- reading the file ---------------------------------------------------------------------------

BAD_FILE = _define(
    "bad-file", ERROR, READ, "文件已损坏", "Corrupt file",
    "文件“{file}”：文件已损坏或不完整，无法作为 {fmt} 读取（{detail}）。",
    "File {file!r}: the file is corrupt or truncated and cannot be read as {fmt} ({detail}).",
    *_CHECK_SEND, "不是电子表格（图片、PDF、网页、XML、.ods、.xlsb、二进制数据，按内容判断），或文件损坏、不完整、"
    "压缩内容校验失败、CSV 无法解析",
    "not a spreadsheet (an image, a PDF, a web page, XML, .ods, .xlsb, binary data: decided by the "
    "content), or corrupt, truncated, a compressed part failing its check, a CSV that cannot be parsed")
TOO_LARGE = _define(
    "too-large", ERROR, READ, "文件过大", "File too large",
    "文件“{file}”：文件大小 {size_mb} MB，超过上限 {limit_mb} MB。",
    "File {file!r}: the file is {size_mb} MB, over the {limit_mb} MB limit.",
    "请删除不需要的工作表、行和列，或把数据分成几个文件上传。",
    "Delete sheets, rows and columns that are not needed, or split the data into several files.",
    "超过文件大小或单元格数量上限",
    "over the file size or cell count limit",
    variants={
        "cells": ("文件“{file}”：工作表“{sheet}”的内容延伸到 {height} 行 × {width} 列，超过上限 {limit} 个单元格"
                  "（如果数据并没有这么多，可能是远处的单元格里有空格等内容）。",
                  "File {file!r}: sheet {sheet!r} has content spanning {height} rows x {width} columns, "
                  "over the {limit} cell limit (if the data is not that large, a far-away cell may "
                  "hold a space or similar)."),
        "csv": ("文件“{file}”：单元格超过上限 {limit} 个。", "File {file!r}: more than {limit} cells."),
    })
ZIP_BOMB = _define(
    "zip-bomb", ERROR, READ, "疑似压缩炸弹", "Possible zip bomb",
    "文件“{file}”：解压后会超过 {limit_mb} MB 或压缩比超过 {ratio} 倍，已拒绝（疑似压缩炸弹）。",
    "File {file!r}: it would inflate past {limit_mb} MB or a compression ratio of {ratio} when "
    "unzipped; refused (possible zip bomb).",
    *_CHECK_SEND, "解压后过大或压缩比异常", "inflates too far, or an abnormal compression ratio")
ENCODING = _define(
    "encoding", ERROR, READ, "无法识别编码", "Unknown encoding",
    "文件“{file}”：无法识别文本编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）。",
    "File {file!r}: the text encoding cannot be recognised (UTF-8, UTF-8 with BOM and GBK/GB18030 are "
    "supported).",
    "请在 Excel 中打开后另存为 .xlsx，或另存为“CSV UTF-8”。",
    "Open it in Excel and save as .xlsx, or as 'CSV UTF-8'.",
    "CSV 的编码不是 UTF-8 或 GBK/GB18030", "a CSV that is neither UTF-8 nor GBK/GB18030")
INTERNAL_ERROR = _define(
    "internal-error", ERROR, READ, "处理时出现意外错误", "Unexpected error",
    "文件“{file}”无法处理（{stage_zh}时出现意外错误：{exc_type}，错误编号 {error_id}）。",
    "File {file!r} could not be processed (unexpected {exc_type} while {stage_en}; error id "
    "{error_id}).",
    "这是系统的问题，不是文件的问题：请将文件和错误编号 {error_id} 发给系统管理员（日志中有详细记录）。",
    "This is a fault of the system, not of the file: send the file and the error id {error_id} to "
    "the administrator (the log has the details).",
    "程序出错（回溯和错误编号记入日志文件，界面和终端只显示此说明和错误编号）",
    "a program fault (the traceback goes to the log file with an error id; the page and the "
    "terminal show only this line and the id)")

# --- recognising the layout -----------------------------------------------------------------------

NO_DATA = _define(
    "no-data", ERROR, LAYOUT, "没有可载入的数据", "No data to load",
    "文件“{file}”中没有可载入的数值（所有数值为空、缺失或被跳过）。",
    "File {file!r} has no values to load (every value is empty, missing or skipped).",
    "请检查是否上传了正确的文件，数据是否在隐藏的工作表中，或表头是否写明了地区、指标和时期。",
    "Check that this is the right file, that the data is not on a hidden sheet, and that the header "
    "names the regions, indicators and periods.",
    "文件为空，或没有可识别的数据、可载入的数值", "the file is empty, or nothing recognisable to load",
    variants={
        "blank": ("文件中没有可识别的数据：所有工作表都是空的（{sheets}）。",
                  "The file has no recognisable data: every sheet is empty ({sheets})."),
        "no-table": ("工作表“{sheet}”中没有可识别的数据：没有找到数据表（表头和数据行）。",
                     "Sheet {sheet!r} has no recognisable data: no table (a header row and data "
                     "rows) was found."),
        "no-labels": ("工作表“{sheet}”中没有可识别的数据：没有找到地区、指标或时期的标签列。",
                      "Sheet {sheet!r} has no recognisable data: no column of region, indicator or "
                      "period labels was found."),
        "no-axes": ("工作表“{sheet}”中没有可识别的数据：表头和行标签中没有可识别的地区、指标或时期，或没有数值。",
                    "Sheet {sheet!r} has no recognisable data: no region, indicator or period could be "
                    "recognised in the header and row labels, or there are no numbers."),
        "template-empty": ("工作表“{sheet}”中没有可识别的数据：模板中没有数据行。",
                           "Sheet {sheet!r} has no recognisable data: the template has no data rows."),
    })
_UNRECOGNISED_WHY = {
    "no-table": ("没有找到数据表（表头和数据行）", "no table (a header row and data rows) was found"),
    "no-labels": ("没有找到地区、指标或时期的标签列", "no column of region, indicator or period labels"),
    "no-axes": ("表头和行标签中没有可识别的地区、指标或时期，或没有数值",
                "no region, indicator or period in the header and row labels, or no numbers"),
    "template-empty": ("模板中没有数据行", "the template has no data rows"),
}
UNRECOGNISED_SHEET = _define(
    "unrecognised-sheet", WARNING, LAYOUT, "工作表未识别", "Sheet not recognised",
    "工作表“{sheet}”中没有可识别的数据（其他工作表的数据照常检查）。",
    "Sheet {sheet!r} has no recognisable data (the other sheets are checked as usual).",
    "如果这个工作表应当载入，请让表头写明地区、指标和时期；否则可以忽略此警告或删除该工作表。",
    "If this sheet should be loaded, make its header name the regions, indicators and periods; "
    "otherwise ignore this warning or delete the sheet.",
    "有数据的工作簿中另有一个无法识别的工作表", "a sheet that cannot be read, next to sheets with data",
    variants={why: (f"工作表“{{sheet}}”中没有可识别的数据：{zh}（其他工作表的数据照常检查）。",
                    f"Sheet {{sheet!r}} has no recognisable data: {en} (the other sheets are checked as "
                    f"usual).") for why, (zh, en) in _UNRECOGNISED_WHY.items()})
MISSING_DIMENSION = _define(
    "missing-dimension", ERROR, LAYOUT, "缺少地区、指标或时期", "Region, indicator or period not stated",
    "表中的行是{row_zh}、列是{col_zh}，但无法确定{third_zh}。",
    "Rows are {row_en}s and columns are {col_en}s, but the {third_en} is not stated.",
    "请在表头上方加一行“{third_zh}：…”，或在标题中写明{third_zh}（如“2024年1-9月”“地区生产总值”）。",
    "Add a line '{third_zh}：…' above the table, or name the {third_en} in the title (e.g. "
    "2024年1-9月, 地区生产总值).",
    "表的两个方向可以识别，第三个维度（地区、指标或时期）在标题、元数据行和工作表名中都没有",
    "two axes are recognised but the third (region, indicator or period) is in no title, "
    "metadata line or sheet name")
PERIOD_CONFLICT = _define(
    "period-conflict", ERROR, LAYOUT, "标题与表头的时期不一致", "Periods disagree",
    "标题、副标题和表头写的时期不一致：{found_zh}。",
    "The title, subtitle and header name different periods: {found_en}.",
    "请只保留一个正确的时期（如把标题改为“2024年1-9月……”），再上传。",
    "Keep one correct period (e.g. a title '2024年1-9月……') and upload again.",
    "标题、副标题、时间行或表头中出现两个不同的时期（如“2024年……（1-9月）”与“全年”）",
    "two different periods in the title, subtitle, time line or header")
YTD_AS_ANNUAL = _define(
    "ytd-as-annual", ERROR, LAYOUT, "累计数会被当作全年数", "Year-to-date read as annual",
    "标题写明“{ytd_label}”（年初至{month}月累计），但{where_zh}的时期“{annual_label}”表示全年：这样会把累计数当作全年数载入。",
    "The title says {ytd_label!r} (year to date, to month {month}), but the period {annual_label!r} "
    "{where_en} means the whole year: the year-to-date figures would be stored as annual ones.",
    "请把表头的时期改为“{year}年1-{month}月”，或删除标题中的累计期间（如果确是全年数据）。",
    "Write the header's period as '{year}年1-{month}月', or remove the year-to-date period from the "
    "title if the figures really are annual.",
    "标题或副标题写明年初至今的期间（1-9月、前三季度、截至9月底），而表头只有年份",
    "a title or subtitle naming a year-to-date period (1-9月, 前三季度, 截至9月底) over a header "
    "that names only the year")
UNIT_CONFLICT = _define(
    "unit-conflict", ERROR, LAYOUT, "单位与指标不符", "Unit does not fit the indicator",
    "“{label}”的单位“{unit}”（{unit_where}）不适用于指标“{name_zh}”（单位 {target}）。",
    "The unit {unit!r} of {label!r} ({unit_where}) does not fit {name_en} (unit {target}).",
    "请在表头或单位行中给这一列写上正确的单位（如“单位：万个、个”依次对应各列），或把该列放到单独的表中。",
    "Write the column's own unit in its header or the unit line (e.g. '单位：万个、个' in column "
    "order), or put the column in a table of its own.",
    "单位行或表头的单位与指标的量纲不符（如“万个”用于“每万人拥有5G基站数”），不做换算",
    "a unit from the unit line or header that does not fit the indicator's dimension (万个 over a "
    "per-10,000-people column); never converted")
FORMAT_CONFLICT = _define(
    "format-conflict", ERROR, LAYOUT, "数字格式与表头不符", "Number format disagrees with the header",
    "单元格的数字格式“{number_format}”显示为{shown_zh}，但表头/单位是“{unit}”（{name_zh}）。",
    "The cell's number format {number_format!r} shows {shown_en}, but the header or unit says "
    "{unit!r} ({name_en}).",
    "请统一单元格格式和表头单位：百分数用“%”格式或在表头写“%”，以万为单位的格式请在表头写“万…”。",
    "Make the cell format and the header agree: a percentage either as a '%' format or '%' in the "
    "header; a format that shows 万 needs '万…' in the header.",
    "单元格数字格式（0.0%、以万为单位的自定义格式）与表头或单位行的单位矛盾",
    "a cell's number format (0.0%, a custom 万 format) that contradicts the header or unit line")
SHARE_NOT_LEVEL = _define(
    "share-not-level", ERROR, LAYOUT, "比重与总量混淆", "A share read as a level",
    "“{label}”是比重（{phrase}），但{where_zh}的单位或数值是{unit_zh}，与指标“{name_zh}”（{target}）不符。",
    "{label!r} is a share ({phrase}), but {where_en} the unit or values are {unit_en}, which does not "
    "fit {name_en} ({target}).",
    "比重请以“%”为单位填写，总量请去掉“占……比重”字样，二者不要放在同一列。",
    "Report a share in %, and a level without '占……比重'; never both in one column.",
    "“占……比重/比例”决定指标；数值和单位与该指标不符时拒绝",
    "a ratio phrase (占…比重/比例) decides the indicator; values or units that disagree are rejected")
HIDDEN_CELLS = _define(
    "hidden-cells", WARNING, LAYOUT, "隐藏行列中的数值", "Values in hidden rows or columns",
    "工作表“{sheet}”的隐藏行或隐藏列中有 {count} 个数值（{cells}），它们也会被载入。",
    "Sheet {sheet!r} has {count} value(s) in hidden rows or columns ({cells}); they are loaded too.",
    "请取消隐藏并确认这些数值应当载入；不应载入的请删除。",
    "Unhide them and check that they should be loaded; delete those that should not.",
    "隐藏的行或列中有数值（照常载入，但提醒核对）", "values in hidden rows or columns (loaded, but flagged)")
SKIPPED_SHEET = _define(
    "skipped-sheet", INFO, LAYOUT, "跳过的工作表", "Sheet skipped",
    "已跳过工作表“{sheet}”。", "Skipped sheet {sheet!r}.",
    variants={
        "hidden": ("已跳过隐藏的工作表“{sheet}”：隐藏的工作表通常是查找表或草稿，不作为数据载入。",
                   "Skipped hidden sheet {sheet!r}: hidden sheets hold lookups or drafts and are not "
                   "loaded.", "如果其中的数据应当载入，请在 Excel 中取消隐藏该工作表后重新上传。",
                   "If its data should be loaded, unhide the sheet in Excel and upload again."),
        "instructions": ("已跳过工作表“{sheet}”：这是说明页（填表说明、指标解释），即使其中有数字也不作为数据。",
                         "Skipped sheet {sheet!r}: it is an instructions sheet (说明), not data, even "
                         "with numbers in it.", "如果其中有要载入的数据，请把它们移到另一个工作表。",
                         "If it holds data to load, move the data to another sheet."),
        "template": ("已跳过工作表“{sheet}”：这是模板自带的代码表，不是数据。",
                     "Skipped sheet {sheet!r}: it is one of the template's code lists, not data.",
                     "", ""),
        "text": ("已跳过工作表“{sheet}”：其中只有文字，没有数值（如代码表、目录）。",
                 "Skipped sheet {sheet!r}: it holds text only, no numbers (a code list, a contents "
                 "page).", "", ""),
    },
    doc_zh="隐藏的工作表、说明/填表说明工作表、模板的代码表：列出并说明原因，不载入",
    doc_en="hidden sheets, instructions sheets (说明) and the template's code lists: listed with the "
           "reason, not loaded")
SKIPPED_ROW = _define(
    "skipped-row", INFO, LAYOUT, "跳过的行", "Row skipped",
    "已跳过“{label}”。", "Skipped {label!r}.",
    variants={
        "total": ("已跳过“{label}”：合计行是其他行之和，不是一个地区；全省数值请写在“全省”或“黑龙江省”行。",
                  "Skipped {label!r}: a total row is the sum of the other rows, not a region; write the "
                  "province's figure in a 全省 or 黑龙江省 row.", "", ""),
        "average": ("已跳过“{label}”：平均值（如全国平均）不是一个地区的数值；全国数值请写在“全国”行。",
                    "Skipped {label!r}: an average (such as the national average) is not a region's "
                    "figure; write the nation's figure in a 全国 row.", "", ""),
        "example": ("已跳过第 {row} 行：这是模板自带的示例行（备注“示例行”），不是数据。",
                    "Skipped row {row}: it is the template's example row (note '示例行'), not data.",
                    "如果这一行是数据，请删除备注中的“示例行”字样。",
                    "If the row is data, delete '示例行' from its note."),
    },
    doc_zh="合计、全国平均、模板示例行等不是监测地区的数值的行",
    doc_en="合计 (total) and 全国平均 (national average) rows, the template's example row")
SKIPPED_COLUMN = _define(
    "skipped-column", INFO, LAYOUT, "跳过的列", "Column skipped",
    "已跳过列“{label}”：增速、同比、位次等不是目录中的指标。",
    "Skipped column {label!r}: growth rates and ranks are not catalog indicators.",
    doc_zh="增速、同比、位次等列（行）", doc_en="growth-rate and rank columns (or rows)",
    variants={"row": ("已跳过行“{label}”：增速、同比、位次等不是目录中的指标。",
                      "Skipped row {label!r}: growth rates and ranks are not catalog indicators.")})
QUALIFIER = _define(
    "qualifier", INFO, LAYOUT, "口径说明", "Qualifier noted",
    "“{label}”中的“{words}”是口径说明，不是单位：已记入批次备注。",
    "{words!r} in {label!r} qualifies the figures (price basis, preliminary, cumulative); it is not "
    "a unit and is kept in the batch notes.",
    doc_zh="现价、当年价、可比价、初步核算、快报、累计等说明记入备注，不当作单位（累计决定口径）",
    doc_en="现价, 当年价, 可比价, 初步核算, 快报, 累计 are kept as notes, not units (累计 decides the basis)")

# --- cell by cell ---------------------------------------------------------------------------------

UNKNOWN_INDICATOR = _define(
    "unknown-indicator", ERROR, CELL, "指标无法识别", "Unknown indicator",
    "指标名称无法识别：“{raw}”（涉及 {count} 个数值）。", "Unknown indicator {raw!r} ({count} value(s)).",
    "请使用目录中的指标名称或代码（见模板的“指标代码”工作表），或选择“跳过未知指标”。",
    "Use a catalog indicator name or code (see the template's 指标代码 sheet), or choose to skip "
    "unknown indicators.")
SKIPPED_INDICATOR = _define(
    "skipped-indicator", INFO, CELL, "跳过的指标", "Indicator skipped",
    "已跳过目录中没有的指标：“{raw}”（涉及 {count} 个数值）。",
    "Skipped indicator not in the catalog: {raw!r} ({count} value(s)).",
    doc_zh="目录中没有的指标（选择“跳过未知指标”时）", doc_en="indicators not in the catalog (with --skip-unknown)")
EDITED_EXAMPLE = _define(
    "edited-example", ERROR, LAYOUT, "改动过的示例行", "Edited example row",
    "第 {row} 行仍带有模板示例行的备注“示例行”，但内容已改动：无法确定它是示例还是数据。",
    "Row {row} still carries the template's example note ('示例行') but its contents were changed: "
    "it cannot be told whether it is the example or data.",
    "如果这一行是数据，请删除备注中的“示例行”字样；否则删除这一行。",
    "If the row is data, delete '示例行' from its note; otherwise delete the row.",
    "模板的示例行被改动过但仍带有示例备注（未改动的示例行跳过并列出）",
    "the template's example row edited but still marked as the example (an unedited one is skipped "
    "and listed)")
REGION_MISMATCH = _define(
    "region-mismatch", ERROR, LAYOUT, "区划代码与地区名称不符", "Region code and name disagree",
    "区划代码“{code}”是{code_name}，但同一行的地区名称是“{name}”。",
    "The region code {code!r} is {code_name}, but the name in the same row is {name!r}.",
    "请核对这一行的区划代码和名称，改正其中错误的一个。",
    "Check the row's region code and name and correct the wrong one.",
    "区划代码列与地区名称列指向不同的地区（代码优先，不一致即拒绝）",
    "a 区划代码 column and the name column naming different regions (the code is the key; a "
    "disagreement is rejected)")
UNKNOWN_REGION = _define(
    "unknown-region", ERROR, CELL, "地区无法识别", "Unknown region",
    "地区名称无法识别：“{raw}”（涉及 {count} 个数值）。", "Unknown region {raw!r} ({count} value(s)).",
    "请使用规范的地区名称（哈尔滨市、哈尔滨、Harbin）或6位行政区划代码（230100）。",
    "Use a standard region name (哈尔滨市, 哈尔滨, Harbin) or its 6-digit GB/T 2260 code (230100).")
SKIPPED_REGION = _define(
    "skipped-region", INFO, CELL, "跳过的地区", "Region skipped",
    "{why_zh}（涉及 {count} 个数值）", "{why_en} ({count} value(s))",
    doc_zh="外省城市、农垦/森工/省直等非行政区划单位", doc_en="cities of other provinces, non-administrative "
                                                     "units (农垦, 森工, 省直)")
BAD_PERIOD = _define(
    "bad-period", ERROR, CELL, "时期无法识别", "Unrecognised period",
    "无法识别的时期：“{raw}”（涉及 {count} 个数值）。", "Unrecognised period {raw!r} ({count} value(s)).",
    "可用的写法：2024年、2024年第三季度、2024Q3、202403SS、2024年1-9月、2024年前三季度、2024年上半年；"
    "存量和比率（如5G基站数）还可写 2024年9月、2024年9月末、2024年末、2024年底、截至2024年9月底、2024.09、2024-09、"
    "2024/9/30 或日期单元格（须为季末月份）。",
    "Accepted labels: 2024年, 2024年第三季度, 2024Q3, 202403SS, 2024年1-9月, 2024年前三季度, 2024年上半年; "
    "for stocks and ratios (e.g. 5G stations) also 2024年9月, 2024年9月末, 2024年末, 2024年底, "
    "截至2024年9月底, 2024.09, 2024-09, 2024/9/30 or a date cell (a quarter's last month).",
    variants={"flow-month": ("单月数据只适用于存量或比率指标：“{raw}”（涉及 {count} 个数值）。",
                             "A single month is only usable for stock or ratio indicators: {raw!r} "
                             "({count} value(s)).")})
NOT_A_NUMBER = _define(
    "type-error", ERROR, CELL, "不是数值", "Not a number",
    "单元格不是可用的数值：“{raw}”（{name_zh}，{region}，{period}）。",
    "The cell is not a number: {raw!r} ({name_en}, {region}, {period}).",
    "请只填写数字（如 672）；缺失值请留空或填写“—”。",
    "Enter the number alone (e.g. 672); leave a missing value empty or write —.",
    "单元格不是数值：文字、日期、逻辑值、粘连的数字、无穷大或不可信的数量级",
    "the cell is not a number: text, a date, a true/false value, glued numbers, an infinity or an "
    "absurd magnitude",
    variants={
        "why": ("单元格不是可用的数值（{why_zh}）：“{raw}”（{name_zh}，{region}，{period}）。",
                "The cell is not a usable number ({why_en}): {raw!r} ({name_en}, {region}, {period})."),
        "words": ("单元格不是可用的数值：“{raw}”（{name_zh}，{region}，{period}）。",
                  "The cell is not a number: {raw!r} ({name_en}, {region}, {period}).",
                  "请只填写数字 {number}，把“{words}”写到“备注”列或表下的注释中。",
                  "Enter the number alone, {number}, and put {words!r} into the 备注 (note) column or "
                  "a note below the table."),
    })
FORMULA_WITHOUT_VALUE = _define(
    "formula-without-value", ERROR, CELL, "公式没有计算结果", "Formula without a value",
    "单元格是公式“{raw}”，但文件中没有它的计算结果（{name_zh}，{region}，{period}）。",
    "The cell holds the formula {raw!r} but the file has no computed value for it ({name_en}, "
    "{region}, {period}).",
    "文件多由程序生成、未在 Excel 中保存过：请在 Excel 或 WPS 中打开文件、保存后再上传。",
    "Files written by programs often carry no computed values: open the file in Excel or WPS, save "
    "it and upload again.")
BAD_UNIT = _define(
    "bad-unit", ERROR, CELL, "单位无法换算", "Unit cannot be converted",
    "单位“{unit}”无法换算为指标“{name_zh}”的单位“{target}”（涉及 {count} 个数值）。",
    "Unit {unit!r} cannot be converted to {target!r}, the unit of {name_en} ({count} value(s)).",
    "请在表头或“单位”列写明与指标量纲相同的单位（如 亿元、万元；%；个、万个）。",
    "Write a unit of the indicator's kind in the header or the unit column (亿元, 万元; %; 个, 万个).")

# --- across the file's values ---------------------------------------------------------------------

DUPLICATE_ROW = _define(
    "duplicate-row", ERROR, FILE, "重复的数值", "Duplicate value",
    "与 {first} 重复（{what_zh}），{same_zh}。", "duplicates {first} ({what_en}), {same_en}.",
    "同一指标、地区、时期、口径只能出现一次：请删除其中一个。",
    "An indicator, region, period and basis may appear only once: delete one of them.",
    "同一指标、地区、时期、口径在文件中出现两次（数值相同也算），报告两个单元格",
    "the same indicator, region, period and basis twice in a file, even with the same number; both "
    "cells named")
OUT_OF_RANGE = _define(
    "out-of-range", ERROR, FILE, "超出取值范围", "Out of range",
    "数值 {value}{unit} 超出允许范围 {low} 至 {high}{unit}（{what_zh}）。",
    "value {value} {unit} is outside the allowed range {low} to {high} {unit} ({what_en}).",
    "请核对数值和单位（比例在 0–100 之间，总量不能为负）。",
    "Check the number and its unit (shares lie within 0–100, totals are never negative).",
    "超出目录中的取值范围：比例不在0–100之间、GDP为负等",
    "outside the catalog's range: a share outside 0–100, a negative GDP")
PART_ABOVE_WHOLE = _define(
    "part-above-whole", ERROR, FILE, "部分大于整体", "Part above the whole",
    "{what_zh} 为 {value}{unit}，大于同期{whole_zh} {whole}{unit}（{where_zh}）：部分不能大于整体。",
    "{what_en} is {value} {unit}, more than {whole_en} {whole} {unit} for the same period "
    "({where_en}): a part cannot exceed the whole.",
    "请核对两个数值的单位和口径（如核心产业增加值与GDP是否同为“亿元”、同为累计值）。",
    "Check the units and bases of both figures (e.g. core value added and GDP both in 亿元, both "
    "year to date).",
    "核心产业增加值大于同期GDP（文件内，或文件与数据库之间）",
    "core value added above GDP for the same period (in the file, or file against database)",
    variants={"whole": ("{what_zh} 为 {value}{unit}，小于同期{part_zh} {part}{unit}（{where_zh}）：整体不能小于部分。",
                        "{what_en} is {value} {unit}, less than {part_en} {part} {unit} for the same "
                        "period ({where_en}): the whole cannot be below its part.")})
SHARE_MISMATCH = _define(
    "share-mismatch", ERROR, FILE, "占比与计算值不符", "Share disagrees with its parts",
    "{what_zh} 填报为 {value}%，但按{num_zh} {num}（{num_where_zh}）÷{den_zh} {den}（{den_where_zh}）"
    "计算为 {computed}%，相差超过 {tolerance} 个百分点。",
    "{what_en} is reported as {value}%, but {num_en} {num} ({num_where_en}) / {den_en} {den} "
    "({den_where_en}) gives {computed}%, more than {tolerance} points apart.",
    "请核对占比、分子和分母是否同一时期、同一口径，并使用同一版本的数据。",
    "Check that the share, numerator and denominator are of the same period and basis, from the "
    "same release.",
    "填报的核心产业占比与 增加值÷GDP×100 相差超过0.2个百分点",
    "a reported core share more than 0.2 points from core ÷ GDP × 100")
STALE_SHARE = _define(
    "stale-share", WARNING, STORED, "数据库中的占比需要修订", "Stored share no longer matches",
    "{what_zh}：按本文件的数值，{num_zh}÷{den_zh} 为 {computed}%，与数据库中的{share_zh} {share}%"
    "（{where_zh}）相差超过 {tolerance} 个百分点。",
    "{what_en}: with this file's values {num_en} / {den_en} is {computed}%, more than {tolerance} "
    "points from the stored {share_en} {share}% ({where_en}).",
    "请同时上传修订后的{share_zh}。", "Upload the revised {share_en} too.",
    "文件中新的增加值或GDP与数据库中的核心产业占比不再相符（占比通常稍后公布）",
    "the file's new core value added or GDP no longer matches the stored share (published later)")
ABOVE_PARENT = _define(
    "above-parent", ERROR, FILE, "大于上级地区", "Above its parent region",
    "{what_zh} 为 {value}{unit}，大于上级地区的数值 {parent}{unit}（{parent_zh}，{parent_where}）。",
    "{what_en} is {value} {unit}, more than its parent region's {parent} {unit} ({parent_en}, "
    "{parent_where}).",
    "请核对两行是否错位、单位是否相同（如市的数值误用“万元”）。",
    "Check that the rows are not shifted and the units agree (e.g. a city's figure in 万元).",
    "市（地）的总量或存量大于全省（省大于全国）；比率不检查",
    "a city's flow or stock above its province (a province above the nation); ratios are not checked")
QUARTER_SUM_MISMATCH = _define(
    "quarter-sum-mismatch", ERROR, FILE, "当季值与累计值不符", "Quarters do not add up",
    "{what_zh} 为 {value}{unit}，与同一文件中的累计值不符：按 {formula} 应为 {expected}{unit}"
    "（当季值之和须等于累计值）。",
    "{what_en} is {value} {unit}, which does not agree with the year-to-date values of the same file: "
    "{formula} gives {expected} {unit} (the quarters must add up to the year-to-date sum).",
    "请核对“当季”和“累计”两列是否放反或错位。",
    "Check that the quarter-alone and year-to-date columns are not swapped or shifted.",
    "累计指标的当季值与同一文件中的累计值对不上（Q3当季 ≠ 1-9月 − 1-6月）",
    "quarter-alone values of a cumulative flow that do not add up to the file's year-to-date values")
PER_10K_MISMATCH = _define(
    "per-10k-mismatch", WARNING, FILE, "每万人基站数与计算值不符", "Per-10k figure disagrees",
    "{what_zh}：{ratio_zh} 为 {ratio}（{ratio_where_zh}），但5G基站数 {stations}（{stations_where_zh}）÷ "
    "年末常住人口 {population}万人（{population_where_zh}）为 {computed}，相差超过 {tolerance}%。",
    "{what_en}: {ratio_en} is {ratio} ({ratio_where_en}), but 5G stations {stations} "
    "({stations_where_en}) / population {population} (10,000 persons; {population_where_en}) gives "
    "{computed}, more than {tolerance}% apart.",
    "请核对基站数和人口的时期与单位。", "Check the periods and units of the station count and the population.",
    "填报的每万人拥有5G基站数与 基站数÷年末常住人口 相差超过3%",
    "a reported fiveg_per_10k more than 3 % from stations ÷ population")
CUMULATIVE_DECREASE = _define(
    "cumulative-decrease", ERROR, FILE, "累计值减少", "Year-to-date sum falls",
    "{what_zh} 累计值 {value}{unit} 小于前一季度累计值 {other}{unit}（{where_zh}）：年内累计值不能减少。",
    "{what_en}: the year-to-date value {value} {unit} is below the previous quarter's {other} {unit} "
    "({where_en}): a year-to-date sum cannot fall within a year.",
    "请核对是否把当季值填成了累计值，或列的顺序是否错位。",
    "Check whether a quarter-alone figure was entered as year to date, or the columns are shifted.",
    "累计值指标（GDP、核心产业增加值）年内累计值下降，如1-9月小于1-6月。基站数等存量和比率可以下降，不检查此项",
    "a year-to-date sum that falls within a year; stocks (stations) and ratios may fall and are not "
    "checked",
    variants={"later": ("{what_zh} 累计值 {value}{unit} 大于后一季度累计值 {other}{unit}（{where_zh}）：年内累计值不能减少。",
                        "{what_en}: the year-to-date value {value} {unit} is above the following "
                        "quarter's {other} {unit} ({where_en}): a year-to-date sum cannot fall within "
                        "a year.")})
SUSPICIOUS_JUMP = _define(
    "suspicious-jump", WARNING, FILE, "变动异常", "Suspicious change",
    "{what_zh} 为 {value}{unit}，较{before_zh} {before}{unit}（{where_zh}）{change_zh}。",
    "{what_en} is {value} {unit}; against {before_en}, {before} {unit} ({where_en}), it {change_en}.",
    "请核对单位和数值（万元/亿元、个/万个之差是一万倍）。",
    "Check the unit and the number (万元 vs 亿元, 个 vs 万个 is a factor of 10,000).",
    "与上年同期相比，流量变化超过+50%/−33%、存量超过10倍或减半；比率与上一期相比变动超过30个百分点",
    "a flow changing beyond +50 % / −33 % on the same period last year, a stock beyond ×10 or halved, "
    "a ratio moving more than 30 points between consecutive periods")
FRACTION_AS_PERCENT = _define(
    "fraction-as-percent", WARNING, FILE, "百分数疑似填成小数", "Percentages look like fractions",
    "“{name_zh}”的 {count} 个数值（{cells}）都在 0–1 之间，而单位是 %：可能把 35.2% 填成了 0.352。",
    "All {count} values of {name_en} ({cells}) lie within 0–1 while the unit is %: 35.2% may have been "
    "entered as 0.352.",
    "如果是小数，请乘以100后填写，或把单元格设为百分比格式（0.0%）。",
    "If they are fractions, multiply by 100, or format the cells as percentages (0.0%).",
    "百分比指标的整列数值都在0–1之间", "every value of a % indicator in a file lies within 0–1")

OUTLIER = _define(
    "outlier", ERROR, FILE, "与同一序列相差悬殊", "Far off its own series",
    "{what_zh} 为 {value}{unit}，是同一序列相邻时期 {near_zh} 的{factor_zh}：疑似数字损坏、错位或单位错误。",
    "{what_en} is {value} {unit}, {factor_en} the same series' neighbouring periods ({near_en}): "
    "probably a damaged or shifted number, or a unit slip.",
    "请核对这个单元格的数值和单位（与原始报表比较）；文件如经传输或转换，请重新导出后上传。",
    "Check this cell's number and unit against the original table; if the file was sent on or "
    "converted, export it again and upload that.",
    "总量或存量是文件中同一地区、同一指标前后年份数值的50倍以上（或1/50以下）；存量的最早值可以远小于后一年（起步期）",
    "a flow or stock 50 times (or 1/50) its neighbouring years in the file, same region and "
    "indicator; a stock's earliest value may be far below the next (a roll-out)")

# --- against the stored values ------------------------------------------------------------------

SCALE_SLIP = _define(
    "scale-slip", ERROR, STORED, "数量级错误", "Scale slip",
    "{what_zh} 为 {value}{unit}，约为数据库中同一序列{before_zh} {before}{unit}（{where_zh}）的 {factor_zh}：疑似单位或数量级错误。",
    "{what_en} is {value} {unit}, about {factor_en} the stored {before} {unit} of the same series for "
    "{before_en} ({where_en}): probably a unit or scale slip.",
    "请核对单位（元/万元/亿元，个/万个）和单元格格式；如数值确实如此，请先回滚旧批次或联系管理员。",
    "Check the unit (元/万元/亿元, 个/万个) and the cell format; if the figure really is right, roll "
    "back the old batch first or ask the administrator.",
    "与同一地区、同一指标相邻时期的已存数值相差约100、1,000或10,000倍",
    "a factor near 100, 1,000 or 10,000 against the same region and indicator's stored values in "
    "neighbouring periods")
LARGE_REVISION = _define(
    "large-revision", WARNING, STORED, "修订幅度大", "Large revision",
    "{what_zh} 将由 {old}{unit}（{where_zh}）修订为 {value}{unit}，变动 {change}，超过 {limit}%。",
    "{what_en} would be revised from {old} {unit} ({where_en}) to {value} {unit}, a change of "
    "{change}, more than {limit}%.",
    "请确认这是正式修订（如经济普查后的修订）。", "Confirm it is a real revision (e.g. after an economic census).",
    "修订幅度超过10%（与数据库当前值比较）", "a revision of more than 10 % against the stored value")
OTHER_INDICATOR = _define(
    "other-indicator", ERROR, STORED, "修订的不是标题所说的指标", "Revises another indicator",
    "标题写的是“{title_zh}”，但文件会修订数据库中另一个指标“{name_zh}”的 {count} 个数值（如 {cell}：{old} → {value}）。",
    "The title names {title_en!r}, but the file would revise {count} stored value(s) of another "
    "indicator, {name_en} (e.g. {cell}: {old} -> {value}).",
    "请核对表头的指标名称：如果是标题所说的指标，请把表头改为该指标的名称。",
    "Check the indicator names in the header: if the figures are the title's indicator, name it in "
    "the header.",
    "标题指明一个指标，而文件修订的是另一个指标的已存数值",
    "the title names one indicator but the file would revise stored values of another")


# --- award lists and task progress sheets (etl/measures: read.py, tasks.py, pipeline.py) -----------
# A format problem means the list cannot be read as awards; unknown-place is a warning (the award
# loads without a city).

AWARD_HEADER = _define(
    "award-header", ERROR, AWARDS, "找不到表头", "No header row",
    "表头缺少“{column}”列。", "The header has no '{column}' column.",
    "用 python -m etl template --awards 生成的模板，或在表头写上这些列名。",
    "Use the template (python -m etl template --awards) or name the columns as it does.",
    "奖励清单没有表头，或表头缺少必填列", "an award list without a header row, or without a required column",
    variants={"no-header": ("文件“{file}”中找不到奖励清单的表头（须有“企业名称”和“统一社会信用代码”两列）。",
                            "File {file!r} has no award-list header (it needs the columns 企业名称 and "
                            "统一社会信用代码).")})
AWARD_MISSING = _define(
    "award-missing", ERROR, AWARDS, "必填项为空", "Required cell empty",
    "“{column}”为空。", "'{column}' is empty.",
    "填写该单元格。", "Fill in the cell.",
    "必填的单元格为空，或文件中没有奖励记录", "a required cell is empty, or the file holds no awards",
    variants={"no-awards": ("文件“{file}”中没有奖励记录。", "File {file!r} holds no awards.")})
AWARD_TYPE = _define(
    "award-type", ERROR, AWARDS, "格式错误", "Not a number or date",
    "{label_zh}“{text}”不是数值（{error_zh}）。", "{column} {text!r} is not a number ({error_en}).",
    "写成数值（万元）、年份（2023）或日期（2023-05-12）。",
    "Write a number (10k yuan), a year (2023) or a date (2023-05-12).",
    "金额、基数、年度、日期或“另有规定”不是数值、年份、日期或是/否",
    "an amount, basis, year, date or 另有规定 that is not a number, year, date or yes/no",
    variants={
        "negative": ("{label_zh}不能为负数。", "{column} cannot be negative."),
        "year": ("年度“{text}”不是年份（如2023）。", "Year {text!r} is not a year (e.g. 2023)."),
        "date": ("批准日期“{text}”不是日期（如2023-05-12）。",
                 "Approval date {text!r} is not a date (e.g. 2023-05-12)."),
        "yes-no": ("另有规定应填“是”或“否”，不是“{text}”。", "另有规定 must be 是 or 否, not {text!r}."),
        "task-date": ("更新日期“{text}”不是日期。", "Update date {text!r} is not a date."),
    })
UNKNOWN_MEASURE = _define(
    "unknown-measure", ERROR, AWARDS, "未知措施", "Unknown measure",
    "“{text}”不是本政策的措施编号（1—{last}）。", "'{text}' is not a measure number of this policy (1–{last}).",
    "填写有资金奖补规则的措施编号（1—4、9、11—14）。", "Use a measure with an award rule (1–4, 9, 11–14).",
    "措施编号不是本政策的措施，或该措施没有资金奖补规则",
    "a measure number that is not one of the policy's, or a measure without an award rule",
    variants={"no-rule": ("第{measure}条（{measure_name}）没有资金奖补规则，不能登记奖励。",
                          "Measure {measure} ({measure_name}) has no award rule; no award can be registered "
                          "under it.")})
UNKNOWN_RULE = _define(
    "unknown-rule", ERROR, AWARDS, "未知奖励类别", "Unknown award kind",
    "第{measure}条没有奖励类别“{text}”；可填：{choices_zh}。",
    "Measure {measure} has no award kind {text!r}; use one of: {choices_en}.",
    "奖励类别填规则代码（如2a、4z、13b）或留空由系统判断。", "Write the rule code (2a, 4z, 13b) or leave it empty.",
    "奖励类别不是该措施的规则", "an award kind that is not one of the measure's rules")
INVALID_USCC = _define(
    "invalid-uscc", ERROR, AWARDS, "统一社会信用代码无效", "Invalid credit code",
    "统一社会信用代码“{code}”无效：{reason_zh}。", "Unified social credit code {code!r} is invalid: {reason_en}.",
    "按营业执照核对18位统一社会信用代码。", "Check the 18-character code on the business licence.",
    "统一社会信用代码的格式或校验码不符合GB 32100", "a credit code whose format or check digit breaks GB 32100")
DUPLICATE_AWARD = _define(
    "duplicate-award", ERROR, AWARDS, "重复行", "Duplicate row",
    "与{ref_zh}是同一项奖励（同一类别、企业、项目、年度和文号）。",
    "The same award as {ref_en} (same kind, enterprise, project, year and document number).",
    "删除重复的行。", "Delete the repeated row.",
    "同一项奖励在文件中出现两次", "the same award twice in the file")
UNKNOWN_PLACE = _define(
    "unknown-place", WARNING, AWARDS, "未识别的市（地）", "Unknown city",
    "“{text}”不是本省的市（地）或其下属县区，奖励将不计入各市（地）分布。",
    "{text!r} is not a city of the province (or a county named after one); the award will not count in "
    "the city breakdown.",
    "写市（地）名称，如“哈尔滨市”或“哈尔滨市南岗区”。", "Write the city, e.g. 哈尔滨市.",
    "所在地不是本省的市（地）或其下属县区（奖励照常载入，不计入各市分布）",
    "a place that is not a city of the province (the award loads, outside the city breakdown)")
UNKNOWN_TASK = _define(
    "unknown-task", ERROR, AWARDS, "未知任务", "Unknown task",
    "任务编号“{text}”不存在（如15.1，见各措施页面）。", "There is no task {text!r} (e.g. 15.1, see the measure pages).",
    "填写措施页面上的任务编号（如15.1）。", "Use a task number from the measure pages (e.g. 15.1).",
    "任务进展表中的任务编号不存在", "a task number in a progress sheet that does not exist")
BAD_STATUS = _define(
    "bad-status", ERROR, AWARDS, "状态无效", "Unknown status",
    "状态“{text}”应为：未启动、推进中、已完成或滞后。", "Status {text!r} must be 未启动, 推进中, 已完成 or 滞后.",
    "填写未启动、推进中、已完成或滞后。", "Write 未启动, 推进中, 已完成 or 滞后.",
    "任务进展表中的状态不是四种之一", "a status in a progress sheet that is not one of the four")

# --- awards against the policy's rules (etl/measures/checks.py) ----------------------------------
# Loaded as warnings on the awards register's breaches (AWARD_RULE_CODES), errors in a checked file.

NAME_CODE_CONFLICT = _define(
    "name-code-conflict", ERROR, AWARD_RULES, "名称与代码不一致", "Name and code disagree",
    "统一社会信用代码 {uscc} 在{ref_zh}登记为“{other}”，此处为“{name}”：一个代码两个名称。",
    "Credit code {uscc} is registered as {other!r} in {ref_en} but as {name!r} here: one code, two names.",
    "核对企业名称与代码；企业更名时两处写同一名称。", "Check the name and the code; after a renaming use one name.",
    "一个统一社会信用代码两个企业名称，或一个名称两个代码（与已登记的和本文件上面的行比较）",
    "one credit code with two names, or one name with two codes (against the register and the rows above)",
    variants={"two-codes": ("“{name}”在{ref_zh}的统一社会信用代码为 {other}，此处为 {uscc}：一个名称两个代码。",
                            "{name!r} has credit code {other} in {ref_en} but {uscc} here: one name, two codes.")})
ABOVE_CAP = _define(
    "above-cap", ERROR, AWARD_RULES, "超过上限", "Above the cap",
    "奖励金额{amount}万元超过{label_zh}{per_zh}最高{cap}万元的上限。",
    "The amount, {amount} (10k yuan), is above the cap of {label_en}: {cap} {per_en}.",
    "按上限核减金额，或核对措施和类别。", "Reduce the amount to the cap or check the measure.",
    "奖励金额超过规则的上限", "an amount above the rule's cap")
RATE_MISMATCH = _define(
    "rate-mismatch", ERROR, AWARD_RULES, "金额与比例不符", "Amount ≠ rate × basis",
    "奖励金额{amount}万元与规则不符：应为{expected}万元（{how_zh}）。",
    "The amount, {amount}, does not follow the rule: it should be {expected} (10k yuan) ({how_en}).",
    "按比例×基数重算金额（到百元），或核对基数。", "Recompute rate × basis or check the basis.",
    "金额与 min(比例×基数, 上限) 相差超过百元", "an amount off min(rate × basis, cap) by more than 100 yuan")
AMOUNT_MISMATCH = _define(
    "amount-mismatch", ERROR, AWARD_RULES, "金额与定额不符", "Amount ≠ fixed amount",
    "{label_zh}的奖励为定额{fixed}万元，此处为{amount}万元。",
    "{label_en} is a fixed {fixed} (10k yuan); here it is {amount}.",
    "按定额填写，或核对措施和类别。", "Use the fixed amount or check the measure and kind.",
    "定额奖励的金额不是定额", "a fixed award whose amount is not the fixed amount")
MISSING_BASIS = _define(
    "missing-basis", ERROR, AWARD_RULES, "缺少基数", "Basis missing",
    "{label_zh}须填写基数：{basis_zh}（{unit}）。", "{label_en} needs the basis: {basis_en} ({unit}).",
    "在“基数（万元）”列填写计算基数。", "Fill in the basis column.",
    "按比例或门槛计算的奖励没有基数", "an award computed from a basis (rate or threshold) without one")
BELOW_THRESHOLD = _define(
    "below-threshold", ERROR, AWARD_RULES, "未达门槛", "Below the threshold",
    "{basis_zh}为{basis}{unit}，低于{label_zh}的门槛{threshold}{unit}。",
    "The {basis_en} is {basis} {unit}, below the threshold of {label_en}: {threshold} {unit}.",
    "核对基数；未达门槛的项目不符合本条件。", "Check the basis; below the threshold the rule does not apply.",
    "基数低于规则的门槛", "a basis below the rule's threshold")
QUOTA_EXCEEDED = _define(
    "quota-exceeded", ERROR, AWARD_RULES, "超过年度名额", "Yearly quota exceeded",
    "第{measure}条每年认定{quota}户，本户是{year}年的第{n}户（已登记和本文件合计，按批准日期排序）。",
    "Measure {measure} allows {quota} enterprises a year; this is enterprise number {n} of {year} (the "
    "register and this file, by approval date).",
    "核对认定名单：每年名额已满。", "Check the list: the year's quota is used up.",
    "一年内的企业数超过规则的年度名额（已登记的在先，按批准日期）",
    "more enterprises in a year than the rule's quota (the register first, by approval date)")
ONE_OFF_REPEATED = _define(
    "one-off-repeated", ERROR, AWARD_RULES, "一次性奖励重复", "One-off award repeated",
    "第{measure}条的一次性奖励，“{name}”已在{ref_zh}获得（{year}年，{amount}万元）。",
    "Measure {measure} is a one-off award and {name!r} already received it in {ref_en} ({year}, {amount}).",
    "一次性奖励只能获得一次；删除该行或核对企业。", "A one-off award is granted once; delete the row.",
    "同一企业第二次获得一次性奖励", "an enterprise receiving a one-off award a second time")
OUTSIDE_VALIDITY = _define(
    "outside-validity", ERROR, AWARD_RULES, "超出有效期", "Outside the validity",
    "{value}不在政策有效期内（{start}印发，有效期{years}年，至{end}）。",
    "{value} is outside the policy's validity (issued {start}, valid {years} years, until {end}).",
    "核对批准日期；有效期外的项目不适用本政策。", "Check the date; outside the validity the policy does not apply.",
    "批准日期（或年度）在政策有效期以外", "an approval date (or year) outside the policy's validity")
NOT_HIGHEST = _define(
    "not-highest", ERROR, AWARD_RULES, "从高不重复", "Supported twice (highest only)",
    "“{name}”的项目“{project}”在{year}年已获第{other_measure}条支持（{ref_zh}，{other_amount}万元，较高者）；"
    "按从高不重复，本行{amount}万元不应再予支持（另有规定的除外）。",
    "{name!r}'s project {project!r} is already supported in {year} under measure {other_measure} "
    "({ref_en}, {other_amount}, the higher one); the highest amount only (从高不重复): this row, {amount}, "
    "should not be paid (unless 另有规定).",
    "同一项目同一年度只按最高一项支持；删除较低的一项，或在“另有规定”列填“是”。",
    "One project is supported once a year, at the highest amount: drop the lower award or mark 另有规定 = 是.",
    "同一企业的同一项目在一年内获两条措施支持（另有规定的除外）",
    "one enterprise's project supported under two measures in one year (unless 另有规定)",
    variants={"higher": ("“{name}”的项目“{project}”在{year}年同时获第{measure}条和第{other_measure}条支持"
                         "（{ref_zh}，{other_amount}万元）；按从高不重复，本行{amount}万元为较高者，应只保留本行。",
                         "{name!r}'s project {project!r} is supported in {year} under measure {measure} and "
                         "measure {other_measure} ({ref_en}, {other_amount}); the highest amount only "
                         "(从高不重复): this row, {amount}, is the higher one and should be the only one kept.")})
# the breaches of the policy's rules (the register records them as warnings; etl/measures/pipeline.py)
AWARD_RULE_CODES = tuple(k.code for k in CATALOGUE.values() if k.stage == AWARD_RULES)


def markdown_table() -> str:
    """The checks as the Markdown table of docs/etl.md (generated; a test compares the two)."""
    severity = {ERROR: "error", WARNING: "warning", INFO: "info"}
    lines = ["| 代码 code | 级别 severity | 阶段 stage | 说明 / meaning | 如何修改 / how to fix |",
             "|---|---|---|---|---|"]
    for kind in CATALOGUE.values():
        doc_zh, doc_en = kind.doc
        fix = f"{kind.fix_zh} / {kind.fix_en}" if kind.fix_zh else ""
        stage_zh, stage_en = STAGE_TEXT[kind.stage]
        lines.append(f"| `{kind.code}` | {severity[kind.severity]} | {stage_zh} / {stage_en} | "
                     f"{kind.title_zh}：{doc_zh} / {kind.title_en}: {doc_en} | {_plain(fix)} |")
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
