"""Units found in statistics files, and conversion to the indicator's catalog unit.

A unit is a (dimension, factor) pair: 万元 is money x 1e4 yuan, ‰ is a share x 0.1 percent. Two
units convert into each other only within one dimension; anything else is a UnitError, which the
normalise step reports as `bad-unit` at the cell.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Optional


class UnitError(ValueError):
    """A unit we do not know, or two units that measure different things."""


# unit text (NFKC-folded, no spaces) -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "千元": ("money", 1e3),
    "万元": ("money", 1e4),
    "百万元": ("money", 1e6),
    "亿元": ("money", 1e8),
    "万亿元": ("money", 1e12),
    "个": ("count", 1.0),
    "千个": ("count", 1e3),
    "万个": ("count", 1e4),
    "人": ("persons", 1.0),
    "万人": ("persons", 1e4),
    "亿人": ("persons", 1e8),
    "%": ("share", 1.0),
    "百分比": ("share", 1.0),
    "百分点": ("share", 1.0),  # a level quoted in percentage points is still a percent
    "‰": ("share", 0.1),
}


@lru_cache(maxsize=4096)
def normalise_unit(unit: str) -> str:
    """'（亿元）' / ' 亿元 ' / '％' -> '亿元' / '%'."""
    text = unicodedata.normalize("NFKC", str(unit)).strip()
    text = "".join(text.split())
    if text[:1] in "([" and text[-1:] in ")]":
        text = text[1:-1]
    return text


def is_known_unit(unit: str | None) -> bool:
    return bool(unit) and normalise_unit(unit) in _UNITS


def known_units() -> list[str]:
    return list(_UNITS)


def dimension(unit: str) -> str:
    """The dimension a unit measures ('money', 'count', 'persons', 'share'); UnitError if unknown."""
    try:
        return _UNITS[normalise_unit(unit)][0]
    except KeyError:
        raise UnitError(f"unknown unit {unit!r}") from None


def factor_in_dimension(unit: str) -> float:
    """How many of its dimension's smallest unit one `unit` is: 万个 -> 10,000, 个 -> 1, 亿元 -> 1e8."""
    dim, factor = _UNITS[normalise_unit(unit)]
    return factor / min(f for d, f in _UNITS.values() if d == dim)


@lru_cache(maxsize=1024)
def scale(from_unit: str, to_unit: str) -> Optional[tuple[float, float]]:
    """(factor of `from_unit`, factor of `to_unit`) in their dimension's base unit, or None when
    they are the same unit; UnitError as convert. Worked out once per pair of units."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    if source == target:
        return None
    if source not in _UNITS:
        raise UnitError(f"unknown unit {from_unit!r}")
    if target not in _UNITS:
        raise UnitError(f"unknown unit {to_unit!r}")
    (dim_from, factor_from), (dim_to, factor_to) = _UNITS[source], _UNITS[target]
    if dim_from != dim_to:
        raise UnitError(f"cannot convert {from_unit!r} to {to_unit!r}")
    return factor_from, factor_to


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """`value` measured in `from_unit`, expressed in `to_unit` (12345 万元 -> 1.2345 亿元)."""
    factors = scale(from_unit, to_unit)
    if factors is None:
        return float(value)
    return float(value) * factors[0] / factors[1]


# a figure per 10,000 people: the catalog writes its unit as the count alone (个)
PER_PERSONS = ("个/万人", "个每万人", "个/每万人")


@lru_cache(maxsize=1024)
def fits(unit: str, measure: str, target: str) -> bool:
    """Whether `unit` measures what an indicator of `measure` in `target` measures. A ratio whose
    unit is not % (5G stations per 10,000 people, in 个) takes only its own unit: 万个 over
    每万人拥有5G基站数 is not a scale to apply, it is the wrong unit."""
    unit = normalise_unit(unit)
    if measure == "ratio" and normalise_unit(target) != "%":
        return unit == normalise_unit(target) or unit in PER_PERSONS
    try:
        return dimension(unit) == dimension(target)
    except UnitError:
        return False
