"""The synthetic statistics behind the demo workbooks (pure data, no files, no database).

Everything is computed from fixed tables and a hash-based jitter (no global random state), so the
same numbers come out on every run and adding a series does not shift the others. Where a real
published figure exists (shared/reference/published-figures.md) the demo uses it, so that the
reference batch confirms rather than contradicts the demo values:
- Heilongjiang GDP: preliminary bulletin values in the provincial tables, the fifth-census revised
  values in the 2026 portal export (the revision story of the layouts document);
- national GDP by quarter 2019-2022 Q1, CAICT digital-economy shares 2019-2023, national 5G stations
  2021-2024, national core-industry value added 2023; Harbin and Daqing GDP 2020.
Everything else is invented and only shaped like statistics (growth, seasonality, revisions).
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

YEARS = tuple(range(2019, 2026))
QUARTERS = (1, 2, 3, 4)
PROVINCE = "230000"
PROVINCE_LABEL = "全省"  # the province's row in the 各市（地） tables
NATION = "100000"
PEERS = ("220000", "210000", "150000", "440000", "330000")  # 吉林 辽宁 内蒙古 广东 浙江


def jitter(key: str, scale: float) -> float:
    """A deterministic number in [-scale, +scale] for a key (order-independent, unlike random)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    unit = int.from_bytes(digest[:8], "big") / 2**64  # [0, 1)
    return (unit * 2 - 1) * scale


def r1(x: float) -> float:
    return round(x, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


# --- the 31 provinces: 2020 GDP (亿元), 2020 year-end population (万人), yearly drifts -----------
# (code, GDP 2020, population 2020, population change per year, extra nominal growth per year,
#  fifth-census revision factor for 2019-2023)
PROVINCE_BASE = [
    ("110000", 36102.6, 2189, 0.000, 0.008, 1.021),
    ("120000", 14083.7, 1387, -0.004, -0.010, 1.035),
    ("130000", 36206.9, 7464, -0.004, 0.000, 1.042),
    ("140000", 17651.9, 3490, -0.004, 0.006, 1.028),
    ("150000", 17359.8, 2403, -0.002, 0.010, 1.031),
    ("210000", 25115.0, 4255, -0.005, -0.004, 1.046),
    ("220000", 12311.3, 2399, -0.010, -0.006, 1.040),
    ("230000", 13698.5, 3171, -0.012, -0.008, 1.022),
    ("310000", 38700.6, 2488, 0.000, 0.004, 1.018),
    ("320000", 102719.0, 8477, 0.002, 0.006, 1.024),
    ("330000", 64613.3, 6468, 0.009, 0.008, 1.026),
    ("340000", 38680.6, 6105, -0.001, 0.010, 1.037),
    ("350000", 43903.9, 4161, 0.003, 0.004, 1.020),
    ("360000", 25691.5, 4519, -0.002, 0.006, 1.033),
    ("370000", 73129.0, 10165, 0.000, 0.006, 1.039),
    ("410000", 54997.1, 9941, -0.003, -0.002, 1.051),
    ("420000", 43443.5, 5745, 0.002, 0.012, 1.031),
    ("430000", 41781.5, 6645, -0.003, 0.004, 1.035),
    ("440000", 110760.9, 12624, 0.004, 0.004, 1.019),
    ("450000", 22156.7, 5019, -0.001, 0.002, 1.044),
    ("460000", 5532.4, 1012, 0.012, 0.012, 1.030),
    ("500000", 25002.8, 3209, 0.000, 0.008, 1.029),
    ("510000", 48598.8, 8371, 0.000, 0.008, 1.034),
    ("520000", 17826.6, 3858, 0.001, 0.004, 1.047),
    ("530000", 24521.9, 4722, -0.001, 0.002, 1.041),
    ("540000", 1902.7, 366, 0.008, 0.014, 1.012),
    ("610000", 26181.9, 3955, 0.000, 0.006, 1.027),
    ("620000", 9016.7, 2501, -0.004, 0.008, 1.036),
    ("630000", 3005.9, 593, 0.001, 0.006, 1.025),
    ("640000", 3920.5, 721, 0.003, 0.010, 1.028),
    ("650000", 13797.6, 2590, 0.004, 0.014, 1.045),
]
# national nominal GDP relative to 2020, as published before (<=2022) and after the revision
GROWTH = {2016: 0.755, 2017: 0.823, 2018: 0.902, 2019: 0.968, 2020: 1.0, 2021: 1.128,
          2022: 1.183, 2023: 1.232, 2024: 1.288, 2025: 1.338}

# Heilongjiang: real values (published-figures.md) and the demo's invented 2025
HLJ_GDP_PRELIMINARY = {2019: 13612.7, 2020: 13698.5, 2021: 14879.2, 2022: 15901.0,
                       2023: 15883.9, 2024: 16476.9, 2025: 16939.5}
HLJ_GDP_REVISED = {2016: 11895.0, 2017: 12313.0, 2018: 12846.5, 2019: 13962.5, 2020: 14000.1,
                   2021: 15292.8, 2022: 16359.2, 2023: 16470.7, 2024: 16478.1, 2025: 16939.5}
HLJ_POPULATION = {2015: 3529, 2016: 3463, 2017: 3399, 2018: 3327, 2019: 3255, 2020: 3171,
                  2021: 3125, 2022: 3099, 2023: 3062, 2024: 3029, 2025: 2995}


@dataclass
class ProvinceSeries:
    gdp_original: dict[str, dict[int, float]] = field(default_factory=dict)  # pre-census vintage
    gdp_revised: dict[str, dict[int, float]] = field(default_factory=dict)  # 2026 vintage
    gdp_ytd: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)
    population: dict[str, dict[int, int]] = field(default_factory=dict)


