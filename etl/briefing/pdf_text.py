"""The text layer of the briefing's PDF: radical code points back to the ideographs they stand for.

Chromium's PDF backend (Skia) writes each font's /ToUnicode CMap from the font's own cmap and,
when several code points share one glyph, names the lowest. Noto CJK draws most Kangxi radicals
(U+2F00–U+2FD5) and CJK radicals-supplement characters (U+2E80–U+2EF3) with the glyphs of the
ideographs, so the text copied, searched or extracted from the PDF read ⽬ (U+2F6C) for 目, ⻚
(U+2EDA) for 页, ⻰ (U+2EF0) for 龙, in about one character in fifteen.

`fix_text(pdf)` rewrites those CMaps. The ideograph comes from the font itself: the face the
font's descriptor names (found through fontconfig, as Chromium found it), its cmap read with
fontTools; a radical code point becomes the unified ideograph mapped to the same glyph (the
radical's NFKC form when that is one of them, e.g. ⽬ → 目; else the lowest: ⼾ → 户 in the SC face,
whose glyph is not NFKC's 戶). A radical with a glyph of its own stays a radical. The PDF is updated
incrementally (its bytes as printed, then the new CMap streams and a cross-reference section for
them): pages, fonts and glyphs are untouched, so it looks the same.
"""
from __future__ import annotations

import functools
import io
import logging
import re
import shutil
import subprocess
import unicodedata
import zlib
from collections import defaultdict

log = logging.getLogger(__name__)

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
SECTION_SIZE = 100  # entries per bfchar / bfrange section at most (PDF 32000-1, 9.10.3)


class CMapError(ValueError):
    pass


# ------------------------------------------------------------------------------------------------
# ToUnicode CMaps: parse the bfchar / bfrange sections, write them back

_SECTION = re.compile(r"(\d+)\s+beginbf(char|range)\b(.*?)\bendbf\2", re.S)
_TOKEN = re.compile(r"<([0-9A-Fa-f\s]*)>|(\[)|(\])|(\S+)")


def _hex(token: str) -> bytes:
    return bytes.fromhex(re.sub(r"\s", "", token))


def _tokens(body: str) -> list:
    """Hex strings as bytes, '[' and ']' as themselves; anything else is not a ToUnicode entry."""
    out = []
    for m in _TOKEN.finditer(body):
        if m.group(4) is not None:
            raise CMapError(f"unexpected token {m.group(4)[:20]!r} in a bf section")
        out.append(_hex(m.group(1)) if m.group(1) is not None else (m.group(2) or m.group(3)))
    return out


def _text(dst: bytes) -> str:
    if len(dst) % 2:
        raise CMapError(f"destination <{dst.hex()}> is not UTF-16BE")
    return dst.decode("utf-16-be", errors="surrogatepass")


def parse_cmap(cmap: str) -> dict[bytes, str]:
    """The mappings of a ToUnicode CMap: source code (bytes) -> text, from every bfchar section and
    every bfrange (an incremented destination or an array of them); later entries win."""
    mapping: dict[bytes, str] = {}
    for section in _SECTION.finditer(cmap):
        tokens = _tokens(section.group(3))
        if section.group(2) == "char":
            if len(tokens) % 2 or not all(isinstance(t, bytes) for t in tokens):
                raise CMapError("bfchar entries are pairs of hex strings")
            for src, dst in zip(tokens[::2], tokens[1::2]):
                mapping[src] = _text(dst)
            continue
        i = 0
        while i < len(tokens):
            lo, hi = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
            if not isinstance(lo, bytes) or not isinstance(hi, bytes) or len(lo) != len(hi) or hi < lo:
                raise CMapError("a bfrange starts with two source codes of one length")
            first, last, size = int.from_bytes(lo, "big"), int.from_bytes(hi, "big"), len(lo)
            codes = [c.to_bytes(size, "big") for c in range(first, last + 1)]
            if i + 2 < len(tokens) and tokens[i + 2] == "[":
                end = tokens.index("]", i + 3)
                dsts = tokens[i + 3:end]
                if len(dsts) != len(codes) or not all(isinstance(d, bytes) for d in dsts):
                    raise CMapError("a bfrange array needs one destination per code")
                mapping.update(zip(codes, map(_text, dsts)))
                i = end + 1
            elif i + 2 < len(tokens) and isinstance(tokens[i + 2], bytes):
                dst = tokens[i + 2]
                start = int.from_bytes(dst, "big")  # incremented for each code (9.10.3)
                for k, code in enumerate(codes):
                    mapping[code] = _text((start + k).to_bytes(len(dst), "big"))
                i += 3
            else:
                raise CMapError("a bfrange needs a destination")
    return mapping


