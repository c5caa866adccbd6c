"""The awards register: every rule kind and every check with hand-worked examples, loaded through
the same all-or-nothing ETL path (etl.pipeline) with versions, provenance and rollback."""
from __future__ import annotations

from sqlalchemy import select

from etl.measures import store
from etl.measures.models import Award
from etl.measures.read import check_uscc
from etl.pipeline import ingest_file, preview_file
from etl.store.db import session_scope
from etl.store.load import rollback
from tests.awards_helpers import award, awards_xlsx, code


def load(engine, rows, name="awards.xlsx", **kw):
    return ingest_file(engine, awards_xlsx(rows), name, loaded_by="test", **kw)


def problems(outcome, code_=None):
    return [p for p in outcome.report.problems if code_ is None or p.code == code_]


def current(engine):
    with session_scope(engine) as s:
        return store.register(s)


# --- 统一社会信用代码 -------------------------------------------------------------------------------

def test_uscc_check_digit_gb32100():
    # 91110000600037341L: weights 1,3,9,27,... mod 31 give the check character L
    assert check_uscc("91110000600037341L") is None
    zh, en = check_uscc("91110000600037341M")
    assert "“L”" in zh and "'L'" in en
    assert check_uscc("9111000060003734") is not None  # 16 characters


def test_invalid_uscc_is_reported_at_its_cell(engine):
    bad = code(1)[:-1] + ("0" if code(1)[-1] != "0" else "1")
    out = load(engine, [award(2, "哈尔滨甲公司", code(2), rule="2b", amount=50),
                        award(2, "哈尔滨乙公司", bad, rule="2b", amount=50)])
    assert out.status == "rejected"
    [p] = problems(out)
    assert (p.code, p.sheet, p.cell) == ("invalid-uscc", "奖励清单", "D3")
    assert current(engine) == []  # all or nothing


# --- rule kinds ---------------------------------------------------------------------------------------

def test_fixed_amount(engine):
    out = load(engine, [award(13, "甲软件", code(1), rule="13a", amount=50),
                        award(13, "乙软件", code(2), rule="13a", amount=60)])
    [p] = problems(out)
    assert (p.code, p.cell) == ("amount-mismatch", "K3")
    assert "50万元" in p.message_zh


def test_cap_of_a_tiered_award(engine):
    # m.1: tiers up to 200万元; 200 is allowed, 250 is not
    out = load(engine, [award(1, "甲装备", code(1), amount=200), award(1, "乙装备", code(2), amount=250)])
    [p] = problems(out)
    assert (p.code, p.cell, p.raw) == ("above-cap", "K3", "250")
    assert "200万元" in p.message_zh


def test_tier_cap_and_threshold_cmmi(engine):
    # m.13 CMMI: level ≥ 3, ≤ 150万元
    out = load(engine, [award(13, "甲", code(1), rule="13b", basis=3, amount=150),
                        award(13, "乙", code(2), rule="13b", basis=5, amount=160),
                        award(13, "丙", code(3), rule="13b", basis=2, amount=80)])
    found = {(p.code, p.cell) for p in problems(out)}
    assert found == {("above-cap", "K3"), ("below-threshold", "J4")}


def test_rate_times_basis_with_threshold_and_cap(engine):
    # m.12: 10% of actual investment, projects ≥ 2000万元, ≤ 600万元 a project
    rows = [award(12, "甲", code(1), project="产线A", basis=3000, amount=300),      # 10% of 3000: right
            award(12, "乙", code(2), project="产线B", basis=3000, amount=300.004),  # rounding: right
            award(12, "丙", code(3), project="产线C", basis=3000, amount=310),      # should be 300
            award(12, "丁", code(4), project="产线D", basis=1500, amount=150),      # below 2000
            award(12, "戊", code(5), project="产线E", basis=8000, amount=600),      # 800 capped at 600
            award(12, "己", code(6), project="产线F", basis=8000, amount=800),      # above the cap
            award(12, "庚", code(7), project="产线G", amount=100)]                  # no basis
    out = load(engine, rows)
    found = {(p.code, p.cell) for p in problems(out)}
    assert found == {("rate-mismatch", "K4"), ("below-threshold", "J5"), ("above-cap", "K7"),
                     ("missing-basis", "J8")}
    mismatch = next(p for p in problems(out) if p.code == "rate-mismatch")
    assert "应为300万元" in mismatch.message_zh and "3,000万元×10%=300万元" in mismatch.message_zh


