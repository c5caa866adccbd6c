"""The one translation mechanism: a catalogue of (zh, en) pairs and `t(key, lang, **values)`.

The texts are data, apart from the code: etl/wording/texts/*.toml, one file per area, each key a
table with `zh` and `en`, read once when this module is imported. A key defined in two files (or
twice in one, which TOML refuses) is an error, so two places never disagree on one text; modules
only name keys. Interpolation is str.format.
"""
from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any, Iterable, Mapping

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
TEXT_FILES = "texts"  # the folder of TOML files, beside this module


def read_texts(files: Iterable[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The catalogue from (name, TOML text) pairs: every key once, with a Chinese and an English text."""
    texts: dict[str, tuple[str, str]] = {}
    where: dict[str, str] = {}
    for name, content in files:
        for key, entry in tomllib.loads(content).items():
            if key in texts:
                raise ValueError(f"text {key!r} defined twice: in {where[key]} and in {name}")
            if not isinstance(entry, Mapping) or set(entry) != set(LANGS) \
                    or not all(isinstance(entry[lang], str) for lang in LANGS):
                raise ValueError(f"text {key!r} in {name} needs a Chinese (zh) and an English (en) text")
            texts[key] = (entry["zh"], entry["en"])
            where[key] = name
    return texts


def _text_files() -> list[tuple[str, str]]:
    folder = resources.files("etl.wording").joinpath(TEXT_FILES)
    return [(f.name, f.read_text(encoding="utf-8"))
            for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".toml")]


TEXTS: dict[str, tuple[str, str]] = read_texts(_text_files())


def has(key: str) -> bool:
    """Whether the catalogue has `key` (for words chosen by a code that may be unknown)."""
    return key in TEXTS


def norm_lang(lang: Any) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    zh, en = TEXTS[key]
    text = en if norm_lang(lang) == "en" else zh
    return text.format(**values) if values else text


def pair(key: str, **values: Any) -> tuple[str, str]:
    """The (Chinese, English) text of `key`, for what carries both (a Problem, a refusal, a log)."""
    return t(key, "zh", **values), t(key, "en", **values)


def both(key: str, sep: str = " / ", **values: Any) -> str:
    """Chinese, then English, in one line: for what has no language choice (the command lines)."""
    zh, en = pair(key, **values)
    return f"{zh}{sep}{en}"


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """The English or Chinese member of a (zh, en) pair from the data, falling back to the other."""
    if norm_lang(lang) == "en":
        return en or zh or ""
    return zh or en or ""
