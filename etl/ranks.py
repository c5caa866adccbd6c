"""The one rank: 1 = best in the indicator's direction, ties share a rank (competition ranking,
1, 2, 2, 4). The store's region_values, the ranking tables and the city profile all use it."""
from __future__ import annotations

from typing import Iterable, Optional

EPSILON = 1e-9  # values read from files: equal within rounding noise share a rank


def competition_ranks(values: Iterable[Optional[float]], direction: str) -> list[Optional[int]]:
    """Ranks of `values` (None: no value, no rank), best first by `direction` ('higher' or
    'lower'; anything else is a catalog error)."""
    if direction not in ("higher", "lower"):
        raise ValueError(f"indicator direction must be 'higher' or 'lower', not {direction!r}")
    d = 1 if direction == "higher" else -1
    values = list(values)
    present = [v for v in values if v is not None]
    return [None if v is None else 1 + sum(1 for o in present if d * (o - v) > EPSILON)
            for v in values]