# share of the annual flow produced in each quarter (Heilongjiang: a heavy fourth quarter)
SEASON = (0.205, 0.245, 0.245, 0.305)
SEASON_2020 = (0.190, 0.250, 0.250, 0.310)  # the first quarter of 2020 (epidemic)


def season(code: str, year: int) -> tuple[float, float, float, float]:
    base = SEASON_2020 if year == 2020 else SEASON
    tilt = jitter(f"season/{code}", 0.015)  # some regions are less back-loaded
    q = (base[0] + tilt, base[1] + tilt / 2, base[2], base[3] - tilt * 1.5)
    return q


def ytd_from_annual(code: str, year: int, annual: float) -> dict[int, float]:
    """Year-to-date values by quarter; the quick Q4 estimate differs slightly from the annual."""
    q4 = annual * (1 - jitter(f"q4/{code}/{year}", 0.004))
    shares = season(code, year)
    out, cum = {}, 0.0
    for q in QUARTERS:
        cum += shares[q - 1]
        out[q] = r1(q4 * cum / sum(shares))
    return out


def province_series() -> ProvinceSeries:
    s = ProvinceSeries()
    for code, gdp2020, pop2020, dpop, dgrowth, census in PROVINCE_BASE:
        orig = {y: r1(gdp2020 * GROWTH[y] * (1 + dgrowth) ** (y - 2020)
                      * (1 + jitter(f"gdp/{code}/{y}", 0.006))) for y in GROWTH}
        revised = {y: r1(v * census) if y >= 2019 else v for y, v in orig.items()}
        pop = {y: round(pop2020 * (1 + dpop) ** (y - 2020) + jitter(f"pop/{code}/{y}", 3))
               for y in range(2015, 2026)}
        if code == PROVINCE:
            orig.update(HLJ_GDP_PRELIMINARY)
            revised = dict(HLJ_GDP_REVISED)
            pop = dict(HLJ_POPULATION)
        s.gdp_original[code] = orig
        s.gdp_revised[code] = revised
        s.population[code] = pop
        # quarterly data as published at the time: old basis up to 2023, new basis afterwards
        s.gdp_ytd[code] = {}
        for y in range(2018, 2026):
            annual = orig[y] if y <= 2023 else revised[y]
            for q, v in ytd_from_annual(code, y, annual).items():
                s.gdp_ytd[code][(y, q)] = v
    return s


# --- the nation ------------------------------------------------------------------------------------

