"""The briefing PDF's text layer (etl/briefing/pdf_text.py): Chromium's ToUnicode tables name the
Kangxi radical / radicals-supplement code point for a glyph the Noto CJK fonts share with an
ideograph (目 extracted as ⽬ U+2F6C); the printed PDF gets them rewritten to the ideographs.

The CMap rewrite on hand-made CMaps (a bfrange split around the one code that changes, an array
range, sections of at most 100 entries); the radical -> ideograph table from a hand-made cmap; and
a briefing printed by Chromium: no radical code point in its text, each code's text drawn with the
very glyph the page draws, and the file as printed kept byte for byte in front of the update.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata

import pytest
from pypdf import PdfReader

from etl.briefing import pdf_text

HEAD = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
"""
TAIL = """endcmap
CMapName currentdict /CMap defineresource pop
end
end"""

CMAP = HEAD + """2 beginbfchar
<01> <2F6C>
<02> <0041>
endbfchar
2 beginbfrange
<20> <24> <2F4E>
<30> <31> [<2EDA> <00420043>]
endbfrange
""" + TAIL


def test_a_range_is_split_around_the_code_that_changes_and_the_rest_is_kept():
    table = {"⽬": "目", "⽐": "比", "⻚": "页"}
    assert pdf_text.parse_cmap(CMAP) == {
        b"\x01": "⽬", b"\x02": "A", b"\x20": "⽎", b"\x21": "⽏", b"\x22": "⽐", b"\x23": "⽑",
        b"\x24": "⽒", b"\x30": "⻚", b"\x31": "BC"}
    new = pdf_text.rewrite_cmap(CMAP, table)
    assert pdf_text.parse_cmap(new) == {
        b"\x01": "目", b"\x02": "A", b"\x20": "⽎", b"\x21": "⽏", b"\x22": "比", b"\x23": "⽑",
        b"\x24": "⽒", b"\x30": "页", b"\x31": "BC"}
    assert new.startswith(HEAD) and new.endswith(TAIL)
    # the range <20>-<24> is now <20>-<21>, one char <22> and <23>-<24>
    ranges = re.search(r"(\d+) beginbfrange\n(.*?)\nendbfrange", new, re.S)
    assert ranges.group(2).splitlines() == ["<20> <21> <2F4E>", "<23> <24> <2F51>"]
    assert ranges.group(1) == "2"
    chars = re.search(r"(\d+) beginbfchar\n(.*?)\nendbfchar", new, re.S)
    assert chars.group(2).splitlines() == ["<01> <76EE>", "<02> <0041>", "<22> <6BD4>",
                                           "<30> <9875>", "<31> <00420043>"]
    assert chars.group(1) == "5"
    assert pdf_text.rewrite_cmap(new, table) is None  # nothing left to change
    assert pdf_text.rewrite_cmap(CMAP, {"⼀": "一"}) is None


def test_two_byte_codes_and_sections_of_at_most_a_hundred_entries():
    entries = "\n".join(f"<{0x0100 + 2 * i:04X}> <{0x2F00 + i:04X}>" for i in range(150))
    cmap = HEAD.replace("<00> <FF>", "<0000> <FFFF>") + f"150 beginbfchar\n{entries}\nendbfchar\n" + TAIL
    table = {chr(0x2F00 + i): chr(0x4E00 + i) for i in range(150)}
    new = pdf_text.rewrite_cmap(cmap, table)
    assert re.findall(r"(\d+) beginbfchar", new) == ["100", "50"]
    assert pdf_text.parse_cmap(new) == {(0x0100 + 2 * i).to_bytes(2, "big"): chr(0x4E00 + i) for i in range(150)}


def test_a_malformed_section_is_refused():
    with pytest.raises(pdf_text.CMapError):
        pdf_text.parse_cmap(HEAD + "1 beginbfrange\n<20> <24>\nendbfrange\n" + TAIL)
    with pytest.raises(pdf_text.CMapError):
        pdf_text.parse_cmap(HEAD + "1 beginbfchar\n<20> /space\nendbfchar\n" + TAIL)


