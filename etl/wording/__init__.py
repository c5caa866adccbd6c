"""Every sentence users read, in Chinese and English, from one catalogue with interpolation.

catalogue: the mechanism (`t(key, lang, **values)`, `pick`, `norm_lang`) over one dict of
(zh, en) pairs that the modules of this package and the dashboard's UI words (dashboard/i18n.py)
register into; numbers: the one number formatter (values, gaps, targets, percentages);
progress: the words of the progress engine's dataclasses (status, verdict, standing, steps, notes,
headline) for the pages, the CLI and the briefing. No Dash here: etl and dashboard both import it.
"""
from etl.wording.catalogue import DEFAULT_LANG, LANGS, TEXTS, norm_lang, pick, register, t

__all__ = ["DEFAULT_LANG", "LANGS", "TEXTS", "norm_lang", "pick", "register", "t"]
