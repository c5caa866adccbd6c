"""The policy measures as data: seeded by `python -m etl init`, one migration head, a new policy
added by rows alone."""
from __future__ import annotations

import shutil

from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from etl import config
from etl.measures.models import AwardRule, Measure, MeasureTask, MeasureUnit, Policy, PolicyUnit
from etl.measures.seed import seed_measures
from etl.store.db import MIGRATIONS_DIR, alembic_config, session_scope


def test_one_migration_head(engine):
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    assert len(heads) == 1, heads
    assert (MIGRATIONS_DIR / "versions").is_dir()


def test_twenty_measures_units_lead_first_rules_and_tasks(engine):
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Measure)) == 20
        m15 = s.scalar(select(Measure).where(Measure.number == 15))
        assert m15.title_zh == "加快新型信息基础设施建设"
        assert m15.chapter_zh == "三、加强要素保障"
        assert "IPv6" in m15.text_zh and "责任单位" not in m15.text_zh
        lead = s.scalar(select(MeasureUnit).where(MeasureUnit.measure_id == m15.id,
                                                  MeasureUnit.role == "lead"))
        assert lead.unit_code == "txglj" and lead.position == 1
        assert s.get(PolicyUnit, "gxt").short_zh == "省工信厅"
        # 省营商局 (m.8) and 省营商环境局 (m.20) are one unit
        m8, m20 = (s.scalar(select(Measure).where(Measure.number == n)) for n in (8, 20))
        units = {n: [u.unit_code for u in s.scalars(select(MeasureUnit).where(
            MeasureUnit.measure_id == m.id).order_by(MeasureUnit.position))] for n, m in ((8, m8), (20, m20))}
        assert "ysj" in units[8] and "ysj" in units[20]
        rules = {r.code: r for r in s.scalars(select(AwardRule))}
        assert rules["12"].rate == 0.1 and rules["12"].threshold == 2000 and rules["12"].cap == 600
        assert rules["4"].quota_per_year == 50 and rules["4z"].amount == 100 and rules["4z"].rule_group == "4"
        assert rules["13a"].one_off and not rules["14"].one_off
        money = {s.get(Measure, r.measure_id).number for r in rules.values()}
        assert money == {1, 2, 3, 4, 9, 11, 12, 13, 14}
        tasks = list(s.scalars(select(MeasureTask)))
        with_tasks = {s.get(Measure, t.measure_id).number for t in tasks}
        assert with_tasks == set(range(1, 21))
        assert all(t.status == "not_started" for t in tasks)
        assert s.get(Policy, "digital-longjiang-2021").valid_years == 4


def test_a_new_policy_is_rows_only(engine, tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(config.SEED_DIR, seed)
    with open(seed / "policies.csv", "a", encoding="utf-8") as f:
        f.write("test-2030,测试政策,Test policy,省政府,2026-01-01,5,,,,2\n")
    with open(seed / "measures.csv", "a", encoding="utf-8") as f:
        f.write("test-2030,1,一、,I.,,,试点奖励,Pilot award,award,奖励30万元。,省工信厅\n")
    with open(seed / "measure_units.csv", "a", encoding="utf-8") as f:
        f.write("test-2030,1,gxt,lead,1\n")
    with open(seed / "award_rules.csv", "a", encoding="utf-8") as f:
        f.write("test-2030,1,1,fixed,试点奖励,Pilot award,30,,,,,,,,,,,1,0,奖励30万元。\n")
    with session_scope(engine) as s:
        seed_measures(s, seed)
        seed_measures(s, seed)  # an upsert: twice is once
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Measure)) == 21
        rule = s.scalar(select(AwardRule).where(AwardRule.policy_code == "test-2030"))
        assert rule.amount == 30 and rule.one_off
