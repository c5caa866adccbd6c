"""Build data/geo/heilongjiang-prefectures.geojson from the echarts map file on PyPI.

The PyPI package `echarts-china-provinces-pypkg` (MIT) ships `heilongjiang.js`, an echarts map
registration whose ring coordinates are compressed. This script decodes it once into plain GeoJSON
that the dashboard reads (no network at run time). See data/geo/README.md.

    pip install pyecharts-jupyter-installer setuptools wheel
    pip download --no-deps --no-build-isolation -d /tmp/echarts echarts-china-provinces-pypkg
    python scripts/build_geojson.py /tmp/echarts/echarts-china-provinces-pypkg-0.0.3.tar.gz
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "geo" / "heilongjiang-prefectures.geojson"
MEMBER = "heilongjiang.js"
SCALE = 1024.0  # echarts' encodeScale
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?=\s*:)")


def read_js(path: Path) -> str:
    """The map file's text, from the sdist (tar.gz) or from the .js itself."""
    if path.suffix == ".js":
        return path.read_text(encoding="utf-8")
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            if member.name.endswith("/" + MEMBER):
                return tar.extractfile(member).read().decode("utf-8")
    raise SystemExit(f"{MEMBER} not found in {path}")


def js_object_to_json(text: str) -> str:
    """Quote the bare keys and spell !0/!1 as true/false, leaving string contents untouched."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':  # copy a whole string literal, escapes included
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("!0", i) or text.startswith("!1", i):
            out.append("true" if text[i + 1] == "0" else "false")
            i += 2
        else:
            match = _KEY.match(text, i)
            if match:
                out.append(f'"{match.group(0)}"')
                i = match.end()
            else:
                out.append(ch)
                i += 1
    return "".join(out)


def extract_feature_collection(js: str) -> dict:
    start = js.index('{type:"FeatureCollection"')
    depth = 0
    in_string = False
    for pos in range(start, len(js)):
        ch = js[pos]
        if in_string:
            if ch == "\\":
                continue
            if ch == '"' and js[pos - 1] != "\\":
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return json.loads(js_object_to_json(js[start:pos + 1]))
    raise ValueError("unbalanced map object")


def decode_ring(encoded: str, offset: list[int]) -> list[list[float]]:
    """echarts' decodePolygon: pairs of chars, zigzag-decoded deltas from the ring's offsets."""
    prev_x, prev_y = offset
    ring = []
    for k in range(0, len(encoded), 2):
        x = ord(encoded[k]) - 64
        y = ord(encoded[k + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        prev_x += x
        prev_y += y
        ring.append([round(prev_x / SCALE, 4), round(prev_y / SCALE, 4)])
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])  # GeoJSON rings are closed
    return ring


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Drop points closer than `tolerance` degrees to the last kept one (radial distance).

    The map is a small schematic (示意图): ~1 km detail keeps the file small enough to send to a
    phone with every map figure. Rings keep at least four points and stay closed.
    """
    if tolerance <= 0 or len(ring) <= 8:
        return ring
    kept = [ring[0]]
    for point in ring[1:-1]:
        last = kept[-1]
        if abs(point[0] - last[0]) > tolerance or abs(point[1] - last[1]) > tolerance:
            kept.append(point)
    kept.append(ring[-1])
    return kept if len(kept) >= 4 else ring


def decode_feature(feature: dict, tolerance: float = 0.0) -> dict:
    geometry = feature["geometry"]
    offsets = geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        coords = [simplify_ring(decode_ring(r, o), tolerance)
                  for r, o in zip(geometry["coordinates"], offsets)]
    elif geometry["type"] == "MultiPolygon":
        coords = [[simplify_ring(decode_ring(r, o), tolerance) for r, o in zip(poly, poly_offsets)]
                  for poly, poly_offsets in zip(geometry["coordinates"], offsets)]
    else:
        raise ValueError(f"unexpected geometry {geometry['type']}")
    props = feature.get("properties", {})
    return {
        "type": "Feature",
        "id": str(feature["id"]),
        "properties": {"code": str(feature["id"]), "name": props.get("name"), "cp": props.get("cp")},
        "geometry": {"type": geometry["type"], "coordinates": coords},
    }


def build(source: Path, tolerance: float = 0.02) -> dict:
    collection = extract_feature_collection(read_js(source))
    features = [decode_feature(f, tolerance) for f in collection["features"]]
    return {
        "type": "FeatureCollection",
        "name": "heilongjiang-prefectures",
        "source": "echarts-china-provinces-pypkg 0.0.3 (PyPI, MIT licence): heilongjiang.js, decoded",
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the package sdist (.tar.gz) or heilongjiang.js")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=0.02,
                        help="simplification in degrees (0 keeps every point)")
    args = parser.parse_args(argv)
    geojson = build(args.source, args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(geojson, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(geojson['features'])} features -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
