"""index on observations (is_current, year, quarter): the data vintage without a table scan

`queries.data_vintage` asks for max(year) of the current values, then max(quarter) in that year,
on every cold page (the frame's demo banner, the overview's "data as of"). Without an index both
were a scan of all current rows (a parallel sequential scan on PostgreSQL: 3.5 s on 20 M rows);
with this index they are one descent of a B-tree on PostgreSQL and SQLite alike (see
tests/test_query_counts.py, which reads both planners' plans).

Revision ID: 0005
Revises: 0004
"""
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_observation_vintage", "observations", ["is_current", "year", "quarter"])


def downgrade() -> None:
    op.drop_index("ix_observation_vintage", table_name="observations")