# GDP of each quarter alone (当季值, 亿元). 2019-2022 Q1 as published (their sums are the published
# cumulative values); 2023 sums to the revised annual value; 2024-2025 grow from 2023.
NATION_GDP_QUARTER = {
    2019: (213433.0, 241502.3, 252208.7, 279371.2),
    2020: (206504.3, 248985.1, 262458.8, 295618.8),
    2021: (247985.0, 281528.0, 289919.3, 324237.4),
    2022: (270177.8, 292464.1, 307627.2, 335508.0),
    2023: (292513.0, 315780.0, 326540.0, 359438.7),
}
for _y, _g in ((2024, 1.042), (2025, 1.039)):
    NATION_GDP_QUARTER[_y] = tuple(r1(v * _g * (1 + jitter(f"ngdp/{_y}/{i}", 0.002)))
                                   for i, v in enumerate(NATION_GDP_QUARTER[_y - 1]))
# annual GDP in the 2026 portal (revised; not equal to the sum of quarters, as in real data)
NATION_GDP_ANNUAL = {2021: 1149237.0, 2022: 1204724.0, 2023: 1294271.7, 2024: 1349083.5,
                     2025: 1401879.2}
NATION_POPULATION = {2021: 141260, 2022: 141175, 2023: 140967, 2024: 140828, 2025: 140489}
NATION_FIVEG = {2019: 130000, 2020: 718000, 2021: 1425000, 2022: 2312000, 2023: 3377000,
                2024: 4251000, 2025: 4763000}
NATION_CORE_VA = {2023: 127555.0, 2024: 136270.0, 2025: 146480.0}
NATION_DIGITAL_ECONOMY_SHARE = {2019: 36.2, 2020: 38.6, 2021: 39.8, 2022: 41.5, 2023: 42.8,
                                2024: 44.2, 2025: 45.6}
# two sectors the monitor does not track (they ride along in the quarterly export)
SECTOR_SHARE = {"第一产业": (0.045, 0.058, 0.088, 0.092), "第二产业": (0.385, 0.395, 0.385, 0.370)}


def nation_ytd(values: tuple[float, ...]) -> tuple[float, ...]:
    out, cum = [], 0
    for v in values:
        cum += round(v * 10)  # in tenths, so that the sums are exact
        out.append(cum / 10)
    return tuple(out)


def sector_quarters(sector: str, year: int) -> tuple[float, ...]:
    shares = SECTOR_SHARE[sector]
    return tuple(r1(NATION_GDP_QUARTER[year][i] * shares[i]
                    * (1 + jitter(f"{sector}/{year}/{i}", 0.03))) for i in range(4))


def nation_fiveg_per_10k(year: int) -> float:
    return r1(NATION_FIVEG[year] / NATION_POPULATION[year])


# --- peers: CAICT digital-economy share and 5G stations (year end) --------------------------------

DIGITAL_ECONOMY_SHARE = {
    "230000": (22.4, 24.1, 25.9, 27.6, 29.3, 31.0, 32.7),
    "220000": (23.5, 25.2, 26.9, 28.8, 30.4, 32.1, 33.8),
    "210000": (30.2, 31.8, 33.2, 34.9, 36.4, 38.0, 39.5),
    "150000": (21.1, 22.6, 24.1, 25.7, 27.2, 28.5, 29.8),
    "440000": (46.3, 47.9, 49.4, 51.2, 53.0, 54.7, 56.4),
    "330000": (44.7, 46.4, 47.9, 49.6, 51.3, 53.1, 54.8),
}
PEER_FIVEG = {
    "220000": (1100, 9800, 21500, 35600, 51200, 62300, 70800),
    "210000": (3200, 22000, 42000, 68000, 97500, 121000, 138000),
    "150000": (1500, 11600, 26000, 43000, 62000, 79000, 90000),
    "440000": (37000, 124000, 170000, 257000, 325000, 392000, 431000),
    "330000": (18000, 62600, 105000, 170000, 209000, 245000, 268000),
}


# --- Heilongjiang and its 13 prefectures ------------------------------------------------------------