def _utf16(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


def _sections(kind: str, entries: list[str]) -> str:
    return "".join(f"{len(chunk)} beginbf{kind}\n" + "\n".join(chunk) + f"\nendbf{kind}\n"
                   for chunk in (entries[i:i + SECTION_SIZE] for i in range(0, len(entries), SECTION_SIZE)))


def write_cmap(cmap: str, mapping: dict[bytes, str]) -> str:
    """`cmap` with its bf sections replaced by `mapping`: runs of consecutive codes to consecutive
    single UTF-16 units (within one last byte, so every reader increments them alike) as bfrange,
    the rest as bfchar; what stands before the first and after the last section is kept."""
    sections = list(_SECTION.finditer(cmap))
    if not sections:
        raise CMapError("no bfchar or bfrange section")
    between = "".join(cmap[a.end():b.start()] for a, b in zip(sections, sections[1:]))
    if between.strip():
        raise CMapError("something other than bf sections between them")
    chars, ranges = [], []
    items = sorted(mapping.items(), key=lambda kv: (len(kv[0]), kv[0]))
    i = 0
    while i < len(items):
        code, text = items[i]
        j = i + 1
        if len(text) == 1 and ord(text) <= 0xFFFF:
            while (j < len(items) and len(items[j][0]) == len(code) and len(items[j][1]) == 1
                   and int.from_bytes(items[j][0], "big") == int.from_bytes(code, "big") + (j - i)
                   and ord(items[j][1]) == ord(text) + (j - i)
                   and items[j][0][:-1] == code[:-1] and ord(items[j][1]) >> 8 == ord(text) >> 8):
                j += 1
        if j - i > 1:
            ranges.append(f"<{code.hex().upper()}> <{items[j - 1][0].hex().upper()}> <{_utf16(text)}>")
        else:
            chars.append(f"<{code.hex().upper()}> <{_utf16(text)}>")
        i = j
    body = _sections("char", chars) + _sections("range", ranges)
    return cmap[:sections[0].start()] + body + cmap[sections[-1].end():].lstrip("\n")


def rewrite_cmap(cmap: str, ideographs: dict[str, str]) -> str | None:
    """The CMap with every character of `ideographs` (radical -> ideograph) replaced in the
    destinations, or None when none occurs."""
    mapping = parse_cmap(cmap)
    changed = {code: "".join(ideographs.get(ch, ch) for ch in text) for code, text in mapping.items()}
    if changed == mapping:
        return None
    return write_cmap(cmap, changed)


def has_radical(text: str) -> bool:
    return any(ord(ch) in RADICALS for ch in text)


# ------------------------------------------------------------------------------------------------
# The fonts: which ideograph shares a radical's glyph

_PS_NAME = re.compile(r"[A-Za-z0-9._-]+")


def font_file(ps_name: str) -> tuple[str, int] | None:
    """(file, face index) of the face with this PostScript name, as fontconfig (Chromium's font
    lookup on Linux) knows it, or None. fc-list comes with Debian's chromium (via libpango's
    dependency on fontconfig)."""
    fc_list = shutil.which("fc-list")
    if not fc_list or not _PS_NAME.fullmatch(ps_name):
        return None
    try:
        out = subprocess.run([fc_list, "--format", "%{file}\t%{index}\n", f":postscriptname={ps_name}"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        path, _, index = line.partition("\t")
        if path:
            return path, int(index or 0)
    return None


def _unified(u: int) -> bool:
    return unicodedata.name(chr(u), "").startswith("CJK UNIFIED IDEOGRAPH")


def radical_ideographs(cmap: dict[int, str]) -> dict[str, str]:
    """radical -> unified ideograph drawn with the same glyph, from a font's cmap (code point ->
    glyph name); a radical whose glyph no ideograph shares is left out."""
    glyphs = {cmap[r] for r in RADICALS if r in cmap}
    sharing = defaultdict(list)
    for u, glyph in cmap.items():
        if glyph in glyphs and _unified(u):
            sharing[glyph].append(u)
    out = {}
    for r in RADICALS:
        candidates = sorted(sharing.get(cmap.get(r), ()))
        if candidates:
            nfkc = unicodedata.normalize("NFKC", chr(r))
            out[chr(r)] = nfkc if len(nfkc) == 1 and ord(nfkc) in candidates else chr(candidates[0])
    return out


@functools.lru_cache(maxsize=32)
def face_ideographs(ps_name: str) -> dict[str, str]:
    """radical_ideographs of the installed face with this PostScript name ({} when not found)."""
    from fontTools.ttLib import TTFont, TTLibError

    found = font_file(ps_name)
    if found is None:
        log.warning("briefing PDF: font %s not found through fontconfig; its radicals stay", ps_name)
        return {}
    path, index = found
    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except (OSError, TTLibError) as error:
        log.warning("briefing PDF: font %s (%s) unreadable, its radicals stay: %s", ps_name, path, error)
        return {}
    return radical_ideographs(cmap)


# ------------------------------------------------------------------------------------------------
# The PDF

def font_name(font) -> str | None:
    """The PostScript name of a font dictionary's face, without the subset tag (ABCDEF+)."""
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and font.get("/DescendantFonts"):
        descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    name = descriptor.get_object().get("/FontName") if descriptor is not None else None
    name = name if name is not None else font.get("/BaseFont")
    if name is None:
        return None
    name = str(name).lstrip("/")
    return name.split("+", 1)[1] if re.match(r"[A-Z]{6}\+", name) else name


def fonts(reader):
    """Every font dictionary the pages use (also through form XObjects and Type 3 glyph
    resources), once: (font dictionary)."""
    seen: set[int] = set()
    stack = [page.get("/Resources") for page in reader.pages]
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        for kind in ("/Font", "/XObject"):
            for ref in (resources.get(kind) or {}).values():
                key = getattr(ref, "idnum", None)
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                obj = ref.get_object()
                if kind == "/Font":
                    yield obj
                if obj.get("/Resources") is not None:
                    stack.append(obj["/Resources"])


def _append_update(data: bytes, prev: int, streams: dict[tuple[int, int], bytes], trailer) -> bytes:
    """`data` followed by an incremental update (PDF 32000-1, 7.5.6) that replaces the given
    stream objects with Flate-compressed ones of the given content; the previous section must be
    a cross-reference table (Skia writes one)."""
    out = io.BytesIO()
    out.write(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for (num, gen), content in sorted(streams.items()):
        packed = zlib.compress(content)
        offsets[num] = (out.tell(), gen)
        out.write(b"%d %d obj\n<</Filter /FlateDecode /Length %d>>\nstream\n" % (num, gen, len(packed)))
        out.write(packed + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f\r\n")  # object 0 too, as readers that expect a section from 0 want
    for num, (offset, gen) in sorted(offsets.items()):
        out.write(b"%d 1\n%010d %05d n\r\n" % (num, offset, gen))
    extra = "".join(f" {key} {trailer.raw_get(key).idnum} {trailer.raw_get(key).generation} R"
                    for key in ("/Root", "/Info") if key in trailer)
    if "/ID" in trailer:
        extra += " /ID [" + " ".join(
            f"<{(bytes(i) if isinstance(i, bytes) else i.original_bytes).hex()}>" for i in trailer["/ID"]) + "]"
    out.write(f"trailer\n<</Size {int(trailer['/Size'])}{extra} /Prev {prev}>>\n"
              f"startxref\n{xref}\n%%EOF\n".encode("ascii"))
    return out.getvalue()


def fix_text(data: bytes) -> bytes:
    """The PDF with every font's ToUnicode radicals replaced by the ideographs that share their
    glyphs in that font (unchanged when there are none, or when the file is not as Skia writes
    it: then it is logged)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    streams: dict[tuple[int, int], bytes] = {}
    for font in fonts(reader):
        ref = font.raw_get("/ToUnicode") if "/ToUnicode" in font else None
        if ref is None or not hasattr(ref, "idnum") or (ref.idnum, ref.generation) in streams:
            continue
        cmap = ref.get_object().get_data().decode("latin-1")
        try:
            if not has_radical("".join(parse_cmap(cmap).values())):
                continue
            name = font_name(font)
            new = rewrite_cmap(cmap, face_ideographs(name)) if name else None
        except CMapError as error:
            log.warning("briefing PDF: ToUnicode %s left as it is: %s", ref.idnum, error)
            continue
        if new is not None:
            streams[(ref.idnum, ref.generation)] = new.encode("latin-1")
    if not streams:
        return data
    found = re.findall(rb"startxref\s+(\d+)", data[-1024:])
    if not found or data[int(found[-1]):int(found[-1]) + 4] != b"xref":
        log.warning("briefing PDF: no cross-reference table to update: ToUnicode left as printed")
        return data
    return _append_update(data, int(found[-1]), streams, reader.trailer)
