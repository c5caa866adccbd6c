"""Write the fuzz corpus tests/fuzz_corpus/ (issue 12): damaged and poisoned copies of demo files.

    python tests/make_fuzz_corpus.py [OUT_DIR]      # default: tests/fuzz_corpus next to this file

Deterministic: the same files, byte for byte, on every run (seeded random numbers, fixed zip
times, the demo generator's own stable xlsx writer). The bases are demo files of every layout
(etl/demo/files.py): two provincial 各市（地） tables (xlsx), the old portal .xls, the new portal
.xlsx, the long template (xlsx) and the four portal CSVs. The mutations are the classes of the
fuzzing run behind issue 12:
- trunc: cut at a random byte;
- flip: 1-3 random bytes set to random values (for an xlsx, inside the zip);
- poison: one data cell replaced by a value that must never load ('1e999', 400 nines, '1e308',
  '1e-320', numbers glued by U+000B / space / U+00A0, '247L', a ‰ or % sign that disagrees with
  the column, a negative count, the value x100 or /100, ...);
- dupzip: an xlsx with a second part of the same name (a changed worksheet, or [Content_Types]);
- xmlcut: an xlsx whose worksheet XML is cut short, rezipped with valid checksums;
- dimrev: the .xls with its DIMENSIONS record reversed (calamine would allocate ~1 TB and abort).
MANIFEST.csv lists every file with its base, mutation and whether it is loaded with skip_unknown.
"""
from __future__ import annotations

import csv
import io
import random
import re
import struct
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl

from etl.demo import files as demo

OUT = Path(__file__).resolve().parent / "fuzz_corpus"
ZIP_TIME = demo.FIXED_ZIP_TIME
GLUE = "\u2063"  # a placeholder for a control character openpyxl refuses to write

# (tag, demo file name, skip_unknown)
BASES = [
    ("prov-ytd", "2024年1-9月各市（地）数字经济主要指标.xlsx", False),
    ("prov-annual", "2023年全年各市（地）数字经济主要指标.xlsx", False),
    ("portal-xls", "分省年度数据_地区生产总值_2024年导出.xls", False),
    ("portal-xlsx", "年度数据_全国_2026年导出.xlsx", False),
    ("template", "数字经济对标数据_全国及兄弟省份.xlsx", False),
    ("csv-pop", "分省年度数据_年末常住人口_2026年导出.csv", False),
    ("csv-gdp", "分省年度数据_地区生产总值_2026年导出.csv", False),
    ("csv-quarterly", "分省季度数据_地区生产总值累计值_2026年导出.csv", False),
    ("csv-nation", "季度数据_国内生产总值_2026年导出.csv", True),
]
TRUNCATIONS = 8
FLIPS = 8


