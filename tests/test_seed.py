from sqlalchemy import func, select

from etl.store.db import init_db, session_scope
from etl.normalise.labels import alias_key
from etl.store.models import Indicator, Region, Target


def test_seed_is_idempotent_and_complete(engine):
    init_db(engine, reseed=True)  # a second run upserts, never duplicates
    with session_scope(engine) as s:
        levels = {k: v for k, v in s.execute(select(Region.level, func.count()).group_by(Region.level))}
        assert levels == {"country": 1, "province": 31, "prefecture": 13}
        assert s.scalar(select(func.count()).select_from(Target)) == 12
        assert s.get(Indicator, "digital_core_va_share").derivation == "digital_core_va / gdp * 100"


def test_region_aliases_resolve(catalog):
    for label, code in [("哈尔滨", "230100"), ("哈尔滨市", "230100"), ("Harbin", "230100"),
                        ("230100", "230100"), ("大兴安岭", "232700"), ("大兴安岭地区", "232700"),
                        ("黑龙江", "230000"), ("黑龙江省", "230000"), ("全省", "230000"),
                        ("　内蒙古自治区 ", "150000"), ("全国", "100000")]:
        assert catalog.region_aliases[alias_key(label)] == code, label


def test_targets_carry_their_clause(engine):
    with session_scope(engine) as s:
        t = s.scalar(select(Target).where(Target.indicator_code == "digital_core_va_share"))
        assert t.value == 10 and t.kind == "at_least" and "10%" in t.clause_text
        assert t.target_set.base_year == 2020


def test_seeding_again_restores_what_the_seed_files_say(engine):
    """The upsert updates rows that exist (found in one query per table) and adds missing ones."""
    from etl.store.models import RegionAlias

    with session_scope(engine) as s:
        s.get(Indicator, "gdp").name_en = "edited"
        s.get(Region, "230100").short_zh = "edited"
        s.scalar(select(Target).where(Target.indicator_code == "digital_core_va_share")).value = 1
        s.delete(s.get(RegionAlias, alias_key("哈尔滨市")))
    init_db(engine, reseed=True)
    with session_scope(engine) as s:
        assert s.get(Indicator, "gdp").name_en == "Gross regional product (GDP)"
        assert s.get(Region, "230100").short_zh == "哈尔滨"
        assert s.scalar(select(Target.value).where(
            Target.indicator_code == "digital_core_va_share")) == 10
        assert s.get(RegionAlias, alias_key("哈尔滨市")).region_code == "230100"
        assert s.scalar(select(func.count()).select_from(Target)) == 12