def test_rule_chosen_by_the_row_for_measure_2(engine):
    # 2a: 20% of central support ≤ 100; 2b: 50 fixed. No kind written: the basis decides.
    out = load(engine, [award(2, "甲", code(1), basis=400, amount=80),
                        award(2, "乙", code(2), amount=50)])
    assert out.status == "loaded"
    assert sorted(a.rule_code for a in current(engine)) == ["2a", "2b"]


# --- the register across files -----------------------------------------------------------------------

def test_quota_across_two_files(engine):
    # m.4: 50 enterprises a year (4 and 4z together). 49 + 1 in the first file, the 51st in the second.
    first = [award(4, f"企业{i}", code(i), amount=50, approved=f"2023-03-{1 + i % 28:02d}")
             for i in range(1, 50)]
    first.append(award(4, "专精特新企业", code(50), rule="4z", amount=100))
    assert load(engine, first, "m4-2023-a.xlsx").status == "loaded"
    out = load(engine, [award(4, "企业51", code(51), amount=50, approved="2023-12-01")], "m4-2023-b.xlsx")
    assert out.status == "rejected"
    [p] = problems(out)
    assert (p.code, p.cell) == ("quota-exceeded", "C2")
    assert "第51户" in p.message_zh
    # the same enterprise the next year is within that year's quota
    assert load(engine, [award(4, "企业51", code(51), amount=50, year=2024, approved="2024-05-01")],
                "m4-2024.xlsx").status == "loaded"


def test_one_off_granted_twice(engine):
    assert load(engine, [award(9, "龙江数科", code(9), basis=120000, amount=500, year=2022,
                               approved="2022-08-01")], "m9-2022.xlsx").status == "loaded"
    out = load(engine, [award(9, "龙江数科", code(9), basis=150000, amount=500, year=2024,
                              approved="2024-08-01", doc="黑工信发〔2024〕9号")], "m9-2024.xlsx")
    [p] = problems(out)
    assert p.code == "one-off-repeated" and p.cell == "C2"
    assert "m9-2022.xlsx" in p.message_zh and "2022" in p.message_zh


def test_highest_only_across_measures(engine):
    # the same enterprise and project in 2023 under m.12 (300) and m.14 (40): from high, not twice
    rows = [award(12, "哈尔滨智造", code(3), project="智能产线", basis=3000, amount=300),
            award(14, "哈尔滨智造", code(3), project="智能产线", basis=200, amount=40)]
    out = load(engine, rows)
    found = {(p.code, p.cell) for p in problems(out)}
    assert found == {("not-highest", "F2"), ("not-highest", "F3")}
    lower = next(p for p in problems(out) if p.cell == "F3")
    assert "第12条" in lower.message_zh and "300万元，较高者" in lower.message_zh
    higher = next(p for p in problems(out) if p.cell == "F2")
    assert "本行300万元为较高者" in higher.message_zh
    # 另有规定 on either award: allowed
    rows[1][-1] = "是"
    assert load(engine, rows).status == "loaded"


def test_highest_only_against_the_register(engine):
    assert load(engine, [award(12, "哈尔滨智造", code(3), project="智能产线", basis=3000, amount=300)],
                "a.xlsx").status == "loaded"
    out = load(engine, [award(14, "哈尔滨智造", code(3), project="智能产线", basis=200, amount=40)], "b.xlsx")
    [p] = problems(out)
    assert p.code == "not-highest" and "a.xlsx" in p.message_zh


def test_one_name_two_codes_and_one_code_two_names(engine):
    out = load(engine, [award(1, "甲公司", code(1), amount=100),
                        award(1, "甲公司", code(2), amount=100, doc="x2"),
                        award(1, "乙公司", code(3), amount=100),
                        award(1, "丙公司", code(3), amount=100, doc="x4")])
    found = {(p.code, p.cell) for p in problems(out)}
    assert found == {("name-code-conflict", "D3"), ("name-code-conflict", "C5")}