# (code, label as the provincial table writes it, GDP share of the province in 2020, core-industry
#  intensity relative to the province, 5G weight, county-level units, key parks, villages)
CITIES = [
    ("230100", "哈尔滨市", 5183.8 / 13698.5, 1.42, 0.330, 19, 18, 1890),
    ("230200", "齐齐哈尔", 0.0876, 0.78, 0.090, 16, 8, 1280),
    ("230300", "鸡西市", 0.0400, 0.62, 0.045, 9, 5, 480),
    ("230400", "鹤岗", 0.0248, 0.55, 0.030, 8, 3, 210),
    ("230500", "双鸭山", 0.0354, 0.58, 0.035, 8, 4, 420),
    ("230600", "大庆市", 2301.1 / 13698.5, 0.72, 0.150, 9, 10, 590),
    ("230700", "伊春市", 0.0199, 0.66, 0.030, 10, 3, 150),
    ("230800", "佳木斯", 0.0577, 0.74, 0.065, 10, 6, 1240),
    ("230900", "七台河市", 0.0164, 0.57, 0.022, 4, 2, 160),
    ("231000", "牡丹江市", 0.0625, 0.92, 0.075, 10, 8, 990),
    ("231100", "黑河", 0.0409, 0.61, 0.040, 7, 4, 640),
    ("231200", "绥化市", 0.0832, 0.64, 0.070, 10, 6, 910),
    ("232700", "大兴安岭地区", 0.0110, 0.50, 0.018, 7, 2, 100),
]
# 5G in 2019-2020 was concentrated in the big cities
FIVEG_WEIGHT_2019 = {"230100": 0.62, "230600": 0.20, "230200": 0.08, "231000": 0.06,
                     "230800": 0.04}
CITY_SHARE_DRIFT = {"230100": 0.0030, "230600": -0.0020}  # Harbin gains, Daqing loses share
CITY_SUM_OVERSHOOT = 1.018  # sum of prefectures exceeds the province (separate accounting)

# province year-end values of the shares and rates (2018 is only a base for interpolation)
CORE_SHARE = {2018: 5.7, 2019: 6.1, 2020: 6.6, 2021: 7.2, 2022: 7.8, 2023: 8.3, 2024: 8.8,
              2025: 9.3}
CORE_SEASON = (0.45, 0.25, 0.10, 0.0)  # core VA is less seasonal than GDP: higher share early
LARGE_MFG = {2018: 35.8, 2019: 38.6, 2020: 42.1, 2021: 46.3, 2022: 50.2, 2023: 53.8, 2024: 56.9,
             2025: 59.3}
ABOVE_SCALE = {2018: 15.6, 2019: 17.9, 2020: 20.6, 2021: 24.1, 2022: 27.5, 2023: 30.4,
               2024: 33.2, 2025: 36.0}
GIGABIT = {2019: 0.9, 2020: 3.2, 2021: 12.5, 2022: 28.4, 2023: 45.6, 2024: 56.9, 2025: 64.1}
IPV6 = {2018: 5.1, 2019: 9.6, 2020: 18.5, 2021: 32.4, 2022: 46.7, 2023: 55.8, 2024: 62.9,
        2025: 68.2}
FIVEG_STATIONS = {2018: 0, 2019: 1210, 2020: 12600, 2021: 28400, 2022: 52300, 2023: 78600,
                  2024: 101900, 2025: 115200}
FIVEG_BUILD = (0.10, 0.50, 0.82, 1.0)  # share of a year's new stations built by each quarter end
FIVEG_OVERRIDE = {(2022, 2): 40900}  # mid-2022: 4.09万 (published)
# units covered at each quarter end: (year, quarter) -> count; linear between year ends otherwise
COVERED = {
    "city": {2019: 1, 2020: 5, 2021: 11, 2022: 13, 2023: 13, 2024: 13, 2025: 13},
    "county": {2019: 3, 2020: 45, 2021: 92, 2022: 127, 2023: 127, 2024: 127, 2025: 127},
    "park": {2019: 2, 2020: 31, 2021: 48, 2022: 58, 2023: 66, 2024: 72, 2025: 76},
    "village": {2019: 0, 2020: 760, 2021: 2150, 2022: 3720, 2023: 5150, 2024: 6250, 2025: 7112},
}
COVERED_OVERRIDE = {("city", 2019, 1): 0, ("city", 2019, 2): 0, ("city", 2022, 3): 13,
                    ("county", 2022, 3): 127}
NOT_COLLECTED_2019 = ("village", "gigabit")  # columns shown as — in the 2019 tables


