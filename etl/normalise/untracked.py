"""Region labels that are real but not tracked by this monitor: skipped with an INFO, never errors.

Rejecting a whole file because it also lists places we do not follow would make real files
useless, so two kinds of row labels are recognised and skipped (code `skipped-region`):
- major cities of other provinces: the portal's 主要城市 databases list 36 cities (北京, 天津,
  石家庄 ... 乌鲁木齐) named without 市; only 哈尔滨 is ours, and 北京 / 天津 / 上海 / 重庆 are
  provincial-level regions that resolve through the catalog as usual;
- Heilongjiang's non-administrative reporting units that provincial tables list after the 13
  prefectures: the land-reclamation system (农垦 / 省农垦总局 / 北大荒集团) and the forest-industry
  system (森工 / 龙江森工), and the 省直 (province-level units) row. They are not GB/T 2260
  divisions, so the catalog has no code for them.
Anything else that does not resolve (a typo such as 哈尔宾市) stays an `unknown-region` error.
"""
from __future__ import annotations

import re
from typing import Optional

from etl.normalise.labels import alias_key
from etl.wording.catalogue import pair

# the 主要城市 databases' cities that are outside the catalog
OTHER_MAJOR_CITIES = frozenset({
    "石家庄", "太原", "呼和浩特", "沈阳", "大连", "长春", "南京", "杭州", "宁波", "合肥", "福州",
    "厦门", "南昌", "济南", "青岛", "郑州", "武汉", "长沙", "广州", "深圳", "南宁", "海口", "成都",
    "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐",
})
_UNITS = re.compile(r"农垦|北大荒|森工|森林工业|林业集团|林管局|^中?省直(属)?(单位|系统)?$")

CITY, UNIT = "city", "unit"
CITY_SUFFIX = "市"  # '石家庄市' is the city 石家庄


def untracked_region(label: str) -> Optional[str]:
    """'石家庄' / '石家庄市' -> 'city'; '省农垦总局' / '龙江森工' -> 'unit'; anything else -> None."""
    key = alias_key(label)
    if not key:
        return None
    if key in OTHER_MAJOR_CITIES or key.removesuffix(CITY_SUFFIX) in OTHER_MAJOR_CITIES:
        return CITY
    if _UNITS.search(key):
        return UNIT
    return None


def skip_messages(label: str, kind: str) -> tuple[str, str]:
    """(Chinese, English) for the INFO that reports a skipped row."""
    return pair("untracked.city" if kind == CITY else "untracked.unit", label=label)