def test_validity_four_years_from_issue(engine):
    # issued 2021-10-20, four years: valid until 2025-10-19
    out = load(engine, [award(1, "甲", code(1), amount=100, year=2025, approved="2025-10-19"),
                        award(1, "乙", code(2), amount=100, year=2025, approved="2025-10-20"),
                        award(1, "丙", code(3), amount=100, year=2021, approved="2021-10-19")])
    found = {(p.code, p.cell) for p in problems(out)}
    assert found == {("outside-validity", "H3"), ("outside-validity", "H4")}


def test_unknown_measure_and_measure_without_money(engine):
    out = load(engine, [award(21, "甲", code(1)), award(7, "乙", code(2)), award("第4条", "丙", code(3))])
    found = {(p.code, p.cell) for p in problems(out)}
    assert found == {("unknown-measure", "A2"), ("unknown-measure", "A3")}


# --- versions, provenance, preview, rollback ---------------------------------------------------------

def test_preview_revision_provenance_and_rollback(engine):
    rows = [award(12, "甲", code(1), project="产线A", basis=3000, amount=300, place="哈尔滨市南岗区")]
    preview = preview_file(engine, awards_xlsx(rows), "v1.xlsx")
    assert preview.report.status == "preview" and preview.report.changes.new == 1
    assert current(engine) == []
    first = load(engine, rows, "v1.xlsx")
    assert first.status == "loaded"
    assert load(engine, rows, "v1.xlsx").status == "unchanged"
    [a] = current(engine)
    assert (a.region_code, a.sheet, a.cells["amount"], a.batch_id) == ("230100", "奖励清单", "K2", first.batch_id)
    rows[0][9], rows[0][10] = 3500, 350  # the department corrects the basis
    second = load(engine, rows, "v2.xlsx")
    assert second.status == "loaded" and len(second.report.changes.revised) == 1
    [a] = current(engine)
    assert a.amount == 350
    with session_scope(engine) as s:
        versions = sorted((w.version, w.is_current) for w in s.scalars(select(Award)))
    assert versions == [(1, False), (2, True)]
    rollback(engine, second.batch_id, user="admin", reason="wrong file")
    [a] = current(engine)
    assert a.amount == 300 and a.batch_id == first.batch_id


def test_stale_preview_is_not_loaded(engine):
    rows = [award(4, "甲", code(1), amount=50)]
    preview = preview_file(engine, awards_xlsx(rows), "a.xlsx")
    digest = preview.plan.digest()
    assert load(engine, [award(4, "甲", code(1), amount=50, doc="其他文号")], "other.xlsx").status == "loaded"
    # the register moved (the enterprise now has its one-off award): the file is re-checked
    out = ingest_file(engine, awards_xlsx(rows), "a.xlsx", loaded_by="t", expected_digest=digest)
    assert out.status == "rejected" and problems(out, "one-off-repeated")


def test_record_breaches_keeps_them_with_the_award(engine):
    from etl.measures.pipeline import ingest_awards

    out = ingest_awards(engine, awards_xlsx([award(1, "甲", code(1), amount=250)]), "found.xlsx",
                        loaded_by="t", record_breaches=True)
    assert out.status == "loaded"
    assert [p.severity for p in out.report.problems] == ["warning"]
    with session_scope(engine) as s:
        [a] = s.scalars(select(Award))
        assert a.flags[0]["code"] == "above-cap"


def test_only_files_that_may_hold_an_award_list_are_read_twice(tmp_path):
    from etl.demo.files import demo_files
    from etl.measures.demo import demo_files as award_demo
    from etl.measures.pipeline import looks_like_awards, might_be_awards

    for item in demo_files():  # every statistics layout, xlsx, xls and GBK csv: not even opened
        if not item.name.startswith("演示-"):
            assert not might_be_awards(item.data), item.name
    for name, data in award_demo():
        assert might_be_awards(data) and looks_like_awards(data, name), name
    csv_gbk = "企业名称,统一社会信用代码\n甲,91110000600037341L\n".encode("gb18030")
    assert might_be_awards(csv_gbk) and looks_like_awards(csv_gbk, "a.csv")
