"""A deterministic demo awards register and task progress, loaded through the ETL as demo data.

`demo_files()` -> [(name, xlsx bytes)]: one award list a year, 2022–2025, as the granting
departments send them (a title line above the header, a 合计 row below), a few hundred awards across
the money measures (1–4, 9, 11–14), enterprises in the cities weighted like the province's economy
(哈尔滨 about a third, 大庆 a sixth, …), and a progress sheet of the tasks. The same bytes on every
run (a seeded random generator, fixed workbook times).

A handful of awards break a rule, so that the checks show on the pages (loaded as found with
record_breaches, see etl.measures.pipeline): a m.12 amount that is not 10% of the investment, a
m.1 award above its 200万元 cap, the 51st m.4 enterprise of 2024, a m.9 one-off award paid twice,
one project supported in 2023 under m.12 and m.14 (从高不重复), a m.2 award approved after the
policy expired (2025-10-19), and one enterprise written with two names.
"""
from __future__ import annotations

import datetime as dt
import io
import random
from typing import Iterator

from openpyxl import Workbook
from stdnum.cn import uscc

from etl.measures.read import CITY_SUFFIX, PREFECTURE_WORD, TOTAL_WORDS
from etl.measures.records import COLUMNS, status_name
from etl.measures.tasks import TASK_COLUMNS

SEED = 15
YEARS = (2022, 2023, 2024, 2025)
# prefecture -> weight (roughly the cities' shares of the province's GDP)
CITIES = {
    "哈尔滨市": 36, "大庆市": 17, "齐齐哈尔市": 9, "绥化市": 8, "牡丹江市": 7, "佳木斯市": 6,
    "黑河市": 4, "鸡西市": 4, "双鸭山市": 3, "鹤岗市": 2, "伊春市": 2, "七台河市": 1, "大兴安岭地区": 1,
}
CODES = {"哈尔滨市": "230100", "齐齐哈尔市": "230200", "鸡西市": "230300", "鹤岗市": "230400",
         "双鸭山市": "230500", "大庆市": "230600", "伊春市": "230700", "佳木斯市": "230800",
         "七台河市": "230900", "牡丹江市": "231000", "黑河市": "231100", "绥化市": "231200",
         "大兴安岭地区": "232700"}
DISTRICTS = {"哈尔滨市": ("南岗区", "道里区", "松北区", "平房区", "香坊区"), "大庆市": ("高新区", "萨尔图区", "让胡路区")}
WORDS = ("智联", "数科", "云图", "精工", "华信", "北斗", "龙创", "极光", "冰城", "寒地", "松江", "兴安",
         "黑土", "鹤城", "油城", "雪原", "龙腾", "天鹅", "北疆", "鲲鹏", "启明", "百川", "中航", "东极")
TRADES = ("科技", "信息技术", "软件", "智能装备", "数据科技", "电子", "网络科技", "工业互联网", "自动化", "智能制造")
PROJECTS = ("智能工厂改造", "5G全连接工厂", "工业互联网平台", "数字化车间", "智能传感器产线", "工业软件研发",
            "云平台服务", "数据中心扩容", "智慧仓储系统", "机器视觉检测线", "设备上云", "MES系统升级")
# the workbooks' own words (input files: the reader reads them back)
AWARD_SHEET, TASK_SHEET = "{year}年", "任务进展"
AWARD_TITLE = "{year}年度“数字龙江”政策措施奖补资金兑现清单（演示数据）"
AWARD_FILE, TASK_FILE = "演示-奖补清单-{year}.xlsx", "演示-政策措施任务进展.xlsx"
TASK_NOTE = "演示数据"
NOT_OTHERWISE_PROVIDED = "否"  # 另有规定: no
FIRM_SUFFIX, SHARE_FIRM_SUFFIX = "有限公司", "股份有限公司"
DOC_NO = "{issuer}〔{year}〕{n}号"
ISSUERS = {"default": "黑工信发", 9: "黑商发"}  # the 文号 prefix of the granting department
PROJECT = {  # the project of an award, by rule
    "2a": "工信部工业互联网专项", "2b": "国家级试点示范", 3: "中小企业上云平台", 4: "数字化改造示范标杆",
    9: "营业收入首次达到10亿元", 11: "工业互联网标识解析二级节点", "13a": "新纳入规上统计",
    "13b": "CMMI {level}级", 14: "首版次软件产品应用",
}
# the breaches' projects
BREACH_PROJECT = {"not-10%": "数字化车间", "above-cap": "5G全连接工厂", "twice": "智能传感器产线"}
UNITS = {1: "省工信厅", 2: "省工信厅", 3: "省工信厅", 4: "省工信厅", 9: "省商务厅", 11: "省工信厅",
         12: "省工信厅", 13: "省工信厅", 14: "省工信厅"}


