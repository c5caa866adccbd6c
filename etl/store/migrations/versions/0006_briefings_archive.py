"""briefings: the archive (and cache) of the quarterly monitoring briefings (etl/briefing/store.py)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("quarter", sa.SmallInteger(), nullable=False),
        sa.Column("lang", sa.String(4), nullable=False),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("data_stamp", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("any_demo", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_briefing_lookup", "briefings", ["data_stamp", "year", "quarter", "lang", "fmt"])


def downgrade() -> None:
    op.drop_index("ix_briefing_lookup", table_name="briefings")
    op.drop_table("briefings")
