"""One award as read from a list (or from the register): plain, frozen, no database."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Optional

from etl.normalise.labels import alias_key
from etl.wording.catalogue import has, t


def raw_text(raw: object) -> Optional[str]:
    """A cell's text as a problem keeps it: none for an empty cell, at most 100 characters."""
    return None if raw in (None, "") else str(raw)[:100]


def status_name(code: str, lang: str = "zh") -> str:
    """A task's (and a measure's) implementation status in the words every page, the CLI, the
    briefing and the demo's progress sheet use (status.* in etl/wording/texts/measures.toml)."""
    key = f"status.{code}"
    return t(key, lang) if has(key) else code


MONEY_UNIT = "万元"  # award amounts and money bases are written in it (奖励金额（万元）)

# The columns of an award list, by field: the header as the template writes it first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "measure": ("措施编号", "措施", "政策措施", "条款", "措施条款", "政策条款"),
    "rule": ("奖励类别", "类别", "奖补类别", "规则"),
    "enterprise": ("企业名称", "单位名称", "企业（单位）名称", "申报单位", "企业"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "place": ("市（地）或县", "市（地）", "所在地", "所在市（地）", "地区", "市县", "市（地）、县（市、区）"),
    "project": ("项目名称", "项目", "产品名称"),
    "year": ("年度", "年份", "支持年度"),
    "approved_on": ("批准日期", "认定日期", "审批日期", "下达日期"),
    "doc_no": ("文号", "批准文号", "下达文号", "文件文号"),
    "basis": ("基数（万元）", "基数", "计算基数", "核定基数"),
    "amount": ("奖励金额（万元）", "奖励金额", "补助金额（万元）", "奖补金额（万元）", "奖补金额", "金额（万元）", "金额"),
    "granting_unit": ("发放单位", "拨付单位", "资金拨付单位"),
    "otherwise_provided": ("另有规定", "另有规定（是/否）"),
}
REQUIRED = ("measure", "enterprise", "uscc", "year", "amount")
HEADER_KEYS = {alias_key(name): fld for fld, names in COLUMNS.items() for name in names}


@dataclass(frozen=True)
class AwardRow:
    measure: int
    rule_code: str
    enterprise: str
    uscc: str
    year: int
    amount: float
    place: str = ""
    region_code: Optional[str] = None
    project: str = ""
    approved_on: Optional[dt.date] = None
    doc_no: str = ""
    basis: Optional[float] = None
    granting_unit: str = ""
    otherwise_provided: bool = False
    sheet: str = ""
    row: int = 0  # 1-based
    cells: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # field -> A1
    batch_id: Optional[int] = None  # for awards already in the register
    file_name: str = ""

    @property
    def project_key(self) -> str:
        return alias_key(self.project)

    @property
    def key(self) -> str:
        """The award's identity across versions: rule, enterprise, project, year and 文号."""
        text = "|".join((self.rule_code, self.uscc.upper(), self.project_key, str(self.year),
                         alias_key(self.doc_no)))
        return hashlib.sha256(text.encode()).hexdigest()

    def cell(self, name: str) -> Optional[str]:
        return self.cells.get(name)