def between(series: dict[int, float], year: int, quarter: int, steps=(0.25, 0.5, 0.75, 1.0)):
    """A quarter-end value on the way from last year's end to this year's."""
    prev = series.get(year - 1, series[year])
    return prev + (series[year] - prev) * steps[quarter - 1]


def covered_units(kind: str, year: int, quarter: int) -> int:
    if (kind, year, quarter) in COVERED_OVERRIDE:
        return COVERED_OVERRIDE[(kind, year, quarter)]
    return round(between({2018: 0, **COVERED[kind]}, year, quarter))


@functools.cache
def unit_order(kind: str) -> tuple[str, ...]:
    """Which city each unit belongs to, in the order units get covered (big cities first); the
    same for every year and quarter, so worked out once per kind (a demo set asks 140 times)."""
    column = {"city": None, "county": 5, "park": 6, "village": 7}[kind]
    units = []
    for city in CITIES:
        count = 1 if column is None else city[column]
        for i in range(count):
            # bigger economies first (Harbin, Daqing, ...), spread over time, a little shuffled
            priority = 1 - 2 * city[2]
            spread = 0.1 if kind == "city" else 0.3
            units.append((priority * 2 + (i / count) + jitter(f"{kind}/{city[0]}/{i}", spread),
                          city[0]))
    return tuple(code for _, code in sorted(units))


def coverage(kind: str, year: int, quarter: int) -> dict[str, float]:
    """Percent of units covered, for the province and each city, from one count of units."""
    order = unit_order(kind)
    n = covered_units(kind, year, quarter)
    done = order[:n]
    out = {PROVINCE: r1(100 * n / len(order))}
    for city in CITIES:
        total = order.count(city[0])
        out[city[0]] = r1(100 * done.count(city[0]) / total)
    return out


def fiveg_weights(year: int) -> dict[str, float]:
    fade = {2019: 1.0, 2020: 0.9, 2021: 0.5, 2022: 0.25}.get(year, 0.0)
    weights = {c[0]: c[4] * (1 - fade) + FIVEG_WEIGHT_2019.get(c[0], 0.0) * fade for c in CITIES}
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}


