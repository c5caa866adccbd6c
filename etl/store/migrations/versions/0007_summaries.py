"""summaries: derived figures computed once per data change (etl/store/summary.py)

The pages' catalog-wide figures (a city's newest value, rank and province value per indicator;
each comparable indicator against the nation; the progress engine's assessments), keyed by the
data stamp, so that a cold page reads the few rows it shows instead of computing them from every
current value (issue 13).

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summaries",
        sa.Column("stamp", sa.String(120), primary_key=True),
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("summaries")
