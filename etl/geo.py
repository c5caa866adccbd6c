"""The 13 prefectures' shapes (示意图) and their label positions, from data/geo: plain data for the
dashboard's map (dashboard/components.py) and the briefing's map image (etl/briefing/charts.py)."""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
GEOJSON_PATH = GEO_DIR / "heilongjiang-prefectures.geojson"
LABELS_PATH = GEO_DIR / "label-positions.csv"


@lru_cache(maxsize=1)
def prefecture_shapes() -> dict[str, dict]:
    """code -> {'name', 'cp', 'x', 'y'} with rings joined by None gaps, from data/geo."""
    with open(GEOJSON_PATH, encoding="utf-8") as handle:
        collection = json.load(handle)
    shapes = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        xs: list[float | None] = []
        ys: list[float | None] = []
        for polygon in polygons:
            outer = polygon[0]  # holes are not drawn: no prefecture here encloses another
            xs.extend([p[0] for p in outer] + [None])
            ys.extend([p[1] for p in outer] + [None])
        props = feature["properties"]
        shapes[feature["id"]] = {"name": props["name"], "cp": props["cp"], "x": xs[:-1], "y": ys[:-1]}
    return shapes


@lru_cache(maxsize=1)
def label_positions() -> dict[str, tuple[float, float]]:
    """code -> (lon, lat) where the map writes the prefecture's label: hand-placed in
    data/geo/label-positions.csv inside each shape, clear of the neighbours' labels (the seats'
    points crowd the small eastern prefectures, 鹤岗, 佳木斯, 双鸭山, 七台河, 鸡西)."""
    with open(LABELS_PATH, encoding="utf-8", newline="") as handle:
        return {row["code"]: (float(row["lon"]), float(row["lat"])) for row in csv.DictReader(handle)}
