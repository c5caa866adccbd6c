"""Text keys for matching labels found in files against the catalog's aliases."""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def alias_key(text: object) -> str:
    """The form aliases are stored and looked up in.

    NFKC folds full-width letters, digits and brackets to ASCII (（ -> (, ２ -> 2), whitespace
    (including the ideographic space U+3000) is dropped and case is folded, so
    ' 哈尔滨市 ', '哈尔滨市' and 'HARBIN' / 'Harbin' compare equal.
    """
    text = unicodedata.normalize("NFKC", str(text))
    return _SPACE.sub("", text).casefold()
