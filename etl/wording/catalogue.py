"""The one translation mechanism: a catalogue of (zh, en) pairs and `t(key, lang, **values)`.

Modules register their texts once, at import (`register({...})`); a key registered twice with
other words is an error, so two modules never disagree on one text. Interpolation is str.format.
"""
from __future__ import annotations

from typing import Any, Mapping

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

TEXTS: dict[str, tuple[str, str]] = {}


def register(texts: Mapping[str, tuple[str, str]]) -> Mapping[str, tuple[str, str]]:
    """Add texts to the catalogue; returns them (so a module can keep its own dict too)."""
    for key, pair in texts.items():
        if key in TEXTS and TEXTS[key] != tuple(pair):
            raise ValueError(f"text {key!r} registered twice with different words")
        if len(pair) != 2:
            raise ValueError(f"text {key!r} needs a Chinese and an English version")
        TEXTS[key] = tuple(pair)
    return texts


def norm_lang(lang: Any) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    zh, en = TEXTS[key]
    text = en if norm_lang(lang) == "en" else zh
    return text.format(**values) if values else text


def pair(key: str, **values: Any) -> tuple[str, str]:
    """The (Chinese, English) text of `key`, for what carries both (a Problem, a refusal, a log)."""
    return t(key, "zh", **values), t(key, "en", **values)


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """The English or Chinese member of a (zh, en) pair from the data, falling back to the other."""
    if norm_lang(lang) == "en":
        return en or zh or ""
    return zh or en or ""