def split_exactly(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Integer parts that add up to the total (largest remainder)."""
    raw = {k: total * w for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (out[k] - raw[k], k))[:rest]:
        out[k] += 1
    return out


def fiveg_stations(year: int, quarter: int) -> int:
    if (year, quarter) in FIVEG_OVERRIDE:
        return FIVEG_OVERRIDE[(year, quarter)]
    return round(between(FIVEG_STATIONS, year, quarter, FIVEG_BUILD))


CITY_RATE_FACTOR = {"230100": 1.12, "230600": 1.10, "231000": 1.04, "230200": 1.0}


def city_rate(province_value: float, code: str, name: str, year: int, quarter: int) -> float:
    factor = CITY_RATE_FACTOR.get(code, 0.9) + jitter(f"{name}/{code}", 0.06)
    return r1(min(99.8, province_value * factor * (1 + jitter(f"{name}/{code}/{year}/{quarter}",
                                                              0.01))))


@dataclass(frozen=True)
class TableRow:
    """One row of a provincial 各市（地） table; None is a missing value (written as —)."""

    code: str
    label: str
    gdp: float
    gdp_growth: float | None
    core: float
    core_growth: float | None
    core_share: float
    large_mfg: float | None
    above_scale: float | None
    fiveg: int | None
    city_cov: float | None
    county_cov: float | None
    park_cov: float | None
    village_cov: float | None
    gigabit: float | None
    ipv6: float | None


def city_gdp_share(code: str, base: float, year: int) -> float:
    share = base + CITY_SHARE_DRIFT.get(code, 0.0) * (year - 2020)
    return share * (1 + jitter(f"cityshare/{code}/{year}", 0.01))


class ProvincialTables:
    """The 各市（地）数字经济主要指标 tables: quarter 1-4 year to date, quarter 0 the full year."""

    def __init__(self, provinces: ProvinceSeries):
        self.provinces = provinces

    def province_gdp(self, year: int, quarter: int) -> float:
        if quarter == 0:
            return HLJ_GDP_PRELIMINARY[year] if year in HLJ_GDP_PRELIMINARY else \
                self.provinces.gdp_original[PROVINCE][year]
        return self.provinces.gdp_ytd[PROVINCE][(year, quarter)]

    def core_share(self, year: int, quarter: int) -> float:
        if quarter == 0:
            return CORE_SHARE[year]
        return between(CORE_SHARE, year, quarter) + CORE_SEASON[quarter - 1] - 0.02

    def city_gdp(self, code: str, base: float, year: int, quarter: int) -> float:
        province = self.province_gdp(year, quarter)
        normalise = CITY_SUM_OVERSHOOT / sum(city_gdp_share(c[0], c[2], year) for c in CITIES)
        value = province * city_gdp_share(code, base, year) * normalise
        if quarter:
            value *= 1 + jitter(f"cityq/{code}/{year}/{quarter}", 0.004)
        if (code, year, quarter) == ("230100", 2020, 0):
            return 5183.8  # Harbin statistical bulletin 2020
        if (code, year, quarter) == ("230600", 2020, 0):
            return 2301.1  # Daqing statistical bulletin 2020
        return r1(value)

    def city_core_share(self, code: str, intensity: float, year: int, quarter: int) -> float:
        province = self.core_share(year, quarter)
        weights = [(c[2], c[3]) for c in CITIES]
        mean_intensity = sum(w * i for w, i in weights) / sum(w for w, _ in weights)
        return province * intensity / mean_intensity * (1 + jitter(f"core/{code}/{year}", 0.012))

    def rows(self, year: int, quarter: int) -> list[TableRow]:
        q = quarter or 4  # the full year's stock and ratio values are the year-end ones
        prev_year = year - 1
        cov = {kind: coverage(kind, year, q) for kind in COVERED}
        stations = fiveg_stations(year, q)
        city_stations = split_exactly(stations, fiveg_weights(year))

        def growth(now: float, before: float | None) -> float | None:
            if before is None:
                return None
            # reported at comparable prices: nominal growth less a deflator
            return r1((now / before - 1) * 100 - 1.3)

        def not_collected(kind: str, value: float) -> float | None:
            return None if year == 2019 and kind in NOT_COLLECTED_2019 else value

        def make(code, label, gdp, gdp_before, core, core_before, large, above, fiveg, gig, v6):
            share = r1(core / gdp * 100)
            no_5g_yet = year == 2019 and q <= 2  # 5G licences were issued in June 2019

            def five_g(value):
                return None if no_5g_yet else value
            return TableRow(
                code, label, gdp, growth(gdp, gdp_before), core, growth(core, core_before),
                share, large, above, five_g(fiveg), five_g(cov["city"][code]),
                five_g(cov["county"][code]), five_g(cov["park"][code]),
                not_collected("village", cov["village"][code]), not_collected("gigabit", gig), v6)

        def province_core(y: int, qq: int) -> float:
            return r1(self.province_gdp(y, qq) * self.core_share(y, qq) / 100)

        gdp_prev = self.province_gdp(prev_year, quarter) if prev_year >= 2018 else None
        core_prev = province_core(prev_year, quarter) if prev_year >= 2018 else None
        large, above = between(LARGE_MFG, year, q), between(ABOVE_SCALE, year, q)
        gig, v6 = between(GIGABIT, year, q), between(IPV6, year, q)
        out = [make(PROVINCE, PROVINCE_LABEL, self.province_gdp(year, quarter), gdp_prev,
                    province_core(year, quarter), core_prev, r1(large), r1(above), stations,
                    r1(gig), r1(v6))]
        for code, label, base, intensity, *_ in CITIES:
            gdp = self.city_gdp(code, base, year, quarter)
            before = self.city_gdp(code, base, prev_year, quarter)
            core = r1(gdp * self.city_core_share(code, intensity, year, quarter) / 100)
            core_before = r1(before * self.city_core_share(code, intensity, prev_year, quarter)
                             / 100)
            city_large = None if code == "232700" else city_rate(large, code, "large", year, q)
            out.append(make(code, label, gdp, before, core, core_before, city_large,
                            city_rate(above, code, "above", year, q), city_stations[code],
                            city_rate(gig, code, "gig", year, q),
                            city_rate(v6, code, "ipv6", year, q)))
        return out


def stock_per_10k(stations: int, population: int) -> float:
    return r1(stations / population)
