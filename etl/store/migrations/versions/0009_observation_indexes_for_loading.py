"""observations: one index fewer to write on every load; the vintage index partial

- `ix_observation_current` (indicator_code, region_code, is_current) goes. The unique key
  uq_observation_version (indicator_code, region_code, year, quarter, basis, version) begins with
  the same two columns, and the pages' look-ups of current values search it instead, on SQLite and
  PostgreSQL alike (tests/test_performance.py reads both planners' plans of every page's
  statements). Writing the extra index was a quarter of SQLite's insert at 200,000 values (issue
  13, item 6: bench/bench_etl.py).
- `ix_observation_vintage` (is_current, year, quarter) becomes (year, quarter) WHERE the value is
  current. Keyed on is_current, the planners took it for any query on current values once the
  index above was gone: a scan of every current row instead of a look-up by indicator and region.
  Partial, it serves what it is for (queries.data_vintage's max(year) and max(quarter) of the
  current values, the data grid's every current row) and nothing else. Its WHERE is written as the
  queries write it (`is_current IS 1` on SQLite, `IS true` on PostgreSQL): SQLite uses a partial
  index only for a query that repeats its WHERE term.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_CURRENT = {"sqlite_where": sa.text("is_current IS 1"), "postgresql_where": sa.text("is_current IS true")}


def upgrade() -> None:
    op.drop_index("ix_observation_current", table_name="observations")
    op.drop_index("ix_observation_vintage", table_name="observations")
    op.create_index("ix_observation_vintage", "observations", ["year", "quarter"], **_CURRENT)


def downgrade() -> None:
    op.drop_index("ix_observation_vintage", table_name="observations")
    op.create_index("ix_observation_vintage", "observations", ["is_current", "year", "quarter"])
    op.create_index("ix_observation_current", "observations", ["indicator_code", "region_code", "is_current"])
