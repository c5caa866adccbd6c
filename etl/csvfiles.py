"""Reading the project's own CSV data files (data/seed, data/demo, data/reference): UTF-8, with or
without a byte-order mark, one dict per row. Shared by the catalog's seed and the measures' seed."""
from __future__ import annotations

import csv
from pathlib import Path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
