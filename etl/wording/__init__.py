"""Every sentence users read, in Chinese and English, from one catalogue with interpolation.

texts/*.toml: the words themselves, as data (one file per area, a key once in all of them: zh and
en); catalogue: the mechanism that reads them (`t(key, lang, **values)`, `pair`, `both`, `pick`,
`norm_lang`); numbers: the one number formatter (values, gaps, targets, percentages); progress: the
words of the progress engine's dataclasses (status, verdict, standing, steps, notes, headline) for
the pages, the CLI and the briefing. No Dash here: etl and dashboard both import it.
"""
from etl.wording.catalogue import DEFAULT_LANG, LANGS, TEXTS, both, has, norm_lang, pair, pick, t

__all__ = ["DEFAULT_LANG", "LANGS", "TEXTS", "both", "has", "norm_lang", "pair", "pick", "t"]
