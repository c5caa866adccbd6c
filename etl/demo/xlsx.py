"""Byte-for-byte repeatable xlsx files: openpyxl writes the time of generation into the zip and
the document properties; these are replaced by a fixed time. Used by every demo generator."""
from __future__ import annotations

import io
import re
import zipfile

FIXED_ZIP_TIME = (2026, 3, 31, 9, 0, 0)  # xlsx members and properties: no time of generation
FIXED_ISO_TIME = "2026-03-31T09:00:00Z"


def stable_xlsx(data: bytes) -> bytes:
    """Rewrite an openpyxl xlsx with fixed timestamps, so that generation is byte-for-byte repeatable."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + FIXED_ISO_TIME.encode() + rb"\g<2>", content)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()
