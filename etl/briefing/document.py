"""The briefing as plain data in one language: sections of paragraphs, tables and figures
(etl/briefing/content.py fills them; word.py and pdf.py lay them out)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union


@dataclass(frozen=True)
class Table:
    ident: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths
    note: str = ""
    numeric: tuple[int, ...] = ()  # columns of numbers (right-aligned)


@dataclass(frozen=True)
class Figure:
    ident: str
    caption: str
    figure: Any  # a plotly Figure (etl/briefing/charts.py), rendered to PNG once per briefing
    width: int = 900
    height: int = 420


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Union[str, Table, Figure], ...]


@dataclass(frozen=True)
class Briefing:
    year: int
    quarter: int
    lang: str
    title: str
    subtitle: str
    header: str  # the running head: quarter and 内部资料
    demo_mark: Optional[str]  # on every page when any value shown is demo data
    made: str  # generated when, from which data, by whom
    stamp: str
    sections: tuple[Section, ...]
    assessments: tuple = field(default=(), repr=False)  # the engine's results it was made from

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]