def test_the_ideograph_is_the_one_drawn_with_the_radicals_glyph():
    cmap = {0x2F6C: "g1", 0x76EE: "g1",  # ⽬ and 目 share a glyph
            0x2F3E: "g2", 0x6237: "g2", 0x6236: "g3",  # ⼾ is drawn as 户, not as NFKC's 戶
            0x2F00: "g4", 0x3400: "g4", 0x4E00: "g4",  # two ideographs: NFKC's 一 among them
            0x2EDA: "g5", 0x9875: "g5", 0xF9A8: "g5",  # ⻚ (no NFKC form) as 页; not the compatibility one
            0x2E80: "g6"}  # a radical with a glyph of its own stays
    assert pdf_text.radical_ideographs(cmap) == {"⽬": "目", "⼾": "户", "⼀": "一", "⻚": "页"}


def test_the_installed_faces_are_found_and_an_unknown_one_changes_nothing(caplog):
    path, index = pdf_text.font_file("NotoSansCJKsc-Regular")  # Debian's fonts-noto-cjk
    assert path.endswith(".ttc") and index >= 0
    sans = pdf_text.face_ideographs("NotoSansCJKsc-Regular")
    assert sans["⽬"] == "目" and sans["⻰"] == "龙" and sans["⻚"] == "页"
    assert pdf_text.font_file("NoSuchFace-Regular") is None
    with caplog.at_level(logging.WARNING, logger="etl.briefing.pdf_text"):
        assert pdf_text.face_ideographs("NoSuchFace-Regular") == {}
    assert "NoSuchFace-Regular" in caplog.text
    assert pdf_text.rewrite_cmap(CMAP, {}) is None


# ------------------------------------------------------------------------------------------------
# a briefing printed by Chromium

@pytest.fixture(scope="module")
def printed(briefings) -> bytes:
    """The 2025Q4 briefing in Chinese of the dashboard fixture's demo values, as printed (made once
    per session: tests/conftest.py)."""
    record, pdf, _ = briefings.made("zh")
    assert record["quarter"] == 4 and record["fmt"] == "pdf"
    return pdf


def radicals(text: str) -> set[str]:
    return {ch for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF}


def text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data), strict=True).pages)


def test_the_printed_text_has_ideographs_not_radicals(printed, caplog):
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        text = text_of(printed)
    assert not caplog.records  # the update read as it is, nothing repaired
    assert not radicals(text)
    assert "目标" in text and "龙江" in text
    # as Chromium printed it (the file up to its first end): radicals for the same characters
    first = printed[:printed.index(b"%%EOF") + len(b"%%EOF\n")]
    assert len(first) < len(printed) and PdfReader(io.BytesIO(first)).pages
    before = text_of(first)
    assert radicals(before) and "目标" not in before
    assert len(before) == len(text)
    changed = {(a, b) for a, b in zip(before, text) if a != b}
    assert changed and all(radicals(a) and "CJK UNIFIED" in unicodedata.name(b) for a, b in changed)
    assert pdf_text.fix_text(first) == printed


def test_each_codes_text_is_drawn_with_the_glyph_the_page_draws(printed):
    """Skia names a Type 3 font's glyph procedures /g<glyph id in hex>: every code's text maps, in
    the face the font names, to that glyph."""
    from fontTools.ttLib import TTFont

    reader = PdfReader(io.BytesIO(printed))
    faces = {}
    checked = set()
    for font in pdf_text.fonts(reader):
        if font["/Subtype"] != "/Type3" or "/ToUnicode" not in font:
            continue
        name = pdf_text.font_name(font)
        if name not in faces:
            path, index = pdf_text.font_file(name)
            with TTFont(path, fontNumber=index, lazy=True) as face:
                faces[name] = (face.getBestCmap(), face.getReverseGlyphMap())
        cmap, glyph_ids = faces[name]
        glyph_names = {}
        code = 0
        for item in font["/Encoding"]["/Differences"]:
            if isinstance(item, int):
                code = item
            else:
                glyph_names[code] = str(item)
                code += 1
        for src, text in pdf_text.parse_cmap(font["/ToUnicode"].get_data().decode("latin-1")).items():
            if len(text) == 1:
                assert glyph_names[src[0]] == f"/g{glyph_ids[cmap[ord(text)]]:X}", (name, src, text)
                checked.add(text)
    assert {"目", "龙", "页"} <= checked