def poisons(value: float) -> list[tuple[str, object]]:
    """(tag, new cell content) for a data cell holding `value`."""
    glued = f"{value:g}"
    mid = max(1, len(glued) // 2)
    return [
        ("inf-text", "1e999"), ("nines", "9" * 400), ("e308", "1e308"), ("e-320", "1e-320"),
        ("neg-inf", "-1e999"), ("glued-vt", glued[:mid] + GLUE + glued[mid:]),
        ("glued-space", glued[:mid] + " " + glued[mid:]), ("glued-nbsp", glued[:mid] + "\xa0" + glued[mid:]),
        ("letter", f"{value:g}L"), ("permille", f"{value:g}‰"), ("percent", f"{value:g}%"),
        ("negative", f"{-abs(value):g}"), ("times100", f"{value * 100:g}"), ("div100", f"{value / 100:g}"),
    ]


# --- writers ---------------------------------------------------------------------------------------

def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    source = zipfile.ZipFile(io.BytesIO(data))
    return [(item.filename, source.read(item.filename)) for item in source.infolist()]


def write_zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which dupzip wants
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name, content in members:
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                target.writestr(info, content)
    return out.getvalue()


def truncations(data: bytes, rng: random.Random) -> list[bytes]:
    offsets = sorted(rng.sample(range(1, len(data)), TRUNCATIONS - 1))
    last_digit = max(i for i, b in enumerate(data) if 0x30 <= b <= 0x39)
    return [data[:k] for k in offsets + [last_digit]]  # and inside the last number


def flips(data: bytes, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(FLIPS):
        damaged = bytearray(data)
        for _ in range(rng.choice((1, 2, 3))):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        out.append(bytes(damaged))
    return out


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def loaded_cells(data: bytes, name: str, skip: bool) -> list[tuple[str, int, int, float]]:
    """(sheet, row, column, number), 1-based, of the cells the whole file loads: a poison goes where
    a value is read, not into a growth-rate column or a region code."""
    from etl.pipeline import check_file
    from etl.store.catalog import load_catalog
    from etl.store.db import init_db, make_engine, session_scope

    engine = make_engine("sqlite://")
    init_db(engine)
    with session_scope(engine) as session:
        catalog = load_catalog(session)
    engine.dispose()
    result = check_file(data, name, catalog, skip_unknown=skip)
    assert result.report.valid, result.report.format_text()
    out = []
    for v in sorted(result.values, key=lambda v: (v.sheet, v.cell)):
        letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", v.cell).groups()
        column = 0
        for ch in letters:
            column = column * 26 + ord(ch) - 64
        out.append((v.sheet, int(digits), column, _number(v.raw_value) or v.value))
    return out


def poisoned_xlsx(data: bytes, targets: list, rng: random.Random) -> list[tuple[str, bytes]]:
    out = []
    for tag, _ in poisons(1.0):
        sheet, row, col, number = rng.choice(targets)
        text = next(x for t, x in poisons(number) if t == tag)
        book = openpyxl.load_workbook(io.BytesIO(data))
        book[sheet].cell(row, col).value = text
        written = demo.save_workbook(book)
        if GLUE in text:  # U+000B, which openpyxl will not write, as the XML character reference
            written = write_zip([(name, content.replace(GLUE.encode(), b"&#11;"))
                                 for name, content in zip_members(written)])
        out.append((tag, written))
    return out


def poisoned_csv(data: bytes, targets: list, rng: random.Random) -> list[tuple[str, bytes]]:
    encoding = "gbk"
    text = data.decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = []
    for tag, _ in poisons(1.0):
        _, row, col, number = rng.choice(targets)
        content = next(x for t, x in poisons(number) if t == tag).replace(GLUE, "\x0b")
        changed = [list(r) for r in rows]
        changed[row - 1][col - 1] = content
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=newline).writerows(changed)
        try:
            out.append((tag, buffer.getvalue().encode(encoding)))
        except UnicodeEncodeError:  # ‰ is in GBK; anything that is not is written as UTF-8
            out.append((tag, buffer.getvalue().encode("utf-8")))
    return out


def duplicate_parts(data: bytes) -> list[tuple[str, bytes]]:
    members = zip_members(data)
    sheet = next((name, content) for name, content in members if name.startswith("xl/worksheets/"))
    changed = re.sub(rb"<v>(\d)", rb"<v>9\1", sheet[1], count=3)
    types = next((name, content) for name, content in members if name == "[Content_Types].xml")
    return [("dupzip-sheet", write_zip(members + [(sheet[0], changed)])),
            ("dupzip-types", write_zip([types] + members))]


def cut_xml(data: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    out = []
    for i in range(2):
        members = zip_members(data)
        index = next(i for i, (name, _) in enumerate(members) if name.startswith("xl/worksheets/"))
        name, content = members[index]
        members[index] = (name, content[: rng.randrange(len(content) // 4, len(content))])
        out.append((f"xmlcut-{i}", write_zip(members)))
    return out


def reversed_dimensions(data: bytes) -> bytes:
    """The xls with its first DIMENSIONS record's first row set past its last row."""
    at = data.find(struct.pack("<HH", 0x0200, 14))
    assert at > 0, "no DIMENSIONS record"
    first_row = at + 4
    return data[:first_row] + struct.pack("<I", 0x3000) + data[first_row + 4:]


# --- the corpus ------------------------------------------------------------------------------------

def corpus() -> list[tuple[str, bytes, str, str, bool]]:
    """(file name, bytes, base, mutation, skip_unknown) of every file."""
    by_name = {f.name: f for f in demo.demo_files()}
    files = []
    for tag, name, skip in BASES:
        data = by_name[name].data
        ext = name.rsplit(".", 1)[1]
        rng = random.Random(f"fuzz corpus {tag}")
        mutated: list[tuple[str, bytes]] = []
        mutated += [(f"trunc-{i}", d) for i, d in enumerate(truncations(data, rng))]
        mutated += [(f"flip-{i}", d) for i, d in enumerate(flips(data, rng))]
        if ext == "xlsx":
            targets = loaded_cells(data, name, skip)
            mutated += poisoned_xlsx(data, targets, rng) + duplicate_parts(data) + cut_xml(data, rng)
        elif ext == "csv":
            mutated += poisoned_csv(data, loaded_cells(data, name, skip), rng)
        else:
            mutated.append(("dimrev", reversed_dimensions(data)))
        for mutation, content in mutated:
            files.append((f"{tag}--{mutation}.{ext}", content, name, mutation, skip))
    return files


def write(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    written = []
    rows = []
    for file_name, content, base, mutation, skip in corpus():
        (out / file_name).write_bytes(content)
        written.append(out / file_name)
        rows.append([file_name, base, mutation, "1" if skip else "0"])
    with open(out / "MANIFEST.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "base", "mutation", "skip_unknown"])
        writer.writerows(rows)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    paths = write(target)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {total / 1048576:.2f} MB in {target}")
