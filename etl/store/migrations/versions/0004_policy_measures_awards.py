"""policy measures: policies, responsible units, measures, award rules, tasks, task updates, awards

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("issuer_zh", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.String(10), nullable=False),
        sa.Column("valid_years", sa.Integer(), nullable=False),
        sa.Column("closing_rule_zh", sa.Text(), nullable=False),
        sa.Column("closing_rule_en", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
    )
    op.create_table(
        "policy_units",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("short_zh", sa.String(40), nullable=False),
        sa.Column("name_zh", sa.String(120), nullable=False),
        sa.Column("short_en", sa.String(80), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
    )
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("policy_code", sa.String(40), sa.ForeignKey("policies.code"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("chapter_zh", sa.Text(), nullable=False),
        sa.Column("chapter_en", sa.Text(), nullable=False),
        sa.Column("section_zh", sa.Text(), nullable=False),
        sa.Column("section_en", sa.Text(), nullable=False),
        sa.Column("title_zh", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("instrument", sa.String(20), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("units_as_written", sa.Text(), nullable=False),
        sa.UniqueConstraint("policy_code", "number"),
    )
    op.create_table(
        "measure_units",
        sa.Column("measure_id", sa.Integer(), sa.ForeignKey("measures.id"), primary_key=True),
        sa.Column("unit_code", sa.String(20), sa.ForeignKey("policy_units.code"), primary_key=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_table(
        "award_rules",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("policy_code", sa.String(40), sa.ForeignKey("policies.code"), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("measure_id", sa.Integer(), sa.ForeignKey("measures.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("basis_zh", sa.Text(), nullable=False),
        sa.Column("basis_en", sa.Text(), nullable=False),
        sa.Column("basis_unit", sa.String(8), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("cap", sa.Float(), nullable=True),
        sa.Column("cap_per_zh", sa.Text(), nullable=False),
        sa.Column("cap_per_en", sa.Text(), nullable=False),
        sa.Column("quota_per_year", sa.Integer(), nullable=True),
        sa.Column("rule_group", sa.String(20), nullable=False),
        sa.Column("one_off", sa.Boolean(), nullable=False),
        sa.Column("otherwise_provided", sa.Boolean(), nullable=False),
        sa.Column("clause_zh", sa.Text(), nullable=False),
        sa.UniqueConstraint("policy_code", "code"),
    )
    op.create_table(
        "measure_tasks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("policy_code", sa.String(40), sa.ForeignKey("policies.code"), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("measure_id", sa.Integer(), sa.ForeignKey("measures.id"), nullable=False),
        sa.Column("unit_code", sa.String(20), sa.ForeignKey("policy_units.code"), nullable=False),
        sa.Column("title_zh", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("indicator_codes", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("policy_code", "code"),
    )
    op.create_table(
        "task_updates",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("measure_tasks.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("previous_status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(80), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_task_update_task", "task_updates", ["task_id"])
    op.create_table(
        "awards",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("award_key", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("rule_id", sa.Integer(), sa.ForeignKey("award_rules.id"), nullable=False),
        sa.Column("measure_id", sa.Integer(), sa.ForeignKey("measures.id"), nullable=False),
        sa.Column("enterprise", sa.String(200), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("region_code", sa.String(6), sa.ForeignKey("regions.code"), nullable=True),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.String(10), nullable=True),
        sa.Column("doc_no", sa.String(120), nullable=False),
        sa.Column("basis", sa.Float(), nullable=True),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("granting_unit", sa.String(120), nullable=False),
        sa.Column("otherwise_provided", sa.Boolean(), nullable=False),
        sa.Column("sheet", sa.String(100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.UniqueConstraint("award_key", "version", name="uq_award_version"),
    )
    op.create_index("ix_award_current", "awards", ["is_current", "measure_id"])
    op.create_index("ix_award_batch", "awards", ["batch_id"])
    op.create_index("ix_award_uscc", "awards", ["uscc"])


def downgrade() -> None:
    for index, table in (("ix_award_uscc", "awards"), ("ix_award_batch", "awards"),
                         ("ix_award_current", "awards"), ("ix_task_update_task", "task_updates")):
        op.drop_index(index, table_name=table)
    for table in ("awards", "task_updates", "measure_tasks", "award_rules", "measure_units",
                  "measures", "policy_units", "policies"):
        op.drop_table(table)
