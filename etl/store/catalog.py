"""Read the catalog tables into a plain Catalog snapshot (see etl.records)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from etl.store.models import Indicator, IndicatorAlias, Region, RegionAlias
from etl.records import Catalog, IndicatorInfo, RegionInfo


def load_catalog(session: Session) -> Catalog:
    regions = {
        r.code: RegionInfo(r.code, r.name_zh, r.name_en, r.level, r.parent_code)
        for r in session.scalars(select(Region).order_by(Region.sort_order))
    }
    indicators = {
        i.code: IndicatorInfo(i.code, i.name_zh, i.name_en, i.unit, i.measure,
                              i.quarterly_cumulative, i.min_value, i.max_value, i.derivation)
        for i in session.scalars(select(Indicator).order_by(Indicator.sort_order))
    }
    region_aliases = {a: c for a, c in session.execute(select(RegionAlias.alias, RegionAlias.region_code))}
    indicator_aliases = {
        a: c for a, c in session.execute(select(IndicatorAlias.alias, IndicatorAlias.indicator_code))}
    return Catalog(regions, indicators, region_aliases, indicator_aliases)