class _Firms:
    """A stable pool of enterprises: name -> (credit code, city)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.made: dict[str, tuple[str, str]] = {}
        self.serial = 0

    def new(self) -> tuple[str, str, str]:
        city = self.rng.choices(list(CITIES), weights=list(CITIES.values()))[0]
        while True:
            prefix = city.removesuffix(CITY_SUFFIX).removesuffix(PREFECTURE_WORD)
            word = self.rng.choice(WORDS)
            name = prefix + word + self.rng.choice(TRADES) + FIRM_SUFFIX
            if name not in self.made:
                break
        self.serial += 1
        body = f"91{CODES[city]}MA{self.serial:03d}{self.rng.randrange(10000):04d}"[:17]
        code = body + uscc.calc_check_digit(body)
        self.made[name] = (code, city)
        return name, code, city


def _place(rng: random.Random, city: str) -> str:
    if city in DISTRICTS and rng.random() < 0.5:
        return city + rng.choice(DISTRICTS[city])
    return city


def _date(rng: random.Random, year: int, last: dt.date | None = None) -> dt.date:
    start = dt.date(year, 3, 1)
    end = dt.date(year, 12, 20) if year < 2025 else dt.date(2025, 10, 10)
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def _awards(rng: random.Random, firms: _Firms) -> Iterator[dict]:
    doc_no = {y: 0 for y in YEARS}

    def doc(year: int, measure: int) -> str:
        doc_no[year] += 1
        return DOC_NO.format(issuer=ISSUERS.get(measure, ISSUERS["default"]), year=year, n=doc_no[year] + 10)

    def row(measure, year, *, rule="", amount, basis=None, firm=None, project="", other=NOT_OTHERWISE_PROVIDED, date=None):
        name, code, city = firm or firms.new()
        return {"measure": measure, "rule": rule, "enterprise": name, "uscc": code,
                "place": _place(rng, city), "project": project, "year": year,
                "approved_on": (date or _date(rng, year)).isoformat(), "doc_no": doc(year, measure),
                "basis": basis, "amount": amount, "granting_unit": UNITS[measure], "otherwise_provided": other}

    m4_count = {2022: 46, 2023: 50, 2024: 50, 2025: 38}
    m9_firms = []
    for year in YEARS:
        for _ in range(rng.randint(8, 12)):
            yield row(1, year, amount=rng.choice((50, 80, 100, 150, 200)), project=rng.choice(PROJECTS))
        for _ in range(rng.randint(3, 5)):
            support = rng.choice((150, 200, 300, 400, 600, 800))
            yield row(2, year, rule="2a", basis=support, amount=min(round(support * 0.2, 2), 100),
                      project=PROJECT["2a"])
        for _ in range(rng.randint(4, 6)):
            yield row(2, year, rule="2b", amount=50, project=PROJECT["2b"])
        for _ in range(rng.randint(2, 3)):
            served = rng.randint(300, 3000)
            yield row(3, year, basis=served, amount=rng.choice((100, 200, 300, 500)), project=PROJECT[3])
        for i in range(m4_count[year]):
            special = i % 6 == 0
            yield row(4, year, rule="4z" if special else "4", amount=100 if special else 50,
                      project=PROJECT[4])
        for _ in range(rng.randint(1, 2)):
            firm = firms.new()
            m9_firms.append(firm)
            yield row(9, year, basis=rng.randint(100000, 180000), amount=500, firm=firm, project=PROJECT[9])
        yield row(11, year, basis=rng.randint(20, 80), amount=500, project=PROJECT[11])
        for _ in range(rng.randint(6, 10)):
            invest = rng.randrange(2000, 9000, 50)
            yield row(12, year, basis=invest, amount=min(round(invest * 0.1, 2), 600), project=rng.choice(PROJECTS))
        for _ in range(rng.randint(6, 10)):
            yield row(13, year, rule="13a", amount=50, project=PROJECT["13a"])
        for _ in range(rng.randint(2, 4)):
            level = rng.choice((3, 3, 4, 5))
            yield row(13, year, rule="13b", basis=level, amount={3: 50, 4: 100, 5: 150}[level], project=PROJECT["13b"].format(level=level))
        for _ in range(rng.randint(8, 12)):
            price = rng.randrange(20, 400, 5)
            yield row(14, year, basis=price, amount=min(round(price * 0.2, 2), 50), project=PROJECT[14])
    # --- the breaches -----------------------------------------------------------------------------
    yield row(12, 2023, basis=4200, amount=460, project=BREACH_PROJECT["not-10%"])                      # ≠ 10% of 4200
    yield row(1, 2024, amount=250, project=BREACH_PROJECT["above-cap"])                                   # above 200
    yield row(4, 2024, amount=50, project=PROJECT[4], date=dt.date(2024, 12, 28))   # the 51st
    yield row(9, 2024, basis=160000, amount=500, firm=m9_firms[0], project=PROJECT[9])  # once only
    twice = firms.new()
    yield row(12, 2023, basis=3000, amount=300, firm=twice, project=BREACH_PROJECT["twice"])
    yield row(14, 2023, basis=150, amount=30, firm=twice, project=BREACH_PROJECT["twice"])           # 从高不重复
    yield row(2, 2025, rule="2b", amount=50, project=PROJECT["2b"], date=dt.date(2025, 11, 3))  # expired
    renamed_name, renamed_code, renamed_city = firms.new()
    yield row(13, 2022, rule="13a", amount=50, firm=(renamed_name, renamed_code, renamed_city), project=PROJECT["13a"])
    yield row(13, 2024, rule="13b", basis=3, amount=50,
              firm=(renamed_name.replace(FIRM_SUFFIX, SHARE_FIRM_SUFFIX), renamed_code, renamed_city), project=PROJECT["13b"].format(level=3))


TASK_STATUS = {  # task -> (status, date, evidence)
    "1.1": ("done", "2022-03-15", "黑工信规〔2022〕2号"), "1.2": ("in_progress", "2025-06-30", ""),
    "2.1": ("done", "2023-04-10", "黑工信发〔2023〕56号"), "2.2": ("in_progress", "2025-06-30", ""),
    "3.1": ("done", "2022-06-01", "黑工信规〔2022〕5号"), "3.2": ("in_progress", "2025-06-30", ""),
    "4.1": ("in_progress", "2025-09-30", "2022—2024年每年认定50户"), "4.2": ("in_progress", "2025-06-30", ""),
    "5.1": ("in_progress", "2025-03-31", "省农业大数据平台二期"), "5.3": ("done", "2023-12-20", "数字乡村试点名单"),
    "6.1": ("in_progress", "2025-06-30", ""), "7.1": ("done", "2022-11-08", "黑煤管规〔2022〕3号"),
    "7.4": ("behind", "2025-06-30", "监测网络建设滞后于计划"), "8.1": ("done", "2023-06-30", "“全省事”平台上线"),
    "8.2": ("in_progress", "2025-03-31", ""), "9.1": ("in_progress", "2025-06-30", ""),
    "9.2": ("done", "2024-03-31", "统计局核定函"), "10.1": ("behind", "2025-06-30", "特色园区认定办法未出台"),
    "11.1": ("done", "2023-09-30", "二级节点评估报告"), "12.1": ("done", "2022-05-20", "《黑龙江省重点数字产品指导目录》"),
    "12.2": ("in_progress", "2025-06-30", ""), "13.1": ("done", "2022-07-01", "黑工信发〔2022〕88号"),
    "14.1": ("in_progress", "2025-06-30", "首版次产品认定两批"), "15.1": ("in_progress", "2025-09-30", "5G基站11.5万个"),
    "15.2": ("done", "2024-12-31", "哈尔滨骨干直联点开通"), "15.3": ("in_progress", "2025-06-30", "IPv6流量占比提升"),
    "15.4": ("behind", "2025-06-30", "国家枢纽节点申报未获批"), "15.5": ("in_progress", "2024-12-31", ""),
    "16.1": ("in_progress", "2025-06-30", ""), "17.1": ("done", "2023-09-01", "新设数字经济专业12个"),
    "17.2": ("in_progress", "2025-06-30", ""), "18.1": ("behind", "2025-06-30", "风险补偿资金尚未到位"),
    "19.1": ("not_started", "2025-06-30", ""), "20.1": ("done", "2024-06-30", "黑政办规〔2024〕10号"),
    "20.2": ("in_progress", "2025-06-30", "公共数据开放平台"), "20.3": ("not_started", "2025-06-30", ""),
}


def _xlsx(wb: Workbook) -> bytes:
    from etl.demo.xlsx import stable_xlsx  # fixed times: the same bytes on every run

    out = io.BytesIO()
    wb.save(out)
    return stable_xlsx(out.getvalue())


def demo_files() -> list[tuple[str, bytes]]:
    rng = random.Random(SEED)
    firms = _Firms(rng)
    by_year: dict[int, list[dict]] = {y: [] for y in YEARS}
    for award in _awards(rng, firms):
        by_year[award["year"]].append(award)
    files = []
    fields = list(COLUMNS)
    for year in YEARS:
        wb = Workbook()
        ws = wb.active
        ws.title = AWARD_SHEET.format(year=year)
        ws.append([AWARD_TITLE.format(year=year)])
        ws.append([COLUMNS[f][0] for f in fields])
        rows = sorted(by_year[year], key=lambda a: (a["measure"], a["approved_on"]))
        for a in rows:
            ws.append([a[f] if a[f] is not None else "" for f in fields])
        ws.append([TOTAL_WORDS[0], "", "", "", "", "", "", "", "", "", round(sum(a["amount"] for a in rows), 2), "", ""])
        files.append((AWARD_FILE.format(year=year), _xlsx(wb)))
    wb = Workbook()
    ws = wb.active
    ws.title = TASK_SHEET
    ws.append([names[0] for names in TASK_COLUMNS.values()])
    for code, (status, date, evidence) in TASK_STATUS.items():
        ws.append([code, status_name(status, "zh"), date, evidence, TASK_NOTE])
    files.append((TASK_FILE, _xlsx(wb)))
    return files
